/**
 * A latency histogram for people: the recorded buckets of an HDR histogram (µs) regrouped into a few
 * log-spaced bins with round edges (1-2-5 per decade, or finer/coarser to fit `maxBins`), so that a
 * 0.3 ms health check and a 2 s slow call share one readable chart. Pure; every count is kept (the
 * bins' counts add up to the histogram's total).
 */
import { decodeBuckets, encodeHistogram, type Histogram } from './histogram.js';

/** The recorded buckets of a histogram: each bucket's lowest value (µs), its width and its count. */
export interface RecordedBuckets {
  readonly values: readonly number[];
  readonly widths: readonly number[];
  readonly counts: readonly number[];
  readonly total: number;
}

/** One bin: the values in [fromUs, toUs) — the last bin also holds `toUs` itself. */
export interface LatencyBin {
  readonly fromUs: number;
  readonly toUs: number;
  readonly count: number;
}

/** The recorded buckets of `h` (an encode and a decode: ≈ 0.3 ms; for a view, not the hot path). */
export function recordedBuckets(h: Histogram): RecordedBuckets {
  if (h.totalCount === 0) return { values: [], widths: [], counts: [], total: 0 };
  const b = decodeBuckets(encodeHistogram(h));
  if (b === null) throw new Error('cicada histograms always encode in the V2 layout decodeBuckets reads');
  return b;
}

/** Round edges per decade, finest first: a scheme is used when its bins fit. */
const SCHEMES: readonly (readonly number[])[] = [
  [1, 1.25, 1.5, 2, 2.5, 3, 4, 5, 6, 8],
  [1, 1.5, 2, 3, 5, 7],
  [1, 2, 5],
  [1, 3],
  [1],
];

/** Round edges covering [lowUs, highUs] with `steps` per decade (or one per `decades` decades). */
function edgesFor(lowUs: number, highUs: number, steps: readonly number[], decades = 1): number[] {
  const lo = Math.max(1, lowUs);
  const hi = Math.max(lo + 1, highUs);
  let exp = Math.floor(Math.log10(lo) / decades) * decades;
  const edges: number[] = [];
  for (;;) {
    for (const s of steps) {
      const e = Math.round(s * 10 ** exp * 1e6) / 1e6;
      if (e <= lo) {
        edges.length = 0;
        edges.push(e);
      } else {
        edges.push(e);
        if (e > hi) return edges;
      }
    }
    exp += decades;
  }
}

/**
 * `buckets` in at most `maxBins` (≥ 1) log-spaced bins with round edges, from the bin holding the
 * smallest value to the one holding the largest (empty bins between them kept). Empty input: [].
 */
export function logBins(buckets: RecordedBuckets, maxBins: number): LatencyBin[] {
  const n = buckets.values.length;
  if (n === 0) return [];
  const low = buckets.values[0] as number;
  const high = (buckets.values[n - 1] as number) + (buckets.widths[n - 1] as number) - 1;
  let edges: number[] = [];
  for (const steps of SCHEMES) {
    edges = edgesFor(low, high, steps);
    if (edges.length - 1 <= maxBins) break;
  }
  for (let decades = 2; edges.length - 1 > Math.max(1, maxBins); decades++) edges = edgesFor(low, high, [1], decades);
  const counts = new Array<number>(edges.length - 1).fill(0);
  let bin = 0;
  for (let i = 0; i < n; i++) {
    // A bucket goes where its highest value is: a value on a round edge (100 ms, 10 s) lands in the
    // bin that starts there, though its HDR bucket may start a little below (at most 0.1% off).
    const v = (buckets.values[i] as number) + (buckets.widths[i] as number) - 1;
    while (bin < counts.length - 1 && v >= (edges[bin + 1] as number)) bin++;
    counts[bin] = (counts[bin] as number) + (buckets.counts[i] as number);
  }
  // Trim empty bins at either end (the edges are rounded outwards).
  let first = 0;
  let last = counts.length - 1;
  while (first < last && counts[first] === 0) first++;
  while (last > first && counts[last] === 0) last--;
  const out: LatencyBin[] = [];
  for (let i = first; i <= last; i++) out.push({ fromUs: edges[i] as number, toUs: edges[i + 1] as number, count: counts[i] as number });
  return out;
}
