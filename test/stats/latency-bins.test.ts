import { describe, expect, it } from 'vitest';
import { StatsCollector } from '../../src/stats/collector.js';
import { logBins, type RecordedBuckets } from '../../src/stats/latency-bins.js';
import { codesSeen, statusCount } from '../../src/stats/status-summary.js';
import { IDLE_GENERATOR, T0, manualClock, runStatus } from './helpers.js';

describe('latency histogram bins', () => {
  it("keeps every count of a row's HDR histogram, in round log-spaced bins from its fastest to its slowest", () => {
    const c = new StatsCollector({ clock: manualClock().read });
    const fast = c.endpoint('GET', '/health');
    const slow = c.endpoint('GET', '/slow');
    // 300 µs … 2.9 ms for /health; 0.5 s … 2 s for /slow.
    for (let i = 0; i < 1000; i++) c.request(fast, 300 + i * 2.6, 0, 1, null);
    for (let i = 0; i < 100; i++) c.request(slow, 500_000 + i * 15_000, 0, 1, null);
    const b = c.rowLatencyBuckets('GET', '/health') as RecordedBuckets;
    expect(b.total).toBe(1000);
    const bins = logBins(b, 12);
    expect(bins.length).toBeLessThanOrEqual(12);
    expect(bins.reduce((n, x) => n + x.count, 0)).toBe(1000);
    expect(bins[0]?.fromUs).toBeLessThanOrEqual(300);
    expect(bins.at(-1)?.toUs).toBeGreaterThan(2874);
    // Round edges: 1, 1.25, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10^k (the finest scheme that fits 12 bins).
    for (const x of bins) expect([1, 1.25, 1.5, 2, 2.5, 3, 4, 5, 6, 8]).toContain(Number((x.fromUs / 10 ** Math.floor(Math.log10(x.fromUs))).toFixed(2)));
    // Each bin holds the values in [from, to): 300…398.8 µs are the 39 values below 400 µs (the 3-digit
    // HDR buckets there are 1 µs wide, so no value crosses an edge).
    const below400 = bins.filter((x) => x.toUs <= 400).reduce((n, x) => n + x.count, 0);
    expect(below400).toBe(39);

    const all = logBins(c.rowLatencyBuckets('', 'Aggregated') as RecordedBuckets, 8);
    expect(all.reduce((n, x) => n + x.count, 0)).toBe(1100);
    expect(all.length).toBeLessThanOrEqual(8);
    // 300 µs to 2 s is almost four decades: 2 per decade (1, 3) fits 8 bins; the gap between the two
    // endpoints shows as empty bins.
    expect(all.some((x) => x.count === 0)).toBe(true);
    expect(c.rowLatencyBuckets('GET', '/nothing')).toBeNull();
  });

  it('coarsens to one bin per decade, or several decades, when few lines are left', () => {
    const c = new StatsCollector({ clock: manualClock().read });
    const get = c.endpoint('GET', '/x');
    for (const us of [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000]) c.request(get, us, 0, 1, null);
    const b = c.rowLatencyBuckets('GET', '/x') as RecordedBuckets;
    expect(logBins(b, 8).map((x) => x.count)).toEqual([1, 1, 1, 1, 1, 1, 1, 1]);
    const three = logBins(b, 3);
    expect(three.length).toBeLessThanOrEqual(3);
    expect(three.reduce((n, x) => n + x.count, 0)).toBe(8);
    expect(logBins(b, 1)).toHaveLength(1);
    expect(logBins({ values: [], widths: [], counts: [], total: 0 }, 5)).toEqual([]);
  });

  it('an empty row has no buckets; a reset empties them', () => {
    const c = new StatsCollector({ clock: manualClock().read });
    const get = c.endpoint('GET', '/x');
    expect(c.rowLatencyBuckets('GET', '/x')?.total).toBe(0);
    c.request(get, 5000, 0, 1, null);
    expect(c.rowLatencyBuckets('GET', '/x')?.total).toBe(1);
    c.reset();
    expect(c.rowLatencyBuckets('GET', '/x')?.total).toBe(0);
  });
});

describe('status-code counts of a row', () => {
  it('reads one code, a class, and the requests that got no response', () => {
    const c = new StatsCollector({ clock: manualClock().read });
    const get = c.endpoint('GET', '/x');
    for (const code of [200, 200, 204, 404, 429, 500]) {
      c.status(get, code);
      c.request(get, 1000, 0, 1, code >= 400 ? `HTTP ${code}` : null);
    }
    c.request(get, 0, 0, 0, 'ECONNREFUSED'); // no response, no status
    const s = c.snapshot(runStatus(), IDLE_GENERATOR, T0 + 1000);
    const e = s.endpoints[0]!;
    expect(statusCount(e, '200')).toBe(2);
    expect(statusCount(e, '2xx')).toBe(3);
    expect(statusCount(e, '4xx')).toBe(2);
    expect(statusCount(e, '5xx')).toBe(1);
    expect(statusCount(e, '3xx')).toBe(0);
    expect(statusCount(e, 'none')).toBe(1);
    expect(statusCount(s.total, '2xx')).toBe(3);
    expect(codesSeen([e, s.total])).toEqual(['200', '204', '404', '429', '500']);
  });
});
