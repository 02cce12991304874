import { describe, expect, it } from 'vitest';
import { allocateUsers, classesWithoutUsers, firstUserCountFor, nextClassToStart, WeightedPicker } from '../../src/engine/weights.js';

type Spec = [name: string, weight: number | { fixed: number }];
const classes = (specs: readonly Spec[]) =>
  specs.map(([name, w]) => (typeof w === 'number' ? { name, weight: w, fixedCount: null } : { name, weight: 0, fixedCount: w.fixed }));

/**
 * Class counts Locust 2.x starts for a ramp from 0 to N users, worked out from locust/dispatch.py:
 * classes sorted by name; fixed-count users first, dealt by `_kl_generator` over their counts; then
 * weighted users dealt by `_kl_generator` over the weights — each user to the class with the
 * smallest `weight × log2(x / (x + 1))` (x = weight + users it already has), ties to the smaller x,
 * weight, then name. (Its docstring's example: weights 5 and 1 deal AAABAAAAABAA, so 10 users are
 * 8/2.) Computed with Python's math.log2 and heapq, as Locust runs it.
 */
const LOCUST: readonly [readonly Spec[], Readonly<Record<number, readonly number[]>>][] = [
  [[['AuthenticatedUser', 70], ['BrowsingUser', 25], ['AdminUser', 4], ['HealthCheckUser', 1]], { 1: [1, 0, 0, 0], 3: [2, 1, 0, 0], 10: [7, 3, 0, 0], 13: [9, 3, 1, 0], 50: [35, 12, 2, 1], 101: [71, 25, 4, 1], 200: [140, 50, 8, 2], 1000: [700, 250, 40, 10] }],
  [[['A', 1], ['B', 1]], { 1: [1, 0], 3: [2, 1], 10: [5, 5], 13: [7, 6], 50: [25, 25], 101: [51, 50], 200: [100, 100], 1000: [500, 500] }],
  [[['B', 1], ['A', 1]], { 1: [0, 1], 3: [1, 2], 10: [5, 5], 13: [6, 7], 50: [25, 25], 101: [50, 51], 200: [100, 100], 1000: [500, 500] }],
  [[['A', 1], ['B', 1], ['C', 1], ['D', 1]], { 1: [1, 0, 0, 0], 3: [1, 1, 1, 0], 10: [3, 3, 2, 2], 13: [4, 3, 3, 3], 50: [13, 13, 12, 12], 101: [26, 25, 25, 25], 200: [50, 50, 50, 50], 1000: [250, 250, 250, 250] }],
  [[['A', 5], ['B', 1]], { 1: [1, 0], 3: [2, 1], 10: [8, 2], 13: [11, 2], 50: [42, 8], 101: [84, 17], 200: [167, 33], 1000: [833, 167] }],
  [[['A', 3], ['B', 2]], { 1: [1, 0], 3: [2, 1], 10: [6, 4], 13: [8, 5], 50: [30, 20], 101: [61, 40], 200: [120, 80], 1000: [600, 400] }],
  [[['A', 10], ['B', 3], ['C', 1]], { 1: [1, 0, 0], 3: [2, 1, 0], 10: [7, 2, 1], 13: [9, 3, 1], 50: [35, 11, 4], 101: [72, 22, 7], 200: [143, 43, 14], 1000: [715, 214, 71] }],
  [[['X', 1], ['Y', 2], ['Z', 3]], { 1: [0, 0, 1], 3: [1, 1, 1], 10: [2, 3, 5], 13: [2, 4, 7], 50: [8, 17, 25], 101: [17, 34, 50], 200: [33, 67, 100], 1000: [167, 333, 500] }],
  [[['A', 100], ['B', 1]], { 1: [1, 0], 3: [3, 0], 10: [10, 0], 13: [13, 0], 50: [49, 1], 101: [100, 1], 200: [198, 2], 1000: [990, 10] }],
  [[['A', 0.5], ['B', 1.5]], { 1: [0, 1], 3: [1, 2], 10: [3, 7], 13: [3, 10], 50: [13, 37], 101: [25, 76], 200: [50, 150], 1000: [250, 750] }],
  [[['A', 3], ['F', { fixed: 2 }], ['B', 1]], { 1: [0, 1, 0], 3: [1, 2, 0], 10: [6, 2, 2], 13: [8, 2, 3], 50: [36, 2, 12], 101: [74, 2, 25], 200: [148, 2, 50], 1000: [748, 2, 250] }],
  [[['F1', { fixed: 3 }], ['F2', { fixed: 1 }]], { 1: [1, 0], 3: [2, 1], 10: [3, 1], 13: [3, 1], 50: [3, 1], 101: [3, 1], 200: [3, 1], 1000: [3, 1] }],
  [[['F1', { fixed: 3 }], ['F2', { fixed: 1 }], ['W', 1]], { 1: [1, 0, 0], 3: [2, 1, 0], 10: [3, 1, 6], 13: [3, 1, 9], 50: [3, 1, 46], 101: [3, 1, 97], 200: [3, 1, 196], 1000: [3, 1, 996] }],
  [[['A', 7], ['B', 7], ['C', 2]], { 1: [1, 0, 0], 3: [2, 1, 0], 10: [5, 4, 1], 13: [6, 5, 2], 50: [22, 22, 6], 101: [44, 44, 13], 200: [88, 87, 25], 1000: [438, 437, 125] }],
  // Python's string order: "U10" < "U2".
  [[['U10', 1], ['U2', 1]], { 1: [1, 0], 3: [2, 1], 10: [5, 5], 13: [7, 6], 50: [25, 25], 101: [51, 50], 200: [100, 100], 1000: [500, 500] }],
];

