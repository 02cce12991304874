/**
 * The open model: task iterations start on a schedule (`rate` per second, optionally ramping through
 * stages), whether or not earlier ones finished. Each iteration carries its intended start, and the
 * user times its first request from then, so a stalled server shows in the latency percentiles
 * (coordinated omission corrected) while service time is kept separately by the sink.
 *
 * When every user is busy, due iterations wait in a backlog of about one second of arrivals and
 * start as soon as a user is free; iterations beyond that backlog are dropped and counted. Users
 * are created on demand up to `maxUsers` (the spawn rate does not apply here).
 */
import { performance } from 'node:perf_hooks';
import type { LoadModel } from '../scenario/types.js';
import { MAX_TIMER_MS } from './targets.js';
import type { ResultSink } from './types.js';
import type { VirtualUser } from './user.js';

type OpenModel = Extract<LoadModel, { kind: 'open' }>;

export interface ArrivalHost {
  readonly sink: ResultSink;
  elapsedMs(): number;
  /** Creates a user that runs onStart and then reports itself idle; null once stopping. */
  spawnOnDemandUser(): VirtualUser | null;
  liveUserCount(): number;
  stop(reason: string): Promise<void>;
  /** `-i`: whether one more iteration may arrive (taken if so). */
  takeIteration(): boolean;
  /** Stops an idle user for good (`-i`: no iterations left for it). */
  retire(user: VirtualUser): void;
}

export class ArrivalScheduler {
  private readonly idle: VirtualUser[] = [];
  /** Intended start times (performance.now ms) of iterations waiting for a user. */
  private backlog: number[] = [];
  private backlogHead = 0;
  private nextAt = 0;
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  /** `-i`: every iteration has arrived; what is queued still runs, nothing more is scheduled. */
  private exhausted = false;
  private rate: number;
  private readonly onTimer = (): void => {
    this.timer = null;
    this.release();
  };

  /**
   * @param phase fraction of one arrival interval (0 ≤ phase < 1) by which the first arrival is
   *   delayed: engines that share a rate (each runs rate/N) interleave instead of firing together.
   */
  constructor(
    private readonly load: OpenModel,
    private readonly host: ArrivalHost,
    private readonly phase = 0,
  ) {
    this.rate = load.rate;
  }

  /** The target rate now (iterations/s). */
  get currentRate(): number {
    return this.rate;
  }

  /** Called on every runner tick while running (not paused). Starts the schedule on first call. */
  tick(now: number, elapsedMs: number): void {
    const rate = this.rateAt(elapsedMs);
    if (rate === null) {
      void this.host.stop('load shape finished');
      return;
    }
    this.rate = rate;
    if (!this.running) {
      this.running = true;
      this.nextAt = now + (rate > 0 ? (this.phase * 1000) / rate : 0);
      this.release();
    }
  }

  pause(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  /** After a pause: no catch-up burst for the time paused. */
  resume(): void {
    this.nextAt = performance.now();
    if (this.running && this.timer === null) this.release();
  }

  stop(): void {
    this.running = false;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    const pending = this.backlog.length - this.backlogHead;
    if (pending > 0) this.host.sink.dropped(pending);
    this.backlog = [];
    this.backlogHead = 0;
  }

  userIdle(user: VirtualUser): void {
    if (!this.running) return;
    if (this.exhausted && this.backlogHead >= this.backlog.length) {
      this.host.retire(user);
      return;
    }
    if (this.backlogHead < this.backlog.length) {
      const intendedAt = this.backlog[this.backlogHead++]!;
      if (this.backlogHead > 1024 && this.backlogHead * 2 > this.backlog.length) {
        this.backlog = this.backlog.slice(this.backlogHead);
        this.backlogHead = 0;
      }
      user.runIteration(intendedAt);
    } else {
      this.idle.push(user);
    }
  }

  forget(user: VirtualUser): void {
    const i = this.idle.indexOf(user);
    if (i !== -1) this.idle.splice(i, 1);
  }

  /** Target rate at run-clock `elapsedMs`: stages ramp linearly from the previous rate; null after the last stage. */
  rateAt(elapsedMs: number): number | null {
    const stages = this.load.stages;
    if (stages === null || stages.length === 0) return this.load.rate;
    let from = this.load.rate;
    let start = 0;
    for (const stage of stages) {
      if (elapsedMs < start + stage.durationMs) {
        const f = stage.durationMs === 0 ? 1 : (elapsedMs - start) / stage.durationMs;
        return from + (stage.rate - from) * f;
      }
      start += stage.durationMs;
      from = stage.rate;
    }
    return null;
  }

  /** Starts every iteration that is due, then sleeps until the next one. */
  private release(): void {
    if (!this.running || this.exhausted) return;
    const now = performance.now();
    while (this.nextAt <= now) {
      const rate = this.rateAt(this.host.elapsedMs()) ?? this.rate;
      if (rate > 0) {
        this.startIteration(this.nextAt);
        this.nextAt += 1000 / rate;
      } else {
        this.nextAt = now + 100; // a ramp from zero: look again shortly
      }
      if (!this.running || this.exhausted) return;
    }
    this.timer = setTimeout(this.onTimer, Math.min(MAX_TIMER_MS, Math.max(0, this.nextAt - now))); // re-armed if longer
  }

  private startIteration(intendedAt: number): void {
    if (!this.host.takeIteration()) {
      this.exhausted = true;
      for (const u of this.idle.splice(0)) this.host.retire(u);
      return;
    }
    const user = this.idle.pop();
    if (user !== undefined) {
      user.runIteration(intendedAt);
      return;
    }
    const capacity = Math.max(this.load.maxUsers, Math.ceil(this.rate));
    if (this.backlog.length - this.backlogHead < capacity) this.backlog.push(intendedAt);
    else this.host.sink.dropped(1);
    // After the push: a new user with no onStart is idle at once and takes the iteration now.
    if (this.host.liveUserCount() < this.load.maxUsers) this.host.spawnOnDemandUser();
  }
}
