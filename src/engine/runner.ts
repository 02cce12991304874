/**
 * The Runner owns the lifecycle of a test and measures nothing:
 * `ready → spawning → running ⇄ paused → stopping → stopped`.
 * It starts and stops virtual users at the spawn rate so each class has its weighted share, keeps the
 * run clock (which stops while paused), enforces request timeouts, follows a load shape when the
 * scenario has stages, and drives the open model's arrival schedule.
 */
import { performance } from 'node:perf_hooks';
import type { Client, Dispatcher } from 'undici';
import type { Scenario } from '../scenario/types.js';
import { ArrivalScheduler } from './arrival.js';
import { dispatcherFactory, type DispatcherFactory } from './dispatcher.js';
import { generatorHint, RequestTimeoutError, StopAbortError } from './failures.js';
import { type PreparedClass, prepareScenario } from './prepare.js';
import { type ClassStatus, ITERATION_LIMIT_REACHED, type ResultSink, type RunClockControl, type RunnerCommands, type RunnerStatus, type RunState } from './types.js';
import { type UserHost, VirtualUser } from './user.js';
import { allocateUsers, EmptyClassWarnings, nextClassToStart } from './weights.js';
import type { LoadedScript } from '../scenario/script.js';
import { type ScriptHost, ScriptRuntime } from './script-user.js';
import { SECRET_HEADERS } from '../scenario/build.js';
import { MAX_SPAWN_RATE, MAX_USERS } from '../scenario/limits.js';

/** The longest the runner spends starting users in one go before it yields to the event loop. */
const SPAWN_SLICE_MS = 20;

export interface RunnerOptions {
  readonly sink: ResultSink;
  /** The run clock (`new RunClock()` from `run/clock.ts`); the runner starts, pauses and stops it. */
  readonly clock: RunClockControl;
  /** Called by `resetStats()`: the owner of the statistics clears them. */
  readonly onResetStats?: () => void;
  /** Applied to failure keys that can quote values from the scenario. */
  readonly redact?: (text: string) => string;
  /** A captured value marked secret: add it to whatever redacts output. */
  readonly onSecret?: (value: string) => void;
  readonly onWarning?: (message: string) => void;
  readonly onStateChange?: (state: RunState) => void;
  /** How long requests in flight may finish after a stop when the scenario's stopTimeout is 0. Default 2 s. */
  readonly stopGraceMs?: number;
  /** Scheduler period; default 50 ms. */
  readonly tickMs?: number;
  /**
   * With several engine processes, each gives its users ids `userIdStart, +userIdStride, ...` (and
   * steps sequential data feeders the same way), so ids and rows stay unique across processes.
   */
  readonly userIdStart?: number;
  readonly userIdStride?: number;
  /**
   * Open model: this engine's first arrival is delayed by this fraction of one arrival interval
   * (engine i of N sharing a rate: i/N), so engines interleave their arrivals. Default 0.
   */
  readonly arrivalPhase?: number;
  /** The scenario's `script:` module, loaded by `loadScript()` (required when the scenario has one). */
  readonly script?: LoadedScript | null;
  /** A line from a script's `u.log()`; default: `onWarning`. */
  readonly onLog?: (message: string) => void;
  /** A script's `u.stopRun(reason)`; default: this runner stops. (A worker tells its coordinator.) */
  readonly onStopRun?: (reason: string) => void;
  /**
   * One engine of several sharing a run: this engine's part of the whole run's class counts (see
   * `run/split.ts`). Every user count the runner is given — the scenario's `users`, each stage's,
   * `setUsers(n)` — is then the whole run's: the runner allocates it over the classes as Locust's
   * dispatcher does and keeps its part, so at every target the engines' parts add up to that
   * allocation exactly. The runner then warns about no class left without users (the coordinator,
   * which sees the whole, does). Default: the whole allocation is this runner's.
   */
  readonly shareOf?: (wholeClassCounts: readonly number[]) => number[];
}

