/**
 * What the TUI needs from a run, and the small types its components share. The CLI's `Session`
 * satisfies `TuiSession` structurally; tests build their own from a real `Runner` and collector.
 */
import type { RunnerCommands } from '../engine/types.js';
import type { MonitorSummary } from '../run/monitors/types.js';
import type { LogEntry } from '../run/run-log.js';
import type { Scenario } from '../scenario/types.js';
import type { RecordedBuckets } from '../stats/latency-bins.js';
import type { HistoryRow, StatsSnapshot } from '../stats/types.js';
import type { ComparedStats } from '../stats/comparison.js';

export interface TuiSession {
  /** Fresh statistics each call. The TUI's store calls it a few times a second, never more than `fps`. */
  snapshot(): StatsSnapshot;
  readonly runner: RunnerCommands & { readonly done: Promise<void> };
  /** Writes `results/<run>/snapshots/<elapsed>/` and returns that directory. May throw (disk full). */
  exportSnapshot(): string;
  readonly results: { readonly dir: string };
  /** Newest last. Read on every store tick; only the latest is shown (when there is no `log`). */
  readonly warnings: readonly string[];
  /**
   * Every warning and notice with its time, newest last (the Logs tab); the status bar shows the
   * latest warning with its age while it is recent. The same array between additions.
   */
  log?(): readonly LogEntry[];
  /** The generator's soft limit on open file descriptors, shown with the open connections; null when unknown. */
  readonly descriptorLimit?: number | null;
  /** Host, classes and tasks (Ratio tab), thresholds, load model. */
  readonly scenario: Scenario;
  /**
   * Live threshold evaluation, one per `scenario.thresholds` entry in the same order. Until a
   * session provides it, every threshold is shown as pending.
   */
  thresholdResults?(): readonly ThresholdView[];
  /** The target's series (`monitors:`) now: the Target tab and the status bar's pinned line. */
  monitors?(): readonly MonitorSummary[];
  /** The workers of a distributed run (`--workers N --bus URL`), by index; absent or null otherwise. */
  workers?(): readonly WorkerView[] | null;
  /** The run this one is compared with (`--baseline`, a profile's `baseline:`, the run before `n`). */
  readonly baseline?: TuiBaseline | null;
  /**
   * `n` once the run has stopped: the same scenario again with these settings, in a fresh results
   * directory, this run as its baseline. Absent when a new test cannot be started from the TUI (a
   * distributed run).
   */
  readonly newTest?: NewTestStarter;
  /**
   * The recorded latency buckets (µs) of one row — an endpoint by method and name, or Aggregated
   * (`''`, `'Aggregated'`) — for the Percentiles tab's histogram; null when unknown. Called a few
   * times a second for the row on screen only. Without it the tab shows no histogram.
   */
  latencyBuckets?(method: string, name: string): RecordedBuckets | null;
  /** Ctrl-C in the TUI: the run ends as interrupted (as by SIGINT, exit 130). Without it, Ctrl-C stops like `q`. */
  interrupt?(): void;
  /** `--metrics-port`: the URL the live Prometheus metrics are served at (status bar, Logs tab); absent or null without. */
  readonly metricsUrl?: string | null;
}

/** A finished run's statistics, shown as Δ columns and a verdict beside the live ones. */
export interface TuiBaseline {
  /** How it is named on screen: `latest = tune-20261206-031500`, a directory. */
  readonly label: string;
  readonly stats: ComparedStats;
  /** Its history rows and statistics start (epoch ms): the Charts tab draws them as a second line. */
  readonly history?: readonly HistoryRow[];
  readonly sinceMs?: number;
}

/** What the `n` form is prefilled with. */
export interface NewTestDefaults {
  readonly users: number;
  /** Spawn rate (users/s) in the closed model, the arrival rate (iterations/s) in the open one. */
  readonly rate: number;
  readonly host: string;
  readonly openModel: boolean;
}

export interface NewTestSettings {
  readonly users: number;
  readonly rate: number;
  readonly host: string;
}

export interface NewTestStarter {
  readonly defaults: () => NewTestDefaults;
  /**
   * Starts the new run once this one's final results are written; resolves to the new run's
   * session, or to the problem (bad host, a scenario file now invalid) as one line.
   */
  start(settings: NewTestSettings): Promise<TuiSession | string>;
}

/** One worker of a distributed run, as the Workers tab shows it. */
export interface WorkerView {
  readonly index: number;
  /** Host name (and pid) it reported; null before it said hello. */
  readonly host: string | null;
  /** joining, ready, running, done, gone, refused. */
  readonly state: string;
  readonly users: number;
  /** Requests per second in its last report. */
  readonly rps: number;
  /** Its process CPU, percent of one core. */
  readonly cpuPercent: number;
  /** How long ago its last report arrived, ms; null before the first. */
  readonly lastReportAgeMs: number | null;
  /** Its clock minus the coordinator's, ms; null until measured. */
  readonly skewMs: number | null;
}

/** One threshold as the status bar shows it. */
export interface ThresholdView {
  /** The expression as written: `p95<500ms`. */
  readonly source: string;
  readonly status: 'pending' | 'pass' | 'fail';
  /** The measured value, formatted (`p95 412 ms`), or null when nothing is measured yet. */
  readonly actual: string | null;
  /** For a threshold on a monitor, the monitor's id. */
  readonly monitor?: string;
}

export interface TuiOptions {
  /** Where the app is drawn; default `process.stdout`. */
  readonly stdout?: NodeJS.WriteStream;
  /** Where keys come from; default `process.stdin`. */
  readonly stdin?: NodeJS.ReadStream;
  /** How often statistics are polled, per second (1..10, default 4). Frames are capped at 10/s. */
  readonly fps?: number;
  /** Colours off when true; default: the `NO_COLOR` environment variable is set and not empty. */
  readonly noColor?: boolean;
  /**
   * Aborting it leaves the UI as if the user had quit (the CLI aborts on SIGTERM, SIGHUP or an
   * outside SIGINT, so a run whose terminal is gone still ends and writes its results).
   */
  readonly signal?: AbortSignal;
}

export const TABS = ['stats', 'charts', 'percentiles', 'failures', 'exceptions', 'ratio', 'workers', 'target', 'logs'] as const;
export type TabId = (typeof TABS)[number];
