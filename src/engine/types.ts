/**
 * What the engine promises to the rest of cicada. The engine measures nothing itself: every result
 * goes to a `ResultSink` (implemented by `stats/`), and every front end drives it through
 * `RunnerCommands` and reads `RunnerStatus`.
 */

export type RunState = 'ready' | 'spawning' | 'running' | 'paused' | 'stopping' | 'stopped';

/**
 * Receives every result. Called on the engine's hot path, synchronously, never concurrently (one
 * thread). Implementations must be O(1) and must not allocate per call, and must never throw.
 */
export interface ResultSink {
  /**
   * The id of the statistics row for (method, name); the same id for the same pair for the whole
   * run. Called when a task is prepared and for names only known at run time.
   */
  endpoint(method: string, name: string): number;
  /**
   * One request finished, successfully or not. Every request that was dispatched is reported
   * exactly once.
   * @param latencyUs from the intended start (open model) or the send (closed model) to the last
   *   byte or the error, microseconds.
   * @param serviceUs from the actual send to the last byte or the error; equals latencyUs in the
   *   closed model.
   * @param bytes response body bytes received.
   * @param failure null on success, else a stable human-readable key: `HTTP 503`, `ECONNREFUSED`,
   *   `timeout after 30s`, `check: status 200 expected, got 404`. Reused strings are interned by
   *   the engine, so implementations may key maps by them.
   */
  request(endpointId: number, latencyUs: number, serviceUs: number, bytes: number, failure: string | null): void;
  /**
   * A request that was never sent (it needed a value no response set: `not sent: ${token} is not
   * set`). It counts as a request and a failure but has no latency: it is never a latency sample.
   */
  notSent(endpointId: number, failure: string): void;

  /**
   * Called right before `request()` for a request that followed `hops` (≥ 1) redirects before its
   * final response (the chain is that one request). Optional: a sink may ignore redirects.
   */
  redirected?(endpointId: number, hops: number): void;
  /**
   * The status code of a response (the final one of a followed redirect chain), called just before
   * its `request()`. Optional: a sink that does not count status codes leaves it out.
   */
  status?(endpointId: number, code: number): void;
  /** One check was evaluated (for the check pass rate). */
  check(endpointId: number, passed: boolean): void;
  /** An error raised inside the engine while running a task (a bug or bad data, not the target). */
  exception(error: unknown, context: string): void;
  /** Open model: iterations that were due but could not start because every user was busy. */
  dropped(count: number): void;
}

/** Users of one class, now and as targeted. */
export interface ClassStatus {
  readonly name: string;
  readonly users: number;
  readonly targetUsers: number;
  /** Users of the class when the run began to stop (Locust's "final ratio"); null until then. */
  readonly usersAtStop: number | null;
  /** Configured share (weight / sum of weights; fixed-count classes by their count). */
  readonly weightShare: number;
  /** Task iterations started, per task, in the order of `UserClass.tasks`. */
  readonly taskRuns: readonly number[];
  readonly taskNames: readonly string[];
  readonly taskWeights: readonly number[];
}

export interface RunnerStatus {
  readonly state: RunState;
  readonly users: number;
  readonly targetUsers: number;
  readonly spawnRate: number;
  /** Epoch ms when `start()` was called, or null before. */
  readonly startedAt: number | null;
  /** Run-clock time: wall time since start, minus time spent paused. */
  readonly elapsedMs: number;
  /** null when the run has no run time. */
  readonly remainingMs: number | null;
  /** Requests dispatched and not yet finished. */
  readonly inFlight: number;
  /**
   * Connections (sockets) open to the targets now, every user's to every origin: each one is a file
   * descriptor of this process. Absent where not counted.
   */
  readonly connections?: number;
  /** Open model: configured and current target rate (iterations/s); null in the closed model. */
  readonly targetRate: number | null;
  readonly classes: readonly ClassStatus[];
  /** Why the run stopped (`run time reached`, `stopped by user`, `threshold p95<500ms failed`, ...), or null. */
  readonly stopReason: string | null;
}

/** The commands a front end (TUI, headless console, signal handler) may give. All are idempotent. */
/**
 * The run clock a Runner keeps (`run/` implements it: `RunClock`): ms of load offered, standing
 * still while paused and for good from `stop` on. The Runner starts, pauses, resumes and stops it
 * with the run; its owner (the session) reads it for every number it shows.
 */
export interface RunClockControl {
  start(): void;
  pause(): void;
  resume(): void;
  stop(): void;
  elapsedMs(): number;
  /** Epoch ms of the start, or null before. */
  readonly startedAt: number | null;
}

export interface RunnerCommands {
  /** Ramp to `users` at `spawnRate` users/s (unchanged when omitted). Ramp-down stops the most recently started first. */
  setUsers(users: number, spawnRate?: number): void;
  /** Users start no new requests; in-flight requests finish. The run clock stops. */
  pause(): void;
  resume(): void;
  /** Clears statistics (through the sink owner); users keep running. */
  resetStats(): void;
  /** Stop starting tasks; let in-flight work finish within the stop timeout; resolves when stopped. */
  stop(reason?: string): Promise<void>;
  status(): RunnerStatus;
}

/** The stop reason of a run that ran its `-i N` task iterations. */
export const ITERATION_LIMIT_REACHED = 'iteration limit reached';
