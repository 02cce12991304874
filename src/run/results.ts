/**
 * Where a session's results go. `run/` never touches the filesystem: `cli/` implements this (the
 * results directory: Locust's CSV files, `summary.json`, the reports) and hands the session a way
 * to open it; tests may pass one that keeps everything in memory.
 */
import type { HistoryRow, StatsSnapshot } from '../stats/types.js';
import type { RunMeta } from './meta.js';

export interface RunResults {
  /** Where the results are, as shown to the user (the results directory). */
  readonly dir: string;
  /** Streams closed history rows (one second each), as they close. */
  appendHistory(rows: readonly HistoryRow[]): void;
  /**
   * Writes the results for `snapshot`: `'csv'` the cheap files only, `'data'` with `summary.json`,
   * `'all'` with the reports too (at the end). Never throws: failures are reported as warnings,
   * and the names of the files not written are returned.
   */
  writeAll(snapshot: StatsSnapshot, meta: RunMeta, level?: 'csv' | 'data' | 'all'): readonly string[];
  /**
   * Writes a results directory of this moment beside the live results, marked as a snapshot:
   * the rendered files and the streamed ones as they stand. Returns where; throws when it could not
   * be written whole (disk full).
   */
  writeSnapshot(snapshot: StatsSnapshot, meta: RunMeta): string;
  /** Takes in a snapshot's history at every flush, so rows leaving its one-hour ring are kept for the reports. */
  observeHistory(rows: readonly HistoryRow[]): void;
  /** Appends a line (redacted, timestamped) to the run's `script.log`. Never throws. */
  appendLog?(line: string): void;
  /** Appends text to a streamed file of the run (`monitors.csv`: its header, then a row a second). */
  append?(name: string, text: string): void;
}

/** What the session gives the results it opens: its warning channel and its redaction. */
export interface ResultsContext {
  readonly onWarning: (message: string) => void;
  readonly redact: (text: string) => string;
}

/** Opens the run's results (may throw: the directory cannot be created). */
export type OpenResults = (context: ResultsContext) => RunResults;
