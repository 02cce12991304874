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

/** A new empty histogram covering 0 … `HIGHEST_TRACKABLE_US` µs. */
export function newHistogram(digits: Digits): Histogram {
  return build({
    bitBucketSize: 32,
    autoResize: false,
    lowestDiscernibleValue: 1,
    highestTrackableValue: HIGHEST_TRACKABLE_US,
    numberOfSignificantValueDigits: digits,
    useWebAssembly: wasmBackend(),
  });
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
