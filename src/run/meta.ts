/** What the reports need to know about a run besides its statistics. */
import type { ThresholdResult } from '../stats/thresholds.js';
import type { GeneratorRunSummary } from '../stats/types.js';

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
  readonly stopReason: string | null;
  /** The process exit code, or null while running. */
  readonly exitCode: number | null;
  /** The results directory, or null when none is written. */
  readonly resultsDir: string | null;
  /** The load generator's health over the run (a row a second, saturation episodes), when monitored. */
  readonly generator?: GeneratorRunSummary;
}
