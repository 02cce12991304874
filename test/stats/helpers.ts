/** Small fixtures for the statistics tests: a settable clock and a fixed runner status. */
import type { RunnerStatus } from '../../src/engine/types.js';
import { IDLE_GENERATOR } from '../../src/stats/generator.js';

export { IDLE_GENERATOR };

/** 2023-11-14T22:13:20Z: a whole second, so bucket boundaries are easy to read. */
export const T0 = 1_700_000_000_000;

/** A clock the test moves by hand; the collector reads it, the test passes `now` to tick/snapshot. */
export function manualClock(startMs = T0): { now: number; read: () => number; advance: (ms: number) => number } {
  const c = {
    now: startMs,
    read: () => c.now,
    advance: (ms: number) => (c.now += ms),
  };
  return c;
}

export function runStatus(over: Partial<RunnerStatus> = {}): RunnerStatus {
  return {
    state: 'running',
    users: 10,
    targetUsers: 10,
    spawnRate: 5,
    startedAt: T0,
    elapsedMs: 0,
    remainingMs: null,
    inFlight: 0,
    targetRate: null,
    classes: [],
    stopReason: null,
    ...over,
  };
}
