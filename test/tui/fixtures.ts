/**
 * Fixed, realistic statistics for rendering the TUI's components without a run: a shop-like API
 * with fast, slow and failing endpoints, failures, exceptions with stacks, and three minutes of
 * history. Everything is deterministic (no clock, no randomness).
 */
import type { ClassStatus, RunnerStatus } from '../../src/engine/types.js';
import type { Scenario } from '../../src/scenario/types.js';
import { PERCENTILES, type EndpointStats, type ExceptionEntry, type FailureEntry, type HistoryRow, type StatsSnapshot } from '../../src/stats/types.js';
import { scenario } from '../engine/build.js';

/** 2023-11-14T22:15:00Z: when every fixture snapshot is taken. */
export const NOW = 1_700_000_100_000;
export const STARTED = NOW - 185_000;

export interface EndpointSpec {
  readonly method: string;
  readonly name: string;
  readonly requests: number;
  readonly failures?: number;
  /** Median latency; the percentile ladder grows from it. */
  readonly medianMs: number;
  readonly bytes?: number;
}

/** An endpoint row whose percentiles rise smoothly from `medianMs` (p100 ≈ 6× the median). */
export function endpoint(spec: EndpointSpec, elapsedSec = 185): EndpointStats {
  const { requests, medianMs } = spec;
  const failures = spec.failures ?? 0;
  const percentilesMs = PERCENTILES.map((p) => (requests > 0 ? medianMs * (1 + 10 * (p - 0.5) ** 2) : 0));
  const avgBytes = spec.bytes ?? 512;
  return {
    method: spec.method,
    name: spec.name,
    requests,
    failures,
    notSent: 0,
    minMs: requests > 0 ? medianMs / 4 : 0,
    maxMs: percentilesMs[percentilesMs.length - 1] ?? 0,
    avgMs: requests > 0 ? medianMs * 1.2 : 0,
    medianMs: percentilesMs[0] ?? 0,
    percentilesMs,
    totalBytes: avgBytes * requests,
    avgBytes: requests > 0 ? avgBytes : 0,
    rps: requests / elapsedSec,
    failuresPerSec: failures / elapsedSec,
    currentRps: requests / elapsedSec,
    currentFailuresPerSec: failures / elapsedSec,
    servicePercentilesMs: null,
    checksPassed: requests - failures,
    checksFailed: failures,
  };
}

export const SHOP_ENDPOINTS: readonly EndpointSpec[] = [
  { method: 'GET', name: '/api/cart', requests: 1204, medianMs: 4.2, bytes: 47 },
  { method: 'POST', name: '/api/cart', requests: 1190, medianMs: 9.1, bytes: 47 },
  { method: 'GET', name: '/api/flaky', requests: 980, failures: 97, medianMs: 12, bytes: 15 },
  { method: 'GET', name: '/api/items', requests: 4410, medianMs: 36, bytes: 980 },
  { method: 'GET', name: '/api/items/[id]', requests: 6120, failures: 183, medianMs: 6.5, bytes: 47 },
  { method: 'GET', name: '/api/limited', requests: 1010, failures: 412, medianMs: 2.7, bytes: 15 },
  { method: 'POST', name: '/api/login', requests: 15, medianMs: 43, bytes: 61 },
  { method: 'GET', name: '/api/search?q=a-long-query-string-that-gets-cut', requests: 3300, medianMs: 139, bytes: 428 },
  { method: 'GET', name: '/api/slow', requests: 1001, medianMs: 1136, bytes: 15 },
  { method: 'GET', name: '/health', requests: 950, medianMs: 1.2, bytes: 15 },
];

