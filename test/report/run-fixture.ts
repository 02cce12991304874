/**
 * Runs with known numbers, recorded by a real `StatsCollector` (ticked each second on a manual
 * clock), for the report tests: every count, failure and per-third latency is chosen here.
 */
import type { RunMeta } from '../../src/run/meta.js';
import { parseThreshold } from '../../src/scenario/threshold.js';
import type { Threshold } from '../../src/scenario/types.js';
import { StatsCollector } from '../../src/stats/collector.js';
import { evaluateThresholds } from '../../src/stats/thresholds.js';
import type { HistoryRow, StatsSnapshot } from '../../src/stats/types.js';
import { IDLE_GENERATOR, T0, manualClock, runStatus } from '../stats/helpers.js';

export { T0 };

export function threshold(expr: string, abortOnFail = false): Threshold {
  const t = parseThreshold(expr);
  if (typeof t === 'string') throw new Error(t);
  return { ...t, abortOnFail, abortGraceMs: 0, loc: null };
}

export function meta(over: Partial<RunMeta> = {}): RunMeta {
  return {
    scenarioName: 'checkout',
    scenarioFile: '/work/scenarios/checkout.yaml',
    host: 'http://127.0.0.1:8000',
    users: 50,
    spawnRate: 10,
    runTimeMs: 30_000,
    profile: null,
    loadModel: 'closed model: 50 users, spawn rate 10/s',
    thresholds: [],
    thresholdResults: [],
    cicadaVersion: '0.1.0',
    commandLine: 'cicada run checkout.yaml -t 30s',
    startedAt: T0,
    endedAt: T0 + 30_000,
    stopReason: 'run time reached',
    exitCode: 0,
    resultsDir: '/work/results/checkout-20231114-221320',
    ...over,
  };
}

export interface KnownRun {
  readonly snapshot: StatsSnapshot;
  readonly history: readonly HistoryRow[];
}

/**
 * 30 s, 50 users. `GET /items`: 100 requests a second, 10 ms for the first 10 s, 12 ms for the next
 * 10 s, 40 ms for the last 10 s (so the run degrades). Failures, at known times:
 * - `GET /flaky`: 20 requests a second in the last third, half `HTTP 503` (100) — the error rate rises;
 * - `GET /limited`: 60 × `HTTP 429` + 5 × `check: status 200 expected, got 429` (second 2);
 * - `GET /admin`: 20 × `HTTP 401` + 10 × `HTTP 403` (second 3);
 * - `GET /items/[id]`: 15 × `HTTP 404` (second 4); `GET /down`: 8 × `ECONNREFUSED`, 2 × `connection
 *   closed by server` (second 5); `GET /slow`: 4 × `timeout after 10s` (second 6);
 * - `GET /items`: 3 × `check: $.items[0].id missing` (second 7); `POST /login`:
 *   1 × `capture: token not found (json $.token)` (second 8).
 */
export function degradingRun(): KnownRun {
  const clock = manualClock();
  const c = new StatsCollector({ clock: clock.read });
  const items = c.endpoint('GET', '/items');
  const flaky = c.endpoint('GET', '/flaky');
  const limited = c.endpoint('GET', '/limited');
  const admin = c.endpoint('GET', '/admin');
  const byId = c.endpoint('GET', '/items/[id]');
  const down = c.endpoint('GET', '/down');
  const slow = c.endpoint('GET', '/slow');
  const login = c.endpoint('POST', '/login');
  const many = (id: number, n: number, us: number, failure: string | null): void => {
    for (let i = 0; i < n; i++) c.request(id, us, us, 100, failure);
  };
  const history: HistoryRow[] = [];
  for (let s = 0; s < 30; s++) {
    many(items, 100, s < 10 ? 10_000 : s < 20 ? 12_000 : 40_000, null);
    if (s >= 20) {
      many(flaky, 10, 5_000, null);
      many(flaky, 10, 5_000, 'HTTP 503');
    }
    if (s === 2) {
      many(limited, 60, 1_000, 'HTTP 429');
      many(limited, 5, 1_000, 'check: status 200 expected, got 429');
    }
    if (s === 3) {
      many(admin, 20, 2_000, 'HTTP 401');
      many(admin, 10, 2_000, 'HTTP 403');
    }
    if (s === 4) many(byId, 15, 3_000, 'HTTP 404');
    if (s === 5) {
      many(down, 8, 500, 'ECONNREFUSED');
      many(down, 2, 500, 'connection closed by server');
    }
    if (s === 6) many(slow, 4, 10_000_000, 'timeout after 10s');
    if (s === 7) many(items, 3, 10_000, 'check: $.items[0].id missing');
    if (s === 8) many(login, 1, 20_000, 'capture: token not found (json $.token)');
    for (let k = 0; k < 10; k++) c.check(items, true);
    clock.advance(1000);
    history.push(...c.tick(clock.now + 5, Math.min(50, (s + 1) * 10)));
  }
  const snapshot = c.snapshot(runStatus({ state: 'stopped', elapsedMs: 30_000, users: 50, targetUsers: 50 }), IDLE_GENERATOR, T0 + 30_000, { reportPercentiles: true });
  return { snapshot, history };
}

/** 30 s of `GET /items` at 50 a second, 20 ms each, no failures. */
export function stableRun(): KnownRun {
  const clock = manualClock();
  const c = new StatsCollector({ clock: clock.read });
  const items = c.endpoint('GET', '/items');
  const history: HistoryRow[] = [];
  for (let s = 0; s < 30; s++) {
    for (let i = 0; i < 50; i++) c.request(items, 20_000 + (i % 5) * 100, 0, 10, null);
    clock.advance(1000);
    history.push(...c.tick(clock.now + 5, 10));
  }
  return { snapshot: c.snapshot(runStatus({ state: 'stopped', elapsedMs: 30_000 }), IDLE_GENERATOR, T0 + 30_000, { reportPercentiles: true }), history };
}

/** `meta()` with these thresholds evaluated against `snapshot` (`final`: no data fails). */
export function withThresholds(snapshot: StatsSnapshot, exprs: readonly (string | Threshold)[], final = true): RunMeta {
  const list = exprs.map((e) => (typeof e === 'string' ? threshold(e) : e));
  return meta({ thresholds: list.map((t) => t.source), thresholdResults: evaluateThresholds(list, snapshot, final) });
}
