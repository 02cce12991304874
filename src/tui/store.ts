/**
 * The one store the app reads through `useSyncExternalStore`. It polls a source on a timer and hands
 * out the same object until the next poll, so frames follow the timer, never the request rate, and
 * drawing never runs inside the engine's callbacks.
 *
 * Drawing shares the engine's thread, so it has a budget: each poll measures what it cost (the read,
 * then React and Ink drawing the frame, up to the next turn of the event loop), and the next poll
 * waits long enough that drawing stays under `budget` of one core — never sooner than `intervalMs`,
 * never later than `maxIntervalMs`. A small terminal redraws at the full rate; a 200-column chart
 * tab slows down a little rather than slow the load test down.
 *
 * The timer runs only while someone is subscribed and is unref'd: it never keeps the process alive.
 */

export interface PollingOptions {
  /** The normal (and shortest) time between polls. */
  readonly intervalMs: number;
  /** Fraction of one core drawing may use on average; default 0.03. */
  readonly budget?: number;
  /** The longest time between polls however costly drawing is; default 1000 ms. */
  readonly maxIntervalMs?: number;
}

export interface PollingStore<T> {
  /** The latest value (the same object between polls). Polls once if nothing was read yet. */
  getSnapshot(): T;
  /** For `useSyncExternalStore`: starts the timer with the first listener, stops it with the last. */
  subscribe(listener: () => void): () => void;
  /** Polls now (after a key press, so its effect shows without waiting for the next tick). */
  refresh(): void;
  /** Stops the timer for good; later reads return the last value. */
  stop(): void;
  /** The current wait between polls, ms (for tests and the curious). */
  currentIntervalMs(): number;
}

export function createPollingStore<T>(read: () => T, options: PollingOptions | number): PollingStore<T> {
  const opts: PollingOptions = typeof options === 'number' ? { intervalMs: options } : options;
  const budget = opts.budget ?? 0.03;
  const maxIntervalMs = Math.max(opts.intervalMs, opts.maxIntervalMs ?? 1000);
  let value: T | undefined;
  let has = false;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  /** Smoothed cost of one poll and its frame, ms. */
  let costMs = 0;
  let intervalMs = opts.intervalMs;
  const listeners = new Set<() => void>();

  const schedule = (): void => {
    if (stopped || listeners.size === 0 || timer !== null) return;
    timer = setTimeout(() => {
      timer = null;
      poll();
      schedule();
    }, intervalMs);
    timer.unref();
  };
  const poll = (): void => {
    if (stopped) return;
    const started = performance.now();
    value = read();
    has = true;
    for (const l of [...listeners]) l();
    // React commits and Ink draws before the event loop's check phase: measure up to there.
    setImmediate(() => {
      const cost = performance.now() - started;
      costMs = costMs === 0 ? cost : costMs * 0.7 + cost * 0.3;
      intervalMs = Math.round(Math.min(maxIntervalMs, Math.max(opts.intervalMs, costMs / budget)));
    });
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
      schedule();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && timer !== null) {
          clearTimeout(timer);
          timer = null;
        }
      };
    },
    refresh: poll,
    stop() {
      stopped = true;
      if (timer !== null) clearTimeout(timer);
      timer = null;
    },
    currentIntervalMs: () => intervalMs,
  };
}
