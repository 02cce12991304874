/**
 * The one chart-series builder: Aggregated history rows (one a second, or merged by
 * `halveHistory`) → the points every chart plots, the TUI's Charts tab and the HTML report alike.
 *
 * - Time: each point ends `t` seconds after the statistics start (`originSec`); points span
 *   `bucketSeconds` seconds, buckets aligned to the start so they do not wobble as a live run goes on.
 * - Throughput and failures per second come from the cumulative totals (every request counted once,
 *   exact over each point's span even after rows are merged; a drop in the totals is a reset).
 * - Percentiles are those of the recent window (10 s) at each second; a point spanning several
 *   seconds keeps the highest (a spike is never smoothed away). Users: the most at any second.
 *
 * Pure: no clock, no I/O.
 */
import type { Threshold, ThresholdMetric } from '../scenario/types.js';
import { AGGREGATED_NAME } from './names.js';
import { PERCENTILES, type HistoryRow } from './types.js';

export interface ChartSeries {
  /** Unix seconds of the statistics start: the charts' zero. */
  readonly originSec: number;
  /** Seconds each point spans (1 while the points fit). */
  readonly bucketSeconds: number;
  /** Each point's end, seconds from `originSec`. */
  readonly t: readonly number[];
  readonly rps: readonly number[];
  readonly failuresPerSec: readonly number[];
  /** Failed / completed requests over each point's span; null with no request in it. */
  readonly failRatio: readonly (number | null)[];
  /** Window percentiles at `PERCENTILES`, one series each; null where the window held no request. */
  readonly percentilesMs: readonly (readonly (number | null)[])[];
  /** `percentilesMs` at 50% and 95%. */
  readonly p50Ms: readonly (number | null)[];
  readonly p95Ms: readonly (number | null)[];
  readonly users: readonly number[];
}

export interface SeriesOptions {
  /** The statistics start (epoch ms): earlier rows (before a reset) are left out. */
  readonly sinceMs: number;
  /** At most this many points; longer spans are bucketed. */
  readonly maxPoints: number;
  /** Only the last this many seconds (a live view); default: everything. */
  readonly lastSeconds?: number;
}

export const P50_INDEX = PERCENTILES.indexOf(0.5);
export const P95_INDEX = PERCENTILES.indexOf(0.95);

