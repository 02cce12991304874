/**
 * The most recent Aggregated history rows, in a fixed-size ring (older rows only exist in
 * `stats_history.csv`). `rows()` returns the same array until a row is added, so a front end that
 * compares by identity redraws only when something changed.
 */
import type { HistoryRow } from './types.js';

export class HistoryRing {
  private readonly ring: (HistoryRow | undefined)[];
  private head = 0;
  private size = 0;
  private cached: readonly HistoryRow[] = [];
  private dirty = false;

  constructor(readonly capacity: number) {
    this.ring = new Array<HistoryRow | undefined>(Math.max(0, capacity));
  }

  push(row: HistoryRow): void {
    if (this.capacity <= 0) return;
    this.ring[this.head] = row;
    this.head = (this.head + 1) % this.capacity;
    if (this.size < this.capacity) this.size++;
    this.dirty = true;
  }

  /** Oldest first. */
  rows(): readonly HistoryRow[] {
    if (this.dirty) {
      const out: HistoryRow[] = [];
      const start = (this.head - this.size + this.capacity) % this.capacity;
      for (let i = 0; i < this.size; i++) out.push(this.ring[(start + i) % this.capacity] as HistoryRow);
      this.cached = out;
      this.dirty = false;
    }
    return this.cached;
  }

  clear(): void {
    this.ring.fill(undefined);
    this.head = 0;
    this.size = 0;
    this.cached = [];
    this.dirty = false;
  }
}
