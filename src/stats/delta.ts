/**
 * What one engine process sends the coordinator each second under `--processes` (and, later, what a
 * remote worker sends over the network): everything it recorded since its previous export, as plain
 * JSON-safe data. Histograms travel as HdrHistogram's compressed base64 (a few hundred bytes for a
 * typical second), so any HdrHistogram port can read them.
 *
 * Rows are named, not numbered: ids differ between processes.
 */
import type { ExceptionEntry, FailureEntry } from './types.js';

export const STATS_DELTA_VERSION = 1;

export interface EndpointDelta {
  readonly method: string;
  readonly name: string;
  readonly requests: number;
  readonly failures: number;
  /** Of `requests`, those never sent (failures without a latency; not in the histograms or the sum). */
  readonly notSent: number;
  /** Sum of latencies, µs (for the exact average). */
  readonly latencySumUs: number;
  /** Exact smallest and largest latency, µs. */
  readonly minUs: number;
  readonly maxUs: number;
  /** Exact service-time extremes, µs (Infinity/0 unless the exporter runs the open model; JSON turns Infinity into null). */
  readonly serviceMinUs: number;
  readonly serviceMaxUs: number;
  readonly bytes: number;
  readonly checksPassed: number;
  readonly checksFailed: number;
  /** Redirects followed (absent from an exporter that predates them). */
  readonly redirects?: number;
  /** Latency histogram (µs), compressed base64. */
  readonly latencyHistogram: string;
  /** Service-time histogram (µs), compressed base64; null unless the exporter runs the open model. */
  readonly serviceHistogram: string | null;
  /** Responses by status code in this delta (`{ "200": 12 }`); absent from older exporters. */
  readonly statusCodes?: Readonly<Record<string, number>>;
  /** Response times per Prometheus bucket (`latency-buckets.ts`), not cumulative; absent from older exporters. */
  readonly latencyBuckets?: readonly number[];
}

export interface StatsDelta {
  readonly version: typeof STATS_DELTA_VERSION;
  /** Epoch ms of the exporter's first request since its last reset, or null if it has none. */
  readonly firstRequestAt: number | null;
  /** Only rows with requests or checks in this delta. */
  readonly endpoints: readonly EndpointDelta[];
  /** Occurrences in this delta only; first/last seen as observed by the exporter. */
  readonly failures: readonly FailureEntry[];
  readonly exceptions: readonly ExceptionEntry[];
  readonly droppedIterations: number;
  /** The exporter's own count of folded names (cumulative; the coordinator keeps the largest seen). */
  readonly overflowNames: number;
}