describe('allocateUsers', () => {
  it("gives Locust's class counts: weights 70/25/4/1 with 50 users start 35/12/2/1", () => {
    expect(allocateUsers(50, classes([['AuthenticatedUser', 70], ['BrowsingUser', 25], ['AdminUser', 4], ['HealthCheckUser', 1]]))).toEqual([35, 12, 2, 1]);
  });

  it.each(LOCUST.map(([specs, byCount]) => [specs.map(([n, w]) => `${n}:${typeof w === 'number' ? w : `fixed ${w.fixed}`}`).join(' '), specs, byCount] as const))(
    'matches Locust for %s',
    (_label, specs, byCount) => {
      for (const [n, expected] of Object.entries(byCount)) expect([Number(n), allocateUsers(Number(n), classes(specs))]).toEqual([Number(n), expected]);
    },
  );

  it('always sums to the total (weighted classes), whatever order the counts are asked in', () => {
    const c = classes([['A', 70], ['B', 25], ['C', 4], ['D', 1]]);
    for (const n of [137, 0, 64, 65, 3, 500, 1]) expect(allocateUsers(n, c).reduce((x, y) => x + y, 0)).toBe(n);
    for (let n = 0; n <= 137; n++) {
      const a = allocateUsers(n, c);
      const exact = [0.7, 0.25, 0.04, 0.01].map((f) => f * n);
      a.forEach((k, i) => expect(Math.abs(k - exact[i]!)).toBeLessThan(1.5));
    }
  });

  it('places fixed counts first, and caps the total at them when no class is weighted', () => {
    const c = classes([['W', 3], ['F', { fixed: 2 }], ['V', 1]]);
    expect(allocateUsers(1, c)).toEqual([0, 1, 0]);
    expect(allocateUsers(2, c)).toEqual([0, 2, 0]);
    expect(allocateUsers(6, classes([['F1', { fixed: 3 }], ['F2', { fixed: 1 }]]))).toEqual([3, 1]);
    expect(allocateUsers(5, classes([['F', { fixed: 0 }], ['W', 1]]))).toEqual([0, 5]);
  });

  it('names the weighted classes left without a user, and from how many users each gets one', () => {
    const c = classes([['AuthenticatedUser', 70], ['BrowsingUser', 25], ['AdminUser', 4], ['HealthCheckUser', 1]]);
    expect(classesWithoutUsers(allocateUsers(10, c), c)).toEqual([2, 3]);
    expect(classesWithoutUsers(allocateUsers(50, c), c)).toEqual([]);
    expect(classesWithoutUsers(allocateUsers(0, c), c)).toEqual([]);
    for (const i of [0, 1, 2, 3]) {
      const first = firstUserCountFor(i, c)!;
      expect(allocateUsers(first - 1, c)[i]).toBe(0);
      expect(allocateUsers(first, c)[i]).toBe(1);
    }
    expect(firstUserCountFor(2, c)).toBe(12);
    expect(firstUserCountFor(3, c)).toBeLessThanOrEqual(50);
    expect(firstUserCountFor(0, classes([['F', { fixed: 0 }], ['W', 1]]))).toBeNull();
  });
});

describe('nextClassToStart', () => {
  it('interleaves classes in proportion during a ramp', () => {
    const target = [6, 3, 1];
    const current = [0, 0, 0];
    const order: number[] = [];
    for (let k = 0; k < 10; k++) {
      const c = nextClassToStart(current, target);
      order.push(c);
      current[c]! += 1;
    }
    expect(current).toEqual(target);
    expect(nextClassToStart(current, target)).toBe(-1);
    // After half the ramp, each class is roughly half filled.
    const half = [0, 0, 0];
    for (const c of order.slice(0, 5)) half[c]! += 1;
    expect(half[0]).toBeGreaterThanOrEqual(2);
    expect(half[1]).toBeGreaterThanOrEqual(1);
  });
});

describe('WeightedPicker', () => {
  it('picks by weight', () => {
    const p = new WeightedPicker([5, 1]);
    expect(p.pick(0)).toBe(0);
    expect(p.pick(0.83)).toBe(0);
    expect(p.pick(0.84)).toBe(1);
    expect(p.pick(0.9999)).toBe(1);
    const counts = [0, 0];
    for (let i = 0; i < 60_000; i++) counts[p.pick()]! += 1;
    expect(counts[0]! / 60_000).toBeCloseTo(5 / 6, 1);
  });

  it('rejects empty and non-positive weights', () => {
    expect(() => new WeightedPicker([])).toThrow();
    expect(() => new WeightedPicker([1, 0])).toThrow(/weight 1/);
  });
});