export class Runner implements RunnerCommands, UserHost {
  readonly sink: ResultSink;
  private state: RunState = 'ready';
  private readonly classes: PreparedClass[];
  /** Live (not stopping) users per class, in start order. */
  private readonly live: VirtualUser[][];
  private readonly stopping = new Set<VirtualUser>();
  private readonly stoppingDeadline = new Map<VirtualUser, number>();
  private parked: VirtualUser[] = [];
  private targetUsers = 0;
  private classTargets: number[];
  private spawnRate: number;
  private rampStartedAt = 0;
  private rampChangesDone = 0;
  private nextUserId: number;
  private readonly userIdStride: number;
  private readonly clock: RunClockControl;
  private isPaused = false;
  private inFlight = 0;
  private ticker: NodeJS.Timeout | null = null;
  private stopReason: string | null = null;
  private stopPromise: Promise<void> | null = null;
  private resolveStopped!: () => void;
  /** Resolves when the run has stopped, whatever stopped it. */
  readonly done: Promise<void>;
  private readonly taskRuns: number[][];
  private readonly dataCursors: number[];
  private readonly uniqueWarned: boolean[];
  private readonly clientOptionCache = new Map<number, Client.Options>();
  private readonly newDispatcher: DispatcherFactory;
  /** Sockets open now, per origin and in all (undici's `connect` / `disconnect` events). */
  private readonly openByOrigin = new Map<string, number>();
  private openConnections = 0;
  private stageIndex = -1;
  private preset: { targets: number[]; spawnRate: number } | null = null;
  private readonly arrival: ArrivalScheduler | null;
  private readonly redactFn: (text: string) => string;
  /** Users per class when the stop began (null before). */
  private usersAtStop: number[] | null = null;
  private readonly emptyClasses: EmptyClassWarnings;
  private spawnPending = false;
  private readonly spawnLater = (): void => {
    this.spawnPending = false;
    this.spawnStep();
  };
  /** Error keys whose generator hint was shown. */
  private readonly hinted = new Set<string>();
  private readonly secretHeaderNames: ReadonlySet<string>;
  /** `-i N`: task iterations this engine may still start (null: no limit). */
  private iterationsLeft: number | null;

  constructor(
    readonly scenario: Scenario,
    private readonly options: RunnerOptions,
  ) {
    this.sink = options.sink;
    this.clock = options.clock;
    this.redactFn = options.redact ?? ((t) => t);
    this.newDispatcher = dispatcherFactory(scenario.network);
    const script = options.script == null ? null : new ScriptRuntime(options.script, this.scriptHost(), scenario);
    this.classes = prepareScenario(scenario, this.sink, this.redactFn, script);
    this.secretHeaderNames = new Set([...SECRET_HEADERS, ...scenario.secretHeaders].map((h) => h.toLowerCase()));
    this.live = this.classes.map(() => []);
    this.classTargets = this.classes.map(() => 0);
    this.spawnRate = scenario.spawnRate;
    this.taskRuns = this.classes.map((c) => c.tasks.map(() => 0));
    this.nextUserId = options.userIdStart ?? 1;
    this.userIdStride = options.userIdStride ?? 1;
    this.dataCursors = scenario.data.map(() => this.nextUserId - 1);
    this.uniqueWarned = scenario.data.map(() => false);
    this.arrival = scenario.load.kind === 'open' ? new ArrivalScheduler(scenario.load, this, options.arrivalPhase ?? 0, scenario.runTimeMs) : null;
    this.done = new Promise((resolve) => (this.resolveStopped = resolve));
    this.emptyClasses = new EmptyClassWarnings(scenario.userClasses, (m) => options.onWarning?.(m));
    this.iterationsLeft = scenario.iterations ?? null;
  }

  // ---- commands ----

  /** Starts the run: spawning begins, the run clock starts. */
  start(): void {
    if (this.state !== 'ready') return;
    if (this.iterationsLeft === 0) {
      // An engine whose share of `-i` is nothing (fewer iterations than engines).
      void this.stop(ITERATION_LIMIT_REACHED);
      return;
    }
    this.clock.start();
    this.ticker = setInterval(() => this.tick(), this.options.tickMs ?? 50);
    this.setState('spawning');
    const load = this.scenario.load;
    if (this.preset !== null) {
      this.setClassTargets(this.preset.targets, this.preset.spawnRate);
    } else if (load.kind === 'closed' && load.stages !== null && load.stages.length > 0) {
      this.tick(); // enters the first stage
    } else {
      this.setUsers(this.scenario.users, this.scenario.spawnRate);
    }
    // The open model's schedule starts with the run clock, not at the first tick (50 ms on, later on
    // a busy machine): otherwise the rate offered is short of the rate asked by that much.
    this.arrival?.tick(performance.now(), this.elapsedMs());
  }

