/**
 * A target for the coordinated-omission test (issue 4): every answer takes `delayMs` (default
 * 50 ms), and with stalls on, for `stallMs` (default 1 s) out of every `stallEveryMs` (default 5 s)
 * nothing is answered: an answer that would go out during a stall goes out when the stall ends.
 * Stall windows are fixed from the server's start: [first + k·every, first + k·every + stallMs),
 * with `first` = `firstStallAtMs` (default every − stallMs, so the first stall is 4–5 s in).
 * Built on the counting server, so it counts and timestamps everything too.
 */

import type { CountingServer } from './counting-server.js';
import { startCountingServer } from './counting-server.js';
import { nowMs } from './listen.js';

export interface StallServerOptions {
  readonly delayMs?: number;
  /** Default true; false gives a plain fixed-delay server. */
  readonly stall?: boolean;
  readonly stallEveryMs?: number;
  readonly stallMs?: number;
  /** When the first stall begins, ms after the server started. */
  readonly firstStallAtMs?: number;
}

export interface StallWindow {
  /** `performance.now()` ms, like every timestamp of the counting server. */
  readonly startMs: number;
  readonly endMs: number;
}

export interface StallServer extends CountingServer {
  /** `performance.now()` when the server started; stall windows are counted from it. */
  readonly startedAtMs: number;
  /** Every stall window that has begun by `untilMs` (default now). Empty when stalls are off. */
  stallWindows(untilMs?: number): StallWindow[];
}

export async function startStallServer(opts: StallServerOptions = {}): Promise<StallServer> {
  const delayMs = opts.delayMs ?? 50;
  const stall = opts.stall ?? true;
  const everyMs = opts.stallEveryMs ?? 5000;
  const stallMs = opts.stallMs ?? 1000;
  const firstMs = opts.firstStallAtMs ?? everyMs - stallMs;
  if (stall && !(stallMs > 0 && stallMs < everyMs && firstMs >= 0)) {
    throw new RangeError('stall server needs 0 < stallMs < stallEveryMs and firstStallAtMs >= 0');
  }
  let startedAtMs = nowMs();

  /** When an answer due at `dueMs` actually goes out. */
  const releaseAt = (dueMs: number): number => {
    if (!stall) return dueMs;
    const sinceFirst = dueMs - startedAtMs - firstMs;
    if (sinceFirst < 0) return dueMs;
    const intoPeriod = sinceFirst % everyMs;
    return intoPeriod < stallMs ? dueMs - intoPeriod + stallMs : dueMs;
  };

  const server = await startCountingServer({
    delayMs: () => {
      const now = nowMs();
      return releaseAt(now + delayMs) - now;
    },
  });
  startedAtMs = nowMs();

  return Object.defineProperties(server as StallServer, {
    startedAtMs: { get: () => startedAtMs, enumerable: true },
    stallWindows: {
      value: (untilMs: number = nowMs()): StallWindow[] => {
        const windows: StallWindow[] = [];
        if (!stall) return windows;
        for (let start = startedAtMs + firstMs; start <= untilMs; start += everyMs) {
          windows.push({ startMs: start, endMs: start + stallMs });
        }
        return windows;
      },
      enumerable: true,
    },
  });
}
