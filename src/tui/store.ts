/**
 * The one store the app reads through `useSyncExternalStore`. It polls a source on a fixed interval
 * and hands out the same object until the next poll, so the frame rate is fixed by the interval,
 * not by the request rate, and drawing never runs inside the engine's callbacks.
 *
 * The timer runs only while someone is subscribed and is unref'd: it never keeps the process alive.
 */

export interface PollingStore<T> {
  /** The latest value (the same object between polls). Polls once if nothing was read yet. */
  getSnapshot(): T;
  /** For `useSyncExternalStore`: starts the timer with the first listener, stops it with the last. */
  subscribe(listener: () => void): () => void;
  /** Polls now (after a key press, so its effect shows without waiting for the next tick). */
  refresh(): void;
  /** Stops the timer for good; later reads return the last value. */
  stop(): void;
}

export function createPollingStore<T>(read: () => T, intervalMs: number): PollingStore<T> {
  let value: T | undefined;
  let has = false;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  const listeners = new Set<() => void>();

  const poll = (): void => {
    if (stopped) return;
    value = read();
    has = true;
    for (const l of [...listeners]) l();
  };
  const stopTimer = (): void => {
    if (timer !== null) clearInterval(timer);
    timer = null;
  };

  return {
    getSnapshot() {
      if (!has) {
        value = read();
        has = true;
      }
      return value as T;
    },
    subscribe(listener) {
      listeners.add(listener);
      if (timer === null && !stopped) {
        timer = setInterval(poll, intervalMs);
        timer.unref();
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) stopTimer();
      };
    },
    refresh: poll,
    stop() {
      stopped = true;
      stopTimer();
    },
  };
}