export function chartSeries(history: readonly HistoryRow[], opts: SeriesOptions): ChartSeries {
  const originSec = Math.floor(opts.sinceMs / 1000);
  const rows = history.filter((r) => r.name === AGGREGATED_NAME && r.timestamp > originSec);
  const out = {
    t: [] as number[],
    rps: [] as number[],
    failuresPerSec: [] as number[],
    failRatio: [] as (number | null)[],
    percentilesMs: PERCENTILES.map(() => [] as (number | null)[]),
    users: [] as number[],
  };
  const build = (bucketSeconds: number): ChartSeries => ({
    originSec,
    bucketSeconds,
    ...out,
    p50Ms: out.percentilesMs[P50_INDEX]!,
    p95Ms: out.percentilesMs[P95_INDEX]!,
  });
  if (rows.length === 0) return build(1);
  const endSec = rows[rows.length - 1]!.timestamp;
  const fromSec = opts.lastSeconds === undefined ? originSec : Math.max(originSec, endSec - opts.lastSeconds);
  const bucket = Math.max(1, Math.ceil((endSec - fromSec) / Math.max(1, Math.floor(opts.maxPoints))));
  // Bucket k holds the seconds ending in (origin + k·bucket, origin + (k+1)·bucket].
  const keyOf = (sec: number): number => Math.floor((sec - originSec - 1) / bucket);
  const firstKey = keyOf(fromSec + 1);

  let prevT = originSec;
  let prevReq = 0;
  let prevFail = 0;
  let i = 0;
  // Rows before the window only move the totals on.
  for (; i < rows.length && keyOf(rows[i]!.timestamp) < firstKey; i++) {
    prevT = rows[i]!.timestamp;
    prevReq = rows[i]!.totalRequests;
    prevFail = rows[i]!.totalFailures;
  }
  while (i < rows.length) {
    const key = keyOf(rows[i]!.timestamp);
    const startT = prevT;
    let req = 0;
    let fail = 0;
    let users = 0;
    const pct: (number | null)[] = PERCENTILES.map(() => null);
    for (; i < rows.length && keyOf(rows[i]!.timestamp) === key; i++) {
      const r = rows[i]!;
      req += r.totalRequests >= prevReq ? r.totalRequests - prevReq : r.totalRequests;
      fail += r.totalFailures >= prevFail ? r.totalFailures - prevFail : r.totalFailures;
      prevReq = r.totalRequests;
      prevFail = r.totalFailures;
      prevT = r.timestamp;
      users = Math.max(users, r.userCount);
      if (r.windowRequests > 0) {
        for (let k = 0; k < pct.length; k++) pct[k] = Math.max(pct[k] ?? 0, r.percentilesMs[k] ?? 0);
      }
    }
    const seconds = Math.max(1, prevT - startT);
    out.t.push(prevT - originSec);
    out.rps.push(req / seconds);
    out.failuresPerSec.push(fail / seconds);
    out.failRatio.push(req > 0 ? fail / req : null);
    pct.forEach((v, k) => out.percentilesMs[k]!.push(v));
    out.users.push(users);
  }
  return build(bucket);
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

/** The charts a threshold line can go on. */
export type ChartPanel = 'throughput' | 'failures' | 'median' | 'tail';

/** A scenario threshold drawn as a horizontal line: which chart, at what value in its unit. */
export interface ChartMarker {
  readonly panel: ChartPanel;
  /** In the chart's unit: ms, requests/s, or percent for `failures`. */
  readonly value: number;
  readonly metric: ThresholdMetric;
  /** The threshold as written: `p95 < 500ms`. */
  readonly label: string;
}

const PANEL_OF: Partial<Record<ThresholdMetric, ChartPanel>> = {
  rps: 'throughput',
  error_rate: 'failures',
  p50: 'median',
  avg: 'median',
  min: 'median',
  p75: 'tail',
  p90: 'tail',
  p95: 'tail',
  p99: 'tail',
  'p99.9': 'tail',
  max: 'tail',
};

/**
 * The thresholds the Aggregated charts can show: those on the whole run (not one endpoint, not a
 * monitor) over throughput, failure rate or a response time. `error_rate` goes on the failure-rate
 * chart in percent; `p50`/`avg`/`min` beside the median; `p75` … `max` beside the 95th percentile.
 */
export function chartMarkers(thresholds: readonly Threshold[]): ChartMarker[] {
  const out: ChartMarker[] = [];
  for (const t of thresholds) {
    if (t.endpoint !== null || t.monitor !== undefined) continue;
    const panel = PANEL_OF[t.metric];
    if (panel === undefined) continue;
    out.push({ panel, value: panel === 'failures' ? t.value * 100 : t.value, metric: t.metric, label: t.source });
  }
  return out;
}

/** Index in `PERCENTILES` of a percentile threshold metric (`p99` → 7, `max` → 100%); null for others. */
export function percentileIndexOf(metric: ThresholdMetric): number | null {
  const p: Partial<Record<ThresholdMetric, number>> = { p50: 0.5, p75: 0.75, p90: 0.9, p95: 0.95, p99: 0.99, 'p99.9': 0.999, max: 1 };
  const v = p[metric];
  if (v === undefined) return null;
  const i = (PERCENTILES as readonly number[]).indexOf(v);
  return i < 0 ? null : i;
}

/**
 * A series at `columns` evenly spaced times from `from` to `to` (seconds), for a plot one column a
 * time step wide: linear between points, the nearest point's value before the first and after the
 * last, `null` treated as 0. Stretches a few seconds over a wide terminal. Every point inside the
 * range lands on its nearest column with its own value (the highest, when two share a column), so
 * a peak is never shaved by the interpolation.
 */
export function resample(t: readonly number[], values: readonly (number | null)[], from: number, to: number, columns: number): number[] {
  const n = Math.max(1, Math.floor(columns));
  const out: number[] = new Array<number>(n);
  if (t.length === 0) return out.fill(0);
  let j = 0;
  for (let c = 0; c < n; c++) {
    const x = n === 1 ? to : from + ((to - from) * c) / (n - 1);
    while (j < t.length - 1 && t[j + 1]! <= x) j++;
    const t0 = t[j]!;
    const v0 = values[j] ?? 0;
    if (x <= t0 || j === t.length - 1) {
      out[c] = v0;
      continue;
    }
    const t1 = t[j + 1]!;
    const v1 = values[j + 1] ?? 0;
    out[c] = v0 + ((v1 - v0) * (x - t0)) / (t1 - t0);
  }
  if (to > from && n > 1) {
    const pinned = new Set<number>();
    t.forEach((ti, i) => {
      if (ti < from || ti > to) return;
      const c = Math.round(((ti - from) / (to - from)) * (n - 1));
      const v = values[i] ?? 0;
      out[c] = pinned.has(c) ? Math.max(out[c]!, v) : v;
      pinned.add(c);
    });
  }
  return out;
}
