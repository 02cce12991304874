/**
 * The coordinator of a run spread over workers: `--processes N` engine threads today, workers on
 * other machines over another transport. It speaks the protocol of `protocol.ts` over a
 * `CoordinatorTransport` and never sees threads or sockets. Commands fan out to every worker; each
 * worker's numbered reports are merged once each into the coordinator's collector, which every view
 * reads; a worker is done when its final report is merged and its totals match what was merged.
 * The coordinator keeps the run clock; class counts are allocated over the whole run (so weights
 * stay exact) and each worker takes its share by (index, count).
 */
import { type ClassStatus, ITERATION_LIMIT_REACHED, type RunnerCommands, type RunnerStatus, type RunState } from '../engine/types.js';
import { allocateUsers, EmptyClassWarnings } from '../engine/weights.js';
import type { Scenario } from '../scenario/types.js';
import type { StatsCollector } from '../stats/collector.js';
import type { GeneratorHealth, ProcessHealth } from '../stats/types.js';
import { PROTOCOL_VERSION, workerAmong, workerName, type Command, type ReportMessage, type WorkerHealth, type WorkerMessage } from './protocol.js';
import type { RunClock } from './clock.js';
import { IntervalGate, type PartialInterval } from './interval-gate.js';
import type { CoordinatorTransport } from './transport.js';
import { fmtDuration } from '../stats/format.js';

/** A worker as the coordinator sees it (the views' Workers table). */
export interface WorkerView {
  readonly index: number;
  /** From its hello; null until it said hello. */
  readonly host: string | null;
  /** `joining` until hello, then `ready` until start; `done` after its final; `gone` and `refused` end it. */
  readonly phase: 'joining' | 'ready' | 'running' | 'done' | 'gone' | 'refused';
  /** The worker's runner state from its latest report. */
  readonly state: RunState | null;
  readonly users: number;
  readonly cpuPercent: number;
  readonly eventLoopLagMs: number;
  /** Epoch ms of the last message from it, or null. */
  readonly lastHeardAt: number | null;
  /** Reports merged. */
  readonly reports: number;
  /** Requests and failures merged from it (this statistics epoch). */
  readonly requests: number;
  readonly failures: number;
  /** Its final report's totals, once it came. */
  readonly final: { readonly requests: number; readonly failures: number } | null;
}

interface Slot {
  readonly index: number;
  phase: WorkerView['phase'];
  host: string | null;
  status: RunnerStatus | null;
  /** `seq` of the report `status` came from. */
  statusSeq: number;
  health: WorkerHealth;
  lastHeardAt: number | null;
  merged: SeqSet;
  /** What was merged from it in the current epoch. */
  requests: number;
  failures: number;
  /** Its final report's totals once it came. */
  finalTotals: { readonly requests: number; readonly failures: number } | null;
  finalTimer: NodeJS.Timeout | null;
  /** Why its hello was refused, if it was. */
  refusal: string | null;
}

export interface ClusterOptions {
  readonly scenario: Scenario;
  /** Carries the protocol to the workers; its `count` is how many take part. */
  readonly transport: CoordinatorTransport;
  /** The coordinator's collector: every worker delta is merged into it. */
  readonly collector: StatsCollector;
  /** The run's clock: it starts when every worker has joined and stops at stop. */
  readonly clock: RunClock;
  /** A worker with another plan hash or cicada version is refused. */
  readonly planHash: string;
  readonly version: string;
  readonly onSecret: (value: string) => void;
  readonly onWarning: (message: string) => void;
  readonly onResetStats: () => void;
  /** Lines from scripts' `u.log()` in the workers; default: `onWarning`. */
  readonly onLog?: (message: string) => void;
  /**
   * A worker that has sent nothing for this long is gone, for transports that cannot tell (a
   * network). Null (default): only the transport says when a worker is gone.
   */
  readonly missingAfterMs?: number | null;
  /** After a worker's final report, how long missing reports may take to arrive before it is counted done without them. Default 10 s. */
  readonly finalGraceMs?: number;
}

