/**
 * Turns history rows (one a second) into chart series that fit a plot width: the last seconds at one
 * point each while they fit, longer spans (up to `MAX_SPAN_SECONDS`) averaged into buckets aligned
 * to the clock, so points do not wobble as time moves on.
 */
import type { HistoryRow } from '../stats/types.js';

/** The longest span a chart covers. */
export const MAX_SPAN_SECONDS = 600;

export interface ChartSeries {
  readonly rps: number[];
  readonly failuresPerSec: number[];
  readonly p50: number[];
  readonly p95: number[];
  readonly users: number[];
  /** Seconds covered by the points. */
  readonly spanSeconds: number;
  /** Seconds per point. */
  readonly bucketSeconds: number;
}

/** Index of 50% and 95% in `PERCENTILES`. */
const P50 = 0;
const P95 = 5;

export function chartSeries(history: readonly HistoryRow[], points: number): ChartSeries {
  const n = Math.max(1, points);
  const span = Math.min(history.length, Math.max(n, MAX_SPAN_SECONDS));
  const rows = history.slice(history.length - span);
  const bucket = Math.max(1, Math.ceil(span / n));
  const groups: HistoryRow[][] = [];
  let lastKey = Number.NaN;
  for (const row of rows) {
    const key = Math.floor(row.timestamp / bucket);
    if (key !== lastKey || groups.length === 0) groups.push([]);
    (groups[groups.length - 1] as HistoryRow[]).push(row);
    lastKey = key;
  }
  const kept = groups.slice(-n);
  const avg = (pick: (r: HistoryRow) => number) => kept.map((g) => g.reduce((s, r) => s + pick(r), 0) / g.length);
  // A second with no requests in the window has no percentiles: leave it out of the average.
  const avgPct = (i: number) =>
    kept.map((g) => {
      const live = g.filter((r) => r.windowRequests > 0);
      return live.length === 0 ? 0 : live.reduce((s, r) => s + (r.percentilesMs[i] ?? 0), 0) / live.length;
    });
  return {
    rps: avg((r) => r.rps),
    failuresPerSec: avg((r) => r.failuresPerSec),
    p50: avgPct(P50),
    p95: avgPct(P95),
    users: avg((r) => r.userCount),
    spanSeconds: kept.reduce((s, g) => s + g.length, 0),
    bucketSeconds: bucket,
  };
}

/** The smallest round step (1, 2, 2.5, 5 × 10^k) at or above `step`. */
export function niceStep(step: number): number {
  if (!(step > 0)) return 1;
  const mag = 10 ** Math.floor(Math.log10(step));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * mag >= step * (1 - 1e-9)) return m * mag;
  return 10 * mag;
}

/**
 * An axis maximum for `intervals` label steps: a round step times the intervals, at or above
 * `max` (and `floor`), so every label on the axis is a round number (a whole one with `integer`).
 */
export function axisMax(max: number, intervals: number, floor = 1, integer = false): number {
  const n = Math.max(1, intervals);
  const raw = Math.max(max, floor) / n;
  // Whole-number axes (users) take any whole step below 10: 20 users over 8 rows step by 3, not 5.
  return (integer && raw < 10 ? Math.max(1, Math.ceil(raw - 1e-9)) : niceStep(raw)) * n;
}

/**
 * The axis for `max` in at most `intervals` rows: a round step, and the number of intervals (at
 * least three quarters of those available) whose top comes closest above `max`, so little of the
 * plot is wasted above the data. Ties go to more intervals (more resolution).
 */
export function fitAxis(max: number, intervals: number, floor = 1, integer = false): { intervals: number; max: number } {
  const most = Math.max(1, intervals);
  let best = { intervals: most, max: axisMax(max, most, floor, integer) };
  for (let n = most - 1; n >= Math.max(1, Math.ceil(most * 0.75)); n--) {
    const top = axisMax(max, n, floor, integer);
    if (top < best.max - 1e-9) best = { intervals: n, max: top };
  }
  return best;
}

/** A round upper bound for an axis: 1, 2, 2.5, 5 × 10^k at or above `max` (at least `floor`). */
export function niceMax(max: number, floor = 1): number {
  const v = Math.max(max, floor);
  const mag = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * mag >= v) return m * mag;
  return 10 * mag;
}