/** The Aggregated row over `rows`. */
export function aggregate(rows: readonly EndpointStats[]): EndpointStats {
  const requests = rows.reduce((s, r) => s + r.requests, 0);
  const failures = rows.reduce((s, r) => s + r.failures, 0);
  const weighted = (pick: (r: EndpointStats) => number) => (requests > 0 ? rows.reduce((s, r) => s + pick(r) * r.requests, 0) / requests : 0);
  const percentilesMs = PERCENTILES.map((_, i) => weighted((r) => r.percentilesMs[i] ?? 0));
  const totalBytes = rows.reduce((s, r) => s + r.totalBytes, 0);
  return {
    method: '',
    name: 'Aggregated',
    requests,
    failures,
    notSent: 0,
    minMs: Math.min(...rows.map((r) => r.minMs)),
    maxMs: Math.max(...rows.map((r) => r.maxMs)),
    avgMs: weighted((r) => r.avgMs),
    medianMs: percentilesMs[0] ?? 0,
    percentilesMs,
    totalBytes,
    avgBytes: requests > 0 ? totalBytes / requests : 0,
    rps: rows.reduce((s, r) => s + r.rps, 0),
    failuresPerSec: rows.reduce((s, r) => s + r.failuresPerSec, 0),
    currentRps: rows.reduce((s, r) => s + r.currentRps, 0),
    currentFailuresPerSec: rows.reduce((s, r) => s + r.currentFailuresPerSec, 0),
    servicePercentilesMs: null,
    checksPassed: requests - failures,
    checksFailed: failures,
  };
}

export const FAILURES: readonly FailureEntry[] = [
  { method: 'GET', name: '/api/limited', error: 'HTTP 429', occurrences: 412, firstSeen: NOW - 170_000, lastSeen: NOW - 1_000 },
  { method: 'GET', name: '/api/items/[id]', error: 'HTTP 404', occurrences: 183, firstSeen: NOW - 180_000, lastSeen: NOW - 2_000 },
  { method: 'GET', name: '/api/flaky', error: 'HTTP 500', occurrences: 90, firstSeen: NOW - 150_000, lastSeen: NOW - 4_000 },
  {
    method: 'GET',
    name: '/api/flaky',
    error: 'check: json $.status equals "ok" expected, got "degraded"\nwith a second line',
    occurrences: 7,
    firstSeen: NOW - 60_000,
    lastSeen: NOW - 30_000,
  },
];

export const EXCEPTIONS: readonly ExceptionEntry[] = [
  {
    count: 12,
    message: "TypeError: Cannot read properties of undefined (reading 'id')",
    traceback:
      "TypeError: Cannot read properties of undefined (reading 'id')\n    at capture (file:///cicada/dist/engine/user.js:120:15)\n    at VirtualUser.onBody (file:///cicada/dist/engine/user.js:98:7)\n    at Parser.onMessageComplete (undici/lib/dispatcher/client-h1.js:412:9)\n    at Parser.execute (undici/lib/dispatcher/client-h1.js:301:11)",
    context: 'Shopper/cart',
    contexts: ['Shopper/cart'],
    firstSeen: NOW - 100_000,
    lastSeen: NOW - 5_000,
  },
  {
    count: 3,
    message: 'data "accounts" ran out of unique rows',
    traceback: 'Error: data "accounts" ran out of unique rows\n    at pickRow (file:///cicada/dist/engine/runner.js:240:13)',
    context: 'Shopper/on start',
    contexts: ['Shopper/on start'],
    firstSeen: NOW - 40_000,
    lastSeen: NOW - 40_000,
  },
];

