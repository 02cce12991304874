/**
 * `summary.json`: the whole run as one JSON document for scripts and CI. Key names are stable (add,
 * never rename); `schema` changes only on an incompatible change.
 *
 * ```
 * {
 *   schema: "cicada.summary/1",
 *   config: { scenario, scenarioFile, host, users, spawnRate, runTimeMs, iterations (-i, or null), profile, loadModel,
 *             thresholds[], cicadaVersion, commandLine, resultsDir },
 *   run: { state, startedAt, endedAt (ISO UTC or null), startedAtMs, endedAtMs, durationMs,
 *          elapsedMs, statsStartedAt, takenAt, stopReason, exitCode, users, targetUsers,
 *          snapshot? },   // snapshot: true in a snapshot (e, SIGUSR1, --snapshot-every): the numbers
 *                         // at takenAt, written once while the run went on (endedAt is null there)
 *   totals: Endpoint,                  // the Aggregated row
 *   endpoints: Endpoint[],             // sorted by name, then method
 *   failures: [{ method, name, error, occurrences, firstSeen, lastSeen }],   // ISO UTC times
 *   exceptions: [{ count, message, traceback, contexts[], firstSeen, lastSeen }],
 *   history: [{ timestamp, userCount, rps, failuresPerSec, windowRequests, latencyMs: Percentiles|null,
 *               totalRequests, totalFailures }],   // Aggregated, most recent rows kept in memory
 *   thresholds: [{ expr, metric, endpoint, op, target, actual, actualText, passed,  // passed: true|false|null (no data yet)
 *                  abort, abortGraceMs,   // abort: the run stops when it fails (after the grace period)
 *                  monitor? }],   // metric "monitor": { id, stat: avg|min|max|last, unit }; target and actual in that unit
 *   generator: { eventLoopLagMs, cpuPercent, rssBytes, heapUsedBytes,   // the latest reading
 *                saturated,   // any second of the run so far saturated (lag > 50 ms or CPU > 90%)
 *                processes?: [{ index, users, cpuPercent, eventLoopLagMs, state }],   // --processes only
 *                // when the run was monitored (cicada run; not cicada report):
 *                saturatedSeconds, episodeCount,
 *                episodes: [{ start, end, seconds, peakEventLoopLagMs, peakCpuPercent }],  // ISO UTC;
 *                                                        // end null while it goes on; the first 100
 *                peak: { eventLoopLagMs, cpuPercent, rssBytes, heapUsedBytes },
 *                history: [{ timestamp, eventLoopLagMs, cpuPercent, rssBytes, heapUsedBytes, saturated,
 *                            processCpuPercent? }] },   // a row a second (Unix s), the last hour at most
 *   classes: [{ name, users, targetUsers, ratio, weightShare,   // Locust's "final ratio": users per
 *               tasks: [{ name, weight, ratio, totalRatio, runs }] }],   // class when the run stopped
 *     // (ratio: of all users); tasks by weight within the class (ratio) and of all (totalRatio,
 *     // = class ratio × task ratio), with the iterations actually started (runs)
 *   monitors?: [{ id, name, component, kind: scrape|query|process, source, unit, pin, everyMs,   // monitors: only
 *                samples, gaps,   // samples with a value, failed samples (a gap is never a 0)
 *                min, max, avg, final, lastError,   // in the unit; lastError: why the latest sample failed, or null
 *                history: [[timestamp, value|null], ...],   // Unix s; the whole run in ≤ 1000 points (neighbours averaged)
 *                leak: { verdict: "no growth"|"levels off"|"suspected leak"|"not enough data", initial, peak, final,
 *                        growth, slopePerHour, r2, steadySeconds, warmupSeconds } | null }],   // memory-like series
 *   droppedIterations, overflowNames,
 *   intervals: [{ startSec, endSec, requests, failures, users, histogram }]
 *     // Aggregated, oldest first, covering the run since the statistics start (absent when the
 *     // snapshot has none). startSec/endSec: Unix seconds, [start, end); the last one is the
 *     // interval being filled (end = when the snapshot was taken). users: the most users running.
 *     // histogram: latency in µs, 2 significant digits, HdrHistogram V2 compressed base64 (any
 *     // HdrHistogram port decodes it), or null; merge them for percentiles of any part of the run.
 *     // Widths start at 1 s and double as the run grows (at most ≈ 240 intervals): see
 *     // src/stats/intervals.ts.
 * }
 * Endpoint = { method, name, requests, failures, notSent, failureRatio, rps, failuresPerSec, currentRps,
 *              currentFailuresPerSec, latencyMs: { min, max, avg, median, percentiles: Percentiles }
 *              | null when no request was sent, serviceTimeMs: Percentiles | null (open model only),
 *              // notSent: of requests (and failures), those never sent (`not sent: ${token} is not
 *              // set`); latencyMs describes the other requests - notSent only
 *              bytes: { total, avg }, checks: { passed, failed },
 *              redirects,                 // redirects followed (a followed chain is one request)
 *              statusCodes: { "200": n, "404": n, ... } }   // responses by final status (a followed
 *                                                          // redirect chain is one); requests with no response have none
 * Percentiles = { p50, p66, p75, p80, p90, p95, p98, p99, "p99.9", "p99.99", p100 }   // ms
 *   // an endpoint's latencyMs.percentiles also has p60 and p70 (the reports' Response Time Statistics)
 * ```
 * Times are milliseconds rounded to the microsecond; rates per second. Text that may hold secrets
 * (command line, host, failure and exception text, contexts) passes through `redact` when given.
 */
