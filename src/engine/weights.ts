/**
 * How many users each class gets, and which task a user runs next. Pure functions, no state.
 */

export interface ClassShare {
  readonly weight: number;
  readonly fixedCount: number | null;
}

/**
 * Splits `total` users across classes: fixed counts first (in file order, capped by what is left),
 * then the rest by weight with the largest-remainder method, so the counts always sum to `total`
 * and follow the weights as exactly as whole numbers allow (70/25/4/1 of 200 → 140/50/8/2).
 * Ties in the remainder go to the larger weight, then to the earlier class.
 */
export function allocateUsers(total: number, classes: readonly ClassShare[]): number[] {
  const counts = new Array<number>(classes.length).fill(0);
  let left = Math.max(0, Math.floor(total));
  for (let i = 0; i < classes.length; i++) {
    const fixed = classes[i]!.fixedCount;
    if (fixed !== null) {
      counts[i] = Math.min(fixed, left);
      left -= counts[i]!;
    }
  }
  const weighted = classes.map((c, i) => ({ i, w: c.fixedCount === null ? c.weight : 0 })).filter((c) => c.w > 0);
  const weightSum = weighted.reduce((s, c) => s + c.w, 0);
  if (left === 0 || weightSum === 0) return counts;
  const shares = weighted.map((c) => {
    const exact = (left * c.w) / weightSum;
    return { i: c.i, w: c.w, floor: Math.floor(exact), rem: exact - Math.floor(exact) };
  });
  let given = 0;
  for (const s of shares) {
    counts[s.i] = s.floor;
    given += s.floor;
  }
  const byRemainder = [...shares].sort((a, b) => b.rem - a.rem || b.w - a.w || a.i - b.i);
  for (let k = 0; given < left; k++, given++) counts[byRemainder[k % byRemainder.length]!.i]! += 1;
  return counts;
}

/**
 * The class to start next when ramping up towards `target`: the one least filled relative to its
 * target, so a ramp interleaves classes in proportion instead of starting them one after another.
 * Returns -1 when every class has reached its target.
 */
export function nextClassToStart(current: readonly number[], target: readonly number[]): number {
  let best = -1;
  let bestFill = Infinity;
  for (let i = 0; i < target.length; i++) {
    const t = target[i]!;
    const c = current[i]!;
    if (c >= t) continue;
    const fill = c / t;
    if (fill < bestFill) {
      bestFill = fill;
      best = i;
    }
  }
  return best;
}

/**
 * A weighted random pick over fixed weights, prepared once: `pick()` is a binary search over
 * cumulative weights, O(log n) and allocation-free.
 */
export class WeightedPicker {
  private readonly cumulative: Float64Array;
  private readonly total: number;

  constructor(weights: readonly number[]) {
    if (weights.length === 0) throw new RangeError('WeightedPicker needs at least one weight');
    this.cumulative = new Float64Array(weights.length);
    let sum = 0;
    for (let i = 0; i < weights.length; i++) {
      const w = weights[i]!;
      if (!(w > 0)) throw new RangeError(`weight ${i} must be > 0, got ${w}`);
      sum += w;
      this.cumulative[i] = sum;
    }
    this.total = sum;
  }

  /** @param random a number in [0, 1), `Math.random()` by default. */
  pick(random: number = Math.random()): number {
    const x = random * this.total;
    const c = this.cumulative;
    let lo = 0;
    let hi = c.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (x < c[mid]!) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}
