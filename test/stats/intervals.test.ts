import { describe, expect, it } from 'vitest';
import { StatsCollector } from '../../src/stats/collector.js';
import { newHistogram } from '../../src/stats/histogram.js';
import { IntervalRecorder, summarizeIntervals } from '../../src/stats/intervals.js';
import type { IntervalStats } from '../../src/stats/types.js';
import { IDLE_GENERATOR, T0, manualClock, runStatus } from './helpers.js';

const P95 = [0.95];

/** A collector fed `seconds` seconds of `perSec` requests whose latency (µs) is `latencyUs(second)`, ticked each second. */
function run(seconds: number, perSec: number, latencyUs: (sec: number, i: number) => number, opts: { maxIntervals?: number; failEvery?: number } = {}) {
  const clock = manualClock();
  const c = new StatsCollector({ clock: clock.read, ...(opts.maxIntervals !== undefined ? { maxIntervals: opts.maxIntervals } : {}) });
  const id = c.endpoint('GET', '/x');
  for (let s = 0; s < seconds; s++) {
    for (let i = 0; i < perSec; i++) {
      const failed = opts.failEvery !== undefined && (s * perSec + i) % opts.failEvery === 0;
      c.request(id, latencyUs(s, i), 0, 10, failed ? 'HTTP 500' : null);
    }
    clock.advance(1000);
    c.tick(clock.now + 5, 7);
  }
  return { c, snap: c.snapshot(runStatus({ state: 'stopped' }), IDLE_GENERATOR, clock.now + 500) };
}

function between(list: readonly IntervalStats[], fromSec: number, toSec: number): IntervalStats[] {
  return list.filter((i) => i.startSec >= fromSec && i.startSec < toSec);
}

