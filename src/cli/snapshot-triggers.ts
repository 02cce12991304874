/**
 * Snapshots without a screen: `SIGUSR1` (any run) and `--snapshot-every T` (a timer) write what the
 * TUI's `e` writes — every CSV, summary.json and the reports for this moment into
 * `results/<run>/snapshots/<elapsed>/` — and say where (`snapshot written: DIR`). The timer skips
 * its turn while the run clock stands still (paused, or stopped with the TUI still up): such a
 * snapshot would repeat the last one.
 */
import { parseDuration } from '../scenario/duration.js';

export interface SnapshotTriggers {
  /** Removes the signal handler and the timer. */
  stop(): void;
}

/** Shortest `--snapshot-every` accepted: a snapshot is a full write of the results. */
export const MIN_SNAPSHOT_EVERY_MS = 1000;

/** The problem with a `--snapshot-every` value, or null when it is fine (or absent). */
export function snapshotEveryProblem(value: string | undefined, label: string): string | null {
  if (value === undefined) return null;
  const ms = parseDuration(value);
  if (ms === null || ms < MIN_SNAPSHOT_EVERY_MS) return `${label}: must be a duration of at least 1s (30s, 5m, 1h), got "${value}"`;
  return null;
}

/**
 * Starts the triggers. `write` exports the snapshot and returns its directory (it may throw: a full
 * disk); `say` reports the path, `fail` a snapshot that could not be written (the run goes on).
 */
export function startSnapshotTriggers(opts: {
  readonly everyMs: number | null;
  /** The run clock, ms (pauses and the time after the stop left out). */
  readonly clockMs: () => number;
  readonly write: () => string;
  readonly say: (text: string) => void;
  readonly fail: (text: string) => void;
}): SnapshotTriggers {
  const take = (why: string): void => {
    try {
      opts.say(`snapshot written (${why}): ${opts.write()}`);
    } catch (err) {
      opts.fail(`could not write a snapshot (${why}): ${(err as Error).message}`);
    }
  };
  const onSignal = (): void => take('SIGUSR1');
  process.on('SIGUSR1', onSignal);
  let lastPeriodicMs: number | null = null;
  const onTimer = (): void => {
    const now = opts.clockMs();
    if (now === lastPeriodicMs) return;
    lastPeriodicMs = now;
    take('--snapshot-every');
  };
  const timer = opts.everyMs === null ? null : setInterval(onTimer, opts.everyMs);
  return {
    stop() {
      process.off('SIGUSR1', onSignal);
      if (timer !== null) clearInterval(timer);
    },
  };
}
