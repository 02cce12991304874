/**
 * The one protocol between a run's coordinator and its workers, whatever carries it (worker threads
 * for `--processes`, NATS for workers on other machines: see `transport.ts`). Every message is a
 * plain JSON-safe object, so a transport may serialise it as it likes.
 *
 * A worker's life: it sends `hello`; the coordinator answers `start` once every expected worker has
 * said hello (or `refuse` on a version or plan mismatch). From `start` on the worker sends a `report`
 * every second (numbered by `seq` from 1), and obeys the commands that fan out to every worker.
 * When its runner has stopped it sends `final`. The coordinator acknowledges each report and the
 * final by `seq` (`ack`); the worker re-sends what is not acknowledged, and the coordinator merges
 * each `seq` once — so every request a worker recorded reaches the totals exactly once.
 */
import type { RunnerStatus } from '../engine/types.js';
import type { Scenario } from '../scenario/types.js';
import type { StatsDelta } from '../stats/delta.js';

/** Bumped when a message changes incompatibly; a worker speaking another version is refused. */
export const PROTOCOL_VERSION = 1;

/** Who a worker is: its 0-based index among `count` workers. Its share of the work follows from it. */
export interface WorkerIdentity {
  readonly index: number;
  readonly count: number;
}

/**
 * How every message, view and report names a worker: by its 0-based index — the number `cicada
 * worker --index` takes and Kubernetes gives as JOB_COMPLETION_INDEX (in the pod's name), the
 * Workers tab's `#`, `summary.json`'s `distributed.workers[].index`. Never the index plus one.
 */
export function workerName(index: number): string {
  return `worker ${index}`;
}

/** `worker 2 (of 0–3)`: a worker and the indexes of the run it is in. */
export function workerAmong(index: number, count: number): string {
  return count === 1 ? `${workerName(index)} (the only one)` : `${workerName(index)} (of 0–${count - 1})`;
}

/** Everything a worker needs to run its share. The scenario is the whole run's: the worker takes its share by (index, count). */
export interface WorkerPlan extends WorkerIdentity {
  readonly scenario: Scenario;
  /** Identifies the plan; the coordinator refuses a worker whose hash differs from its own. */
  readonly planHash: string;
  /** The cicada version the worker runs (`hello.version`). */
  readonly version: string;
  /** Where the worker runs, for the views: a host name, `thread 2`. */
  readonly host: string;
}

// ---- coordinator → worker -------------------------------------------------------------------

/** Commands. All but `ack` and `refuse` go to every worker alike (a broadcast). */
export type Command =
  /** Begin the run: spawn this worker's share of the scenario's users. */
  | { readonly type: 'start' }
  /** The whole run's users and spawn rate; each worker takes its share by (index, count). */
  | { readonly type: 'setUsers'; readonly users: number; readonly spawnRate: number }
  | { readonly type: 'pause' }
  | { readonly type: 'resume' }
  /** Clear the statistics; reports from now on carry `epoch` (older ones are dropped). */
  | { readonly type: 'reset'; readonly epoch: number }
  | { readonly type: 'stop'; readonly reason: string }
  /** During a stop: abort the requests in flight now and count them (a second Ctrl-C). */
  | { readonly type: 'abortInFlight' }
  /** The report (or final) `seq` of this worker was merged. */
  | { readonly type: 'ack'; readonly seq: number }
  /** This worker may not join (version or plan mismatch, index taken); it ends. */
  | { readonly type: 'refuse'; readonly reason: string };

// ---- worker → coordinator -------------------------------------------------------------------

/** One second of a worker's own health. */
export interface WorkerHealth {
  /** CPU as percent of one core (a worker thread: its event-loop utilisation). */
  readonly cpuPercent: number;
  /** Event-loop lag p99 over the last second, ms. */
  readonly eventLoopLagMs: number;
}

/** Requests and failures a worker recorded since the statistics (re)started, for checking the merge. */
export interface WorkerTotals {
  readonly requests: number;
  readonly failures: number;
}

export type WorkerMessage =
  | {
      readonly type: 'hello';
      readonly protocol: number;
      readonly version: string;
      readonly planHash: string;
      readonly index: number;
      readonly count: number;
      readonly host: string;
    }
  /** Everything recorded since the previous report; `seq` counts reports and the final from 1. */
  | {
      readonly type: 'report';
      readonly seq: number;
      readonly epoch: number;
      readonly delta: StatsDelta;
      readonly status: RunnerStatus;
      readonly health: WorkerHealth;
    }
  /** The last report: the runner has stopped and `delta` holds the rest; `totals` is the whole epoch's. */
  | {
      readonly type: 'final';
      readonly seq: number;
      readonly epoch: number;
      readonly delta: StatsDelta;
      readonly status: RunnerStatus;
      readonly health: WorkerHealth;
      readonly totals: WorkerTotals;
    }
  | { readonly type: 'warning'; readonly message: string }
  /** A line from a script's `u.log()` (the coordinator writes it to script.log). */
  | { readonly type: 'log'; readonly message: string }
  /** A value captured at run time and marked secret: the coordinator redacts it too. */
  | { readonly type: 'secret'; readonly value: string };

export type ReportMessage = Extract<WorkerMessage, { type: 'report' | 'final' }>;
