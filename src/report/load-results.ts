/**
 * Reading a results directory back: `summary.json` text → the `StatsSnapshot` and `RunMeta` it was
 * written from (as far as the file carries them), and `stats_history.csv` text → history rows. Pure
 * (the caller reads the files); every problem is a `ResultsFormatError` saying which file and what
 * is wrong, so `cicada report` / `cicada compare` can print it and exit 2.
 */
import type { ClassStatus, RunnerStatus } from '../engine/types.js';
import type { LeakVerdict, MonitorSummary } from '../run/monitors/types.js';
import type { MonitorStat } from '../scenario/monitor-types.js';
import type { Threshold, ThresholdMetric } from '../scenario/types.js';
import type { ThresholdResult } from '../stats/thresholds.js';
import { PERCENTILE_LABELS, PERCENTILES } from '../stats/types.js';
import type { EndpointStats, ExceptionEntry, FailureEntry, GeneratorRunSummary, HistoryRow, IntervalStats, StatsSnapshot } from '../stats/types.js';
import { parseCsv } from '../scenario/csv.js';
import { HISTORY_HEADER } from './csv.js';
import { PERCENTILE_KEYS, REPORT_PERCENTILE_KEYS, SUMMARY_SCHEMA } from './summary.js';
import type { DistributedSummary, RunMeta } from '../run/meta.js';

export class ResultsFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ResultsFormatError';
  }
}

export interface LoadedResults {
  readonly snapshot: StatsSnapshot;
  readonly meta: RunMeta;
}

type Obj = Record<string, unknown>;

/** Parses `summary.json` (schema `cicada.summary/1`). `file` names it in error messages. */
export function parseSummary(text: string, file = 'summary.json'): LoadedResults {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new ResultsFormatError(`${file} is not valid JSON: ${(err as Error).message.split('\n')[0]!}`);
  }
  return readSummary(doc, file);
}

/**
 * The snapshot and meta of a parsed `summary.json` document (or of `summaryJson()`'s result: a
 * report rendered from that reads exactly as one rendered later from the file).
 */