export class ClusterRunner implements RunnerCommands {
  readonly done: Promise<void>;
  private resolveDone!: () => void;
  private readonly slots: Slot[];
  /** Whether `start()` was called (the workers are being reached). */
  private opened = false;
  /** When every worker said hello and `start` went out (the run clock starts then). */
  private launched = false;
  /** Holds each interval's reports until every live worker sent its part (see interval-gate.ts). */
  private readonly gate: IntervalGate;
  private paused = false;
  private stopReason: string | null = null;
  private stopping = false;
  private targetUsers: number;
  private spawnRate: number;
  private epoch = 0;
  private watchdog: NodeJS.Timeout | null = null;
  private finished = false;
  /** Warns once per weighted class the whole run's allocation leaves without a user. */
  private readonly emptyClasses: EmptyClassWarnings;

  constructor(private readonly options: ClusterOptions) {
    this.emptyClasses = new EmptyClassWarnings(options.scenario.userClasses, options.onWarning);
    this.targetUsers = options.scenario.users;
    this.spawnRate = options.scenario.spawnRate;
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
    this.gate = new IntervalGate({
      merge: (delta) => options.collector.mergeDelta(delta),
      live: () => this.slots.filter((s) => s.phase === 'running' && s.finalTotals === null).map((s) => s.index),
    });
    this.slots = Array.from({ length: options.transport.count }, (_, index) => ({
      index,
      phase: 'joining',
      host: null,
      status: null,
      statusSeq: 0,
      health: { cpuPercent: 0, eventLoopLagMs: 0 },
      lastHeardAt: null,
      merged: new SeqSet(),
      requests: 0,
      failures: 0,
      finalTotals: null,
      finalTimer: null,
      refusal: null,
    }));
  }

  start(): void {
    if (this.opened) return;
    this.opened = true;
    const load = this.options.scenario.load;
    // The workers' runners keep their part of each allocation and warn about none: the whole is seen here.
    if (load.kind === 'closed') for (const users of load.stages === null || load.stages.length === 0 ? [this.targetUsers] : load.stages.map((st) => st.users)) this.warnEmptyClasses(users);
    const missingAfterMs = this.options.missingAfterMs ?? null;
    if (missingAfterMs !== null) {
      this.watchdog = setInterval(() => {
        const now = Date.now();
        for (const s of this.slots) {
          if (s.phase === 'running' && now - (s.lastHeardAt ?? now) > missingAfterMs) this.gone(s, `nothing heard for ${fmtDuration(missingAfterMs)}`);
        }
      }, 1000);
      this.watchdog.unref();
    }
    try {
      void Promise.resolve(this.options.transport.open({ message: (i, m) => this.onMessage(i, m), gone: (i, reason) => this.onGone(i, reason) })).catch((err: unknown) => this.failToOpen(err));
    } catch (err) {
      this.failToOpen(err);
    }
  }

  setUsers(users: number, spawnRate: number = this.spawnRate): void {
    if (this.stopping) return;
    this.targetUsers = Math.max(0, Math.floor(users));
    this.spawnRate = spawnRate > 0 ? spawnRate : this.spawnRate;
    // The whole run's numbers: each worker takes its share by (index, count).
    this.options.transport.broadcast({ type: 'setUsers', users: this.targetUsers, spawnRate: this.spawnRate });
    this.warnEmptyClasses(this.targetUsers);
  }

  private warnEmptyClasses(users: number): void {
    this.emptyClasses.check(users, allocateUsers(users, this.options.scenario.userClasses));
  }

  pause(): void {
    if (this.paused || this.stopping) return;
    this.paused = true;
    this.options.clock.pause();
    this.options.transport.broadcast({ type: 'pause' });
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.options.clock.resume();
    this.options.transport.broadcast({ type: 'resume' });
  }