  setUsers(users: number, spawnRate: number = this.spawnRate): void {
    const total = Math.min(MAX_USERS, Math.max(0, Math.floor(users)));
    const whole = allocateUsers(total, this.classes.map((c) => c.source));
    const shareOf = this.options.shareOf;
    if (shareOf === undefined) this.emptyClasses.check(total, whole);
    this.setClassTargets(shareOf === undefined ? whole : shareOf(whole), Math.min(spawnRate, MAX_SPAWN_RATE));
  }

  /**
   * Ramp to exactly `targets[i]` users of class i. `setUsers` splits a total by weight; a
   * coordinator of several processes splits its global allocation and gives each its part.
   */
  setClassTargets(targets: readonly number[], spawnRate: number = this.spawnRate): void {
    if (this.state === 'stopping' || this.state === 'stopped') return;
    if (this.state === 'ready') {
      // Before start: these become the initial targets.
      this.preset = { targets: [...targets], spawnRate };
      return;
    }
    // Every iteration is given out: the users left finish theirs and leave; none are added.
    if (this.iterationsLeft === 0) return;
    this.classTargets = this.classes.map((_, i) => Math.max(0, Math.floor(targets[i] ?? 0)));
    this.targetUsers = this.classTargets.reduce((a, b) => a + b, 0);
    this.spawnRate = spawnRate > 0 ? spawnRate : this.spawnRate;
    this.rampStartedAt = performance.now();
    this.rampChangesDone = 0;
    if (!this.isPaused) this.setState('spawning');
    this.spawnStep();
  }

  pause(): void {
    if (this.isPaused || this.state === 'ready' || this.state === 'stopping' || this.state === 'stopped') return;
    this.isPaused = true;
    this.clock.pause();
    this.arrival?.pause();
    this.setState('paused');
  }

  resume(): void {
    if (!this.isPaused) return;
    this.isPaused = false;
    this.clock.resume();
    this.arrival?.resume();
    this.setState(this.rampDone() ? 'running' : 'spawning');
    const parked = this.parked;
    this.parked = [];
    for (const u of parked) u.wake();
  }

  resetStats(): void {
    for (const runs of this.taskRuns) runs.fill(0);
    this.options.onResetStats?.();
  }

  /**
   * During a stop, ends the grace at once: requests still in flight are aborted and counted as
   * `aborted: run stopped`, and the run stops as soon as undici has reported them (a second Ctrl-C).
   */
  abortInFlight(): void {
    if (this.state !== 'stopping') return;
    for (const u of this.stopping) this.stoppingDeadline.set(u, 0);
    this.tick();
  }

  stop(reason = 'stopped'): Promise<void> {
    if (this.stopPromise !== null) return this.stopPromise;
    if (this.state === 'ready') {
      this.stopReason = reason;
      this.finishStop();
      return (this.stopPromise = this.done);
    }
    this.stopReason = reason;
    // The run clock and so every number stop here: finishing requests in flight is not load offered.
    this.clock.stop();
    this.isPaused = false;
    this.setState('stopping');
    this.arrival?.stop();
    const finishTask = this.scenario.stopTimeoutMs > 0;
    const deadline = performance.now() + (finishTask ? this.scenario.stopTimeoutMs : (this.options.stopGraceMs ?? 2000));
    this.usersAtStop ??= this.live.map((l) => l.length);
    const all = [...this.live.flat(), ...this.stopping];
    for (const list of this.live) list.length = 0;
    // Mark every user stopping before telling any: a user that ends at once must not look like the last.
    for (const u of all) {
      if (u.isDone) continue;
      this.stopping.add(u);
      this.stoppingDeadline.set(u, Math.min(deadline, this.stoppingDeadline.get(u) ?? Infinity));
    }
    for (const u of all) if (!u.isDone) u.stop(finishTask);
    const parked = this.parked;
    this.parked = [];
    for (const u of parked) u.wake();
    this.stopPromise = this.done;
    this.checkStopped();
    return this.stopPromise;
  }