export function readSummary(doc: unknown, file = 'summary.json'): LoadedResults {
  if (!isObj(doc) || typeof doc.schema !== 'string' || !doc.schema.startsWith('cicada.summary/')) {
    throw new ResultsFormatError(`${file} is not a cicada summary (no "schema": "${SUMMARY_SCHEMA}")`);
  }
  if (doc.schema !== SUMMARY_SCHEMA) {
    throw new ResultsFormatError(`${file} has schema "${doc.schema}"; this cicada reads "${SUMMARY_SCHEMA}"`);
  }
  const r = new Reader(file);
  const config = r.obj(doc, 'config');
  const run = r.obj(doc, 'run');
  const startedAt = r.num(run, 'startedAtMs', 'run');
  const endedAt = r.numOrNull(run, 'endedAtMs', 'run');
  const total = endpointOf(r, r.obj(doc, 'totals'), 'totals');
  const endpoints = r.arr(doc, 'endpoints').map((e, i) => endpointOf(r, e, `endpoints[${i}]`));
  const failures: FailureEntry[] = r.arr(doc, 'failures').map((f, i) => {
    const at = `failures[${i}]`;
    const o = r.asObj(f, at);
    return {
      method: r.str(o, 'method', at),
      name: r.str(o, 'name', at),
      error: r.str(o, 'error', at),
      occurrences: r.num(o, 'occurrences', at),
      firstSeen: time(o.firstSeen),
      lastSeen: time(o.lastSeen),
    };
  });
  const exceptions: ExceptionEntry[] = optArr(doc, 'exceptions').map((x, i) => {
    const at = `exceptions[${i}]`;
    const o = r.asObj(x, at);
    const contexts = Array.isArray(o.contexts) ? o.contexts.filter((c): c is string => typeof c === 'string') : [];
    return {
      count: r.num(o, 'count', at),
      message: r.str(o, 'message', at),
      traceback: typeof o.traceback === 'string' ? o.traceback : '',
      context: contexts.join(', '),
      contexts,
      firstSeen: time(o.firstSeen),
      lastSeen: time(o.lastSeen),
    };
  });
  const history: HistoryRow[] = optArr(doc, 'history').map((h, i) => {
    const at = `history[${i}]`;
    const o = r.asObj(h, at);
    const latency = isObj(o.latencyMs) ? ladder(o.latencyMs) : null;
    const windowRequests = typeof o.windowRequests === 'number' ? o.windowRequests : latency === null ? 0 : 1;
    return {
      timestamp: r.num(o, 'timestamp', at),
      userCount: numOr(o.userCount, 0),
      method: '',
      name: 'Aggregated',
      rps: numOr(o.rps, 0),
      failuresPerSec: numOr(o.failuresPerSec, 0),
      percentilesMs: latency ?? ZEROS,
      windowRequests: latency === null ? 0 : windowRequests,
      totalRequests: numOr(o.totalRequests, 0),
      totalFailures: numOr(o.totalFailures, 0),
      totalMedianMs: 0,
      totalAvgMs: 0,
      totalMinMs: 0,
      totalMaxMs: 0,
      totalAvgBytes: 0,
    };
  });
  const intervals: IntervalStats[] | undefined = Array.isArray(doc.intervals)
    ? doc.intervals.map((x, i) => {
        const at = `intervals[${i}]`;
        const o = r.asObj(x, at);
        return {
          startSec: r.num(o, 'startSec', at),
          endSec: r.num(o, 'endSec', at),
          requests: r.num(o, 'requests', at),
          failures: r.num(o, 'failures', at),
          users: numOr(o.users, 0),
          histogram: typeof o.histogram === 'string' && o.histogram !== '' ? o.histogram : null,
        };
      })
    : undefined;
  const generator = isObj(doc.generator) ? doc.generator : {};
  const status: RunnerStatus = {
    state: (typeof run.state === 'string' ? run.state : 'stopped') as RunnerStatus['state'],
    users: numOr(run.users, 0),
    targetUsers: numOr(run.targetUsers, 0),
    spawnRate: numOr(config.spawnRate, 0),
    startedAt,
    elapsedMs: numOr(run.elapsedMs, 0),
    remainingMs: null,
    inFlight: 0,
    targetRate: null,
    classes: optArr(doc, 'classes').filter(isObj).map(classOf),
    stopReason: typeof run.stopReason === 'string' ? run.stopReason : null,
  };
  const snapshot: StatsSnapshot = {
    takenAt: time(run.takenAt, endedAt ?? startedAt),
    statsStartedAt: time(run.statsStartedAt, startedAt),
    run: status,
    endpoints,
    total,
    failures,
    exceptions,
    history,
    droppedIterations: numOr(doc.droppedIterations, 0),
    generator: {
      eventLoopLagMs: numOr(generator.eventLoopLagMs, 0),
      cpuPercent: numOr(generator.cpuPercent, 0),
      rssBytes: numOr(generator.rssBytes, 0),
      heapUsedBytes: numOr(generator.heapUsedBytes, 0),
      saturated: generator.saturated === true,
    },
    overflowNames: numOr(doc.overflowNames, 0),
    ...(intervals === undefined ? {} : { intervals }),
  };
  const thresholdResults: ThresholdResult[] = optArr(doc, 'thresholds').map((x, i) => {
    const at = `thresholds[${i}]`;
    const o = r.asObj(x, at);
    const threshold: Threshold = {
      source: r.str(o, 'expr', at),
      metric: r.str(o, 'metric', at) as ThresholdMetric,
      endpoint: typeof o.endpoint === 'string' ? o.endpoint : null,
      op: r.str(o, 'op', at) as Threshold['op'],
      value: r.num(o, 'target', at),
      abortOnFail: o.abort === true,
      abortGraceMs: numOr(o.abortGraceMs, 0),
      loc: null,
      ...(isObj(o.monitor) && typeof o.monitor.id === 'string'
        ? {
            monitor: {
              id: o.monitor.id,
              stat: (typeof o.monitor.stat === 'string' ? o.monitor.stat : 'last') as MonitorStat,
              unit: typeof o.monitor.unit === 'string' ? o.monitor.unit : '',
              valueText: '',
            },
          }
        : {}),
    };
    return {
      threshold,
      actual: typeof o.actual === 'number' ? o.actual : null,
      passed: typeof o.passed === 'boolean' ? o.passed : null,
      actualText: typeof o.actualText === 'string' ? o.actualText : 'no data',
    };
  });
  const meta: RunMeta = {
    scenarioName: r.str(config, 'scenario', 'config'),
    scenarioFile: typeof config.scenarioFile === 'string' ? config.scenarioFile : null,
    host: typeof config.host === 'string' ? config.host : '',
    users: numOr(config.users, 0),
    spawnRate: numOr(config.spawnRate, 0),
    runTimeMs: typeof config.runTimeMs === 'number' ? config.runTimeMs : null,
    profile: typeof config.profile === 'string' ? config.profile : null,
    loadModel: typeof config.loadModel === 'string' ? config.loadModel : '',
    thresholds: Array.isArray(config.thresholds) ? config.thresholds.filter((t): t is string => typeof t === 'string') : [],
    thresholdResults,
    cicadaVersion: typeof config.cicadaVersion === 'string' ? config.cicadaVersion : 'unknown',
    commandLine: typeof config.commandLine === 'string' ? config.commandLine : '',
    startedAt,
    endedAt,
    ...(run.snapshot === true ? { snapshot: true } : {}),
    stopReason: typeof run.stopReason === 'string' ? run.stopReason : null,
    exitCode: typeof run.exitCode === 'number' ? run.exitCode : null,
    resultsDir: typeof config.resultsDir === 'string' ? config.resultsDir : null,
    ...(typeof generator.saturatedSeconds === 'number' ? { generator: generatorRun(generator) } : {}),
    ...(Array.isArray(doc.monitors) ? { monitors: doc.monitors.filter(isObj).map(monitorOf) } : {}),
    ...(isObj(doc.distributed) ? { distributed: distributedOf(r, doc.distributed) } : {}),
  };
  return { snapshot, meta };
}

