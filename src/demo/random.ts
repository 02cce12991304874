/**
 * Deterministic randomness for the demo target: a seeded generator for latency, flakiness and ids,
 * and a stateless integer hash for facts that must not depend on request order (which items exist).
 * Neither is cryptographic.
 */

/** A seeded stream of pseudo-random numbers (mulberry32). Same seed, same sequence. */
export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform in [min, max). */
  between(min: number, max: number): number;
  /** Log-normal with the given median and shape `sigma` (standard deviation of the log). */
  logNormal(median: number, sigma: number): number;
  /** `length` lowercase hex digits. */
  hex(length: number): string;
}

export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    between: (min, max) => min + (max - min) * next(),
    logNormal: (median, sigma) => {
      // Box–Muller; 1 - next() is in (0, 1], so the log is finite.
      const normal = Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
      return median * Math.exp(sigma * normal);
    },
    hex: (length) => {
      let out = '';
      while (out.length < length) out += Math.floor(next() * 0x100000000).toString(16).padStart(8, '0');
      return out.slice(0, length);
    },
  };
}

/** A well-mixed 32-bit hash of a non-negative integer (lowbias32), optionally salted. */
export function hash32(value: number, salt = 0): number {
  let x = (Math.floor(value) ^ Math.imul(salt, 0x9e3779b1)) >>> 0;
  // Fold in the high bits of values above 2^32 so large ids still spread.
  x = (x ^ Math.floor(value / 4294967296)) >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}