/** `seconds` rows ending at NOW: RPS ramps up with the users, then wobbles; failures come and go. */
export function history(seconds: number, peakRps = 120): HistoryRow[] {
  const rows: HistoryRow[] = [];
  const endSec = Math.floor(NOW / 1000);
  let totalRequests = 0;
  let totalFailures = 0;
  for (let i = 0; i < seconds; i++) {
    const t = i + 1;
    const users = Math.min(20, Math.ceil(t / 2));
    const rps = (peakRps * users) / 20 + (peakRps / 10) * Math.sin(t / 7);
    const median = 30 + 10 * Math.sin(t / 11);
    const failuresPerSec = t % 30 < 10 ? rps / 20 : 0;
    totalRequests += Math.round(rps);
    totalFailures += Math.round(failuresPerSec);
    rows.push({
      timestamp: endSec - seconds + t,
      userCount: users,
      method: '',
      name: 'Aggregated',
      rps,
      failuresPerSec,
      percentilesMs: PERCENTILES.map((p) => median * (1 + 10 * (p - 0.5) ** 2)),
      windowRequests: Math.round(rps * 10),
      totalRequests,
      totalFailures,
      totalMedianMs: median,
      totalAvgMs: median * 1.2,
      totalMinMs: 1,
      totalMaxMs: median * 6,
      totalAvgBytes: 300,
    });
  }
  return rows;
}

export const CLASSES: readonly ClassStatus[] = [
  {
    name: 'Shopper',
    users: 15,
    targetUsers: 15,
    usersAtStop: null,
    weightShare: 0.75,
    taskRuns: [1070, 1500, 720, 250, 290],
    taskNames: ['/api/items', '/api/items/[id]', '/api/search', '/api/slow', 'cart'],
    taskWeights: [4, 6, 3, 1, 1],
  },
  {
    name: 'Visitor',
    users: 5,
    targetUsers: 5,
    usersAtStop: null,
    weightShare: 0.25,
    taskRuns: [250, 240, 290, 110],
    taskNames: ['/health', '/api/flaky', '/api/limited', '/api/search'],
    taskWeights: [2, 2, 2, 1],
  },
];

export function runStatus(over: Partial<RunnerStatus> = {}): RunnerStatus {
  return {
    state: 'running',
    users: 20,
    targetUsers: 20,
    spawnRate: 5,
    startedAt: STARTED,
    elapsedMs: 185_000,
    remainingMs: 115_000,
    inFlight: 7,
    targetRate: null,
    classes: CLASSES,
    stopReason: null,
    ...over,
  };
}

export interface SnapshotOptions {
  readonly run?: Partial<RunnerStatus>;
  readonly endpoints?: readonly EndpointSpec[];
  /** Adds `GET /api/extra/NNN` rows, for scrolling. */
  readonly extraEndpoints?: number;
  readonly failures?: readonly FailureEntry[];
  readonly exceptions?: readonly ExceptionEntry[];
  readonly historySeconds?: number;
  readonly saturated?: boolean;
  readonly droppedIterations?: number;
}

/** A whole snapshot of the shop run, three minutes in. */
export function snapshot(o: SnapshotOptions = {}): StatsSnapshot {
  const specs = [...(o.endpoints ?? SHOP_ENDPOINTS)];
  for (let i = 0; i < (o.extraEndpoints ?? 0); i++) {
    specs.push({ method: 'GET', name: `/api/extra/${String(i).padStart(3, '0')}`, requests: 100 + i, medianMs: 5 + i });
  }
  const endpoints = specs.map((s) => endpoint(s)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.method < b.method ? -1 : 1));
  return {
    takenAt: NOW,
    statsStartedAt: STARTED,
    run: runStatus(o.run),
    endpoints,
    total: aggregate(endpoints),
    failures: o.failures ?? FAILURES,
    exceptions: o.exceptions ?? EXCEPTIONS,
    history: history(o.historySeconds ?? 185),
    droppedIterations: o.droppedIterations ?? 0,
    generator: {
      eventLoopLagMs: o.saturated ? 142 : 3,
      cpuPercent: o.saturated ? 97 : 41,
      rssBytes: 90 * 1024 * 1024,
      heapUsedBytes: 40 * 1024 * 1024,
      saturated: o.saturated ?? false,
    },
    overflowNames: 0,
  };
}

/** The smallest scenario the TUI reads (host, load model, thresholds). */
export function scenarioFixture(over: Partial<Scenario> = {}): Scenario {
  return scenario('http://127.0.0.1:8089', [], { name: 'shop', users: 20, spawnRate: 5, runTimeMs: 300_000, ...over });
}
