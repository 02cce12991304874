/** What the monitors of a run show: the TUI and console live, summary.json and the reports at the end. */
import type { LeakAnalysis } from './leak.js';

export type { LeakAnalysis, LeakVerdict } from './leak.js';

/** One sample: Unix seconds (the statistics row it lines up with) and a value, or null for a gap. */
export type MonitorPoint = readonly [t: number, v: number | null];

export interface MonitorSummary {
  readonly id: string;
  readonly name: string;
  readonly component: string;
  readonly kind: 'scrape' | 'query' | 'process';
  /** What is read, for people: `http://127.0.0.1:9100/metrics node_load1`, `pid 1234 rss`. */
  readonly source: string;
  readonly unit: string;
  readonly pin: boolean;
  readonly everyMs: number;
  /** Samples with a value / gaps (failed samples). */
  readonly samples: number;
  readonly gaps: number;
  readonly min: number | null;
  readonly max: number | null;
  readonly avg: number | null;
  /** The latest value (null when the latest sample was a gap or none yet). */
  readonly last: number | null;
  /** The latest sample with a value (the report's "Final"). */
  readonly final: number | null;
  /** Why the latest sample failed; null when it did not. */
  readonly failing: string | null;
  /**
   * Samples over time: live, the most recent ones; in summary.json, the whole run in at most
   * `MAX_SUMMARY_POINTS` points (neighbours averaged when the run is longer).
   */
  readonly history: readonly MonitorPoint[];
  /** For memory-like series (`leak: true`, or in bytes), at the end of the run; else null. */
  readonly leak: LeakAnalysis | null;
}
