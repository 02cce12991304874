/**
 * A token bucket: `ratePerSec` tokens a second, holding at most `burst`. `take()` is O(1) and
 * reads the clock it is given, so tests can drive it with fake time.
 */
export class TokenBucket {
  readonly #ratePerMs: number;
  readonly #burst: number;
  #tokens: number;
  #lastMs: number;

  constructor(ratePerSec: number, burst: number, nowMs: number) {
    if (!(ratePerSec > 0) || !(burst >= 1)) throw new RangeError('TokenBucket needs ratePerSec > 0 and burst >= 1');
    this.#ratePerMs = ratePerSec / 1000;
    this.#burst = burst;
    this.#tokens = burst;
    this.#lastMs = nowMs;
  }

  /** Takes one token if there is one; false means "over the limit". */
  take(nowMs: number): boolean {
    const elapsedMs = nowMs - this.#lastMs;
    if (elapsedMs > 0) {
      this.#tokens = Math.min(this.#burst, this.#tokens + elapsedMs * this.#ratePerMs);
      this.#lastMs = nowMs;
    }
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}
