import { describe, expect, it } from 'vitest';
import { StatsCollector } from '../../src/stats/collector.js';
import { PERCENTILES, REPORT_PERCENTILES } from '../../src/stats/types.js';
import { IDLE_GENERATOR, T0, manualClock, runStatus } from './helpers.js';

/** HDR with 3 significant digits: a reported value is within 0.1% of the true one. */
function expectWithinHdr(actualMs: number, trueMs: number): void {
  expect(Math.abs(actualMs - trueMs)).toBeLessThanOrEqual(trueMs * 0.001 + 0.001);
}

describe('StatsCollector: cumulative statistics', () => {
  it('gives known percentiles for a uniform latency distribution, exact counts and exact min/max/avg', () => {
    const clock = manualClock();
    const c = new StatsCollector({ clock: clock.read });
    const get = c.endpoint('GET', '/items');
    // 1 µs … 100,000 µs, each once: the p-th percentile is p × 100 ms.
    for (let us = 1; us <= 100_000; us++) c.request(get, us, us, 10, us % 10 === 0 ? 'HTTP 500' : null);
    const s = c.snapshot(runStatus(), IDLE_GENERATOR, T0 + 10_000);
    const e = s.endpoints[0]!;
    expect(e.requests).toBe(100_000);
    expect(e.failures).toBe(10_000);
    expect(e.minMs).toBe(0.001);
    expect(e.maxMs).toBe(100);
    expect(e.avgMs).toBeCloseTo(50.0005, 9);
    PERCENTILES.forEach((p, i) => expectWithinHdr(e.percentilesMs[i]!, p * 100));
    expect(e.percentilesMs[PERCENTILES.length - 1]).toBe(100); // 100% is the true maximum
    expect(e.medianMs).toBe(e.percentilesMs[0]);
    expect(e.totalBytes).toBe(1_000_000);
    expect(e.avgBytes).toBe(10);
    expect(e.rps).toBeCloseTo(10_000, 6); // 100k over 10 s since the first request
    expect(e.failuresPerSec).toBeCloseTo(1_000, 6);
    expect(e.servicePercentilesMs).toBeNull();
  });

  it('adds the reports\' ladder (50, 60, 70 … 100%) only to a snapshot taken for the results files', () => {
    const c = new StatsCollector({ clock: manualClock().read });
    const get = c.endpoint('GET', '/items');
    for (let us = 1; us <= 100_000; us++) c.request(get, us, us, 10, null);
    expect(c.snapshot(runStatus(), IDLE_GENERATOR, T0 + 10_000).endpoints[0]!.reportPercentilesMs).toBeUndefined();
    const s = c.snapshot(runStatus(), IDLE_GENERATOR, T0 + 10_000, { reportPercentiles: true });
    for (const e of [s.endpoints[0]!, s.total]) {
      expect(e.reportPercentilesMs).toHaveLength(REPORT_PERCENTILES.length);
      REPORT_PERCENTILES.forEach((p, i) => expectWithinHdr(e.reportPercentilesMs![i]!, p * 100));
      // The values both ladders have are the same numbers.
      expect(e.reportPercentilesMs![0]).toBe(e.percentilesMs[0]);
      expect(e.reportPercentilesMs!.at(-1)).toBe(100);
    }
  });

  it('keeps endpoints apart and sums them in Aggregated', () => {
    const c = new StatsCollector({ clock: manualClock().read });
    const fast = c.endpoint('GET', '/fast');
    const slow = c.endpoint('POST', '/slow');
    for (let i = 0; i < 900; i++) c.request(fast, 2_000, 2_000, 100, null);
    for (let i = 0; i < 100; i++) c.request(slow, 500_000, 500_000, 1_000, 'HTTP 503');
    const s = c.snapshot(runStatus(), IDLE_GENERATOR, T0 + 1_000);
    const [f, sl] = s.endpoints;
    expectWithinHdr(f!.medianMs, 2);
    expectWithinHdr(sl!.medianMs, 500);
    expect(s.total.requests).toBe(1_000);
    expect(s.total.failures).toBe(100);
    expect(s.total.method).toBe('');
    expect(s.total.name).toBe('Aggregated');
    expectWithinHdr(s.total.percentilesMs[PERCENTILES.indexOf(0.9)]!, 2); // 90% of requests are fast
    expectWithinHdr(s.total.percentilesMs[PERCENTILES.indexOf(0.95)]!, 500);
    expect(s.total.avgMs).toBeCloseTo((900 * 2 + 100 * 500) / 1000, 9);
    expect(s.total.avgBytes).toBe((900 * 100 + 100 * 1_000) / 1_000);
  });

  it('sorts endpoints by name then method, and lists only those that had requests', () => {
    const c = new StatsCollector({ clock: manualClock().read });
    const ids = [
      c.endpoint('POST', '/b'),
      c.endpoint('GET', '/b'),
      c.endpoint('GET', '/a'),
      c.endpoint('GET', '/never'),
      c.endpoint('DELETE', '/a'),
    ];
    for (const id of ids) if (id !== ids[3]) c.request(id, 1_000, 1_000, 0, null);
    const rows = c.snapshot(runStatus(), IDLE_GENERATOR).endpoints.map((e) => `${e.method} ${e.name}`);
    expect(rows).toEqual(['DELETE /a', 'GET /a', 'GET /b', 'POST /b']);
  });

  it('recomputes percentiles at most every maxPercentileAgeMs when asked, and always otherwise', () => {
    const c = new StatsCollector({ clock: manualClock().read });
    const id = c.endpoint('GET', '/');
    for (let i = 0; i < 100; i++) c.request(id, 10_000, 10_000, 0, null);
    const live = (at: number) => c.snapshot(runStatus(), IDLE_GENERATOR, at, { maxPercentileAgeMs: 1_000 }).total;
    expectWithinHdr(live(T0).medianMs, 10);
    for (let i = 0; i < 300; i++) c.request(id, 50_000, 50_000, 0, null);
    const stale = live(T0 + 500);
    expectWithinHdr(stale.medianMs, 10); // within the age: the earlier ladder…
    expect(stale.requests).toBe(400); // …but counts are current
    expectWithinHdr(live(T0 + 1_000).medianMs, 50); // old enough: recomputed
    for (let i = 0; i < 1_000; i++) c.request(id, 90_000, 90_000, 0, null);
    expectWithinHdr(c.snapshot(runStatus(), IDLE_GENERATOR, T0 + 1_001).total.medianMs, 90); // default: always fresh
  });

  it('returns the same id for the same (method, name)', () => {
    const c = new StatsCollector();
    expect(c.endpoint('GET', '/x')).toBe(c.endpoint('GET', '/x'));
    expect(c.endpoint('GET', '/x')).not.toBe(c.endpoint('POST', '/x'));
  });

  it('records latencies of hours (a 30 h timeout) without throwing', () => {
    const c = new StatsCollector({ clock: manualClock().read });
    const id = c.endpoint('GET', '/llm');
    const thirtyHoursUs = 30 * 3600 * 1e6;
    c.request(id, thirtyHoursUs, thirtyHoursUs, 0, 'timeout after 30h');
    const e = c.snapshot(runStatus(), IDLE_GENERATOR).endpoints[0]!;
    expect(e.maxMs).toBe(30 * 3600 * 1000);
    expectWithinHdr(e.medianMs, 30 * 3600 * 1000);
  });

  it('never throws on bad input: unknown ids are ignored, NaN and negative latencies count as 0', () => {
    const c = new StatsCollector({ clock: manualClock().read });
    const id = c.endpoint('GET', '/');
    expect(() => {
      c.request(999, 1_000, 1_000, 0, null);
      c.request(-1, 1_000, 1_000, 0, null);
      c.request(0, 1_000, 1_000, 0, null); // 0 is Aggregated, not an endpoint
      c.request(id, Number.NaN, Number.NaN, Number.NaN, null);
      c.request(id, -5, -5, -5, null);
      c.request(id, 1e20, 1e20, 1, null);
      c.check(12345, true);
      c.exception({ toString: () => { throw new Error('nope'); } }, 'U/t');
      c.dropped(Number.NaN);
    }).not.toThrow();
    const s = c.snapshot(runStatus(), IDLE_GENERATOR);
    expect(s.total.requests).toBe(3);
    expect(s.endpoints[0]!.minMs).toBe(0);
    expect(s.total.totalBytes).toBe(1);
    expect(s.droppedIterations).toBe(0);
    expect(s.exceptions[0]!.message).toBe('unprintable error');
  });

  it('counts checks and dropped iterations', () => {
    const c = new StatsCollector();
    const id = c.endpoint('GET', '/');
    c.request(id, 1_000, 1_000, 0, null);
    c.check(id, true);
    c.check(id, true);
    c.check(id, false);
    c.dropped(3);
    c.dropped(2);
    const s = c.snapshot(runStatus(), IDLE_GENERATOR);
    expect([s.endpoints[0]!.checksPassed, s.endpoints[0]!.checksFailed]).toEqual([2, 1]);
    expect([s.total.checksPassed, s.total.checksFailed]).toEqual([2, 1]);
    expect(s.droppedIterations).toBe(5);
  });

  it('keeps service-time percentiles apart from latency in the open model', () => {
    const c = new StatsCollector({ openModel: true, clock: manualClock().read });
    const id = c.endpoint('GET', '/');
    // Latency from the intended start includes 90 ms of queueing; service time is 10 ms.
    for (let i = 0; i < 1_000; i++) c.request(id, 100_000, 10_000, 0, null);
    const e = c.snapshot(runStatus(), IDLE_GENERATOR).endpoints[0]!;
    expectWithinHdr(e.medianMs, 100);
    expectWithinHdr(e.servicePercentilesMs![0]!, 10);
    expect(e.servicePercentilesMs).toHaveLength(PERCENTILES.length);
  });

  it('gives N/A-ready zeros for a row that has had no requests since a reset', () => {
    const clock = manualClock();
    const c = new StatsCollector({ clock: clock.read });
    const id = c.endpoint('GET', '/');
    c.request(id, 5_000, 5_000, 10, 'HTTP 500');
    c.check(id, false);
    c.exception(new Error('boom'), 'U/t');
    c.dropped(4);
    clock.advance(30_000);
    c.reset();
    const s = c.snapshot(runStatus(), IDLE_GENERATOR, clock.now);
    expect(s.statsStartedAt).toBe(T0 + 30_000);
    expect(s.endpoints).toHaveLength(1); // the row stays, as in Locust
    const e = s.endpoints[0]!;
    expect([e.requests, e.failures, e.minMs, e.maxMs, e.avgMs, e.medianMs, e.avgBytes, e.checksFailed]).toEqual([
      0, 0, 0, 0, 0, 0, 0, 0,
    ]);
    expect(s.total.requests).toBe(0);
    expect(s.failures).toEqual([]);
    expect(s.exceptions).toEqual([]);
    expect(s.droppedIterations).toBe(0);
    expect(s.history).toEqual([]);
    // Recording works again, and the statistics start at the first request after the reset.
    clock.advance(5_000);
    c.request(id, 7_000, 7_000, 0, null);
    const after = c.snapshot(runStatus(), IDLE_GENERATOR, clock.now);
    expect(after.statsStartedAt).toBe(T0 + 35_000);
    expectWithinHdr(after.endpoints[0]!.medianMs, 7);
  });
});