/**
 * The Aggregated rows of a `stats_history.csv` (Locust's layout, cicada's or Locust's own). The
 * file does not carry the window's request count: rows with percentiles get 1, rows with `N/A` 0.
 * A last line cut short (the run was killed while appending) is skipped.
 */
export function parseHistoryCsv(text: string, file = 'stats_history.csv'): HistoryRow[] {
  const rows = readResultsCsv(text, file);
  const header = rows.shift();
  if (header === undefined || header.length === 0 || (header.length === 1 && header[0] === '')) return [];
  const col = new Map(header.map((h, i) => [h, i]));
  const need = ['Timestamp', 'User Count', 'Name', 'Requests/s', 'Failures/s', '50%', '95%', 'Total Request Count', 'Total Failure Count'];
  const missing = need.filter((n) => !col.has(n));
  if (missing.length > 0) {
    throw new ResultsFormatError(`${file} is not a stats history file (no ${missing.map((m) => `"${m}"`).join(', ')} column; expected: ${HISTORY_HEADER.slice(0, 60)}…)`);
  }
  const get = (row: string[], name: string): string => row[col.get(name)!] ?? '';
  const out: HistoryRow[] = [];
  for (const row of rows) {
    if (row.length < header.length) continue;
    if (get(row, 'Name') !== 'Aggregated') continue;
    const timestamp = Number(get(row, 'Timestamp'));
    if (!Number.isFinite(timestamp)) continue;
    const na = get(row, '50%') === 'N/A';
    const percentilesMs = PERCENTILE_LABELS.map((label) => {
      const v = Number(get(row, label));
      return na || !Number.isFinite(v) ? 0 : v;
    });
    out.push({
      timestamp,
      userCount: num(get(row, 'User Count')),
      method: '',
      name: 'Aggregated',
      rps: num(get(row, 'Requests/s')),
      failuresPerSec: num(get(row, 'Failures/s')),
      percentilesMs,
      windowRequests: na ? 0 : 1,
      totalRequests: num(get(row, 'Total Request Count')),
      totalFailures: num(get(row, 'Total Failure Count')),
      totalMedianMs: num(get(row, 'Total Median Response Time')),
      totalAvgMs: num(get(row, 'Total Average Response Time')),
      totalMinMs: num(get(row, 'Total Min Response Time')),
      totalMaxMs: num(get(row, 'Total Max Response Time')),
      totalAvgBytes: num(get(row, 'Total Average Content Size')),
    });
  }
  return out;
}