  resetStats(): void {
    this.epoch++;
    for (const s of this.slots) {
      s.requests = 0;
      s.failures = 0;
    }
    this.gate.clear();
    this.options.transport.broadcast({ type: 'reset', epoch: this.epoch });
    this.options.onResetStats();
  }

  /** During a stop, every worker aborts its requests in flight now (see `Runner.abortInFlight`). */
  abortInFlight(): void {
    if (this.stopping) this.options.transport.broadcast({ type: 'abortInFlight' });
  }

  stop(reason = 'stopped'): Promise<void> {
    if (!this.stopping) {
      this.stopping = true;
      this.stopReason = reason;
      this.options.clock.stop();
      if (this.paused) this.resume();
      this.options.transport.broadcast({ type: 'stop', reason });
      this.checkDone();
    }
    return this.done;
  }

  status(): RunnerStatus {
    const statuses = this.slots.map((w) => w.status).filter((s): s is RunnerStatus => s !== null);
    const sum = (f: (s: RunnerStatus) => number): number => statuses.reduce((n, s) => n + f(s), 0);
    const elapsedMs = this.options.clock.elapsedMs();
    const runTime = this.options.scenario.runTimeMs;
    return {
      state: this.state(statuses),
      users: sum((s) => s.users),
      targetUsers: this.targetUsers,
      spawnRate: this.spawnRate,
      startedAt: this.options.clock.startedAt,
      elapsedMs,
      remainingMs: runTime === null ? null : Math.max(0, runTime - elapsedMs),
      inFlight: sum((s) => s.inFlight),
      ...(statuses.some((s) => s.connections !== undefined) ? { connections: sum((s) => s.connections ?? 0) } : {}),
      targetRate: statuses.some((s) => s.targetRate !== null) ? sum((s) => s.targetRate ?? 0) : null,
      classes: mergeClasses(statuses),
      stopReason: this.stopReason ?? statuses.find((s) => s.stopReason !== null)?.stopReason ?? null,
    };
  }

  /** Merges every report held for its interval now (the results are written before the run is over). */
  flushHeld(): void {
    this.gate.flush();
  }

  /** Intervals merged without every live worker's report (late reports then counted in a later second). */
  partialIntervals(): readonly PartialInterval[] {
    return this.gate.partialIntervals();
  }

  /** Each worker as the coordinator sees it, in index order. */
  workers(): WorkerView[] {
    return this.slots.map((s) => ({
      index: s.index,
      host: s.host,
      phase: s.phase,
      state: s.status?.state ?? null,
      users: s.status?.users ?? 0,
      cpuPercent: s.health.cpuPercent,
      eventLoopLagMs: s.health.eventLoopLagMs,
      lastHeardAt: s.lastHeardAt,
      reports: s.merged.size,
      requests: s.requests,
      failures: s.failures,
      final: s.finalTotals,
    }));
  }

  /** The coordinator's own health plus each worker's; saturated when any worker is. */
  health(base: GeneratorHealth): GeneratorHealth {
    const processes: ProcessHealth[] = this.slots.map((w) => ({
      index: w.index,
      users: w.status?.users ?? 0,
      cpuPercent: w.health.cpuPercent,
      eventLoopLagMs: w.health.eventLoopLagMs,
      state: w.status?.state ?? 'ready',
    }));
    const worst = processes.reduce((m, p) => Math.max(m, p.eventLoopLagMs), base.eventLoopLagMs);
    return {
      ...base,
      eventLoopLagMs: worst,
      saturated: worst > 50 || processes.some((p) => p.cpuPercent > 90),
      processes,
    };
  }

  private state(statuses: readonly RunnerStatus[]): RunState {
    if (!this.opened) return 'ready';
    if (this.finished) return 'stopped';
    if (this.stopping || statuses.some((s) => s.state === 'stopping')) return 'stopping';
    if (this.paused) return 'paused';
    if (!this.launched || statuses.length < this.slots.length || statuses.some((s) => s.state === 'spawning' || s.state === 'ready')) return 'spawning';
    return 'running';
  }

