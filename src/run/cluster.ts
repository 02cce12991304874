/**
 * `--processes N`: N engine worker threads, each with its share of the users, driven as one runner.
 * Commands fan out to every worker; statistics come back as one delta per worker per second and
 * are merged into the coordinator's collector, which every view reads. The coordinator keeps the
 * run clock; class counts are allocated globally (so weights stay exact) and split across workers.
 */
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import type { ClassStatus, RunnerCommands, RunnerStatus, RunState } from '../engine/types.js';
import { allocateUsers } from '../engine/weights.js';
import type { Scenario } from '../scenario/types.js';
import type { StatsCollector } from '../stats/collector.js';
import type { GeneratorHealth, ProcessHealth } from '../stats/types.js';
import { scaleScenario, splitClassTargets } from './split.js';
import type { FromWorker, ThreadHealth, ToWorker, WorkerInit } from './worker-protocol.js';

interface WorkerState {
  readonly worker: Worker;
  status: RunnerStatus | null;
  health: ThreadHealth;
  stopped: boolean;
}

export interface ClusterOptions {
  readonly scenario: Scenario;
  readonly count: number;
  /** The coordinator's collector: every worker delta is merged into it. */
  readonly collector: StatsCollector;
  readonly secretValues: readonly string[];
  readonly secretHeaders: readonly string[];
  readonly onSecret: (value: string) => void;
  readonly onWarning: (message: string) => void;
  readonly onResetStats: () => void;
}

export class ClusterRunner implements RunnerCommands {
  readonly done: Promise<void>;
  private resolveDone!: () => void;
  private readonly workers: WorkerState[] = [];
  private startedAt = 0;
  private startedAtEpoch: number | null = null;
  private pausedAt = 0;
  private pausedTotalMs = 0;
  private paused = false;
  private stopReason: string | null = null;
  private stopping = false;
  private stoppedAt: number | null = null;
  private targetUsers: number;
  private spawnRate: number;

  constructor(private readonly options: ClusterOptions) {
    this.targetUsers = options.scenario.users;
    this.spawnRate = options.scenario.spawnRate;
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
  }

  start(): void {
    const { scenario, count } = this.options;
    this.startedAt = performance.now();
    this.startedAtEpoch = Date.now();
    const exact = scenario.load.kind === 'closed' && (scenario.load.stages === null || scenario.load.stages.length === 0);
    const perWorker = exact ? splitClassTargets(allocateUsers(scenario.users, scenario.userClasses), count) : null;
    for (let index = 0; index < count; index++) {
      const init: WorkerInit = {
        scenario: scaleScenario(scenario, index, count),
        index,
        count,
        secretValues: this.options.secretValues,
        secretHeaders: this.options.secretHeaders,
        classTargets: perWorker?.[index] ?? null,
      };
      const worker = new Worker(new URL('./worker.js', import.meta.url), { workerData: init });
      const state: WorkerState = { worker, status: null, health: { cpuPercent: 0, eventLoopLagMs: 0 }, stopped: false };
      this.workers.push(state);
      worker.on('message', (m: FromWorker) => this.onMessage(state, m));
      worker.on('error', (err) => {
        this.options.onWarning(`engine process ${index + 1} failed: ${err.message}; its users are gone`);
        this.markStopped(state);
      });
      worker.on('exit', () => this.markStopped(state));
    }
  }

  setUsers(users: number, spawnRate: number = this.spawnRate): void {
    if (this.stopping) return;
    this.targetUsers = Math.max(0, Math.floor(users));
    this.spawnRate = spawnRate > 0 ? spawnRate : this.spawnRate;
    const parts = splitClassTargets(allocateUsers(this.targetUsers, this.options.scenario.userClasses), this.workers.length);
    this.workers.forEach((w, i) => this.send(w, { type: 'setClassTargets', targets: parts[i]!, spawnRate: this.spawnRate / this.workers.length }));
  }

  pause(): void {
    if (this.paused || this.stopping) return;
    this.paused = true;
    this.pausedAt = performance.now();
    this.broadcast({ type: 'pause' });
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.pausedTotalMs += performance.now() - this.pausedAt;
    this.broadcast({ type: 'resume' });
  }

