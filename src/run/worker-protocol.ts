/**
 * Messages between the coordinator and its engine workers (`--processes N`). Each worker runs a
 * Runner and a StatsCollector for its share of the users and reports once a second; the
 * coordinator merges the reports into the one collector every view reads.
 */
import type { RunnerStatus } from '../engine/types.js';
import type { Scenario } from '../scenario/types.js';
import type { StatsDelta } from '../stats/delta.js';

export interface WorkerInit {
  readonly scenario: Scenario;
  /** 0-based index of this worker and how many there are. */
  readonly index: number;
  readonly count: number;
  readonly secretValues: readonly string[];
  readonly secretHeaders: readonly string[];
  /** Per-class initial user targets (closed model without stages), or null to follow the scenario. */
  readonly classTargets: readonly number[] | null;
}

export type ToWorker =
  | { readonly type: 'setClassTargets'; readonly targets: readonly number[]; readonly spawnRate: number }
  | { readonly type: 'pause' }
  | { readonly type: 'resume' }
  | { readonly type: 'reset' }
  | { readonly type: 'stop'; readonly reason: string };

/** One thread's health over the last second. */
export interface ThreadHealth {
  /** Event-loop utilisation as percent of one core (a worker thread's share of CPU). */
  readonly cpuPercent: number;
  /** Event-loop lag p99 over the last second, ms. */
  readonly eventLoopLagMs: number;
}

export type FromWorker =
  | { readonly type: 'report'; readonly delta: StatsDelta; readonly status: RunnerStatus; readonly health: ThreadHealth }
  /** The last report: the worker's runner has stopped and everything it recorded is in `delta`. */
  | { readonly type: 'stopped'; readonly delta: StatsDelta; readonly status: RunnerStatus; readonly health: ThreadHealth }
  | { readonly type: 'warning'; readonly message: string }
  | { readonly type: 'secret'; readonly value: string };