  private onMessage(index: number, m: WorkerMessage): void {
    const w = this.slots[index];
    if (w === undefined) return;
    w.lastHeardAt = Date.now();
    switch (m.type) {
      case 'hello':
        this.onHello(w, m);
        return;
      case 'report':
      case 'final':
        this.onReport(w, m);
        return;
      case 'warning':
        this.options.onWarning(m.message);
        return;
      case 'log':
        (this.options.onLog ?? this.options.onWarning)(m.message);
        return;
      case 'secret':
        this.options.onSecret(m.value);
        return;
    }
  }

  private onHello(w: Slot, m: Extract<WorkerMessage, { type: 'hello' }>): void {
    const o = this.options;
    const problem =
      m.protocol !== PROTOCOL_VERSION
        ? `protocol ${m.protocol}, the coordinator speaks ${PROTOCOL_VERSION}`
        : m.version !== o.version
          ? `cicada ${m.version}, the coordinator runs ${o.version}`
          : m.planHash !== o.planHash
            ? `plan ${m.planHash}, the coordinator's is ${o.planHash} (a different scenario or data)`
            : m.index !== w.index || m.count !== this.slots.length
              ? `${workerAmong(m.index, m.count)}, expected ${workerAmong(w.index, this.slots.length)}`
              : w.phase !== 'joining'
                ? `${workerName(w.index)} already joined; a restarted worker never replays the run`
                : null;
    if (problem !== null) {
      if (w.phase === 'joining') w.refusal = problem;
      this.send(w.index, { type: 'refuse', reason: problem });
      o.onWarning(`${workerName(w.index)} (${m.host}) refused: ${problem}`);
      return;
    }
    w.host = m.host;
    w.refusal = null;
    w.phase = 'ready';
    if (!this.launched && this.slots.every((s) => s.phase === 'ready')) this.launch();
  }

  /** Every worker is there: the run begins. */
  private launch(): void {
    this.launched = true;
    this.gate.launch();
    // The run clock counts from here: waiting for workers to join is not load offered.
    this.options.clock.start();
    if (this.paused) this.options.clock.pause();
    for (const s of this.slots) if (s.phase === 'ready') s.phase = 'running';
    this.options.transport.broadcast({ type: 'start' });
    if (this.targetUsers !== this.options.scenario.users) this.options.transport.broadcast({ type: 'setUsers', users: this.targetUsers, spawnRate: this.spawnRate });
    if (this.paused) this.options.transport.broadcast({ type: 'pause' });
    if (this.stopping) this.options.transport.broadcast({ type: 'stop', reason: this.stopReason ?? 'stopped' });
  }

  private onReport(w: Slot, m: ReportMessage): void {
    // Always acknowledged, so the worker stops sending it again, even when it is stale or a duplicate.
    this.send(w.index, { type: 'ack', seq: m.seq });
    if (!w.merged.has(m.seq)) {
      w.merged.add(m.seq);
      // A report of statistics since cleared (sent before the worker saw `reset`) is dropped.
      if (m.epoch === this.epoch) this.mergeReport(w, m);
    }
    if (m.seq > w.statusSeq) {
      w.statusSeq = m.seq;
      w.status = m.status;
      w.health = m.health;
    }
    if (m.type === 'final' && m.epoch === this.epoch && w.finalTotals === null) {
      w.finalTotals = m.totals;
      // A worker that stopped on its own (run time, load shape) stops the whole run.
      // Not one that ran its share of `-i`: the others still have theirs to run.
      if (!this.stopping && m.status.stopReason !== ITERATION_LIMIT_REACHED) void this.stop(m.status.stopReason ?? 'stopped');
      w.finalTimer = setTimeout(() => {
        const t = w.finalTotals!;
        const missing = t.requests - w.requests;
        this.options.onWarning(`${workerName(w.index)}: ${missing} of its ${t.requests} requests never reached the coordinator; the totals miss them`);
        this.finish(w, 'done');
      }, this.options.finalGraceMs ?? 10_000);
    }
    // Done once the final is in and every report before it too (its totals match what was merged).
    if (w.finalTotals !== null && w.finalTotals.requests === w.requests && w.finalTotals.failures === w.failures) this.finish(w, 'done');
  }

