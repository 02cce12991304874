/**
 * The demo target's parts on their own: the catalog's exact 3% gaps, the latency profiles'
 * spread, the token bucket, the signed tokens and the bounded cart store.
 */

import { describe, expect, it } from 'vitest';
import { CartStore, readCookie } from '../../src/demo/carts.js';
import { PAGE_SIZE, catalogItem, catalogPage, itemExists } from '../../src/demo/catalog.js';
import { RequestCounts } from '../../src/demo/counts.js';
import { LATENCY, sampleLatencyMs } from '../../src/demo/latency.js';
import type { LatencyProfile } from '../../src/demo/latency.js';
import { createRandom } from '../../src/demo/random.js';
import { TokenBucket } from '../../src/demo/rate-limiter.js';
import { TokenSigner } from '../../src/demo/tokens.js';

describe('catalog', () => {
  it('exactly 3 of every 100 consecutive ids are missing', () => {
    for (let block = 0; block < 200; block++) {
      let missing = 0;
      for (let id = block * 100 + 1; id <= block * 100 + 100; id++) if (!itemExists(id)) missing++;
      expect(missing).toBe(3);
    }
  });

  it('items are the same every time and rejects non-ids', () => {
    const id = [...Array(100).keys()].map((i) => i + 1).find(itemExists)!;
    expect(catalogItem(id)).toEqual(catalogItem(id));
    expect(catalogItem(0)).toBeNull();
    expect(catalogItem(-3)).toBeNull();
    expect(catalogItem(1.5)).toBeNull();
    expect(catalogItem(Number.NaN)).toBeNull();
  });

  it('pages hold PAGE_SIZE existing items, consecutive and without overlap', () => {
    const ids = [1, 2, 3, 4, 5, 6].flatMap((page) => catalogPage(page).map((item) => item.id));
    expect(ids).toHaveLength(6 * PAGE_SIZE);
    expect(ids.every(itemExists)).toBe(true);
    const expected: number[] = [];
    for (let id = 1; expected.length < ids.length; id++) if (itemExists(id)) expected.push(id);
    expect(ids).toEqual(expected);
    expect(catalogPage(10_000)).toHaveLength(PAGE_SIZE);
  });
});

describe('latency profiles', () => {
  const samples = (profile: LatencyProfile, n = 20_000): number[] => {
    const random = createRandom(3);
    return Array.from({ length: n }, () => sampleLatencyMs(profile, random)).sort((a, b) => a - b);
  };
  const at = (sorted: number[], q: number): number => sorted[Math.floor(q * (sorted.length - 1))]!;

  it('log-normal profiles have their median, a long tail and a hard cap', () => {
    for (const profile of [LATENCY.item, LATENCY.itemList, LATENCY.login] as const) {
      const sorted = samples(profile);
      expect(at(sorted, 0.5)).toBeGreaterThan(profile.medianMs * 0.95);
      expect(at(sorted, 0.5)).toBeLessThan(profile.medianMs * 1.05);
      expect(at(sorted, 0.99)).toBeGreaterThan(profile.medianMs * 1.5);
      expect(sorted.at(-1)!).toBeLessThanOrEqual(profile.maxMs);
      expect(sorted[0]!).toBeGreaterThan(0);
    }
  });

  it('uniform profiles stay in their range', () => {
    const sorted = samples(LATENCY.slow);
    expect(sorted[0]!).toBeGreaterThanOrEqual(500);
    expect(sorted.at(-1)!).toBeLessThan(2000);
    expect(samples(LATENCY.none, 10).every((ms) => ms === 0)).toBe(true);
  });

  it('the same seed gives the same samples', () => {
    expect(samples(LATENCY.item, 50)).toEqual(samples(LATENCY.item, 50));
  });
});

describe('token bucket', () => {
  it('allows the burst, then the rate', () => {
    const bucket = new TokenBucket(50, 50, 0);
    let allowed = 0;
    for (let i = 0; i < 100; i++) if (bucket.take(0)) allowed++;
    expect(allowed).toBe(50);
    expect(bucket.take(10)).toBe(false); // 0.5 token refilled
    expect(bucket.take(20)).toBe(true); // 1 token
    let later = 0;
    for (let i = 0; i < 100; i++) if (bucket.take(10_000)) later++;
    expect(later).toBe(50); // never more than the burst
  });

  it('rejects nonsense configuration', () => {
    expect(() => new TokenBucket(0, 10, 0)).toThrow(RangeError);
    expect(() => new TokenBucket(10, 0, 0)).toThrow(RangeError);
  });
});

describe('tokens', () => {
  it('verifies its own tokens only', () => {
    const signer = new TokenSigner('a');
    const token = signer.issue('alice@example.com');
    expect(signer.verify(token)).toBe('alice@example.com');
    expect(signer.userFromHeader(`Bearer ${token}`)).toBe('alice@example.com');
    expect(signer.userFromHeader(`bearer ${token}`)).toBe('alice@example.com');
    expect(new TokenSigner('b').verify(token)).toBeNull();
    expect(signer.verify(`${token}x`)).toBeNull();
    expect(signer.verify('nodot')).toBeNull();
    expect(signer.userFromHeader(undefined)).toBeNull();
    expect(signer.userFromHeader(token)).toBeNull();
  });
});

describe('carts and counts', () => {
  it('forgets the oldest session beyond the cap', () => {
    const store = new CartStore(createRandom(1), 3);
    const first = store.create();
    for (let i = 0; i < 3; i++) store.create();
    expect(store.size).toBe(3);
    expect(store.get(first.session)).toBeUndefined();
  });

  it('reads one cookie out of a Cookie header', () => {
    expect(readCookie('a=1; session=abc; b=2', 'session')).toBe('abc');
    expect(readCookie('xsession=abc', 'session')).toBeUndefined();
    expect(readCookie(undefined, 'session')).toBeUndefined();
  });

  it('counts per key with a total, and resets', () => {
    const counts = new RequestCounts();
    counts.increment('GET /b');
    counts.increment('GET /a');
    counts.increment('GET /b');
    expect(counts.snapshot()).toEqual({ 'GET /a': 1, 'GET /b': 2, total: 3 });
    expect(Object.keys(counts.snapshot())).toEqual(['GET /a', 'GET /b', 'total']);
    counts.reset();
    expect(counts.snapshot()).toEqual({ total: 0 });
  });
});
