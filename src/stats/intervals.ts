/**
 * Interval histograms: the Aggregated latency histogram of every stretch of the run, kept
 * compressed, so a report can tell the p95 of any part of the run (its first, middle and last
 * third) from real distributions rather than from averages of per-second percentiles — long after
 * the run, from `summary.json`.
 *
 * Intervals lie on a grid from the first recorded second: 1 s wide at first. When more than
 * `maxIntervals` are closed, the grid doubles and neighbours are merged, a couple of pairs per
 * tick (a merge decodes two histograms and encodes one, ≈ 0.6 ms), so the event loop never stalls
 * for a whole coarsening pass. A run of length T therefore ends with between `maxIntervals / 2`
 * and `maxIntervals` intervals of about `2T / maxIntervals` seconds each: 240 (default) keeps the
 * boundaries of any third within 1% of the run's length.
 *
 * Histograms: 2 significant digits (percentiles within 1%; 17 KB of counts while live, ≈ 0.1 ms to
 * encode, ≈ 500 bytes encoded for a wide spread of latencies). Only the interval being filled is a
 * live histogram; closed ones are HdrHistogram V2 compressed base64 strings.
 *
 * Memory (measured by `test/stats/intervals.test.ts`, 24 h at 1,000 req/s of spread latencies):
 * ≈ 2 × 17 KB of live histograms + ≈ 0.6 KB per interval, ≈ 0.2 MB in all, whatever the run length.
 *
 * Threading: the collector's thread; `closeSecond` is called from `tick`, never per request.
 */
import {
  addEncoded,
  encodeHistogram,
  histogramFootprintBytes,
  minRecordedUs,
  newHistogram,
  percentilesMs,
  subtractEncoded,
  type Histogram,
} from './histogram.js';
import type { IntervalStats } from './types.js';

interface Closed extends IntervalStats {
  /** The grid width this interval is final for; less than the current width while a merge is due. */
  readonly gridSec: number;
}

export interface IntervalOptions {
  /** Closed intervals kept before the grid doubles; default 240 (at least 4). */
  readonly maxIntervals?: number;
  /** Width of the first grid, seconds; default 1. */
  readonly baseWidthSec?: number;
  /** Merges done per `closeSecond` while coarsening; default 2. */
  readonly mergesPerTick?: number;
}

export class IntervalRecorder {
  readonly maxIntervals: number;
  private readonly mergesPerTick: number;
  private widthSec: number;
  private origin: number | null = null;
  private closed: Closed[] = [];
  private closedView: readonly IntervalStats[] | null = null;
  /** The interval being filled, or null before the first second. */
  private cur: { startSec: number; cellStartSec: number; cellEndSec: number; lastSec: number; requests: number; failures: number; users: number } | null = null;
  private readonly hist: Histogram;
  private encoded: { count: number; text: string | null } = { count: 0, text: null };
  /** Cumulative totals as of the last closed second. */
  private lastRequests = 0;
  private lastFailures = 0;

  constructor(private readonly opts: IntervalOptions = {}) {
    this.maxIntervals = Math.max(4, Math.floor(opts.maxIntervals ?? 240));
    this.mergesPerTick = Math.max(1, Math.floor(opts.mergesPerTick ?? 2));
    this.widthSec = Math.max(1, Math.floor(opts.baseWidthSec ?? 1));
    this.hist = newHistogram(2);
  }

  /** Current grid width, seconds. */
  get gridWidthSec(): number {
    return this.widthSec;
  }

  /**
   * The second `sec` (Unix, `[sec, sec + 1)`) is closed: `h` holds its Aggregated latencies (µs);
   * `totalRequests`/`totalFailures` are the cumulative Aggregated counts now.
   */
  closeSecond(sec: number, h: Histogram, totalRequests: number, totalFailures: number, users: number): void {
    const requests = Math.max(0, totalRequests - this.lastRequests);
    const failures = Math.max(0, totalFailures - this.lastFailures);
    this.lastRequests = totalRequests;
    this.lastFailures = totalFailures;
    if (this.origin === null) this.origin = sec;
    let cur = this.cur;
    if (cur !== null && sec >= cur.cellEndSec) {
      this.closeCurrent();
      cur = null;
    }
    if (cur === null) {
      const w = this.widthSec;
      const cellStart = this.origin + Math.floor((sec - this.origin) / w) * w;
      const prevEnd = this.closed.at(-1)?.endSec ?? -Infinity;
      cur = { startSec: Math.max(cellStart, prevEnd), cellStartSec: cellStart, cellEndSec: cellStart + w, lastSec: sec, requests: 0, failures: 0, users: 0 };
      this.cur = cur;
    }
    cur.lastSec = Math.max(cur.lastSec, sec);
    cur.requests += requests;
    cur.failures += failures;
    cur.users = Math.max(cur.users, users);
    if (h.totalCount > 0) this.hist.add(h);
    this.coarsen();
  }