  private mergeReport(w: Slot, m: ReportMessage): void {
    this.gate.offer(w.index, m.seq, m.delta);
    for (const e of m.delta.endpoints) {
      w.requests += e.requests;
      w.failures += e.failures;
    }
  }

  private onGone(index: number, reason: string): void {
    const w = this.slots[index];
    if (w !== undefined) this.gone(w, reason);
  }

  private gone(w: Slot, reason: string): void {
    if (w.phase === 'done' || w.phase === 'gone' || w.phase === 'refused') return;
    if (w.phase === 'joining' && w.refusal !== null) {
      // The worker that was refused went away, as told.
      w.phase = 'refused';
      this.checkDone();
    } else {
      if (w.finalTotals === null) {
        this.options.onWarning(`${workerName(w.index)}${w.host === null ? '' : ` (${w.host})`} is gone: ${reason}; its users are gone`);
      }
      this.finish(w, 'gone');
    }
    // Workers that never joined hold up nobody.
    if (!this.launched && this.slots.every((s) => s.phase !== 'joining') && this.slots.some((s) => s.phase === 'ready')) this.launch();
  }

  private finish(w: Slot, phase: 'done' | 'gone'): void {
    if (w.finalTimer !== null) clearTimeout(w.finalTimer);
    w.finalTimer = null;
    w.phase = phase;
    this.gate.release(); // it no longer holds up an interval
    this.checkDone();
  }

  private checkDone(): void {
    if (this.finished) return;
    if (!this.slots.every((s) => s.phase === 'done' || s.phase === 'gone' || s.phase === 'refused')) return;
    this.finished = true;
    this.stopping = true;
    this.options.clock.stop();
    if (this.watchdog !== null) clearInterval(this.watchdog);
    this.gate.stop();
    void this.options.transport.close().finally(() => this.resolveDone());
  }

  private failToOpen(err: unknown): void {
    this.options.onWarning(`could not reach the workers: ${err instanceof Error ? err.message : String(err)}`);
    for (const s of this.slots) if (s.phase === 'joining' || s.phase === 'ready') s.phase = 'gone';
    this.stopReason ??= 'no workers';
    this.checkDone();
  }

  private send(index: number, c: Command): void {
    this.options.transport.send(index, c);
  }
}

/** Sequence numbers seen: everything up to `floor`, plus those above it. */
class SeqSet {
  private floor = 0;
  private readonly above = new Set<number>();
  size = 0;

  has(seq: number): boolean {
    return seq <= this.floor || this.above.has(seq);
  }

  add(seq: number): void {
    if (this.has(seq)) return;
    this.size++;
    this.above.add(seq);
    while (this.above.delete(this.floor + 1)) this.floor++;
  }
}

function mergeClasses(statuses: readonly RunnerStatus[]): ClassStatus[] {
  const first = statuses[0];
  if (first === undefined) return [];
  return first.classes.map((c, i) => ({
    ...c,
    users: statuses.reduce((n, s) => n + (s.classes[i]?.users ?? 0), 0),
    targetUsers: statuses.reduce((n, s) => n + (s.classes[i]?.targetUsers ?? 0), 0),
    usersAtStop: statuses.some((s) => s.classes[i]?.usersAtStop != null) ? statuses.reduce((n, s) => n + (s.classes[i]?.usersAtStop ?? 0), 0) : null,
    taskRuns: c.taskRuns.map((_, t) => statuses.reduce((n, s) => n + (s.classes[i]?.taskRuns[t] ?? 0), 0)),
  }));
}
