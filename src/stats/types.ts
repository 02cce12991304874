/**
 * Immutable, plain snapshots of the statistics: what every view (TUI, console, reports) reads.
 * Times are milliseconds (floating point) unless the name says otherwise; rates are per second.
 */
import type { RunnerStatus } from '../engine/types.js';

/** The percentile ladder of Locust's CSV files and the Percentiles tab, as fractions of 1. */
export const PERCENTILES = [0.5, 0.66, 0.75, 0.8, 0.9, 0.95, 0.98, 0.99, 0.999, 0.9999, 1] as const;
/** Column labels for `PERCENTILES`: `50%` ... `100%`. */
export const PERCENTILE_LABELS = ['50%', '66%', '75%', '80%', '90%', '95%', '98%', '99%', '99.9%', '99.99%', '100%'] as const;
/**
 * The ladder of the reports' "Response Time Statistics" table (Locust's HTML report: 50, 60, 70,
 * 80, 90, 95, 99 and 100%, with 99.9 and 99.99% added). Only 60% and 70% are not in `PERCENTILES`.
 */
export const REPORT_PERCENTILES = [0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 0.999, 0.9999, 1] as const;

export interface EndpointStats {
  /** Empty for the Aggregated row. */
  readonly method: string;
  /** `Aggregated` for the total row. */
  readonly name: string;
  /** Every request, sent or not (Locust's Request Count). */
  readonly requests: number;
  readonly failures: number;
  /**
   * Of `requests`, those never sent (`not sent: ${token} is not set`): failures with no latency.
   * Min, max, average and percentiles describe the other `requests - notSent` (see `latencySamples`).
   */
  readonly notSent: number;
  /** 0 when there are no latency samples (the CSV writes N/A where Locust does). */
  readonly minMs: number;
  readonly maxMs: number;
  readonly avgMs: number;
  readonly medianMs: number;
  /** Response times at `PERCENTILES`, same order. */
  readonly percentilesMs: readonly number[];
  readonly totalBytes: number;
  readonly avgBytes: number;
  /** Whole-run rates: count / elapsed seconds. */
  readonly rps: number;
  readonly failuresPerSec: number;
  /** Recent-window rates (last ~10 s of wall clock); zero when traffic stops. */
  readonly currentRps: number;
  readonly currentFailuresPerSec: number;
  /**
   * Open model: service time (actual send → last byte) percentiles at `PERCENTILES`, while
   * `percentilesMs` is latency from the intended start. null in the closed model.
   */
  readonly servicePercentilesMs: readonly number[] | null;
  readonly checksPassed: number;
  readonly checksFailed: number;
  /** Redirects followed by these requests (each followed chain is one request); absent when unknown. */
  readonly redirects?: number;
  /** Responses by status code (`{ "200": 12, "404": 1 }`); absent in snapshots not taken from a collector. */
  readonly statusCodes?: Readonly<Record<string, number>>;
  /**
   * Response times at `REPORT_PERCENTILES`, same order: only in snapshots taken for the results
   * files (`StatsCollector.snapshot`'s `reportPercentiles`) and read back from `summary.json`.
   */
  readonly reportPercentilesMs?: readonly number[];
  /**
   * Response times per bucket of `LATENCY_BUCKETS_S` (`latency-buckets.ts`), not cumulative; those
   * over the last bound are the rest of `latencySamples`. Absent in snapshots not taken from a collector.
   */
  readonly latencyBuckets?: readonly number[];
}

/** Requests of `e` that reached the network: the ones min/max/avg/percentiles describe. */
export function latencySamples(e: Pick<EndpointStats, 'requests' | 'notSent'>): number {
  return e.requests - e.notSent;
}

export interface FailureEntry {
  readonly method: string;
  readonly name: string;
  /** The stable failure key: `HTTP 503`, `ECONNREFUSED`, `check: ...`. */
  readonly error: string;
  readonly occurrences: number;
  /** Epoch ms. */
  readonly firstSeen: number;
  readonly lastSeen: number;
}

export interface ExceptionEntry {
  readonly count: number;
  readonly message: string;
  readonly traceback: string;
  /** Where it happened: `UserClass/task name`; several places joined by `, ` (at most 8 kept). */
  readonly context: string;
  /** The same places, one per element. */
  readonly contexts: readonly string[];
  readonly firstSeen: number;
  readonly lastSeen: number;
}

/** One row per second for the Aggregated row (and, with full history, per endpoint). */
export interface HistoryRow {
  /** Unix seconds. */
  readonly timestamp: number;
  readonly userCount: number;
  readonly method: string;
  readonly name: string;
  /** Recent-window rates and percentiles at that second. */
  readonly rps: number;
  readonly failuresPerSec: number;
  /** Over the window's requests; all zero when `windowRequests` is 0 (the CSV writes N/A then). */
  readonly percentilesMs: readonly number[];
  /** Requests inside the recent window the percentiles describe. */
  readonly windowRequests: number;
  /** Cumulative totals at that second. */
  readonly totalRequests: number;
  readonly totalFailures: number;
  readonly totalMedianMs: number;
  readonly totalAvgMs: number;
  readonly totalMinMs: number;
  readonly totalMaxMs: number;
  readonly totalAvgBytes: number;
}

