/**
 * Response times counted in Prometheus's default histogram buckets (5 ms … 10 s), per statistics
 * row and Aggregated, for `--metrics-port`: exact counts at each bound (an HDR histogram's are
 * approximate near a bound), carried in deltas so `--processes` and workers add up. Recording is
 * a few comparisons and one increment; nothing is allocated after the row exists.
 */
import { AGGREGATED_ROW } from './names.js';

/** Upper bounds in seconds (the Prometheus clients' defaults); `+Inf` is the row's latency samples. */
export const LATENCY_BUCKETS_S = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;
const BOUNDS_US = LATENCY_BUCKETS_S.map((s) => Math.round(s * 1_000_000));

export class LatencyBuckets {
  private readonly rows: Float64Array[] = [];

  /** Makes room for rows `0 … rows-1`. */
  grow(rows: number): void {
    while (this.rows.length < rows) this.rows.push(new Float64Array(BOUNDS_US.length));
  }

  /** One response time (µs) of `row`, into its bucket and Aggregated's; beyond 10 s only in +Inf. */
  record(row: number, us: number): void {
    let i = 0;
    while (i < BOUNDS_US.length && us > BOUNDS_US[i]!) i++;
    if (i === BOUNDS_US.length) return;
    this.rows[row]![i]! += 1;
    this.rows[AGGREGATED_ROW]![i]! += 1;
  }

  /** Folds in a delta's counts (per bucket, not cumulative). */
  merge(row: number, counts: readonly number[]): void {
    for (let i = 0; i < BOUNDS_US.length && i < counts.length; i++) {
      this.rows[row]![i]! += counts[i]!;
      this.rows[AGGREGATED_ROW]![i]! += counts[i]!;
    }
  }

  /** Counts per bucket (not cumulative), in `LATENCY_BUCKETS_S` order. */
  of(row: number): number[] {
    const r = this.rows[row];
    return r === undefined ? BOUNDS_US.map(() => 0) : Array.from(r);
  }

  clear(): void {
    for (const r of this.rows) r.fill(0);
  }
}
