/**
 * The NATS transport's own messages (`--workers N --bus URL`): what it adds around the run's
 * protocol (`../protocol.ts`) to carry it between machines. Every message is JSON; subjects live
 * under `cicada.`. Both sides connect out to the bus, so either may start first: a worker repeats
 * its join until a coordinator answers.
 *
 * A worker first joins (`cicada.join`, request/reply; refused on a version or plan mismatch) and
 * waits in the lobby. When enough workers are there (`--expect-workers`), the coordinator admits
 * them: each gets its index among those that came, their count, and the plan (unless it has its
 * own copy: `--plan`, a Kubernetes ConfigMap); later joins are refused. From then on its run-protocol
 * messages travel on `up.<index>` and the coordinator's on `down.<index>` / `down.all`, with a
 * keep-alive each second both ways: a worker silent for 3 s is gone; a worker that hears nothing
 * from its coordinator for `COORDINATOR_SILENCE_MS` stops by itself.
 */
import type { ScenarioOverrides } from '../../scenario/load.js';
import type { Command, WorkerMessage } from '../protocol.js';
import type { PlanBundle } from './plan.js';

/** Bumped when these messages change incompatibly; checked at join. */
export const BUS_PROTOCOL = 1;

/** Keep-alives, both ways. */
export const KEEPALIVE_MS = 1000;
/** A worker silent for this many keep-alive intervals is gone (Locust's 3 heartbeats). */
export const MISSING_AFTER_INTERVALS = 3;
/** A worker that hears nothing from its coordinator this long stops its users and leaves. */
export const COORDINATOR_SILENCE_MS = 10_000;

export const subjects = {
  join: 'cicada.join',
  /** Coordinator → one worker in the lobby: admitted (index, count, plan) or sent away. */
  admit: (workerId: string) => `cicada.admit.${workerId}`,
  /** Worker → coordinator while it waits in the lobby: still here. */
  lobby: (run: string) => `cicada.${run}.lobby`,
  up: (run: string, index: number) => `cicada.${run}.up.${index}`,
  upAll: (run: string) => `cicada.${run}.up.*`,
  down: (run: string, index: number) => `cicada.${run}.down.${index}`,
  downAll: (run: string) => `cicada.${run}.down.all`,
  /** Request/reply: the worker answers with its clock (`PingReply`). */
  ping: (run: string, index: number) => `cicada.${run}.ping.${index}`,
} as const;

export interface JoinRequest {
  readonly protocol: number;
  readonly version: string;
  /** Hash of the worker's own copy of the plan (`--plan`), or null to receive the coordinator's. */
  readonly planHash: string | null;
  readonly planPath: string | null;
  readonly host: string;
  readonly pid: number;
  /** Unique per worker process; it listens on `admit(workerId)` before it asks. */
  readonly workerId: string;
  /** `--index` / `JOB_COMPLETION_INDEX`: orders the workers (its place in the split), or null. */
  readonly index: number | null;
  /** `--count`: how many workers this one was told there are, or null. */
  readonly count: number | null;
}

/** The answer to a join: in the lobby of run `run` (wait for `Admission`), or refused. */
export type JoinReply = { readonly ok: true; readonly run: string } | { readonly ok: false; readonly reason: string };

/** Sent when the start barrier opens: this worker's place and everything it needs to load the plan. */
export type Admission =
  | {
      readonly ok: true;
      readonly run: string;
      readonly index: number;
      readonly count: number;
      /** The plan, unless the worker has its own copy. */
      readonly bundle: PlanBundle | null;
      readonly planHash: string;
      readonly overrides: ScenarioOverrides;
      /** Values of the environment variables the plan references, as the coordinator has them. */
      readonly env: Readonly<Record<string, string>>;
    }
  | { readonly ok: false; readonly reason: string };

export interface LobbyMessage {
  readonly workerId: string;
}

/** Worker → coordinator. */
export type UpMessage = { readonly k: 'm'; readonly m: WorkerMessage } | { readonly k: 'alive' };
/** Coordinator → worker(s). */
export type DownMessage = { readonly k: 'c'; readonly c: Command } | { readonly k: 'beat' };

export interface PingReply {
  readonly workerNow: number;
}
