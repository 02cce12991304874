/**
 * The one place cicada builds HDR histograms (hdr-histogram-js v3). Every latency is recorded in
 * **microseconds**; every percentile cicada reports comes from `getValueAtPercentile` here.
 *
 * Backend: the WebAssembly histograms of hdr-histogram-js when WebAssembly is available (measured on
 * this machine: ~33 ns per `recordValue` against ~185 ns for the pure-JS Int32 histogram, whose index
 * math calls `Math.log2`/`Math.pow` per value), else the JS ones. The choice is made once per process
 * (thread) because the two kinds cannot be added to each other. WASM histograms live in the module's
 * linear memory: cicada keeps and `reset()`s them instead of building new ones, and `destroy()`s the
 * temporary ones it decodes.
 *
 * Range: 0 µs to 2^37 µs (≈ 38 h; timeouts may be hours). Values outside are clamped by the caller
 * with `clampUs` so recording never throws.
 *
 * Memory (counts array, 32-bit buckets; measured with the JS histogram's `estimatedFootprintInBytes`,
 * which for WASM histograms under-reports by 4×):
 * - 3 significant digits: 29,696 buckets → 119,808 bytes per histogram;
 * - 2 significant digits: 4,096 buckets → 17,408 bytes per histogram.
 */
import {
  build,
  decodeFromCompressedBase64,
  encodeIntoCompressedBase64,
  initWebAssemblySync,
  type Histogram,
} from 'hdr-histogram-js';
import { inflateSync } from 'node:zlib';

export type { Histogram };

/** Highest value any cicada histogram tracks, in microseconds (2^37 µs ≈ 38.2 h). */
export const HIGHEST_TRACKABLE_US = 2 ** 37;

/** Significant digits: 3 for cumulative and aggregated-window histograms, 2 for per-endpoint windows. */
export type Digits = 2 | 3;

let useWasm: boolean | undefined;

/** Whether this process records into WebAssembly histograms (decided on first use). */
export function wasmBackend(): boolean {
  if (useWasm === undefined) {
    try {
      initWebAssemblySync();
      useWasm = true;
    } catch {
      useWasm = false;
    }
  }
  return useWasm;
}

/** Significant digits of each histogram built here (WebAssembly histograms do not say). */
const digitsOf = new WeakMap<Histogram, number>();

/** A new empty histogram covering 0 … `HIGHEST_TRACKABLE_US` µs. */
export function newHistogram(digits: Digits): Histogram {
  const h = build({
    bitBucketSize: 32,
    autoResize: false,
    lowestDiscernibleValue: 1,
    highestTrackableValue: HIGHEST_TRACKABLE_US,
    numberOfSignificantValueDigits: digits,
    useWebAssembly: wasmBackend(),
  });
  digitsOf.set(h, digits);
  return h;
}

/**
 * A latency as a recordable integer of microseconds: NaN and negatives become 0, fractions are
 * truncated, values beyond the range become `HIGHEST_TRACKABLE_US - 1`.
 */
export function clampUs(us: number): number {
  if (!(us > 0)) return 0;
  if (us >= HIGHEST_TRACKABLE_US) return HIGHEST_TRACKABLE_US - 1;
  return Math.floor(us);
}

/**
 * Values at `fractions` (0..1) in milliseconds, each clamped to [lowUs, highUs] — the exact min and
 * max a caller tracked — so that 100% is the true maximum rather than the top of its HDR bucket.
 * An empty histogram gives zeros.
 */
export function percentilesMs(
  h: Histogram,
  fractions: readonly number[],
  lowUs: number,
  highUs: number,
): number[] {
  const out = new Array<number>(fractions.length);
  const empty = h.totalCount === 0;
  for (let i = 0; i < fractions.length; i++) {
    if (empty) {
      out[i] = 0;
      continue;
    }
    let us = h.getValueAtPercentile((fractions[i] ?? 0) * 100);
    if (us > highUs) us = highUs;
    if (us < lowUs) us = lowUs;
    out[i] = us / 1000;
  }
  return out;
}

/** The smallest value recorded, 0 for an empty histogram (WASM reports 2^64 there). */
export function minRecordedUs(h: Histogram): number {
  return h.totalCount === 0 ? 0 : Math.min(h.minNonZeroValue, h.maxValue);
}

/**
 * Compressed base64 (HdrHistogram's standard V2 encoding, readable by other HdrHistogram ports).
 * Deflate level 1: ≈ 0.33 ms per histogram against ≈ 0.5 ms at the default level, 5% larger.
 */
export function encodeHistogram(h: Histogram): string {
  return encodeIntoCompressedBase64(h, 1);
}

/**
 * Adds an encoded histogram into each of `targets`. The decoded temporary is destroyed here, so the
 * caller never holds WASM memory it must free.
 */