  resetStats(): void {
    this.broadcast({ type: 'reset' });
    this.options.onResetStats();
  }

  stop(reason = 'stopped'): Promise<void> {
    if (!this.stopping) {
      this.stopping = true;
      this.stopReason = reason;
      if (this.paused) this.resume();
      this.broadcast({ type: 'stop', reason });
      if (this.workers.length === 0) this.resolveDone();
    }
    return this.done;
  }

  status(): RunnerStatus {
    const statuses = this.workers.map((w) => w.status).filter((s): s is RunnerStatus => s !== null);
    const sum = (f: (s: RunnerStatus) => number): number => statuses.reduce((n, s) => n + f(s), 0);
    const now = this.stoppedAt ?? performance.now();
    const elapsedMs = this.startedAtEpoch === null ? 0 : now - this.startedAt - this.pausedTotalMs - (this.paused ? now - this.pausedAt : 0);
    const runTime = this.options.scenario.runTimeMs;
    return {
      state: this.state(statuses),
      users: sum((s) => s.users),
      targetUsers: this.stopping ? 0 : this.targetUsers,
      spawnRate: this.spawnRate,
      startedAt: this.startedAtEpoch,
      elapsedMs,
      remainingMs: runTime === null ? null : Math.max(0, runTime - elapsedMs),
      inFlight: sum((s) => s.inFlight),
      targetRate: statuses.some((s) => s.targetRate !== null) ? sum((s) => s.targetRate ?? 0) : null,
      classes: mergeClasses(statuses),
      stopReason: this.stopReason ?? statuses.find((s) => s.stopReason !== null)?.stopReason ?? null,
    };
  }

  /** The coordinator's own health plus each engine thread's; saturated when any thread is. */
  health(base: GeneratorHealth): GeneratorHealth {
    const processes: ProcessHealth[] = this.workers.map((w, index) => ({
      index,
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
    if (this.startedAtEpoch === null) return 'ready';
    if (this.workers.every((w) => w.stopped)) return 'stopped';
    if (this.stopping || statuses.some((s) => s.state === 'stopping')) return 'stopping';
    if (this.paused) return 'paused';
    if (statuses.length < this.workers.length || statuses.some((s) => s.state === 'spawning' || s.state === 'ready')) return 'spawning';
    return 'running';
  }

  private onMessage(w: WorkerState, m: FromWorker): void {
    switch (m.type) {
      case 'report':
      case 'stopped':
        this.options.collector.mergeDelta(m.delta);
        w.status = m.status;
        w.health = m.health;
        if (m.type === 'stopped') {
          // A worker that stopped on its own (run time, load shape) stops the whole run.
          if (!this.stopping) void this.stop(m.status.stopReason ?? 'stopped');
          this.markStopped(w);
        }
        return;
      case 'warning':
        this.options.onWarning(m.message);
        return;
      case 'secret':
        this.options.onSecret(m.value);
        return;
    }
  }

  private markStopped(w: WorkerState): void {
    if (w.stopped) return;
    w.stopped = true;
    if (this.workers.every((x) => x.stopped)) {
      this.stopping = true;
      this.stoppedAt ??= performance.now();
      this.resolveDone();
    }
  }

  private send(w: WorkerState, m: ToWorker): void {
    if (!w.stopped) w.worker.postMessage(m);
  }

  private broadcast(m: ToWorker): void {
    for (const w of this.workers) this.send(w, m);
  }
}

function mergeClasses(statuses: readonly RunnerStatus[]): ClassStatus[] {
  const first = statuses[0];
  if (first === undefined) return [];
  return first.classes.map((c, i) => ({
    ...c,
    users: statuses.reduce((n, s) => n + (s.classes[i]?.users ?? 0), 0),
    targetUsers: statuses.reduce((n, s) => n + (s.classes[i]?.targetUsers ?? 0), 0),
    taskRuns: c.taskRuns.map((_, t) => statuses.reduce((n, s) => n + (s.classes[i]?.taskRuns[t] ?? 0), 0)),
  }));
}
