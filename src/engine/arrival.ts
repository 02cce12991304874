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
  /** performance.now() − run clock over the current running stretch (set at the start and on resume). */
  private offsetMs = 0;
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  /** `-i`: every iteration has arrived; what is queued still runs, nothing more is scheduled. */
  private exhausted = false;
  /** No arrival is due before the end (run time or shape): a resume does not start one either. */
  private ended = false;
  private rate: number;
  /** Run-clock ms when arrivals end: the run time or the shape's end, whichever is first. */
  private readonly endMs: number;
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
    /** The run time (run-clock ms): no iteration is due from then on, as with a shape's end. */
    runTimeMs: number | null = null,
  ) {
    this.rate = load.rate;
    const shapeMs = load.stages === null || load.stages.length === 0 ? Infinity : load.stages.reduce((ms, st) => ms + st.durationMs, 0);
    this.endMs = Math.min(shapeMs, runTimeMs ?? Infinity);
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
      // Arrivals fall where the rate's integral reaches k + phase (k = 0, 1, …) before the end:
      // an engine at phase 1/2 arrives between engine 0's arrivals, on a ramp too.
      this.offsetMs = now - elapsedMs;
      const first = this.msUntil(0, this.phase);
      if (first === null) {
        this.ended = true;
        return;
      }
      this.nextAt = this.offsetMs + first;
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
    this.offsetMs = this.nextAt - this.host.elapsedMs();
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

  /**
   * Run-clock ms from `fromMs` until the rate's integral reaches `iterations`; null when the load
   * shape or the run time ends (or the rate stays 0) before. Exact for piecewise-linear stages: on
   * a ramp the next arrival is not `1000 / rate` after the last (from a standstill, seconds away).
   */
  private msUntil(fromMs: number, iterations: number): number | null {
    const ms = this.integralReaches(fromMs, iterations);
    // The end is exclusive (a hair's width for rounding): 2 s at 200/s is 400 iterations, not 401.
    return ms === null || fromMs + ms > this.endMs - 1e-6 ? null : ms;
  }

  private integralReaches(fromMs: number, iterations: number): number | null {
    if (iterations <= 0) return 0;
    let need = iterations * 1000; // rates are per second, times ms
    const stages = this.load.stages;
    if (stages === null || stages.length === 0) return this.load.rate > 0 ? need / this.load.rate : null;
    let from = this.load.rate;
    let start = 0;
    for (const stage of stages) {
      const end = start + stage.durationMs;
      if (stage.durationMs > 0 && fromMs < end) {
        const t0 = Math.max(fromMs, start);
        const slope = (stage.rate - from) / stage.durationMs;
        const r0 = from + slope * (t0 - start);
        const area = ((r0 + stage.rate) / 2) * (end - t0);
        // r0·x + slope·x²/2 = need, in the form that is stable for any slope (0 included).
        if (area >= need) return t0 - fromMs + (2 * need) / (r0 + Math.sqrt(Math.max(0, r0 * r0 + 2 * slope * need)));
        need -= area;
      }
      start = end;
      from = stage.rate;
    }
    return null;
  }

  /** Starts every iteration that is due, then sleeps until the next one. */
  private release(): void {
    if (!this.running || this.exhausted || this.ended) return;
    const now = performance.now();
    while (this.nextAt <= now) {
      this.startIteration(this.nextAt);
      if (!this.running || this.exhausted) return;
      const gap = this.msUntil(Math.max(0, this.nextAt - this.offsetMs), 1);
      if (gap === null) {
        this.ended = true; // the load shape or the run time ends first: the runner's tick stops the run
        return;
      }
      this.nextAt += gap;
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