  status(): RunnerStatus {
    const users = this.liveCount();
    const elapsedMs = this.elapsedMs();
    const runTime = this.scenario.runTimeMs;
    const weightSum = this.classes.reduce((s, c) => s + (c.source.fixedCount === null ? c.source.weight : 0), 0);
    const classes: ClassStatus[] = this.classes.map((c, i) => ({
      name: c.name,
      users: this.live[i]!.length,
      targetUsers: this.classTargets[i]!,
      usersAtStop: this.usersAtStop?.[i] ?? null,
      weightShare: c.source.fixedCount !== null ? (this.targetUsers > 0 ? c.source.fixedCount / this.targetUsers : 0) : weightSum > 0 ? c.source.weight / weightSum : 0,
      taskRuns: [...this.taskRuns[i]!],
      taskNames: c.tasks.map((t) => t.name),
      taskWeights: c.source.tasks.map((t) => t.weight),
    }));
    return {
      state: this.state,
      users,
      targetUsers: this.targetUsers,
      spawnRate: this.spawnRate,
      startedAt: this.clock.startedAt,
      elapsedMs,
      remainingMs: runTime === null ? null : Math.max(0, runTime - elapsedMs),
      inFlight: this.inFlight,
      connections: this.openConnections,
      targetRate: this.arrival?.currentRate ?? null,
      classes,
      stopReason: this.stopReason,
    };
  }

  // ---- UserHost ----

  get paused(): boolean {
    return this.isPaused;
  }

  park(user: VirtualUser): void {
    this.parked.push(user);
  }

  userFinished(user: VirtualUser): void {
    this.stopping.delete(user);
    this.stoppingDeadline.delete(user);
    const list = this.live[user.cls.index]!;
    const i = list.indexOf(user);
    if (i !== -1) list.splice(i, 1);
    this.arrival?.forget(user);
    this.checkStopped();
    this.checkIterationsDone();
  }

  userIdle(user: VirtualUser): void {
    this.arrival?.userIdle(user);
  }

  takeIteration(): boolean {
    if (this.iterationsLeft === null) return true;
    if (this.iterationsLeft === 0) return false;
    this.iterationsLeft -= 1;
    if (this.iterationsLeft === 0) {
      // The last one is out: no user is added any more (the ramp ends where it is).
      this.classTargets = this.live.map((l) => l.length);
      this.targetUsers = this.liveCount();
      if (this.state === 'spawning') this.setState('running');
    }
    return true;
  }

  taskStarted(classIndex: number, taskIndex: number): void {
    this.taskRuns[classIndex]![taskIndex]! += 1;
  }

  inFlightDelta(delta: number): void {
    this.inFlight += delta;
  }

  pickRow(source: number, userId: number): readonly string[] {
    const data = this.scenario.data[source]!;
    const n = data.rows.length;
    if (n === 0) return [];
    switch (data.order) {
      case 'sequential':
        this.dataCursors[source]! += this.userIdStride;
        return data.rows[(this.dataCursors[source]! - this.userIdStride) % n]!;
      case 'random':
        return data.rows[Math.floor(Math.random() * n)]!;
      case 'unique':
        if (userId > n && !this.uniqueWarned[source]) {
          this.uniqueWarned[source] = true;
          this.options.onWarning?.(`data "${data.name}" has ${n} rows for more users than that: rows are reused from user ${n + 1} on`);
        }
        return data.rows[(userId - 1) % n]!;
    }
  }

  rowIsPerUser(source: number): boolean {
    return this.scenario.data[source]!.order === 'unique';
  }

  connection(origin: string, timeoutMs: number): Dispatcher {
    const dispatcher = this.newDispatcher(origin, this.clientOptions(timeoutMs));
    // Counted per dispatcher too, so a close reported twice (HTTP/2 reports a session and its
    // socket) never takes the count below what this dispatcher opened. Listeners are added once
    // per user and origin, never per request.
    let mine = 0;
    dispatcher.on('connect', () => {
      mine++;
      this.openConnections++;
      this.openByOrigin.set(origin, (this.openByOrigin.get(origin) ?? 0) + 1);
    });
    dispatcher.on('disconnect', () => {
      if (mine === 0) return;
      mine--;
      this.openConnections--;
      const n = (this.openByOrigin.get(origin) ?? 1) - 1;
      if (n === 0) this.openByOrigin.delete(origin);
      else this.openByOrigin.set(origin, n);
    });
    return dispatcher;
  }

  /** Sockets open now to each origin (`http://127.0.0.1:8089` → 20). */
  connectionsByOrigin(): ReadonlyMap<string, number> {
    return this.openByOrigin;
  }