  /**
   * Every interval, oldest first, the one being filled last (its counts brought up to
   * `totalRequests`/`totalFailures`, its end at `nowMs`). Closed intervals are shared between calls;
   * the open one is encoded again only when a second was added to it.
   */
  view(nowMs: number, totalRequests: number, totalFailures: number): readonly IntervalStats[] {
    if (this.closedView === null) this.closedView = this.closed.map(publicView);
    const cur = this.cur;
    if (cur === null) return this.closedView;
    if (this.encoded.count !== this.hist.totalCount || (this.encoded.text === null && this.hist.totalCount > 0)) {
      this.encoded = { count: this.hist.totalCount, text: this.hist.totalCount > 0 ? encodeHistogram(this.hist) : null };
    }
    const open: IntervalStats = {
      startSec: cur.startSec,
      endSec: Math.max(cur.lastSec + 1, Math.round(nowMs) / 1000),
      requests: cur.requests + Math.max(0, totalRequests - this.lastRequests),
      failures: cur.failures + Math.max(0, totalFailures - this.lastFailures),
      users: cur.users,
      histogram: this.encoded.text,
    };
    return [...this.closedView, open];
  }

  /** Forgets everything (statistics reset); the next second starts a new grid. */
  reset(): void {
    this.closed = [];
    this.closedView = null;
    this.cur = null;
    this.origin = null;
    this.widthSec = Math.max(1, Math.floor(this.opts.baseWidthSec ?? 1));
    this.hist.reset();
    this.encoded = { count: 0, text: null };
    this.lastRequests = 0;
    this.lastFailures = 0;
  }

  /** Bytes held: the live histograms' counts, the encoded strings and ≈ 120 bytes of object per interval. */
  footprintBytes(): number {
    let bytes = 2 * histogramFootprintBytes(2);
    for (const c of this.closed) bytes += 120 + (c.histogram?.length ?? 0);
    return bytes + 120 + (this.encoded.text?.length ?? 0);
  }

  private closeCurrent(): void {
    const cur = this.cur;
    if (cur === null) return;
    const text = this.hist.totalCount > 0 ? encodeHistogram(this.hist) : null;
    this.closed.push({
      startSec: cur.startSec,
      endSec: cur.cellEndSec,
      requests: cur.requests,
      failures: cur.failures,
      users: cur.users,
      histogram: text,
      gridSec: cur.cellEndSec - cur.cellStartSec,
    });
    this.closedView = null;
    this.hist.reset();
    this.encoded = { count: 0, text: null };
    this.cur = null;
  }

  /** Doubles the grid when there are too many intervals, and merges a few pairs toward it. */
  private coarsen(): void {
    if (this.closed.length > this.maxIntervals && !this.closed.some((c) => c.gridSec < this.widthSec)) this.widthSec *= 2;
    const w = this.widthSec;
    const origin = this.origin ?? 0;
    for (let done = 0; done < this.mergesPerTick; done++) {
      const i = this.closed.findIndex((c) => c.gridSec < w);
      if (i < 0) return;
      const a = this.closed[i]!;
      const b = this.closed[i + 1];
      const cell = Math.floor((a.startSec - origin) / w);
      if (b !== undefined && Math.floor((b.startSec - origin) / w) === cell) {
        this.closed.splice(i, 2, { ...mergePair(a, b), gridSec: w });
      } else {
        this.closed[i] = { ...a, gridSec: w };
      }
      this.closedView = null;
    }
  }
}

function publicView(c: Closed): IntervalStats {
  return { startSec: c.startSec, endSec: c.endSec, requests: c.requests, failures: c.failures, users: c.users, histogram: c.histogram };
}

let scratch: Histogram | null = null;

/** Adds encoded histograms into a scratch histogram and runs `read` on it (then empties it). */
function withMerged<T>(encoded: readonly (string | null)[], read: (h: Histogram) => T): T {
  scratch ??= newHistogram(2);
  const h = scratch;
  try {
    for (const e of encoded) if (e !== null) addEncoded(e, [h]);
    return read(h);
  } finally {
    h.reset();
  }
}