export function addEncoded(encoded: string, targets: readonly Histogram[]): number {
  // The usual case: only the recorded buckets are read and recorded into each target, with no
  // temporary histogram (a decode builds and clears a whole counts array: ≈ 6× slower at the
  // coordinator of many workers). Same result as `add`, which records bucket by bucket too.
  const buckets = decodeBuckets(encoded);
  if (buckets !== null) {
    const { values, counts, widths, digits } = buckets;
    const last = values.length - 1;
    for (const t of targets) {
      if ((digitsOf.get(t) ?? t.numberOfSignificantValueDigits) !== digits) {
        // Another layout: `add` records each bucket at its lowest value; so does this.
        for (let i = 0; i <= last; i++) t.recordValueWithCount(values[i]!, counts[i]!);
        continue;
      }
      for (let i = 0; i <= last; i++) {
        // Each bucket at its lowest value, but the top one at its highest, as `add` leaves the
        // smallest and largest value (a lone count in a lone bucket: both, the second with 0).
        const high = values[i]! + widths[i]! - 1;
        if (i < last) t.recordValueWithCount(values[i]!, counts[i]!);
        else if (i > 0) t.recordValueWithCount(high, counts[i]!);
        else {
          t.recordValueWithCount(values[i]!, counts[i]! > 1 ? counts[i]! - 1 : counts[i]!);
          t.recordValueWithCount(high, counts[i]! > 1 ? 1 : 0);
        }
      }
    }
    return buckets.total;
  }
  const decoded = decodeFromCompressedBase64(encoded, 32, wasmBackend());
  try {
    for (const t of targets) t.add(decoded);
    return decoded.totalCount;
  } finally {
    decoded.destroy();
  }
}

/** Subtracts an encoded histogram (one that was added before) from `target`; the decoded temporary is destroyed here. */
export function subtractEncoded(encoded: string, target: Histogram): void {
  const decoded = decodeFromCompressedBase64(encoded, 32, wasmBackend());
  try {
    target.subtract(decoded);
  } finally {
    decoded.destroy();
  }
}

/** Bytes held by the counts of one histogram of `digits`, as `estimatedFootprintInBytes` of the JS build reports. */
export function histogramFootprintBytes(digits: Digits): number {
  const cached = footprintCache.get(digits);
  if (cached !== undefined) return cached;
  const js = build({
    bitBucketSize: 32,
    autoResize: false,
    lowestDiscernibleValue: 1,
    highestTrackableValue: HIGHEST_TRACKABLE_US,
    numberOfSignificantValueDigits: digits,
    useWebAssembly: false,
  });
  const bytes = js.estimatedFootprintInBytes;
  footprintCache.set(digits, bytes);
  return bytes;
}
const footprintCache = new Map<Digits, number>();

const V2_COMPRESSED_COOKIE = 0x1c849304;
const V2_COOKIE = 0x1c849303;

/**
 * The recorded buckets of a compressed V2 histogram (HdrHistogram's encoding): for each bucket with
 * a count, the lowest value it stands for, its width and the count. Null for an encoding this does not read
 * (another cookie, a lowest discernible value other than 1): the caller then
 * decodes it the general way.
 */
export function decodeBuckets(encoded: string): { digits: number; values: number[]; widths: number[]; counts: number[]; total: number } | null {
  const raw = Buffer.from(encoded, 'base64');
  if (raw.length < 8 || (raw.readInt32BE(0) & ~0xf0) !== V2_COMPRESSED_COOKIE) return null;
  const data = inflateSync(raw.subarray(8, 8 + raw.readInt32BE(4)));
  if (data.length < 40 || (data.readInt32BE(0) & ~0xf0) !== V2_COOKIE) return null;
  const payloadBytes = data.readInt32BE(4);
  const digits = data.readInt32BE(12);
  // The normalizing index offset (bytes 8–11) is ignored, as hdr-histogram-js's own decoder does.
  if (data.readBigInt64BE(16) !== 1n || !(digits >= 0 && digits <= 5) || 40 + payloadBytes > data.length) return null;
  // The layout of a histogram with lowest discernible value 1 (unit magnitude 0) and `digits`.
  const subBucketHalfCountMagnitude = Math.max(Math.ceil(Math.log2(2 * 10 ** digits)), 1) - 1;
  const subBucketHalfCount = 2 ** subBucketHalfCountMagnitude;
  const values: number[] = [];
  const widths: number[] = [];
  const counts: number[] = [];
  let total = 0;
  let index = 0;
  let pos = 40;
  const end = 40 + payloadBytes;
  while (pos < end) {
    // ZigZag LEB128, at most 9 bytes (the 9th carries 8 bits).
    let n = 0;
    let scale = 1;
    for (let i = 0; i < 9; i++) {
      const b = data[pos++]!;
      if (i === 8) {
        n += b * scale;
        break;
      }
      n += (b & 0x7f) * scale;
      scale *= 128;
      if ((b & 0x80) === 0) break;
    }
    const count = n % 2 === 0 ? n / 2 : -(n + 1) / 2;
    if (count < 0) {
      index += -count; // a run of empty buckets
      continue;
    }
    if (count > 0) {
      let bucket = (index >> subBucketHalfCountMagnitude) - 1;
      let sub = (index & (subBucketHalfCount - 1)) + subBucketHalfCount;
      if (bucket < 0) {
        sub -= subBucketHalfCount;
        bucket = 0;
      }
      values.push(sub * 2 ** bucket);
      widths.push(2 ** bucket);
      counts.push(count);
      total += count;
    }
    index++;
  }
  return { digits, values, widths, counts, total };
}
