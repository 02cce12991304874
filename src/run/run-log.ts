/**
 * The run's log: every warning and notice with when it happened, on the wall clock and on the run
 * clock, newest last — what the TUI's Logs tab lists (Locust's web UI has the same tab) and what the
 * status bar takes its latest warning from. Bounded: the first `limit` entries are kept whole
 * (a run's first warnings usually explain the rest) plus the most recent ones, and the count of
 * those left out in between is kept.
 */
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
}

export class RunLog {
  private readonly now: () => number;
  private readonly elapsed: () => number;
  private readonly keep: number;
  private readonly head: LogEntry[] = [];
  private tail: LogEntry[] = [];
  private skipped = 0;
  private view: readonly LogEntry[] | null = null;

  constructor(opts: RunLogOptions) {
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
