/**
 * The HDR histograms of every statistics row (row 0 = Aggregated), built when the row is added and
 * reused for the life of the collector, plus a cache of their percentiles keyed by request count
 * (a histogram that received nothing new is not scanned again).
 *
 * Per row: a cumulative latency histogram (3 digits); with the open model a service-time one too;
 * a rolling window — always for Aggregated (3 digits), for endpoints only with full history
 * (2 digits: history cells are whole milliseconds, and Locust's own buckets are coarser).
 *
 * Memory per endpoint row (counts arrays; see `histogram.ts`): 119,808 bytes by default; +119,808
 * with the open model; +12 × 17,408 = 208,896 with full history (10 s window). 500 endpoints:
 * ≈ 60 MB by default, ≈ 164 MB with full history and the open model. The Aggregated row adds
 * ≈ 1.6 MB (its 3-digit window).
 */
import { PERCENTILES } from './types.js';
import {
  histogramFootprintBytes,
  minRecordedUs,
  newHistogram,
  percentilesMs,
  type Histogram,
} from './histogram.js';
import { RollingWindow } from './window.js';

export interface RowHistogramOptions {
  readonly openModel: boolean;
  readonly fullHistory: boolean;
  readonly windowSec: number;
}

export class RowHistograms {
  readonly latency: Histogram[] = [];
  /** null unless the open model is on. */
  readonly service: Histogram[] | null;
  /** Rolling windows; null for endpoint rows without full history. */
  readonly windows: (RollingWindow | null)[] = [];
  private readonly latencyCache: PercentileCache[] = [];
  private readonly serviceCache: PercentileCache[] = [];

  constructor(private readonly opts: RowHistogramOptions) {
    this.service = opts.openModel ? [] : null;
  }

  /** Builds the histograms of the next row. Not for the hot path. */
  addRow(): void {
    const row = this.latency.length;
    this.latency.push(newHistogram(3));
    this.service?.push(newHistogram(3));
    const window =
      row === 0
        ? new RollingWindow(this.opts.windowSec, 3)
        : this.opts.fullHistory
          ? new RollingWindow(this.opts.windowSec, 2)
          : null;
    this.windows.push(window);
    this.latencyCache.push(new PercentileCache());
    this.serviceCache.push(new PercentileCache());
  }

  /** Closes the open second of every rolling window. */
  closeSecond(): void {
    for (const w of this.windows) w?.close();
  }

  /** An empty second passes in every rolling window (the open seconds stay open). */
  skipSecond(): void {
    for (const w of this.windows) w?.skipEmpty();
  }

  /** Empties the cumulative histograms (and, with `windows`, the rolling windows too). */
  reset(windows: boolean): void {
    for (let row = 0; row < this.latency.length; row++) {
      const h = this.latency[row] as Histogram;
      if (h.totalCount > 0) h.reset();
      const s = this.service?.[row];
      if (s !== undefined && s.totalCount > 0) s.reset();
      if (windows) this.windows[row]?.reset();
      this.latencyCache[row]?.invalidate();
      this.serviceCache[row]?.invalidate();
    }
  }

  /**
   * Latency at `PERCENTILES`, ms, clamped to the exact [minUs, maxUs]. Cached until the count
   * changes, or — when `maxAgeMs` > 0 — until the cached values are older than that (`nowMs`).
   */
  latencyPercentiles(row: number, minUs: number, maxUs: number, nowMs = 0, maxAgeMs = 0): readonly number[] {
    return (this.latencyCache[row] as PercentileCache).get(this.latency[row] as Histogram, minUs, maxUs, nowMs, maxAgeMs);
  }

  /** Latency at `fractions` (0..1), ms, clamped to [minUs, maxUs]; one scan each, not cached (for the results files). */
  latencyAt(row: number, fractions: readonly number[], minUs: number, maxUs: number): number[] {
    return percentilesMs(this.latency[row] as Histogram, fractions, minUs, maxUs);
  }

  /** Median latency, ms: the cached 50% when fresh, else one scan (cheaper than the whole ladder). */
  medianMs(row: number, minUs: number, maxUs: number): number {
    const h = this.latency[row] as Histogram;
    const cached = (this.latencyCache[row] as PercentileCache).fresh(h);
    return cached !== null ? (cached[0] as number) : (percentilesMs(h, [0.5], minUs, maxUs)[0] as number);
  }

  /** Service time at `PERCENTILES`, ms, as `latencyPercentiles`; null without the open model. */
  servicePercentiles(row: number, minUs: number, maxUs: number, nowMs = 0, maxAgeMs = 0): readonly number[] | null {
    const h = this.service?.[row];
    if (h === undefined) return null;
    return (this.serviceCache[row] as PercentileCache).get(h, minUs, maxUs, nowMs, maxAgeMs);
  }

  /** Recent-window latency at `PERCENTILES`, ms, and the window's request count. */
  windowPercentiles(row: number): { percentilesMs: readonly number[]; requests: number } {
    const w = this.windows[row];
    if (w === null || w === undefined || w.count === 0) return { percentilesMs: ZEROS, requests: 0 };
    return { percentilesMs: percentilesMs(w.sum, PERCENTILES, minRecordedUs(w.sum), w.sum.maxValue), requests: w.count };
  }

  /** Bytes held by the counts arrays of every row's histograms. */
  footprintBytes(): number {
    const big = histogramFootprintBytes(3);
    const small = histogramFootprintBytes(2);
    let bytes = 0;
    for (let row = 0; row < this.latency.length; row++) {
      bytes += big * (this.service === null ? 1 : 2);
      const w = this.windows[row];
      if (w) bytes += (w.seconds + 2) * (w.digits === 3 ? big : small);
    }
    return bytes;
  }
}

const ZEROS: readonly number[] = PERCENTILES.map(() => 0);

/**
 * The percentile ladder of one histogram, recomputed only when needed: 11 scans cost ≈ 0.15 ms for a
 * histogram with a wide spread, which adds up at 500 rows and 4 snapshots a second.
 */
class PercentileCache {
  private values: readonly number[] | null = null;
  private count = -1;
  private atMs = 0;

  get(h: Histogram, minUs: number, maxUs: number, nowMs: number, maxAgeMs: number): readonly number[] {
    const count = h.totalCount;
    const reusable =
      this.values !== null && (this.count === count || (maxAgeMs > 0 && this.count > 0 && nowMs - this.atMs < maxAgeMs));
    if (!reusable) {
      this.values = percentilesMs(h, PERCENTILES, minUs, maxUs);
      this.count = count;
      this.atMs = nowMs;
    }
    return this.values as readonly number[];
  }

  /** The cached values if they describe the histogram as it is now, else null. */
  fresh(h: Histogram): readonly number[] | null {
    return this.count === h.totalCount ? this.values : null;
  }

  invalidate(): void {
    this.values = null;
    this.count = -1;
  }
}
