import { describe, expect, it } from 'vitest';
import { StatsCollector } from '../../src/stats/collector.js';
import { PERCENTILES } from '../../src/stats/types.js';
import { IDLE_GENERATOR, T0, manualClock, runStatus } from './helpers.js';

/**
 * Drives a collector the way the engine and the once-a-second driver do, on explicit wall-clock
 * times: `perSecond` requests spread over each second, then a tick at the second's end.
 */
function drive(
  c: StatsCollector,
  clock: ReturnType<typeof manualClock>,
  id: number,
  seconds: number,
  perSecond: number,
  latencyUs: number,
  failEvery = 0,
): ReturnType<StatsCollector['tick']> {
  const rows: ReturnType<StatsCollector['tick']> = [];
  for (let s = 0; s < seconds; s++) {
    for (let i = 0; i < perSecond; i++) {
      clock.advance(1000 / perSecond);
      c.request(id, latencyUs, latencyUs, 0, failEvery > 0 && i % failEvery === 0 ? 'HTTP 500' : null);
    }
    rows.push(...c.tick(clock.now + 1, 10));
  }
  return rows;
}

describe('StatsCollector: one-second buckets on the wall clock', () => {
  it('gives the current rate over the last 10 s, falling to zero once traffic stops', () => {
    const clock = manualClock(T0); // the collector opens second T0
    const c = new StatsCollector({ clock: clock.read });
    const id = c.endpoint('GET', '/');
    drive(c, clock, id, 20, 100, 1_000, 4);
    let s = c.snapshot(runStatus(), IDLE_GENERATOR, clock.now + 1);
    expect(s.endpoints[0]!.currentRps).toBeCloseTo(100, 6);
    expect(s.endpoints[0]!.currentFailuresPerSec).toBeCloseTo(25, 6);
    expect(s.total.currentRps).toBeCloseTo(100, 6);

    // Traffic stops. Five seconds later half the window is empty…
    for (let k = 0; k < 5; k++) c.tick(clock.advance(1000) + 1, 10);
    s = c.snapshot(runStatus(), IDLE_GENERATOR, clock.now + 1);
    expect(s.endpoints[0]!.currentRps).toBeCloseTo(50, 6);
    // …and after the window nothing is left, though the whole-run totals stay.
    for (let k = 0; k < 6; k++) c.tick(clock.advance(1000) + 1, 10);
    s = c.snapshot(runStatus(), IDLE_GENERATOR, clock.now + 1);
    expect(s.endpoints[0]!.currentRps).toBe(0);
    expect(s.endpoints[0]!.currentFailuresPerSec).toBe(0);
    expect(s.endpoints[0]!.requests).toBe(2_000);
  });

  it('lets current rates fall to zero from the snapshot time alone, even when nobody ticks', () => {
    const clock = manualClock(T0);
    const c = new StatsCollector({ clock: clock.read });
    const id = c.endpoint('GET', '/');
    drive(c, clock, id, 3, 50, 1_000);
    expect(c.snapshot(runStatus(), IDLE_GENERATOR, clock.now + 1).total.currentRps).toBeCloseTo(50, 0);
    expect(c.snapshot(runStatus(), IDLE_GENERATOR, clock.now + 60_000).total.currentRps).toBe(0);
  });

  it('counts only complete seconds: requests of the second in progress wait for its end', () => {
    const clock = manualClock(T0);
    const c = new StatsCollector({ clock: clock.read });
    const id = c.endpoint('GET', '/');
    drive(c, clock, id, 1, 100, 1_000);
    for (let i = 0; i < 50; i++) c.request(id, 1_000, 1_000, 0, null);
    expect(c.snapshot(runStatus(), IDLE_GENERATOR, T0 + 1_500).total.currentRps).toBeCloseTo(100, 0);
    c.tick(T0 + 2_000, 1);
    expect(c.snapshot(runStatus(), IDLE_GENERATOR, T0 + 2_000).total.currentRps).toBeCloseTo(75, 0);
  });

  it('divides by the time since the statistics started while the window is not yet full', () => {
    const clock = manualClock(T0);
    const c = new StatsCollector({ clock: clock.read });
    const id = c.endpoint('GET', '/');
    drive(c, clock, id, 3, 40, 1_000);
    expect(c.snapshot(runStatus(), IDLE_GENERATOR, clock.now + 1).total.currentRps).toBeCloseTo(40, 0);
  });

  it('emits one Aggregated history row per closed second, with window percentiles and cumulative totals', () => {
    const clock = manualClock(T0);
    const c = new StatsCollector({ clock: clock.read });
    const id = c.endpoint('GET', '/');
    const fast = drive(c, clock, id, 10, 100, 10_000); // 10 s at 10 ms
    const slow = drive(c, clock, id, 10, 100, 100_000); // then 10 s at 100 ms
    const rows = [...fast, ...slow];
    expect(rows).toHaveLength(20);
    expect(rows.map((r) => r.timestamp)).toEqual(Array.from({ length: 20 }, (_, i) => T0 / 1000 + i + 1));
    expect(rows.every((r) => r.name === 'Aggregated' && r.method === '' && r.userCount === 10)).toBe(true);
    const last = rows[19]!;
    // The window holds only the last 10 s (all slow); the totals hold both halves.
    expect(last.windowRequests).toBe(1_000);
    expect(last.percentilesMs[0]).toBeCloseTo(100, 0);
    expect(Math.abs(last.percentilesMs[PERCENTILES.length - 1]! - 100)).toBeLessThanOrEqual(0.1);
    expect(last.totalRequests).toBe(2_000);
    expect(last.totalAvgMs).toBeCloseTo(55, 9);
    expect(last.totalMinMs).toBe(10);
    expect(last.totalMaxMs).toBe(100);
    expect(last.rps).toBeCloseTo(100, 6);
    expect(rows[9]!.percentilesMs[0]).toBeCloseTo(10, 1);
    expect(rows[9]!.totalMedianMs).toBeCloseTo(10, 1);
    // The in-memory ring has them too.
    expect(c.snapshot(runStatus(), IDLE_GENERATOR).history).toEqual(rows);
  });

  it('with full history adds per-endpoint rows (sorted) before the Aggregated row of each second', () => {
    const clock = manualClock(T0);
    const c = new StatsCollector({ clock: clock.read, fullHistory: true });
    const b = c.endpoint('GET', '/b');
    const a = c.endpoint('GET', '/a');
    c.endpoint('GET', '/unused');
    clock.advance(500);
    c.request(b, 20_000, 20_000, 0, null);
    c.request(a, 40_000, 40_000, 0, 'HTTP 500');
    const rows = c.tick(T0 + 1_000, 3);
    expect(rows.map((r) => r.name)).toEqual(['/a', '/b', 'Aggregated']);
    expect(rows[0]!.percentilesMs[0]).toBeCloseTo(40, 0); // 2 significant digits per endpoint
    expect(rows[0]!.totalFailures).toBe(1);
    expect(rows[0]!.failuresPerSec).toBe(1);
    expect(rows[1]!.percentilesMs[0]).toBeCloseTo(20, 0);
    expect(rows[2]!.windowRequests).toBe(2);
    expect(c.snapshot(runStatus(), IDLE_GENERATOR).history).toHaveLength(1); // only Aggregated is kept
  });

  it('marks a window without requests (windowRequests 0, percentiles 0) while totals stay', () => {
    const clock = manualClock(T0);
    const c = new StatsCollector({ clock: clock.read });
    const id = c.endpoint('GET', '/');
    drive(c, clock, id, 1, 10, 5_000);
    const rows = c.tick(T0 + 20_000, 0);
    const last = rows[rows.length - 1]!;
    expect(last.windowRequests).toBe(0);
    expect(last.percentilesMs.every((v) => v === 0)).toBe(true);
    expect(last.totalRequests).toBe(10);
    expect(last.rps).toBe(0);
  });

  it('skips the seconds of a long gap (a suspended process) instead of emitting thousands of empty rows', () => {
    const clock = manualClock(T0);
    const c = new StatsCollector({ clock: clock.read, windowSec: 10 });
    const rows = c.tick(T0 + 3_600_000, 0);
    expect(rows).toHaveLength(12);
    expect(c.tick(T0 + 3_601_000, 0).map((r) => r.timestamp)).toEqual([T0 / 1000 + 3601]);
  });

  it('keeps only `historyRing` rows in memory', () => {
    const clock = manualClock(T0);
    const c = new StatsCollector({ clock: clock.read, historyRing: 5 });
    for (let s = 1; s <= 8; s++) c.tick(T0 + s * 1000, 0);
    const history = c.snapshot(runStatus(), IDLE_GENERATOR).history;
    expect(history.map((r) => r.timestamp)).toEqual([4, 5, 6, 7, 8].map((s) => T0 / 1000 + s));
  });
});
