/** Small fixtures for the statistics tests: a settable clock and a fixed runner status. */
import type { RunnerStatus } from '../../src/engine/types.js';
import { IDLE_GENERATOR } from '../../src/stats/generator.js';
import { PERCENTILES, type HistoryRow } from '../../src/stats/types.js';

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

/**
 * An Aggregated history row at `timestamp` (Unix seconds) with cumulative totals; the window's
 * percentiles are `p × 100` ms (p50 = 50, p95 = 95) over 5 requests unless `over` says otherwise.
 */
export function historyRow(timestamp: number, totalRequests: number, totalFailures: number, over: Partial<HistoryRow> = {}): HistoryRow {
  return {
    timestamp,
    userCount: 10,
    method: '',
    name: 'Aggregated',
    rps: 0,
    failuresPerSec: 0,
    percentilesMs: PERCENTILES.map((p) => p * 100),
    windowRequests: 5,
    totalRequests,
    totalFailures,
    totalMedianMs: 0,
    totalAvgMs: 0,
    totalMinMs: 0,
    totalMaxMs: 0,
    totalAvgBytes: 0,
    ...over,
  };
}
