/**
 * One-second request and failure counters per statistics row, on the wall clock: the "current"
 * rates. A ring of `windowSec + 1` slots per row (the open second and the last `windowSec` closed
 * ones) in two flat `Float64Array`s indexed `row * slots + slot`. Recording is two array writes;
 * closing a second clears one slot column. Rates are computed from the seconds' own timestamps, so
 * they fall to zero once the window has passed even if nobody closes seconds any more.
 */
export class SecondCounters {
  readonly slots: number;
  private requests: Float64Array;
  private failures: Float64Array;
  /** Unix second held by each slot, or -1. */
  private readonly slotSecond: Float64Array;
  /** Slot being recorded (holds `openSecond`). */
  private head = 0;
  private rowCapacity: number;

  constructor(
    readonly windowSec: number,
    rowCapacity: number,
    openSecond: number,
  ) {
    this.slots = windowSec + 1;
    this.rowCapacity = rowCapacity;
    this.requests = new Float64Array(rowCapacity * this.slots);
    this.failures = new Float64Array(rowCapacity * this.slots);
    this.slotSecond = new Float64Array(this.slots).fill(-1);
    this.slotSecond[0] = openSecond;
  }

  /** The Unix second now being recorded. */
  get openSecond(): number {
    return this.slotSecond[this.head] as number;
  }

  /** Makes room for rows `0 … rowCapacity - 1`, keeping what was counted. Not for the hot path. */
  grow(rowCapacity: number): void {
    if (rowCapacity <= this.rowCapacity) return;
    const requests = new Float64Array(rowCapacity * this.slots);
    const failures = new Float64Array(rowCapacity * this.slots);
    requests.set(this.requests);
    failures.set(this.failures);
    this.requests = requests;
    this.failures = failures;
    this.rowCapacity = rowCapacity;
  }

  /** Hot path: one request (failed or not) for `row` in the open second. */
  add(row: number, failed: boolean): void {
    const i = row * this.slots + this.head;
    this.requests[i]!++;
    if (failed) this.failures[i]!++;
  }

  /** Requests merged from elsewhere, counted in the open second. */
  addMany(row: number, requests: number, failures: number): void {
    const i = row * this.slots + this.head;
    this.requests[i]! += requests;
    this.failures[i]! += failures;
  }

  /** Closes the open second; the next one (`openSecond + 1`) opens empty. */
  close(): void {
    const next = this.openSecond + 1;
    this.head = (this.head + 1) % this.slots;
    this.slotSecond[this.head] = next;
    const slots = this.slots;
    for (let i = this.head; i < this.requests.length; i += slots) {
      this.requests[i] = 0;
      this.failures[i] = 0;
    }
  }

  /** Gives the open second a later label (what it holds is attributed to `second`). */
  relabelOpen(second: number): void {
    if (second > this.openSecond) this.slotSecond[this.head] = second;
  }

  /** Jumps to `second` with every slot empty (after a reset). */
  restart(second: number): void {
    this.requests.fill(0);
    this.failures.fill(0);
    this.slotSecond.fill(-1);
    this.head = 0;
    this.slotSecond[0] = second;
  }

  /**
   * Requests and failures per second for `row` over the complete seconds of the window ending at
   * `nowMs` (`[nowSec - windowSec, nowSec)`), divided by the part of that window after
   * `sinceMs` (the statistics start), at least one second.
   */
  rates(row: number, nowMs: number, sinceMs: number): { rps: number; failuresPerSec: number } {
    const nowSec = Math.floor(nowMs / 1000);
    const fromSec = nowSec - this.windowSec;
    let requests = 0;
    let failures = 0;
    const base = row * this.slots;
    for (let s = 0; s < this.slots; s++) {
      const second = this.slotSecond[s] as number;
      if (second >= fromSec && second < nowSec) {
        requests += this.requests[base + s] as number;
        failures += this.failures[base + s] as number;
      }
    }
    const spanSec = Math.max(1, nowSec - Math.max(fromSec, sinceMs / 1000));
    return { rps: requests / spanSec, failuresPerSec: failures / spanSec };
  }
}
