/**
 * A timeout that counts only the time this process could have read an answer: while its event loop
 * was blocked (the run starting its users, the TUI's first frames, a long garbage collection) an
 * answer that arrived waits unread, so that stretch is not the other side's slowness. The time is
 * counted in steps of `STEP_MS`; a step whose timer fires late counts as at most `STEP_MS +
 * SLACK_MS`. An answer that takes `ms` while the loop runs freely still times out after `ms` (plus
 * timer jitter); a loop blocked for a second moves the deadline by about that second.
 */
import { fmtDuration } from '../../stats/format.js';

const STEP_MS = 100;
const SLACK_MS = 25;

export interface AwakeTimeout {
  /** Aborted once `ms` of awake time has passed. */
  readonly signal: AbortSignal;
  /** Stops counting (the answer came). */
  clear(): void;
}

export function awakeTimeout(ms: number): AwakeTimeout {
  const controller = new AbortController();
  let leftMs = ms;
  let timer: NodeJS.Timeout | null = null;
  const arm = (): void => {
    const stepMs = Math.min(STEP_MS, Math.max(1, leftMs));
    const at = performance.now();
    timer = setTimeout(() => {
      leftMs -= Math.min(performance.now() - at, stepMs + SLACK_MS);
      if (leftMs <= 0) {
        timer = null;
        controller.abort(new Error(`no answer within ${fmtDuration(ms)}`));
      } else arm();
    }, stepMs);
    timer.unref();
  };
  arm();
  return {
    signal: controller.signal,
    clear: () => {
      if (timer !== null) clearTimeout(timer);
      timer = null;
    },
  };
}