/**
 * The records of a results CSV through the one CSV reader (`scenario/csv.ts`, RFC 4180, strict).
 * An unclosed quote runs to the end of the text, so it is a last record cut short (the run was
 * killed while appending): that record is left out. Any other quoting problem names file:line:col.
 */
export function readResultsCsv(text: string, file: string): string[][] {
  let r = parseCsv(text);
  if (!r.ok && r.message === 'unclosed quote') r = parseCsv(text.slice(0, lineOffset(text, r.line)));
  if (!r.ok) throw new ResultsFormatError(`${file}:${r.line}:${r.col}: ${r.message}`);
  return r.records.map((rec) => [...rec.fields]);
}

/** Where 1-based `line` starts in `text` (CRLF, LF or CR ends a line). */
function lineOffset(text: string, line: number): number {
  let at = 0;
  for (let n = 1; n < line && at < text.length; n++) {
    const lf = text.indexOf('\n', at);
    const cr = text.indexOf('\r', at);
    const end = lf < 0 ? cr : cr < 0 ? lf : Math.min(lf, cr);
    if (end < 0) return text.length;
    at = text[end] === '\r' && text[end + 1] === '\n' ? end + 2 : end + 1;
  }
  return at;
}

const ZEROS: readonly number[] = PERCENTILES.map(() => 0);

function endpointOf(r: Reader, value: unknown, at: string): EndpointStats {
  const o = r.asObj(value, at);
  const requests = r.num(o, 'requests', at);
  const failures = r.num(o, 'failures', at);
  const latency = isObj(o.latencyMs) ? o.latencyMs : null;
  const percentilesMs = latency !== null && isObj(latency.percentiles) ? ladder(latency.percentiles) : ZEROS;
  const bytes = isObj(o.bytes) ? o.bytes : {};
  const checks = isObj(o.checks) ? o.checks : {};
  return {
    method: typeof o.method === 'string' ? o.method : '',
    name: r.str(o, 'name', at),
    requests,
    failures,
    notSent: Math.min(requests, numOr(o.notSent, latency === null ? requests : 0)),
    minMs: latency === null ? 0 : numOr(latency.min, 0),
    maxMs: latency === null ? 0 : numOr(latency.max, 0),
    avgMs: latency === null ? 0 : numOr(latency.avg, 0),
    medianMs: latency === null ? 0 : numOr(latency.median, percentilesMs[0] ?? 0),
    percentilesMs,
    totalBytes: numOr(bytes.total, 0),
    avgBytes: numOr(bytes.avg, 0),
    rps: numOr(o.rps, 0),
    failuresPerSec: numOr(o.failuresPerSec, 0),
    currentRps: numOr(o.currentRps, 0),
    currentFailuresPerSec: numOr(o.currentFailuresPerSec, 0),
    servicePercentilesMs: isObj(o.serviceTimeMs) ? ladder(o.serviceTimeMs) : null,
    checksPassed: numOr(checks.passed, 0),
    checksFailed: numOr(checks.failed, 0),
    redirects: numOr(o.redirects, 0),
    ...(isObj(o.statusCodes) ? { statusCodes: codesOf(o.statusCodes) } : {}),
    ...(latency !== null && isObj(latency.percentiles) && REPORT_PERCENTILE_KEYS.every((k) => typeof (latency.percentiles as Obj)[k] === 'number')
      ? { reportPercentilesMs: REPORT_PERCENTILE_KEYS.map((k) => (latency.percentiles as Obj)[k] as number) }
      : {}),
  };
}

/** `statusCodes` back: numeric counts only, by code. */
function codesOf(o: Obj): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [code, n] of Object.entries(o)) if (/^\d{3}$/.test(code) && typeof n === 'number' && Number.isFinite(n)) out[code] = n;
  return out;
}

