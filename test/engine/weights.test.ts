import { describe, expect, it } from 'vitest';
import { allocateUsers, nextClassToStart, WeightedPicker } from '../../src/engine/weights.js';

const w = (...weights: number[]) => weights.map((weight) => ({ weight, fixedCount: null }));

describe('allocateUsers', () => {
  it('follows the weights exactly when they divide evenly', () => {
    expect(allocateUsers(200, w(70, 25, 4, 1))).toEqual([140, 50, 8, 2]);
    expect(allocateUsers(50, w(1, 1))).toEqual([25, 25]);
  });

  it('always sums to the total, giving leftovers by largest remainder', () => {
    for (let n = 0; n <= 137; n++) {
      const a = allocateUsers(n, w(70, 25, 4, 1));
      expect(a.reduce((x, y) => x + y, 0)).toBe(n);
      const exact = [0.7, 0.25, 0.04, 0.01].map((f) => f * n);
      a.forEach((c, i) => expect(Math.abs(c - exact[i]!)).toBeLessThan(1));
    }
    expect(allocateUsers(3, w(1, 1, 1, 1))).toEqual([1, 1, 1, 0]);
  });

  it('places fixed counts first, capped by the total', () => {
    const classes = [{ weight: 3, fixedCount: null }, { weight: 0, fixedCount: 2 }, { weight: 1, fixedCount: null }];
    expect(allocateUsers(10, classes)).toEqual([6, 2, 2]);
    expect(allocateUsers(1, classes)).toEqual([0, 1, 0]);
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