  private clientOptions(timeoutMs: number): Client.Options {
    let o = this.clientOptionCache.get(timeoutMs);
    if (o === undefined) {
      // Timeouts are enforced by the runner over the whole request; undici's own per-phase
      // timeouts are off so a 10-minute LLM call is not cut at 300 s.
      // Counted once: a plain Client (no retry interceptor, no RetryAgent) never re-sends a request
      // it has written, so a connection that dies under a request is one failure (ECONNRESET,
      // `connection closed by server`); only requests not yet written are re-queued on a new
      // connection, and the server never saw those. pipelining 1 keeps one request per socket, and
      // undici checks an idle keep-alive socket before reusing it, so a server's keep-alive close
      // costs a reconnect, not a failure. Covered by test/faults/targets.test.ts.
      o = { pipelining: 1, connect: { timeout: Math.min(timeoutMs, 10_000) }, headersTimeout: 0, bodyTimeout: 0 };
      this.clientOptionCache.set(timeoutMs, o);
    }
    return o;
  }

  redact(text: string): string {
    return this.redactFn(text);
  }

  isSecretHeader(name: string): boolean {
    return this.secretHeaderNames.has(name);
  }

  requestErrored(key: string): void {
    const hint = generatorHint(key);
    if (hint === null || this.hinted.has(key)) return;
    this.hinted.add(key);
    this.options.onWarning?.(hint);
  }

  secretCaptured(value: string): void {
    this.options.onSecret?.(value);
  }

  /** A script's `u.stopUser()`: the user stops and its class target drops by one, so it is not replaced. */
  retire(user: VirtualUser): void {
    const list = this.live[user.cls.index]!;
    const i = list.indexOf(user);
    if (i === -1) return;
    list.splice(i, 1);
    if (this.arrival === null && this.classTargets[user.cls.index]! > 0) {
      this.classTargets[user.cls.index]! -= 1;
      this.targetUsers -= 1;
    }
    this.arrival?.forget(user);
    this.stopUser(user, true, Infinity);
  }

  private scriptHost(): ScriptHost {
    return {
      sink: this.sink,
      log: (m) => (this.options.onLog ?? this.options.onWarning)?.(m),
      stopRun: (reason) => (this.options.onStopRun !== undefined ? this.options.onStopRun(reason) : void this.stop(reason)),
      retire: (user) => this.retire(user),
    };
  }

  /** Open model: a new user, started and reported idle when its onStart is done. */
  spawnOnDemandUser(): VirtualUser | null {
    if (this.state === 'stopping' || this.state === 'stopped') return null;
    const ci = nextClassToStart(this.live.map((l) => l.length), allocateUsers(this.liveCount() + 1, this.classes.map((c) => c.source)));
    const cls = this.classes[ci === -1 ? 0 : ci]!;
    const user = new VirtualUser(this, cls, this.takeUserId(), 'onDemand');
    this.live[cls.index]!.push(user);
    user.start();
    return user;
  }

  // ---- internals ----

  private takeUserId(): number {
    const id = this.nextUserId;
    this.nextUserId += this.userIdStride;
    return id;
  }

  /** Run-clock ms: load offered so far (pauses left out, still from stop on). */
  elapsedMs(): number {
    return this.clock.elapsedMs();
  }

  liveUserCount(): number {
    return this.liveCount();
  }

  private liveCount(): number {
    let n = 0;
    for (const l of this.live) n += l.length;
    return n;
  }

  private rampDone(): boolean {
    if (this.arrival !== null) return true;
    for (let i = 0; i < this.live.length; i++) if (this.live[i]!.length !== this.classTargets[i]) return false;
    return true;
  }

  private setState(state: RunState): void {
    if (this.state === state) return;
    this.state = state;
    this.options.onStateChange?.(state);
  }

  private tick(): void {
    const now = performance.now();
    if (this.state === 'stopped') return;
    // Timeouts, for every user with a request in flight.
    for (const list of this.live) for (const u of list) if (now >= u.callDeadline) u.abortCall(new RequestTimeoutError(u.callTimeoutMs));
    for (const u of this.stopping) {
      if (now >= (this.stoppingDeadline.get(u) ?? Infinity)) u.kill(new StopAbortError());
      else if (now >= u.callDeadline) u.abortCall(new RequestTimeoutError(u.callTimeoutMs));
    }
    if (this.state === 'stopping') return;
    const elapsed = this.elapsedMs();
    const runTime = this.scenario.runTimeMs;
    if (runTime !== null && elapsed >= runTime) {
      void this.stop('run time reached');
      return;
    }
    this.followStages(elapsed);
    if (this.arrival !== null) {
      if (!this.isPaused) this.arrival.tick(now, elapsed);
      return;
    }
    this.spawnStep();
  }

