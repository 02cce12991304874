/**
 * The run's log: every warning and notice with when it happened, on the wall clock and on the run
 * clock, newest last — what the TUI's Logs tab lists (Locust's web UI has the same tab) and what the
 * status bar takes its latest warning from. Bounded: the first `limit` entries are kept whole
 * (a run's first warnings usually explain the rest) plus the most recent ones, and the count of
 * those left out in between is kept.
 */
import { fmtOffset } from '../stats/format.js';

export type LogLevel = 'warning' | 'notice';

export interface LogEntry {
  /** Epoch ms. */
  readonly at: number;
  /** The run clock when it happened (pauses excluded), ms. */
  readonly elapsedMs: number;
  readonly level: LogLevel;
  /** One message; redacted by whoever adds it. */
  readonly text: string;
}

export interface RunLogOptions {
  /** Epoch ms now; default `Date.now`. */
  readonly now?: () => number;
  /** The run clock now, ms. */
  readonly elapsedMs: () => number;
  /** Entries kept from the start, and again from the end; default 500 each. */
  readonly keep?: number;
  /** Called with every entry as it is added (kept or not): the results directory's `run.log`. */
  readonly onAdd?: (entry: LogEntry) => void;
}

/** The run log's file in the results directory: every entry, as `runLogLine` writes it. */
export const RUN_LOG_FILE = 'run.log';

/**
 * One entry as a line of `run.log`: `[2026-12-06T06:00:43.536Z] [0:03] WARNING: text` — the wall
 * clock, the run clock, and the level as `--logfile` names it (a notice is INFO). A message of
 * several lines gets the prefix on each.
 */
export function runLogLine(e: LogEntry): string {
  const prefix = `[${new Date(e.at).toISOString()}] [${fmtOffset(e.elapsedMs / 1000)}] ${e.level === 'warning' ? 'WARNING' : 'INFO'}: `;
  return e.text.split('\n').map((line) => prefix + line).join('\n') + '\n';
}

export class RunLog {
  private readonly now: () => number;
  private readonly elapsed: () => number;
  private readonly keep: number;
  private readonly head: LogEntry[] = [];
  private tail: LogEntry[] = [];
  private skipped = 0;
  private view: readonly LogEntry[] | null = null;
  private readonly onAdd: ((entry: LogEntry) => void) | undefined;

  constructor(opts: RunLogOptions) {
    this.onAdd = opts.onAdd;
    this.now = opts.now ?? Date.now;
    this.elapsed = opts.elapsedMs;
    this.keep = Math.max(1, opts.keep ?? 500);
  }

  add(level: LogLevel, text: string): LogEntry {
    const entry: LogEntry = { at: this.now(), elapsedMs: this.elapsed(), level, text };
    if (this.head.length < this.keep) this.head.push(entry);
    else {
      this.tail.push(entry);
      // Trimmed in batches, so a long run's steady trickle of entries costs O(1) each.
      if (this.tail.length >= 2 * this.keep) {
        this.skipped += this.tail.length - this.keep;
        this.tail = this.tail.slice(-this.keep);
      }
    }
    this.view = null;
    this.onAdd?.(entry);
    return entry;
  }

  /** Kept entries, oldest first (the same array until the next `add`). */
  entries(): readonly LogEntry[] {
    if (this.view === null) {
      const over = Math.max(0, this.tail.length - this.keep);
      this.view = over === 0 ? [...this.head, ...this.tail] : [...this.head, ...this.tail.slice(over)];
    }
    return this.view;
  }

  /** Entries left out between the first and the most recent ones. */
  get omitted(): number {
    return this.skipped + Math.max(0, this.tail.length - this.keep);
  }
}
