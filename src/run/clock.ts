/**
 * The run clock: how long load has been offered. It runs from `start`, stands still while paused,
 * and stops for good at `stop` (the run time ran out, `x`, a signal, a threshold abort) — so the
 * numbers of a run left on screen after it ended do not dilute. One per engine (a `Runner` or a
 * cluster coordinator keeps one; the session's is the one every view and file reads).
 *
 * `timeline()` is the statistics' time: Unix ms at the start plus the time load was offered. The
 * collector runs on it (rates, one-second windows, history rows, interval histograms), so a pause
 * and the time after stop are left out of every number and chart.
 */
import { performance } from 'node:perf_hooks';
import type { RunClockControl } from '../engine/types.js';

export class RunClock implements RunClockControl {
  private phase: 'ready' | 'running' | 'paused' | 'stopped' = 'ready';
  private startedAtEpoch: number | null = null;
  /** Offered time before the current running stretch, ms. */
  private banked = 0;
  /** `now()` when the current running stretch began. */
  private stretchFrom = 0;

  constructor(
    private readonly now: () => number = () => performance.now(),
    private readonly wallNow: () => number = Date.now,
  ) {}

  /** Epoch ms when the clock started, or null before. */
  get startedAt(): number | null {
    return this.startedAtEpoch;
  }

  get running(): boolean {
    return this.phase === 'running';
  }

  get stopped(): boolean {
    return this.phase === 'stopped';
  }

  start(): void {
    if (this.phase !== 'ready') return;
    this.phase = 'running';
    this.startedAtEpoch = this.wallNow();
    this.stretchFrom = this.now();
  }

  pause(): void {
    if (this.phase !== 'running') return;
    this.banked += this.now() - this.stretchFrom;
    this.phase = 'paused';
  }

  resume(): void {
    if (this.phase !== 'paused') return;
    this.stretchFrom = this.now();
    this.phase = 'running';
  }

  /** Stops for good; the elapsed time stays as it is now. */
  stop(): void {
    if (this.phase === 'running') this.banked += this.now() - this.stretchFrom;
    this.startedAtEpoch ??= this.wallNow();
    this.phase = 'stopped';
  }

  /** Ms of load offered so far. */
  elapsedMs(): number {
    return this.phase === 'running' ? this.banked + this.now() - this.stretchFrom : this.banked;
  }

  /** The statistics' time, epoch ms: the wall clock until start, then the start plus `elapsedMs()`. */
  timeline(): number {
    return this.startedAtEpoch === null ? this.wallNow() : this.startedAtEpoch + this.elapsedMs();
  }
}