  /** Closed-model load shape: enter the stage for `elapsed`; stop after the last one. */
  private followStages(elapsed: number): void {
    const load = this.scenario.load;
    if (load.kind !== 'closed' || load.stages === null || load.stages.length === 0) return;
    let end = 0;
    let index = -1;
    for (let i = 0; i < load.stages.length; i++) {
      end += load.stages[i]!.durationMs;
      if (elapsed < end) {
        index = i;
        break;
      }
    }
    if (index === -1) {
      void this.stop('load shape finished');
      return;
    }
    if (index !== this.stageIndex) {
      this.stageIndex = index;
      const stage = load.stages[index]!;
      this.setUsers(stage.users, stage.spawnRate);
    }
  }

  /**
   * Starts or stops as many users as the spawn rate allows since the ramp began, for at most
   * `SPAWN_SLICE_MS` at a time: the rest follow after the event loop has served timers, I/O and
   * signals (setImmediate), so thousands of users start without holding it.
   */
  private spawnStep(): void {
    if (this.arrival !== null || this.state === 'stopping' || this.state === 'stopped' || this.state === 'ready') return;
    const started = performance.now();
    const allowed = Math.floor(((started - this.rampStartedAt) / 1000) * this.spawnRate) + 1 - this.rampChangesDone;
    for (let k = 0; k < allowed; k++) {
      if ((k & 15) === 15 && performance.now() - started > SPAWN_SLICE_MS) {
        if (!this.spawnPending) {
          this.spawnPending = true;
          setImmediate(this.spawnLater);
        }
        break;
      }
      const counts = this.live.map((l) => l.length);
      const up = nextClassToStart(counts, this.classTargets);
      if (up !== -1) {
        const cls = this.classes[up]!;
        const user = new VirtualUser(this, cls, this.takeUserId(), 'loop');
        this.live[up]!.push(user);
        this.rampChangesDone++;
        user.start();
        continue;
      }
      const down = this.mostRecentInExcess(counts);
      if (down === null) break;
      this.rampChangesDone++;
      const list = this.live[down.cls.index]!;
      list.splice(list.indexOf(down), 1);
      const finishTask = this.scenario.stopTimeoutMs > 0;
      this.stopUser(down, finishTask, performance.now() + (finishTask ? this.scenario.stopTimeoutMs : (this.options.stopGraceMs ?? 2000)));
    }
    if (this.rampDone() && this.state === 'spawning') this.setState('running');
  }

  /** Among classes above their target, the user started last. */
  private mostRecentInExcess(counts: readonly number[]): VirtualUser | null {
    let best: VirtualUser | null = null;
    for (let i = 0; i < counts.length; i++) {
      if (counts[i]! <= this.classTargets[i]!) continue;
      const last = this.live[i]![this.live[i]!.length - 1]!;
      if (best === null || last.userId > best.userId) best = last;
    }
    return best;
  }

  private stopUser(user: VirtualUser, finishTask: boolean, deadline: number): void {
    if (user.isDone) return;
    this.stopping.add(user);
    this.stoppingDeadline.set(user, deadline);
    user.stop(finishTask);
  }

  /** `-i`: the budget is spent and every user has finished its last iteration and left. */
  private checkIterationsDone(): void {
    if (this.iterationsLeft !== 0 || this.state === 'ready' || this.state === 'stopping' || this.state === 'stopped') return;
    if (this.liveCount() > 0 || this.stopping.size > 0) return;
    void this.stop(ITERATION_LIMIT_REACHED);
  }

  private checkStopped(): void {
    if (this.state !== 'stopping') return;
    for (const list of this.live) if (list.length > 0) return;
    if (this.stopping.size > 0) return;
    this.finishStop();
  }

  private finishStop(): void {
    this.clock.stop();
    if (this.ticker !== null) clearInterval(this.ticker);
    this.ticker = null;
    this.setState('stopped');
    this.resolveStopped();
  }
}

