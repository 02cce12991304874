/**
 * Merges workers' reports interval by interval. Every worker starts at the coordinator's `start`
 * and reports once a second, so report `seq` k of each worker covers the same second of the run.
 * The gate holds interval k until every live worker has reported it, then merges all of it at once
 * — so a history row holds whole intervals from every worker, not one worker's second next to
 * another's. An interval that is not complete `graceMs` after it was due is merged with what came
 * and recorded as partial (with the workers it waited for); their reports, arriving later, are
 * merged at once: late data still counts in the totals, in a later second.
 *
 * Clock: `performance.now()` ms. Called on the coordinator's event loop only.
 */
import { performance } from 'node:perf_hooks';
import type { StatsDelta } from '../stats/delta.js';

export interface PartialInterval {
  /** Which interval (report number) of the run. */
  readonly seq: number;
  /** Epoch ms when it was merged without them. */
  readonly mergedAt: number;
  /** Indexes of the workers it did not wait for any longer. */
  readonly missing: readonly number[];
}

export interface IntervalGateOptions {
  /** Folds a delta into the run's statistics. */
  readonly merge: (delta: StatsDelta) => void;
  /** Workers still expected to report (running, final not yet in). */
  readonly live: () => readonly number[];
  /** Default 1000 (the workers' report interval). */
  readonly intervalMs?: number;
  /** How long after its due time an interval waits for late workers; default 500. */
  readonly graceMs?: number;
}

export class IntervalGate {
  /** seq → the reports held for it, by worker index. */
  private readonly held = new Map<number, Map<number, StatsDelta[]>>();
  /** Highest seq each worker has reported. */
  private readonly reported = new Map<number, number>();
  /** Every interval up to this one has been merged. */
  private releasedUpTo = 0;
  private launchedAt: number | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly partials: PartialInterval[] = [];
  private lateCount = 0;
  private readonly intervalMs: number;
  private readonly graceMs: number;

  constructor(private readonly o: IntervalGateOptions) {
    this.intervalMs = o.intervalMs ?? 1000;
    this.graceMs = o.graceMs ?? 500;
  }

  /** The workers started now: interval k is due `k` intervals from here. */
  launch(): void {
    this.launchedAt = performance.now();
    this.timer ??= setInterval(() => this.release(), 100);
    this.timer.unref();
  }

  /** A worker's report `seq` (its delta merged exactly once by the caller's bookkeeping). */
  offer(index: number, seq: number, delta: StatsDelta): void {
    this.reported.set(index, Math.max(seq, this.reported.get(index) ?? 0));
    if (this.launchedAt === null || seq <= this.releasedUpTo) {
      if (this.launchedAt !== null) this.lateCount++;
      this.o.merge(delta);
      return;
    }
    let bySeq = this.held.get(seq);
    if (bySeq === undefined) this.held.set(seq, (bySeq = new Map()));
    const list = bySeq.get(index);
    if (list === undefined) bySeq.set(index, [delta]);
    else list.push(delta);
    this.release();
  }

  /** Merges complete intervals, and overdue ones as partial. Also called when a worker leaves. */
  release(): void {
    const now = performance.now();
    for (;;) {
      const seqs = [...this.held.keys()];
      if (seqs.length === 0) return;
      const next = Math.min(...seqs);
      const waiting = this.o.live().filter((i) => (this.reported.get(i) ?? 0) < next);
      const due = this.launchedAt === null ? Infinity : this.launchedAt + next * this.intervalMs + this.graceMs;
      if (waiting.length > 0 && now < due) return;
      if (waiting.length > 0) this.partials.push({ seq: next, mergedAt: Date.now(), missing: waiting });
      this.mergeSeq(next);
    }
  }

  /** Merges everything held (the run is over, or its results are written now). */
  flush(): void {
    for (const seq of [...this.held.keys()].sort((a, b) => a - b)) this.mergeSeq(seq);
  }

  /** Drops what is held (statistics were reset: these reports are of the old statistics). */
  clear(): void {
    this.held.clear();
  }

  stop(): void {
    this.flush();
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  /** Intervals merged without every live worker's report. */
  partialIntervals(): readonly PartialInterval[] {
    return this.partials;
  }

  /** Reports that came after their interval had been merged (they are in the totals). */
  get late(): number {
    return this.lateCount;
  }

  private mergeSeq(seq: number): void {
    const bySeq = this.held.get(seq);
    this.held.delete(seq);
    this.releasedUpTo = Math.max(this.releasedUpTo, seq);
    if (bySeq === undefined) return;
    for (const list of bySeq.values()) for (const d of list) this.o.merge(d);
  }
}
