/**
 * Lines from scripts' `u.log()`: every line goes to the run's log file (`script.log`, through the
 * results), and a few a second to the screen (the TUI's notices, the headless console), so a script
 * that logs every request cannot drown the display. Lines are redacted before either.
 */

/** Lines shown on screen per second; the rest are counted and mentioned once a second. */
const SHOWN_PER_SECOND = 5;

export interface ScriptLogOptions {
  /** A line for the screen (already redacted). */
  readonly show: (message: string) => void;
  /** A line for the log file (already redacted). */
  readonly write: (line: string) => void;
  readonly redact: (text: string) => string;
  /** Epoch ms; default Date.now. */
  readonly clock?: () => number;
}

export class ScriptLog {
  private second = 0;
  private shown = 0;
  private hidden = 0;

  constructor(private readonly options: ScriptLogOptions) {}

  line(raw: string): void {
    const now = (this.options.clock ?? Date.now)();
    const message = this.options.redact(raw);
    this.options.write(`${new Date(now).toISOString()} ${message}`);
    const second = Math.floor(now / 1000);
    if (second !== this.second) {
      if (this.hidden > 0) this.options.show(`script log: ${this.hidden} more line${this.hidden === 1 ? '' : 's'} in script.log`);
      this.second = second;
      this.shown = 0;
      this.hidden = 0;
    }
    if (this.shown < SHOWN_PER_SECOND) {
      this.shown++;
      this.options.show(message);
    } else {
      this.hidden++;
    }
  }
}