describe('interval histograms', () => {
  it('give the p95 of each part of the run from real distributions, with exact counts', () => {
    // 30 s: 10 ms for the first 10 s, 20 ms for the next 10 s, 50 ms for the last 10 s.
    const { snap } = run(30, 100, (s) => (s < 10 ? 10_000 : s < 20 ? 20_000 : 50_000), { failEvery: 50 });
    const list = snap.intervals!;
    expect(list.length).toBe(30);
    expect(list.reduce((n, i) => n + i.requests, 0)).toBe(snap.total.requests);
    expect(list.reduce((n, i) => n + i.failures, 0)).toBe(snap.total.failures);
    const t0 = T0 / 1000;
    const parts = [0, 10, 20].map((from) => summarizeIntervals(between(list, t0 + from, t0 + from + 10), P95));
    expect(parts.map((p) => p.requests)).toEqual([1000, 1000, 1000]);
    expect(parts.map((p) => p.failures)).toEqual([20, 20, 20]);
    expect(parts[0]!.percentilesMs![0]).toBeCloseTo(10, 0);
    expect(parts[1]!.percentilesMs![0]).toBeCloseTo(20, 0);
    expect(parts[2]!.percentilesMs![0]).toBeGreaterThanOrEqual(49.5);
    expect(parts[2]!.percentilesMs![0]).toBeLessThanOrEqual(50.5);
    expect(list[0]!.users).toBe(7);
  });

  it('are contiguous, bounded in number, and still exact after coarsening', () => {
    const { snap } = run(200, 20, (s, i) => 1_000 + ((s * 37 + i * 911) % 100_000), { maxIntervals: 8 });
    const list = snap.intervals!;
    expect(list.length).toBeLessThanOrEqual(8 + 5);
    for (let k = 1; k < list.length; k++) expect(list[k]!.startSec).toBe(list[k - 1]!.endSec);
    expect(list[0]!.startSec).toBe(T0 / 1000);
    expect(list.at(-1)!.endSec).toBeGreaterThanOrEqual(T0 / 1000 + 200);
    const whole = summarizeIntervals(list, [0.5, 0.95, 0.99]);
    expect(whole.requests).toBe(4000);
    expect(whole.histogramCount).toBe(4000);
    // 2 significant digits: within 1% of the cumulative 3-digit histogram's value.
    expect(Math.abs(whole.percentilesMs![1]! - snap.total.percentilesMs[5]!) / snap.total.percentilesMs[5]!).toBeLessThan(0.01);
  });

  it('count the second in progress, which the histogram does not hold yet', () => {
    const clock = manualClock();
    const c = new StatsCollector({ clock: clock.read });
    const id = c.endpoint('GET', '/x');
    c.request(id, 1000, 0, 0, null);
    clock.advance(1000);
    c.tick(clock.now + 5, 1);
    c.request(id, 2000, 0, 0, 'HTTP 503');
    const snap = c.snapshot(runStatus(), IDLE_GENERATOR, clock.now + 400);
    expect(snap.intervals).toHaveLength(1);
    expect(snap.intervals![0]).toMatchObject({ startSec: T0 / 1000, requests: 2, failures: 1 });
    expect(snap.intervals![0]!.endSec).toBeCloseTo(T0 / 1000 + 1.4, 3);
    expect(summarizeIntervals(snap.intervals!, P95).histogramCount).toBe(1);
  });

  it('start with the first request and are cleared by a statistics reset', () => {
    const clock = manualClock();
    const c = new StatsCollector({ clock: clock.read });
    const id = c.endpoint('GET', '/x');
    for (let s = 0; s < 3; s++) c.tick(clock.advance(1000) + 5, 0); // idle seconds before any request
    expect(c.snapshot(runStatus(), IDLE_GENERATOR).intervals).toEqual([]);
    c.request(id, 1000, 0, 0, null);
    c.tick(clock.advance(1000) + 5, 1);
    expect(c.snapshot(runStatus(), IDLE_GENERATOR).intervals![0]!.startSec).toBe(T0 / 1000 + 3);
    c.reset();
    expect(c.snapshot(runStatus(), IDLE_GENERATOR).intervals).toEqual([]);
  });

  it('share closed intervals between snapshots (nothing re-encoded when nothing changed)', () => {
    const { c } = run(5, 10, () => 5_000);
    const a = c.snapshot(runStatus(), IDLE_GENERATOR, T0 + 5_600).intervals!;
    const b = c.snapshot(runStatus(), IDLE_GENERATOR, T0 + 5_700).intervals!;
    expect(b[0]).toBe(a[0]);
    expect(b.at(-1)!.histogram).toBe(a.at(-1)!.histogram);
  });

  it('stay small over a long run: memory and the cost of a tick are bounded (6 h at 1,000 req/s)', () => {
    // Seconds of spread latencies (1 ms … 2 s, log-normal-ish), rotated so merged histograms widen.
    const seconds = [0, 1, 2, 3].map((k) => {
      const h = newHistogram(3);
      for (let i = 0; i < 1000; i++) {
        const z = (Math.sin(i * 12.9898 + k) * 43758.5453) % 1;
        h.recordValue(Math.floor(Math.exp(Math.log(40_000 + k * 10_000) + 2.2 * z)));
      }
      return h;
    });
    const r = new IntervalRecorder();
    const start = 1_700_000_000;
    const tickMs: number[] = [];
    let total = 0;
    let maxBytes = 0;
    for (let s = 0; s < 6 * 3600; s++) {
      total += 1000;
      // The tick's cost is the CPU time it took (this process's own count), not the wall time: on a
      // busy machine a tick the scheduler interrupts waits tens of ms without costing anything.
      const t = process.cpuUsage();
      r.closeSecond(start + s, seconds[s % 4]!, total, 0, 100);
      const used = process.cpuUsage(t);
      tickMs.push((used.user + used.system) / 1000);
      if (s % 600 === 0) maxBytes = Math.max(maxBytes, r.footprintBytes());
    }
    const list = r.view((start + 6 * 3600) * 1000, total, 0);
    maxBytes = Math.max(maxBytes, r.footprintBytes());
    tickMs.sort((a, b) => a - b);
    const p99TickMs = tickMs[Math.floor(tickMs.length * 0.99)]!;
    console.log(
      `interval histograms, 6 h at 1,000 req/s: ${list.length} intervals of ${r.gridWidthSec} s, ` +
        `${(r.footprintBytes() / 1024).toFixed(0)} KB now, ${(maxBytes / 1024).toFixed(0)} KB at most, ` +
        `tick p99 ${p99TickMs.toFixed(2)} ms of CPU, max ${tickMs.at(-1)!.toFixed(2)} ms`,
    );
    expect(list.length).toBeLessThanOrEqual(r.maxIntervals + r.maxIntervals / 4);
    expect(list.length).toBeGreaterThanOrEqual(r.maxIntervals / 2);
    expect(list.reduce((n, i) => n + i.requests, 0)).toBe(total);
    expect(maxBytes).toBeLessThan(400 * 1024);
    // A merge is ≈ 0.3 ms of CPU; the maximum is whatever garbage collection adds.
    expect(p99TickMs).toBeLessThan(10);
    for (const h of seconds) h.destroy();
  }, 60_000);
});
