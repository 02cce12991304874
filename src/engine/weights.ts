/**
 * How many users each class gets, and which task a user runs next. Pure functions, no state.
 */

export interface ClassShare {
  /** Breaks ties between equal weights, as Locust's class name does; absent: the list order. */
  readonly name?: string;
  readonly weight: number;
  readonly fixedCount: number | null;
}

/**
 * Splits `total` users across classes exactly as Locust 2.x's `UsersDispatcher` does for a run
 * ramped from 0 to `total` (locust/dispatch.py): users are dealt one at a time, fixed-count classes
 * first, then weighted classes, each time to the class whose count would most reduce the
 * Kullback–Leibler divergence between the counts so far and the weights (Locust's `_kl_generator`,
 * with ties broken by the class name). 70/25/4/1 of 50 → 35/12/2/1, of 200 → 140/50/8/2.
 *
 * The counts for `total` are those of the first `total` users of that sequence, so ramping down
 * (most recently started first) and up again always lands on the same counts. (Locust itself, after
 * a ramp down, continues its sequence where it was, so its counts after down-then-up can differ from
 * a fresh start; cicada always holds the fresh-start counts.) With only fixed-count classes the
 * total is capped at the sum of their counts. `fixedCount: 0` disables a class (Locust reads 0 as
 * "not fixed"). Cost: O(total × classes) once per set of classes, then proportional to the change.
 */
export function allocateUsers(total: number, classes: readonly ClassShare[]): number[] {
  return allocatorFor(classes).countsAt(Math.max(0, Math.floor(total)));
}

/**
 * The smallest user count at which class `index` gets a user under `allocateUsers`, or null if it
 * never does (a disabled class, or not within a million users).
 */
export function firstUserCountFor(index: number, classes: readonly ClassShare[]): number | null {
  return allocatorFor(classes).firstOf(index);
}

/**
 * Weighted classes (weight > 0, not fixed-count) that `counts` gives no user while some user runs:
 * what cicada warns about, since the class's tasks then never run.
 */
export function classesWithoutUsers(counts: readonly number[], classes: readonly ClassShare[]): number[] {
  if (counts.every((c) => c === 0)) return [];
  const out: number[] = [];
  classes.forEach((c, i) => {
    if (c.fixedCount === null && c.weight > 0 && (counts[i] ?? 0) === 0) out.push(i);
  });
  return out;
}

/**
 * Warns, once per class, when an allocation leaves a weighted class without a user (its tasks then
 * never run): `user class X (weight 1 of 100) gets no user with 10 users …; it gets one from 50 users on`.
 */
export class EmptyClassWarnings {
  private readonly warned = new Set<number>();

  constructor(
    private readonly classes: readonly (ClassShare & { readonly name: string })[],
    private readonly warn: (message: string) => void,
  ) {}

  /** `counts` is `allocateUsers(total, classes)`. */
  check(total: number, counts: readonly number[]): void {
    for (const i of classesWithoutUsers(counts, this.classes)) {
      if (this.warned.has(i)) continue;
      this.warned.add(i);
      const c = this.classes[i]!;
      const from = firstUserCountFor(i, this.classes);
      const weightSum = this.classes.reduce((s, x) => s + (x.fixedCount === null ? x.weight : 0), 0);
      this.warn(
        `user class ${c.name} (weight ${c.weight} of ${weightSum}) gets no user with ${total} users, so its tasks never run` +
          (from === null ? '' : `; it gets one from ${from} users on (Locust's allocation)`),
      );
    }
  }
}

/**
 * One entry of the divergence-minimising dealer: `key` is `weight × log2(x / (x + 1))` with
 * `x = weight + dealt`, the amount the divergence falls if this class gets the next user; the most
 * negative key wins, then the smaller `x`, the smaller weight, the earlier name (Locust's heap order).
 */
interface Dealer {
  readonly index: number;
  readonly weight: number;
  readonly rank: number;
  key: number;
  x: number;
}

function newDealers(entries: readonly { index: number; weight: number; rank: number }[]): Dealer[] {
  return entries
    .filter((e) => e.weight > 0)
    .map((e) => ({ ...e, key: e.weight * Math.log2(e.weight / (e.weight + 1)), x: e.weight + 1 }));
}

/** The index of the next class from `dealers`, or -1 when there is none. */
function deal(dealers: Dealer[]): number {
  let best: Dealer | undefined;
  for (const d of dealers) {
    if (best === undefined || d.key < best.key || (d.key === best.key && (d.x < best.x || (d.x === best.x && (d.weight < best.weight || (d.weight === best.weight && d.rank < best.rank)))))) {
      best = d;
    }
  }
  if (best === undefined) return -1;
  best.key = best.weight * Math.log2(best.x / (best.x + 1));
  best.x += 1;
  return best.index;
}

const MAX_SEARCH = 1_000_000;

/** The sequence of classes users are dealt in, grown on demand, and the counts of its prefixes. */
class Allocator {
  private readonly order: number[] = [];
  private readonly fixedLeft: number;
  private readonly fixed: Dealer[];
  private readonly weighted: Dealer[];
  private exhausted = false;
  private at = 0;
  private readonly counts: number[];

  constructor(classes: readonly ClassShare[]) {
    // Locust sorts the classes by name; ties in the divergence go to the earlier name.
    const ranks = classes.map((c, i) => ({ i, name: c.name ?? '' }));
    ranks.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.i - b.i));
    const rank = new Array<number>(classes.length);
    ranks.forEach((r, k) => (rank[r.i] = k));
    const entries = classes.map((c, index) => ({ index, rank: rank[index]!, c }));
    this.fixed = newDealers(entries.filter((e) => e.c.fixedCount !== null).map((e) => ({ index: e.index, rank: e.rank, weight: e.c.fixedCount! })));
    this.fixedLeft = classes.reduce((s, c) => s + (c.fixedCount ?? 0), 0);
    this.weighted = newDealers(entries.filter((e) => e.c.fixedCount === null).map((e) => ({ index: e.index, rank: e.rank, weight: e.c.weight })));
    this.counts = new Array<number>(classes.length).fill(0);
  }

  countsAt(n: number): number[] {
    this.grow(n);
    const target = Math.min(n, this.order.length);
    while (this.at < target) this.counts[this.order[this.at++]!]! += 1;
    while (this.at > target) this.counts[this.order[--this.at]!]! -= 1;
    return [...this.counts];
  }

  firstOf(index: number): number | null {
    for (let k = 0; k < MAX_SEARCH; k++) {
      this.grow(k + 1);
      if (k >= this.order.length) return null;
      if (this.order[k] === index) return k + 1;
    }
    return null;
  }

  private grow(n: number): void {
    while (this.order.length < n && !this.exhausted) {
      const next = this.order.length < this.fixedLeft ? deal(this.fixed) : deal(this.weighted);
      if (next === -1) this.exhausted = true;
      else this.order.push(next);
    }
  }
}

const allocators = new Map<string, Allocator>();

function allocatorFor(classes: readonly ClassShare[]): Allocator {
  const key = JSON.stringify(classes.map((c) => [c.name ?? null, c.weight, c.fixedCount]));
  let a = allocators.get(key);
  if (a === undefined) {
    if (allocators.size >= 16) allocators.clear();
    a = new Allocator(classes);
    allocators.set(key, a);
  }
  return a;
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
