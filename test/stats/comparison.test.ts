/**
 * The shared comparison core (issue 16 part 5): a change beyond tolerance is called a regression or
 * an improvement only when the sample sizes allow it, so a few seconds of traffic do not flash red.
 */
import { describe, expect, it } from 'vitest';
import { compareEndpoint, shareAbove } from '../../src/stats/comparison.js';
import { StatsCollector } from '../../src/stats/collector.js';
import type { EndpointStats } from '../../src/stats/types.js';
import { IDLE_GENERATOR, T0, manualClock, runStatus } from './helpers.js';

/** One endpoint over `seconds`, its latencies (ms) given one per request, `failures` of them failed. */
function endpoint(latenciesMs: readonly number[], seconds = 10, failures = 0): EndpointStats {
  const clock = manualClock();
  const c = new StatsCollector({ clock: clock.read });
  const id = c.endpoint('GET', '/a');
  latenciesMs.forEach((ms, i) => c.request(id, ms * 1000, 0, 10, i < failures ? 'HTTP 500' : null));
  return c.snapshot(runStatus({ state: 'stopped' }), IDLE_GENERATOR, T0 + seconds * 1000).endpoints[0]!;
}

/** `n` latencies: most at `fastMs`, the slowest `slowShare` of them at `slowMs`. */
function mix(n: number, fastMs: number, slowMs: number, slowShare: number): number[] {
  const slow = Math.round(n * slowShare);
  return Array.from({ length: n }, (_, i) => (i < n - slow ? fastMs + (i % 10) : slowMs + (i % 10)));
}

describe('comparison gating', () => {
  it('the share slower than a value is read off the percentile ladder', () => {
    const e = endpoint(Array.from({ length: 1000 }, (_, i) => i + 1)); // 1..1000 ms
    expect(shareAbove(e, 0.5)).toBe(1);
    expect(shareAbove(e, 2000)).toBe(0);
    expect(shareAbove(e, 500)).toBeCloseTo(0.5, 2);
    expect(shareAbove(e, 950)).toBeCloseTo(0.05, 2);
  });

  it('a p95 pushed up by a handful of slow requests in a short run is not significant; the same shift over many requests is a regression', () => {
    // Baseline: 2,000 requests, 4% slow (100 ms), p95 in the fast hump's tail... 6% slow in B.
    const a = endpoint(mix(2000, 10, 100, 0.04));
    const shortB = endpoint(mix(40, 10, 100, 0.075), 3); // 3 slow requests of 40
    const short = compareEndpoint(a, shortB).metrics!.p95;
    expect(short.b).toBeGreaterThan(short.a * 1.1);
    expect(short.verdict).toBe('not significant');

    const longB = endpoint(mix(4000, 10, 100, 0.075));
    const long = compareEndpoint(a, longB).metrics!.p95;
    expect(long.b).toBeGreaterThan(long.a * 1.1);
    expect(long.verdict).toBe('regression');
  });

  it('under the minimum request count nothing is judged, however large the change', () => {
    const c = compareEndpoint(endpoint(mix(100, 10, 10, 0)), endpoint(mix(10, 500, 500, 0), 1));
    expect(c.metrics!.p95.verdict).toBe('not judged');
    expect(c.metrics!.p50.verdict).toBe('not judged');
  });

  it('improvements need the same evidence the other way round', () => {
    const slow = endpoint(mix(2000, 50, 50, 0));
    expect(compareEndpoint(slow, endpoint(mix(2000, 20, 20, 0))).metrics!.p95.verdict).toBe('improvement');
    expect(compareEndpoint(slow, endpoint(mix(25, 20, 20, 0))).metrics!.p95.verdict).toBe('improvement'); // every request faster: clear even with 25
    // p95 of 25 requests lower only because one slow request fewer: beyond tolerance, not clear.
    const a = endpoint(mix(2000, 10, 100, 0.08));
    const b = endpoint(mix(25, 10, 100, 0.04), 3);
    const p95 = compareEndpoint(a, b).metrics!.p95;
    expect(p95.b).toBeLessThan(p95.a * 0.9);
    expect(p95.verdict).toBe('not significant');
  });

  it('an error rate judged by a two-proportion test: 1 failure in 25 is not clearly worse, 100 in 2,500 is', () => {
    const a = endpoint(mix(2000, 10, 10, 0), 10, 2); // 0.1%
    expect(compareEndpoint(a, endpoint(mix(25, 10, 10, 0), 1, 1)).metrics!.errorRate.verdict).toBe('not significant');
    expect(compareEndpoint(a, endpoint(mix(2500, 10, 10, 0), 10, 100)).metrics!.errorRate.verdict).toBe('regression');
  });

  it('throughput judged as Poisson counts: -20% over 40 requests is chance, over 400 it is not', () => {
    const a = endpoint(mix(500, 10, 10, 0), 10); // 50/s
    const few = compareEndpoint(a, endpoint(mix(40, 10, 10, 0), 1)).metrics!.rps; // 40/s for 1 s
    expect(few.change).toBeCloseTo(-0.2, 2);
    expect(few.verdict).toBe('not significant');
    expect(compareEndpoint(a, endpoint(mix(400, 10, 10, 0), 10)).metrics!.rps.verdict).toBe('regression');
  });
});
