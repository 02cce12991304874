/**
 * Signals that arrive while cicada is still starting (loading its modules, reading the scenario),
 * before `cicada run` has its own handlers: caught from the first moment, so SIGTERM in the first
 * 300 ms ends the run as cleanly as one a minute in (nothing half-created, the right exit code),
 * instead of killing the process in the middle of creating its results directory.
 *
 * Imported first by `main.ts`. A command that handles signals takes them over with
 * `takeEarlySignal()`; any other calls `releaseEarlySignals()` and dies by a caught one, as it would
 * have without this module.
 */
const SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
let first: NodeJS.Signals | null = null;
let catching = true;
const record = (signal: NodeJS.Signals): void => {
  first ??= signal;
};
for (const s of SIGNALS) process.on(s, record);
// SIGUSR1 asks a run for a snapshot (snapshot-triggers.ts); without a listener Node would open its
// inspector on 127.0.0.1:9229 instead — which a SIGUSR1 sent while cicada is still loading did. A
// listener from the first moment (for the life of the process) keeps the inspector closed; before
// a run exists there is nothing to snapshot, so the signal is simply ignored.
process.on('SIGUSR1', () => undefined);

/** Stops catching; returns the first signal caught so far, if any. The caller now owns signals. */
export function takeEarlySignal(): NodeJS.Signals | null {
  if (catching) for (const s of SIGNALS) process.off(s, record);
  catching = false;
  return first;
}

/** Stops catching and, when a signal was caught, ends the process by it (Node's default). */
export function releaseEarlySignals(): void {
  const signal = takeEarlySignal();
  if (signal !== null) process.kill(process.pid, signal);
}
