/** Hand-built snapshots with exact numbers, for formatter tests (the collector has its own tests). */
import type { EndpointStats, FailureEntry, StatsSnapshot } from '../../src/stats/types.js';
import { PERCENTILES } from '../../src/stats/types.js';
import { IDLE_GENERATOR, T0, runStatus } from '../stats/helpers.js';

export { T0 };

export function endpoint(over: Partial<EndpointStats> = {}): EndpointStats {
  return {
    method: 'GET',
    name: '/',
    requests: 0,
    failures: 0,
    notSent: 0,
    minMs: 0,
    maxMs: 0,
    avgMs: 0,
    medianMs: 0,
    percentilesMs: PERCENTILES.map(() => 0),
    totalBytes: 0,
    avgBytes: 0,
    rps: 0,
    failuresPerSec: 0,
    currentRps: 0,
    currentFailuresPerSec: 0,
    servicePercentilesMs: null,
    checksPassed: 0,
    checksFailed: 0,
    ...over,
  };
}

export function failure(over: Partial<FailureEntry> = {}): FailureEntry {
  return { method: 'GET', name: '/', error: 'HTTP 500', occurrences: 1, firstSeen: T0, lastSeen: T0, ...over };
}

export function snapshot(over: Partial<StatsSnapshot> = {}): StatsSnapshot {
  return {
    takenAt: T0 + 60_000,
    statsStartedAt: T0,
    run: runStatus({ elapsedMs: 60_000, remainingMs: 240_000 }),
    endpoints: [],
    total: endpoint({ method: '', name: 'Aggregated' }),
    failures: [],
    exceptions: [],
    history: [],
    droppedIterations: 0,
    generator: IDLE_GENERATOR,
    overflowNames: 0,
    ...over,
  };
}

/** The two rows of Locust's example in LOCUST-FORMATS.md (a real Locust run). */
export const LOCUST_EXAMPLE = {
  get: endpoint({
    requests: 103,
    failures: 18,
    medianMs: 4,
    avgMs: 4.387206699030923,
    minMs: 2.4008139999978084,
    maxMs: 17.46650799998406,
    avgBytes: 6.0,
    rps: 14.922520550216447,
    failuresPerSec: 2.6078191252805443,
    percentilesMs: [4, 4, 5, 5, 7, 8, 15, 15, 17, 17, 17],
  }),
  total: endpoint({
    method: '',
    name: 'Aggregated',
    requests: 152,
    failures: 40,
    medianMs: 4,
    avgMs: 4.383713618422591,
    minMs: 2.4008139999978084,
    maxMs: 17.46650799998406,
    avgBytes: 53.08552631578947,
    rps: 22.021583724591263,
    failuresPerSec: 5.795153611734543,
    percentilesMs: [4, 4, 5, 5, 7, 8, 12, 15, 17, 17, 17],
  }),
};
