/**
 * Monitors of the target (`monitors:` in the scenario, `--monitor` on the command line): each is one
 * named series of numbers sampled beside the load's statistics — a Prometheus metric scraped from
 * an exporter, a PromQL query evaluated by a Prometheus server, or a local process read from /proc.
 */
import type { SourceLoc } from './types.js';

/** `name="value"`, `name!="value"`, `name=~"regex"`, `name!~"regex"` (regexes anchored, as in PromQL). */
export interface LabelMatcher {
  readonly label: string;
  readonly op: '=' | '!=' | '=~' | '!~';
  readonly value: string;
}

/** `process_cpu_seconds_total{job="api",mode!="idle"}`: a metric name and label matchers. */
export interface MetricSelector {
  readonly name: string;
  readonly matchers: readonly LabelMatcher[];
  /** As written. */
  readonly text: string;
}

export type ProcessMetric = 'cpu' | 'rss' | 'threads' | 'fds';
export const PROCESS_METRICS: readonly ProcessMetric[] = ['cpu', 'rss', 'threads', 'fds'];

export type MonitorSource =
  /**
   * A Prometheus text exposition at `url`: the matching series are summed; counters (and the
   * `_total`, `_count`, `_sum`, `_bucket` series of counters, histograms and summaries) become
   * rates per second unless `rate` says otherwise.
   */
  | { readonly kind: 'scrape'; readonly url: string; readonly selector: MetricSelector; readonly rate: boolean | null }
  /** A Prometheus server's instant query API (`/api/v1/query`); a vector result is summed. */
  | { readonly kind: 'query'; readonly server: string; readonly query: string }
  /**
   * A local process by pid or by a substring of its command line (every match), with its
   * descendants unless `children` is false.
   */
  | {
      readonly kind: 'process';
      readonly pid: number | null;
      readonly match: string | null;
      readonly metric: ProcessMetric;
      readonly children: boolean;
    };

export interface MonitorSpec {
  /** The key: used in thresholds (`app_cpu.max < 70%`), monitors.csv and summary.json. */
  readonly id: string;
  /** Shown in the TUI and reports; default the id. */
  readonly name: string;
  /** The report's Component column: default the exporter's host:port, the Prometheus server or the process. */
  readonly component: string;
  readonly source: MonitorSource;
  /**
   * `percent`, `bytes`, `bytes/s`, `seconds`, `ms`, `/s`, or any other word (shown after the value),
   * or '' for a bare number. Values are stored in this unit (after `scale`).
   */
  readonly unit: string;
  /** Multiplies every raw value (a CPU counter's rate × 100 → percent). */
  readonly scale: number;
  /** Sampling period; a whole number of seconds, default 1 s (a sample with each statistics row). */
  readonly everyMs: number;
  /** A sample that takes longer is a gap. Default 900 ms (a little under one period). */
  readonly timeoutMs: number;
  /** Shown on the TUI's status bar. */
  readonly pin: boolean;
  /** Leak verdict in the reports: true, false, or null = when the unit is bytes. */
  readonly leak: boolean | null;
  /** Samples before this much of the run are left out of the leak fit; null = the first 10%. */
  readonly warmupMs: number | null;
  /** Where it was defined, or null for `--monitor`. */
  readonly loc: SourceLoc | null;
}

/** What a threshold on a monitor reads: `app_cpu.max < 70%`. */
export type MonitorStat = 'avg' | 'min' | 'max' | 'last';
export const MONITOR_STATS: Readonly<Record<string, MonitorStat>> = {
  avg: 'avg', mean: 'avg', min: 'min', max: 'max', peak: 'max', last: 'last', final: 'last', current: 'last',
};

export interface MonitorThresholdRef {
  readonly id: string;
  readonly stat: MonitorStat;
  /** The series' unit (filled in when the scenario is built). */
  readonly unit: string;
  /** The value as written (`70%`, `512MB`), read in the series' unit once the monitor is known. */
  readonly valueText: string;
}
