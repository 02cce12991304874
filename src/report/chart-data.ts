/**
 * The time series the HTML report charts, from Aggregated history rows: throughput and failures
 * per second (from the cumulative totals, so every request is counted once even after rows are
 * merged), p50/p95 of the recent window, and users. Long runs are reduced to at most `maxPoints`
 * points: each point then spans several seconds, with its exact average throughput and the highest
 * percentiles and user count inside it (a report must not smooth a spike away).
 */
import type { HistoryRow } from '../stats/types.js';

export interface ChartSeries {
  /** Unix seconds of the start of the first point's span (the charts' zero). */
  readonly originSec: number;
  /** Each point's end, seconds from `originSec`. */
  readonly t: readonly number[];
  readonly rps: readonly number[];
  readonly failuresPerSec: readonly number[];
  /** null where the window held no request. */
  readonly p50Ms: readonly (number | null)[];
  readonly p95Ms: readonly (number | null)[];
  readonly users: readonly number[];
}

const P50 = 0;
const P95 = 5;

/**
 * @param sinceMs the statistics start (epoch ms): earlier rows (before a reset) are left out.
 */
export function chartSeries(history: readonly HistoryRow[], sinceMs: number, maxPoints = 900): ChartSeries {
  const sinceSec = Math.floor(sinceMs / 1000);
  const rows = history.filter((r) => r.name === 'Aggregated' && r.timestamp > sinceSec);
  const empty: ChartSeries = { originSec: sinceSec, t: [], rps: [], failuresPerSec: [], p50Ms: [], p95Ms: [], users: [] };
  if (rows.length === 0) return empty;
  // The first row counts everything since the statistics start (a merged row, several seconds).
  const originSec = sinceSec;
  const per = Math.max(1, Math.ceil(rows.length / Math.max(2, maxPoints)));
  const out = { t: [] as number[], rps: [] as number[], failuresPerSec: [] as number[], p50Ms: [] as (number | null)[], p95Ms: [] as (number | null)[], users: [] as number[] };
  let prevT = originSec;
  let prevReq = 0;
  let prevFail = 0;
  for (let i = 0; i < rows.length; i += per) {
    const bucketStart = prevT;
    let req = 0;
    let fail = 0;
    let p50: number | null = null;
    let p95: number | null = null;
    let users = 0;
    let last = prevT;
    for (const r of rows.slice(i, i + per)) {
      // A drop in the totals is a statistics reset: count that row from zero.
      req += r.totalRequests >= prevReq ? r.totalRequests - prevReq : r.totalRequests;
      fail += r.totalFailures >= prevFail ? r.totalFailures - prevFail : r.totalFailures;
      prevReq = r.totalRequests;
      prevFail = r.totalFailures;
      if (r.windowRequests > 0) {
        p50 = Math.max(p50 ?? 0, r.percentilesMs[P50] ?? 0);
        p95 = Math.max(p95 ?? 0, r.percentilesMs[P95] ?? 0);
      }
      users = Math.max(users, r.userCount);
      last = r.timestamp;
    }
    const seconds = Math.max(1, last - bucketStart);
    out.t.push(last - originSec);
    out.rps.push(req / seconds);
    out.failuresPerSec.push(fail / seconds);
    out.p50Ms.push(p50);
    out.p95Ms.push(p95);
    out.users.push(users);
    prevT = last;
  }
  return { originSec, ...out };
}

/**
 * Halves a list of history rows by merging neighbours (for keeping a long run's history in bounded
 * memory): the later row's time and totals, the higher percentiles and user count, the summed
 * window. Throughput computed by `chartSeries` from the result is unchanged.
 */
export function halveHistory(rows: readonly HistoryRow[]): HistoryRow[] {
  const out: HistoryRow[] = [];
  for (let i = 0; i < rows.length; i += 2) {
    const a = rows[i]!;
    const b = rows[i + 1];
    if (b === undefined || b.name !== a.name || b.method !== a.method) {
      out.push(a);
      if (b !== undefined) i--;
      continue;
    }
    out.push({
      ...b,
      userCount: Math.max(a.userCount, b.userCount),
      rps: (a.rps + b.rps) / 2,
      failuresPerSec: (a.failuresPerSec + b.failuresPerSec) / 2,
      percentilesMs: b.percentilesMs.map((v, k) => Math.max(v, a.percentilesMs[k] ?? 0)),
      windowRequests: a.windowRequests + b.windowRequests,
    });
  }
  return out;
}