/** A class of summary.json's `classes` back as the runner's status of it (its users as at the stop). */
function classOf(c: Obj): ClassStatus {
  const tasks = optArr(c, 'tasks').filter(isObj);
  return {
    name: typeof c.name === 'string' ? c.name : '',
    users: 0,
    targetUsers: numOr(c.targetUsers, 0),
    usersAtStop: numOr(c.users, 0),
    weightShare: numOr(c.weightShare, 0),
    taskRuns: tasks.map((t) => numOr(t.runs, 0)),
    taskNames: tasks.map((t) => (typeof t.name === 'string' ? t.name : '')),
    taskWeights: tasks.map((t) => numOr(t.weight, 0)),
  };
}

/** summary.json's `generator` (written by a monitored run) back as a `GeneratorRunSummary`. */
function generatorRun(g: Obj): GeneratorRunSummary {
  const peak = isObj(g.peak) ? g.peak : {};
  const history = optArr(g, 'history').filter(isObj);
  return {
    samples: history.length,
    saturatedSeconds: numOr(g.saturatedSeconds, 0),
    episodeCount: numOr(g.episodeCount, 0),
    episodes: optArr(g, 'episodes')
      .filter(isObj)
      .map((e) => ({
        startedAt: time(e.start),
        endedAt: e.end === null ? null : time(e.end),
        saturatedSeconds: numOr(e.seconds, 0),
        peakEventLoopLagMs: numOr(e.peakEventLoopLagMs, 0),
        peakCpuPercent: numOr(e.peakCpuPercent, 0),
      })),
    peak: {
      eventLoopLagMs: numOr(peak.eventLoopLagMs, 0),
      cpuPercent: numOr(peak.cpuPercent, 0),
      rssBytes: numOr(peak.rssBytes, 0),
      heapUsedBytes: numOr(peak.heapUsedBytes, 0),
    },
    history: history.map((r) => ({
      at: numOr(r.timestamp, 0) * 1000,
      eventLoopLagMs: numOr(r.eventLoopLagMs, 0),
      cpuPercent: numOr(r.cpuPercent, 0),
      rssBytes: numOr(r.rssBytes, 0),
      heapUsedBytes: numOr(r.heapUsedBytes, 0),
      saturated: r.saturated === true,
      ...(Array.isArray(r.processCpuPercent) ? { processCpuPercent: r.processCpuPercent.map((c) => numOr(c, 0)) } : {}),
    })),
  };
}

/**
 * summary.json's `distributed` back as the `DistributedSummary` it was written from (`finalsRequests`,
 * `finalsFailures` and `workersLost` are derived from the workers, so they are not read). Times are
 * ISO text in the file, epoch ms here.
 */
function distributedOf(r: Reader, d: Obj): DistributedSummary {
  const at = 'distributed';
  const counts = (o: unknown, where: string): { requests: number; failures: number } => {
    const c = r.asObj(o, where);
    return { requests: r.num(c, 'requests', where), failures: r.num(c, 'failures', where) };
  };
  return {
    bus: r.str(d, 'bus', at),
    planHash: r.str(d, 'planHash', at),
    workersRequested: r.num(d, 'workersRequested', at),
    workersStarted: r.num(d, 'workersStarted', at),
    onWorkerLoss: d.onWorkerLoss === 'continue' ? 'continue' : 'abort',
    workers: r.arr(d, 'workers').map((x, i) => {
      const wat = `${at}.workers[${i}]`;
      const w = r.asObj(x, wat);
      const lost = w.lost === null || w.lost === undefined ? null : r.asObj(w.lost, `${wat}.lost`);
      return {
        index: r.num(w, 'index', wat),
        host: typeof w.host === 'string' ? w.host : null,
        skewMs: typeof w.skewMs === 'number' ? w.skewMs : null,
        state: r.str(w, 'state', wat),
        merged: counts(w.merged, `${wat}.merged`),
        final: w.final === null || w.final === undefined ? null : counts(w.final, `${wat}.final`),
        lost:
          lost === null
            ? null
            : {
                at: time(lost.at),
                reason: r.str(lost, 'reason', `${wat}.lost`),
                lastReportAt: lost.lastReportAt === null ? null : time(lost.lastReportAt),
                unreportedFromMs: r.num(lost, 'unreportedFromMs', `${wat}.lost`),
              },
      };
    }),
    partialIntervals: optArr(d, 'partialIntervals')
      .filter(isObj)
      .map((p) => ({ seq: numOr(p.seq, 0), mergedAt: time(p.mergedAt), missing: Array.isArray(p.missing) ? p.missing.filter((m): m is number => typeof m === 'number') : [] })),
  };
}