function mergePair(a: IntervalStats, b: IntervalStats): IntervalStats {
  let histogram: string | null;
  if (a.histogram === null || b.histogram === null) histogram = a.histogram ?? b.histogram;
  else histogram = withMerged([a.histogram, b.histogram], (h) => encodeHistogram(h));
  return {
    startSec: a.startSec,
    endSec: b.endSec,
    requests: a.requests + b.requests,
    failures: a.failures + b.failures,
    users: Math.max(a.users, b.users),
    histogram,
  };
}

export interface IntervalSummary {
  readonly requests: number;
  readonly failures: number;
  /** The most users at any of the intervals. */
  readonly users: number;
  /** Latency at `fractions` in ms, from the merged histograms; null when no histogram had a value. */
  readonly percentilesMs: readonly number[] | null;
  /** Requests the histograms hold (the counts may include a second in progress that they do not). */
  readonly histogramCount: number;
  /** For each of `aboveMs`: the share (0..1) of the histograms' requests slower than it. */
  readonly sharesAbove: readonly number[];
}

/**
 * Several intervals as one: counts summed, histograms merged, latency at `fractions` (0..1) in ms.
 * Decoding costs ≈ 0.2 ms per interval; with a `merger` that summarized a similar set before, only
 * the intervals that joined or left it are decoded (the result is the same).
 */
export function summarizeIntervals(
  intervals: readonly IntervalStats[],
  fractions: readonly number[],
  merger?: IntervalMerger,
  aboveMs: readonly number[] = [],
): IntervalSummary {
  let requests = 0;
  let failures = 0;
  let users = 0;
  for (const i of intervals) {
    requests += i.requests;
    failures += i.failures;
    users = Math.max(users, i.users);
  }
  const read = (h: Histogram) => ({
    percentiles: h.totalCount > 0 ? percentilesMs(h, fractions, minRecordedUs(h), h.maxValue) : null,
    count: h.totalCount,
    shares: aboveMs.map((ms) => shareAbove(h, ms * 1000)),
  });
  const { percentiles, count, shares } =
    merger === undefined ? withMerged(intervals.map((i) => i.histogram), read) : read(merger.set(intervals));
  return { requests, failures, users, percentilesMs: percentiles, histogramCount: count, sharesAbove: shares };
}

/**
 * The share of `h`'s values above `us`: a binary search over percentiles (the histogram has no
 * count-between call), to 1/16384.
 */
function shareAbove(h: Histogram, us: number): number {
  if (h.totalCount === 0) return 0;
  let lo = 0; // valueAt(lo) <= us (or lo = 0)
  let hi = 100; // valueAt(hi) = max
  if (h.getValueAtPercentile(100) <= us) return 0;
  for (let i = 0; i < 14; i++) {
    const mid = (lo + hi) / 2;
    if (h.getValueAtPercentile(mid) > us) hi = mid;
    else lo = mid;
  }
  return 1 - hi / 100;
}

/**
 * A merged histogram kept from one call to the next, for a set of intervals that changes a little
 * each time (a third of a growing run, re-reported every few seconds): `set` decodes only the
 * histograms that joined or left since the previous call. Holds one 2-digit histogram (17 KB of
 * counts) until `destroy()`.
 */
export class IntervalMerger {
  private members = new Map<string, number>();
  private hist: Histogram | null = null;

  /** The merged histogram of exactly `intervals` (valid until the next call). */
  set(intervals: readonly IntervalStats[]): Histogram {
    const h = (this.hist ??= newHistogram(2));
    const next = new Map<string, number>();
    for (const i of intervals) if (i.histogram !== null) next.set(i.histogram, (next.get(i.histogram) ?? 0) + 1);
    try {
      for (const [text, n] of this.members) for (let k = next.get(text) ?? 0; k < n; k++) subtractEncoded(text, h);
    } catch {
      // Counts that cannot be subtracted (should not happen): start over.
      h.reset();
      this.members = new Map();
    }
    for (const [text, n] of next) for (let k = this.members.get(text) ?? 0; k < n; k++) addEncoded(text, [h]);
    if (next.size === 0 || h.totalCount === 0) h.reset(); // re-establishes min/max after subtracting
    this.members = next;
    return h;
  }

  destroy(): void {
    this.hist?.destroy();
    this.hist = null;
    this.members = new Map();
  }
}
