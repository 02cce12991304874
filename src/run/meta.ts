/** What the reports need to know about a run besides its statistics. */
import type { ThresholdResult } from '../stats/thresholds.js';
import type { GeneratorRunSummary } from '../stats/types.js';
import type { MonitorSummary } from './monitors/types.js';

/**
 * The run's configuration and outcome, as `cli/` knows it. Every string here may end up in a file:
 * the caller redacts secrets from `commandLine` (and `summaryJson` can redact again).
 */
export interface RunMeta {
  readonly scenarioName: string;
  /** Absolute path of the scenario file, or null when built in code. */
  readonly scenarioFile: string | null;
  readonly host: string;
  /** Configured users (closed model) or maximum concurrent users (open model). */
  readonly users: number;
  /** Users started per second. */
  readonly spawnRate: number;
  /** null = until stopped. */
  readonly runTimeMs: number | null;
  /** `-i N`: the run's limit of task iterations, or null. */
  readonly iterations?: number | null;
  /** The `--profile` in effect, or null. */
  readonly profile: string | null;
  /** Human description of the load model: `closed: 50 users at 10/s`, `open: 200 it/s, max 100 users`. */
  readonly loadModel: string;
  /** Threshold expressions as written: `p95 < 500ms`. */
  readonly thresholds: readonly string[];
  /** The thresholds evaluated against the statistics the files are written from (final at the end). */
  readonly thresholdResults: readonly ThresholdResult[];
  readonly cicadaVersion: string;
  /** The command line that started the run, secrets already redacted. */
  readonly commandLine: string;
  /** Epoch ms. */
  readonly startedAt: number;
  /** Epoch ms, or null while running. */
  readonly endedAt: number | null;
  /**
   * A snapshot (`e`, SIGUSR1, `--snapshot-every`): the run's numbers at the moment it was taken,
   * written once into `snapshots/<elapsed>/` while the run went on. Absent otherwise.
   */
  readonly snapshot?: boolean;
  readonly stopReason: string | null;
  /** The process exit code, or null while running. */
  readonly exitCode: number | null;
  /** The results directory, or null when none is written. */
  readonly resultsDir: string | null;
  /** The load generator's health over the run (a row a second, saturation episodes), when monitored. */
  readonly generator?: GeneratorRunSummary;
  /** A distributed run (`--workers N --bus URL`): its workers, their finals and losses. */
  readonly distributed?: DistributedSummary;
  /** The target's series (`monitors:`), whole run, with leak verdicts; absent without monitors. */
  readonly monitors?: readonly MonitorSummary[];
}

/** A worker that fell silent during the run and never sent its final report. */
export interface WorkerLoss {
  /** Epoch ms when it was declared gone. */
  readonly at: number;
  readonly reason: string;
  /** Epoch ms of the last message heard from it, or null. */
  readonly lastReportAt: number | null;
  /** Run time (ms from the start) from which its requests went unreported, to the end of the run. */
  readonly unreportedFromMs: number;
}

export interface DistributedSummary {
  /** The NATS URL. */
  readonly bus: string;
  readonly planHash: string;
  /** `--workers`, and how many started. */
  readonly workersRequested: number;
  readonly workersStarted: number;
  readonly onWorkerLoss: 'abort' | 'continue';
  readonly workers: readonly {
    readonly index: number;
    readonly host: string | null;
    /** Its clock minus the coordinator's, ms. */
    readonly skewMs: number | null;
    /** joining, ready, running, done, gone, refused. */
    readonly state: string;
    /** What the coordinator merged from it. */
    readonly merged: { readonly requests: number; readonly failures: number };
    /** Its own cumulative totals, from its acknowledged final report; null if none came. */
    readonly final: { readonly requests: number; readonly failures: number } | null;
    readonly lost: WorkerLoss | null;
  }[];
  /** Intervals merged before every live worker's report came (their late reports count in a later second). */
  readonly partialIntervals: readonly { readonly seq: number; readonly mergedAt: number; readonly missing: readonly number[] }[];
}