/** summary.json's `monitors[]` entry back as a `MonitorSummary`. */
function monitorOf(o: Obj): MonitorSummary {
  const n = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  const s = (v: unknown, fallback = ''): string => (typeof v === 'string' ? v : fallback);
  const leak = isObj(o.leak) ? o.leak : null;
  const kind = o.kind === 'query' || o.kind === 'process' ? o.kind : 'scrape';
  return {
    id: s(o.id, '?'),
    name: s(o.name, s(o.id, '?')),
    component: s(o.component),
    kind,
    source: s(o.source),
    unit: s(o.unit),
    pin: o.pin === true,
    everyMs: numOr(o.everyMs, 1000),
    samples: numOr(o.samples, 0),
    gaps: numOr(o.gaps, 0),
    min: n(o.min),
    max: n(o.max),
    avg: n(o.avg),
    last: n(o.final),
    final: n(o.final),
    failing: typeof o.lastError === 'string' ? o.lastError : null,
    history: optArr(o, 'history')
      .filter((p): p is unknown[] => Array.isArray(p) && typeof p[0] === 'number')
      .map((p) => [p[0] as number, n(p[1])] as const),
    leak:
      leak === null
        ? null
        : {
            verdict: (['no growth', 'levels off', 'suspected leak', 'not enough data'].includes(leak.verdict as string) ? leak.verdict : 'not enough data') as LeakVerdict,
            initial: numOr(leak.initial, 0),
            peak: numOr(leak.peak, 0),
            final: numOr(leak.final, 0),
            growth: numOr(leak.growth, 0),
            slopePerHour: numOr(leak.slopePerHour, 0),
            r2: numOr(leak.r2, 0),
            steadySeconds: numOr(leak.steadySeconds, 0),
            warmupSeconds: numOr(leak.warmupSeconds, 0),
          },
  };
}

function ladder(o: Obj): number[] {
  return PERCENTILE_KEYS.map((k) => numOr(o[k], 0));
}

class Reader {
  constructor(private readonly file: string) {}

  fail(what: string): never {
    throw new ResultsFormatError(`${this.file}: ${what}`);
  }

  asObj(v: unknown, at: string): Obj {
    return isObj(v) ? v : this.fail(`${at} should be an object`);
  }

  obj(o: Obj, key: string): Obj {
    return isObj(o[key]) ? o[key] : this.fail(`"${key}" is missing or not an object`);
  }

  arr(o: Obj, key: string): unknown[] {
    const v = o[key];
    return Array.isArray(v) ? v : this.fail(`"${key}" is missing or not a list`);
  }

  num(o: Obj, key: string, at: string): number {
    const v = o[key];
    return typeof v === 'number' && Number.isFinite(v) ? v : this.fail(`${at}.${key} should be a number`);
  }

  numOrNull(o: Obj, key: string, at: string): number | null {
    const v = o[key];
    if (v === null || v === undefined) return null;
    return typeof v === 'number' && Number.isFinite(v) ? v : this.fail(`${at}.${key} should be a number or null`);
  }

  str(o: Obj, key: string, at: string): string {
    const v = o[key];
    return typeof v === 'string' ? v : this.fail(`${at}.${key} should be a string`);
  }
}

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function optArr(o: Obj, key: string): unknown[] {
  const v = o[key];
  return Array.isArray(v) ? v : [];
}

function numOr(v: unknown, fallback: number): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : fallback;
}

function num(s: string): number {
  const v = Number(s);
  return Number.isFinite(v) ? v : 0;
}

/** ISO text (or epoch ms) → epoch ms; `fallback` when absent or unreadable. */
function time(v: unknown, fallback = 0): number {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string') {
    const t = Date.parse(v);
    if (Number.isFinite(t)) return t;
  }
  return fallback;
}