import { PERCENTILES, REPORT_PERCENTILES, latencySamples } from '../stats/types.js';
import type { EndpointStats, GeneratorRunSummary, HistoryRow, StatsSnapshot } from '../stats/types.js';
import { finalRatio } from './class-ratio.js';
import { isoSeconds } from './format.js';
import type { Redactor } from '../run/redact.js';
import type { DistributedSummary, RunMeta } from '../run/meta.js';
import type { MonitorSummary } from '../run/monitors/types.js';

export const SUMMARY_SCHEMA = 'cicada.summary/1';

/** `p50` … `p99.99`, `p100`: the JSON keys for `PERCENTILES`. */
export const PERCENTILE_KEYS: readonly string[] = PERCENTILES.map(percentileKey);
/** The JSON keys for `REPORT_PERCENTILES` (`p60`, `p70` besides `PERCENTILE_KEYS`). */
export const REPORT_PERCENTILE_KEYS: readonly string[] = REPORT_PERCENTILES.map(percentileKey);

function percentileKey(p: number): string {
  return `p${String(Math.round(p * 10_000) / 100)}`;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export function summaryJson(s: StatsSnapshot, meta: RunMeta, redact?: Pick<Redactor, 'text'>): Record<string, Json> {
  const t = (x: string): string => (redact === undefined ? x : redact.text(x));
  const tn = (x: string | null): string | null => (x === null ? null : t(x));
  return {
    schema: SUMMARY_SCHEMA,
    config: {
      scenario: meta.scenarioName,
      scenarioFile: meta.scenarioFile,
      host: t(meta.host),
      users: meta.users,
      spawnRate: meta.spawnRate,
      runTimeMs: meta.runTimeMs,
      iterations: meta.iterations ?? null,
      profile: meta.profile,
      loadModel: meta.loadModel,
      thresholds: [...meta.thresholds],
      cicadaVersion: meta.cicadaVersion,
      commandLine: t(meta.commandLine),
      resultsDir: meta.resultsDir,
    },
    run: {
      state: s.run.state,
      startedAt: iso(meta.startedAt),
      endedAt: meta.endedAt === null ? null : iso(meta.endedAt),
      startedAtMs: meta.startedAt,
      endedAtMs: meta.endedAt,
      durationMs: meta.endedAt === null ? null : meta.endedAt - meta.startedAt,
      elapsedMs: s.run.elapsedMs,
      statsStartedAt: iso(s.statsStartedAt),
      takenAt: iso(s.takenAt),
      stopReason: tn(meta.stopReason ?? s.run.stopReason),
      exitCode: meta.exitCode,
      users: s.run.users,
      targetUsers: s.run.targetUsers,
      ...(meta.snapshot === true ? { snapshot: true } : {}),
    },
    thresholds: meta.thresholdResults.map((r) => ({
      expr: r.threshold.source,
      metric: r.threshold.metric,
      endpoint: r.threshold.endpoint,
      op: r.threshold.op,
      target: r.threshold.value,
      actual: r.actual,
      actualText: r.actualText,
      passed: r.passed,
      abort: r.threshold.abortOnFail,
      abortGraceMs: r.threshold.abortGraceMs,
      ...(r.threshold.monitor === undefined ? {} : { monitor: { id: r.threshold.monitor.id, stat: r.threshold.monitor.stat, unit: r.threshold.monitor.unit } }),
    })),
    totals: endpoint(s.total),
    endpoints: s.endpoints.map((e) => endpoint(e, t)),
    failures: s.failures.map((f) => ({
      method: f.method,
      name: t(f.name),
      error: t(f.error),
      occurrences: f.occurrences,
      firstSeen: isoSeconds(f.firstSeen),
      lastSeen: isoSeconds(f.lastSeen),
    })),
    exceptions: s.exceptions.map((x) => ({
      count: x.count,
      message: t(x.message),
      traceback: t(x.traceback),
      contexts: x.contexts.map(t),
      firstSeen: isoSeconds(x.firstSeen),
      lastSeen: isoSeconds(x.lastSeen),
    })),
    history: s.history.map(history),
    generator: {
      eventLoopLagMs: ms(s.generator.eventLoopLagMs),
      cpuPercent: round(s.generator.cpuPercent, 1),
      rssBytes: s.generator.rssBytes,
      heapUsedBytes: s.generator.heapUsedBytes,
      saturated: s.generator.saturated || (meta.generator?.saturatedSeconds ?? 0) > 0,
      ...(s.generator.processes === undefined
        ? {}
        : {
            processes: s.generator.processes.map((p) => ({
              index: p.index,
              users: p.users,
              cpuPercent: round(p.cpuPercent, 1),
              eventLoopLagMs: ms(p.eventLoopLagMs),
              state: p.state,
            })),
          }),
      ...(meta.generator === undefined ? {} : generatorRun(meta.generator)),
    },
    classes: classesJson(s),
    ...(meta.monitors === undefined ? {} : { monitors: meta.monitors.map(monitorJson) }),
    droppedIterations: s.droppedIterations,
    overflowNames: s.overflowNames,
    ...(meta.distributed === undefined ? {} : { distributed: distributedJson(meta.distributed, t) }),
    ...(s.intervals === undefined
      ? {}
      : {
          intervals: s.intervals.map((i) => ({
            startSec: round(i.startSec, 3),
            endSec: round(i.endSec, 3),
            requests: i.requests,
            failures: i.failures,
            users: i.users,
            histogram: i.histogram,
          })),
        }),
  };
}

function monitorJson(m: MonitorSummary): Record<string, Json> {
  const v = (x: number | null): number | null => (x === null ? null : sig(x));
  return {
    id: m.id,
    name: m.name,
    component: m.component,
    kind: m.kind,
    source: m.source,
    unit: m.unit,
    pin: m.pin,
    everyMs: m.everyMs,
    samples: m.samples,
    gaps: m.gaps,
    min: v(m.min),
    max: v(m.max),
    avg: v(m.avg),
    final: v(m.final),
    lastError: m.failing,
    history: m.history.map(([t, x]) => [round(t, 3), v(x)]),
    leak:
      m.leak === null
        ? null
        : {
            verdict: m.leak.verdict,
            initial: sig(m.leak.initial),
            peak: sig(m.leak.peak),
            final: sig(m.leak.final),
            growth: sig(m.leak.growth),
            slopePerHour: sig(m.leak.slopePerHour),
            r2: round(m.leak.r2, 4),
            steadySeconds: round(m.leak.steadySeconds, 3),
            warmupSeconds: round(m.leak.warmupSeconds, 3),
          },
  };
}

/** Twelve significant digits (bytes stay exact): monitor values come in any unit (bytes, percent, seconds). */
function sig(x: number): number {
  return Number.isFinite(x) ? Number(x.toPrecision(12)) : 0;
}

function generatorRun(g: GeneratorRunSummary): Record<string, Json> {
  return {
    saturatedSeconds: g.saturatedSeconds,
    episodeCount: g.episodeCount,
    episodes: g.episodes.map((e) => ({
      start: isoSeconds(e.startedAt),
      end: e.endedAt === null ? null : isoSeconds(e.endedAt),
      seconds: e.saturatedSeconds,
      peakEventLoopLagMs: ms(e.peakEventLoopLagMs),
      peakCpuPercent: round(e.peakCpuPercent, 1),
    })),
    peak: {
      eventLoopLagMs: ms(g.peak.eventLoopLagMs),
      cpuPercent: round(g.peak.cpuPercent, 1),
      rssBytes: g.peak.rssBytes,
      heapUsedBytes: g.peak.heapUsedBytes,
    },
    history: g.history.map((r) => ({
      timestamp: round(r.at / 1000, 3),
      eventLoopLagMs: ms(r.eventLoopLagMs),
      cpuPercent: round(r.cpuPercent, 1),
      rssBytes: r.rssBytes,
      heapUsedBytes: r.heapUsedBytes,
      saturated: r.saturated,
      ...(r.processCpuPercent === undefined ? {} : { processCpuPercent: r.processCpuPercent.map((c) => round(c, 1)) }),
    })),
  };
}

function endpoint(e: EndpointStats, t: (x: string) => string = (x) => x): Record<string, Json> {
  return {
    method: e.method,
    name: t(e.name),
    requests: e.requests,
    failures: e.failures,
    notSent: e.notSent,
    failureRatio: e.requests > 0 ? round(e.failures / e.requests, 6) : 0,
    rps: round(e.rps, 3),
    failuresPerSec: round(e.failuresPerSec, 3),
    currentRps: round(e.currentRps, 3),
    currentFailuresPerSec: round(e.currentFailuresPerSec, 3),
    latencyMs:
      latencySamples(e) === 0
        ? null
        : { min: ms(e.minMs), max: ms(e.maxMs), avg: ms(e.avgMs), median: ms(e.medianMs), percentiles: latencyLadder(e) },
    serviceTimeMs: e.servicePercentilesMs === null || latencySamples(e) === 0 ? null : percentiles(e.servicePercentilesMs),
    bytes: { total: e.totalBytes, avg: round(e.avgBytes, 1) },
    checks: { passed: e.checksPassed, failed: e.checksFailed },
    redirects: e.redirects ?? 0,
    statusCodes: { ...(e.statusCodes ?? {}) },
  };
}

function classesJson(s: StatsSnapshot): Json[] {
  return finalRatio(s.run.classes).classes.map((c) => ({
    name: c.name,
    users: c.users,
    targetUsers: c.targetUsers,
    ratio: round(c.ratio, 6),
    weightShare: round(c.weightShare, 6),
    tasks: c.tasks.map((t) => ({ name: t.name, weight: t.weight, ratio: round(t.ratio, 6), totalRatio: round(t.totalRatio, 6), runs: t.runs })),
  }));
}

function history(r: HistoryRow): Record<string, Json> {
  return {
    timestamp: r.timestamp,
    userCount: r.userCount,
    rps: round(r.rps, 3),
    failuresPerSec: round(r.failuresPerSec, 3),
    windowRequests: r.windowRequests,
    latencyMs: r.windowRequests > 0 ? percentiles(r.percentilesMs) : null,
    totalRequests: r.totalRequests,
    totalFailures: r.totalFailures,
  };
}

/** An endpoint's percentiles: `PERCENTILE_KEYS`, with p60 and p70 in their place when the snapshot has them. */
function latencyLadder(e: EndpointStats): Record<string, Json> {
  const base = percentiles(e.percentilesMs);
  const report = e.reportPercentilesMs;
  if (report === undefined) return base;
  const all = new Map<number, number>(PERCENTILES.map((p, i) => [p, e.percentilesMs[i] ?? 0]));
  REPORT_PERCENTILES.forEach((p, i) => all.set(p, report[i] ?? 0));
  const out: Record<string, Json> = {};
  for (const p of [...all.keys()].sort((a, b) => a - b)) out[percentileKey(p)] = ms(all.get(p)!);
  return out;
}

function percentiles(values: readonly number[]): Record<string, Json> {
  const out: Record<string, Json> = {};
  PERCENTILE_KEYS.forEach((key, i) => (out[key] = ms(values[i] ?? 0)));
  return out;
}

function ms(x: number): number {
  return round(x, 3);
}

function round(x: number, digits: number): number {
  if (!Number.isFinite(x)) return 0;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

function iso(epochMs: number): string {
  return Number.isFinite(epochMs) ? new Date(epochMs).toISOString() : '';
}

/**
 * `distributed`: the bus, the plan hash, and each worker — host, clock skew, state, what was merged
 * from it, its own final totals (the run's totals are their sum when every worker sent one) and,
 * for a worker lost mid-run, when and the run time from which its requests went unreported.
 */
function distributedJson(d: DistributedSummary, t: (x: string) => string): Json {
  const sum = (f: (w: DistributedSummary['workers'][number]) => number): number => d.workers.reduce((n, w) => n + f(w), 0);
  return {
    bus: t(d.bus),
    planHash: d.planHash,
    workersRequested: d.workersRequested,
    workersStarted: d.workersStarted,
    onWorkerLoss: d.onWorkerLoss,
    finalsRequests: sum((w) => w.final?.requests ?? 0),
    finalsFailures: sum((w) => w.final?.failures ?? 0),
    workersLost: d.workers.filter((w) => w.lost !== null).length,
    partialIntervals: d.partialIntervals.map((p) => ({ seq: p.seq, mergedAt: iso(p.mergedAt), missing: [...p.missing] })),
    workers: d.workers.map((w) => ({
      index: w.index,
      host: w.host === null ? null : t(w.host),
      skewMs: w.skewMs,
      state: w.state,
      merged: { ...w.merged },
      final: w.final === null ? null : { ...w.final },
      lost:
        w.lost === null
          ? null
          : {
              at: iso(w.lost.at),
              reason: t(w.lost.reason),
              lastReportAt: w.lost.lastReportAt === null ? null : iso(w.lost.lastReportAt),
              unreportedFromMs: Math.round(w.lost.unreportedFromMs),
            },
    })),
  };
}