/** How healthy the load generator itself is. Numbers from a saturated generator are suspect. */
export interface GeneratorHealth {
  /** Event-loop lag over the last second, p99 in ms. */
  readonly eventLoopLagMs: number;
  /** Process CPU over the last second, percent of one core. */
  readonly cpuPercent: number;
  readonly rssBytes: number;
  readonly heapUsedBytes: number;
  /** lag > 50 ms or CPU > 90% of a core (with --processes: of any engine thread). */
  readonly saturated: boolean;
  /** With `--processes N`: each engine thread's users and health, in order. Absent for one process. */
  readonly processes?: readonly ProcessHealth[];
}

/** One second of the generator's health, as kept for the run (see `saturation.ts`). */
export interface GeneratorHistoryRow {
  /** Epoch ms when sampled. */
  readonly at: number;
  readonly eventLoopLagMs: number;
  readonly cpuPercent: number;
  readonly rssBytes: number;
  readonly heapUsedBytes: number;
  readonly saturated: boolean;
  /** With `--processes N`: each engine thread's CPU, in order. */
  readonly processCpuPercent?: readonly number[];
}

/** A stretch of seconds during which the generator was saturated. */
export interface SaturationEpisode {
  /** Epoch ms of its first saturated sample. */
  readonly startedAt: number;
  /** Epoch ms of its last saturated sample; null while it goes on. */
  readonly endedAt: number | null;
  readonly saturatedSeconds: number;
  readonly peakEventLoopLagMs: number;
  /** The busiest core's CPU at its worst (the busiest engine thread's with `--processes`). */
  readonly peakCpuPercent: number;
}

/** The generator's health over the whole run: what `summary.json` reports of it. */
export interface GeneratorRunSummary {
  /** Seconds observed. */
  readonly samples: number;
  readonly saturatedSeconds: number;
  /** Episodes started (may exceed `episodes.length`, which is capped). */
  readonly episodeCount: number;
  readonly episodes: readonly SaturationEpisode[];
  readonly peak: { readonly eventLoopLagMs: number; readonly cpuPercent: number; readonly rssBytes: number; readonly heapUsedBytes: number };
  /** A row a second, oldest first: the most recent hour at most. */
  readonly history: readonly GeneratorHistoryRow[];
}

/** One engine thread of a `--processes` run. */
export interface ProcessHealth {
  readonly index: number;
  readonly users: number;
  /** Event-loop utilisation, percent of one core. */
  readonly cpuPercent: number;
  readonly eventLoopLagMs: number;
  readonly state: string;
}

/**
 * One stretch of the run (Aggregated): its counts and its latency histogram, for the p95 of any part
 * of the run (see `intervals.ts`).
 */
export interface IntervalStats {
  /**
   * Unix seconds: the interval holds what was recorded in `[startSec, endSec)`. The last interval of
   * a snapshot is the one being filled; its end is the snapshot's time (a fraction of a second).
   */
  readonly startSec: number;
  readonly endSec: number;
  /** Exact counts (Aggregated). For the interval being filled they include the second in progress. */
  readonly requests: number;
  readonly failures: number;
  /** The most users running at any of its seconds. */
  readonly users: number;
  /**
   * Aggregated latency in µs, 2 significant digits, HdrHistogram V2 compressed base64 (readable by
   * any HdrHistogram port); null when nothing was recorded. Holds closed seconds only: the second in
   * progress is not in it yet.
   */
  readonly histogram: string | null;
}

export interface StatsSnapshot {
  /** Epoch ms when taken. */
  readonly takenAt: number;
  /** Epoch ms of the first request after the last reset (or the start). */
  readonly statsStartedAt: number;
  readonly run: RunnerStatus;
  /** Sorted by name, then method. */
  readonly endpoints: readonly EndpointStats[];
  readonly total: EndpointStats;
  /** Sorted by occurrences, most first. */
  readonly failures: readonly FailureEntry[];
  readonly exceptions: readonly ExceptionEntry[];
  /** Aggregated history, the most recent rows only (a bounded ring; the full history is streamed to disk). */
  readonly history: readonly HistoryRow[];
  readonly droppedIterations: number;
  readonly generator: GeneratorHealth;
  /** Endpoints beyond the name cap were grouped; the count of names that were folded. */
  readonly overflowNames: number;
  /**
   * Aggregated interval histograms since the statistics start, oldest first, the interval being filled
   * last (see `intervals.ts`). Absent in snapshots not taken from a collector.
   */
  readonly intervals?: readonly IntervalStats[];
}
