import { afterEach, describe, expect, it, vi } from 'vitest';
import { GeneratorMonitor, type GeneratorSample } from '../../src/stats/generator.js';
import { SaturationLog, saturationWarning } from '../../src/stats/saturation.js';
import type { GeneratorHealth } from '../../src/stats/types.js';

const T0 = 1_700_000_000_000;
const healthy: GeneratorHealth = { eventLoopLagMs: 2, cpuPercent: 40, rssBytes: 100e6, heapUsedBytes: 20e6, saturated: false };
const busy: GeneratorHealth = { eventLoopLagMs: 8, cpuPercent: 99, rssBytes: 120e6, heapUsedBytes: 30e6, saturated: true };
const lagging: GeneratorHealth = { eventLoopLagMs: 140, cpuPercent: 60, rssBytes: 110e6, heapUsedBytes: 25e6, saturated: true };

/** Feeds one sample a second from T0; returns what observe said for each. */
function feed(log: SaturationLog, seq: readonly GeneratorHealth[]): ('started' | 'ended' | null)[] {
  return seq.map((h, i) => log.observe(T0 + i * 1000, h));
}

describe('SaturationLog', () => {
  it('says "started" once per episode, not once per saturated second', () => {
    const log = new SaturationLog({ warmupSamples: 0, sustainSamples: 1 });
    const said = feed(log, [healthy, busy, busy, lagging, healthy, busy, healthy, healthy, healthy, busy, healthy]);
    // One dip of a single healthy second does not end an episode (3 calm seconds do).
    expect(said).toEqual([null, 'started', null, null, null, null, null, null, 'ended', 'started', null]);
    const s = log.summary();
    expect(s.samples).toBe(11);
    expect(s.saturatedSeconds).toBe(5);
    expect(s.episodeCount).toBe(2);
    expect(s.episodes).toEqual([
      { startedAt: T0 + 1000, endedAt: T0 + 5000, saturatedSeconds: 4, peakEventLoopLagMs: 140, peakCpuPercent: 99 },
      { startedAt: T0 + 9000, endedAt: null, saturatedSeconds: 1, peakEventLoopLagMs: 8, peakCpuPercent: 99 },
    ]);
    expect(s.peak).toEqual({ eventLoopLagMs: 140, cpuPercent: 99, rssBytes: 120e6, heapUsedBytes: 30e6 });
  });

  it('keeps a row a second, the most recent ones when there are more than it holds', () => {
    const log = new SaturationLog({ historySize: 3, warmupSamples: 0, sustainSamples: 1 });
    feed(log, [healthy, busy, healthy, lagging]);
    const { history, samples } = log.summary();
    expect(samples).toBe(3);
    expect(history.map((r) => [r.at - T0, r.saturated, r.eventLoopLagMs])).toEqual([
      [1000, true, 8],
      [2000, false, 2],
      [3000, true, 140],
    ]);
  });

  it('keeps each engine thread\'s CPU with --processes, and the busiest thread is the peak of an episode', () => {
    const log = new SaturationLog({ warmupSamples: 0, sustainSamples: 1 });
    const threads: GeneratorHealth = {
      ...healthy,
      cpuPercent: 150, // the whole process, both threads
      saturated: true,
      processes: [
        { index: 0, users: 25, cpuPercent: 95, eventLoopLagMs: 3, state: 'running' },
        { index: 1, users: 25, cpuPercent: 55, eventLoopLagMs: 2, state: 'running' },
      ],
    };
    expect(log.observe(T0, threads)).toBe('started');
    const s = log.summary();
    expect(s.history[0]!.processCpuPercent).toEqual([95, 55]);
    expect(s.episodes[0]!.peakCpuPercent).toBe(95);
    expect(saturationWarning(threads)).toContain('CPU 95% of a core');
  });

  it('counts every episode but keeps only the first ones', () => {
    const log = new SaturationLog({ maxEpisodes: 2, calmSeconds: 1, warmupSamples: 0, sustainSamples: 1 });
    feed(log, [busy, healthy, busy, healthy, busy, healthy]);
    const s = log.summary();
    expect(s.episodeCount).toBe(3);
    expect(s.episodes).toHaveLength(2);
  });

  it('opens no episode in the warm-up seconds, but keeps their rows', () => {
    const log = new SaturationLog({ sustainSamples: 1 });
    expect(feed(log, [lagging, busy, healthy, busy])).toEqual([null, null, null, 'started']);
    const s = log.summary();
    expect(s.history).toHaveLength(4);
    expect(s.history[0]!.saturated).toBe(true);
    expect([s.saturatedSeconds, s.episodeCount]).toEqual([1, 1]);
  });

  it('by default warns only for saturation sustained 3 s after a 2 s warm-up: start-up noise and single spikes are not saturation', () => {
    const log = new SaturationLog();
    // Start-up: two noisy seconds, then spikes of one and two seconds: no episode, nothing counted.
    const noise = feed(log, [lagging, busy, healthy, lagging, healthy, busy, busy, healthy, healthy]);
    expect(noise.every((x) => x === null)).toBe(true);
    expect(log.active).toBe(false);
    expect([log.summary().saturatedSeconds, log.summary().episodeCount]).toEqual([0, 0]);
    // Three saturated seconds in a row: an episode that began at the first of them.
    const start = log.summary().samples;
    const said = [busy, lagging, busy].map((h, i) => log.observe(T0 + (start + i) * 1000, h));
    expect(said).toEqual([null, null, 'started']);
    expect(log.active).toBe(true);
    expect(log.summary().episodes[0]).toMatchObject({ startedAt: T0 + start * 1000, endedAt: null, saturatedSeconds: 3, peakEventLoopLagMs: 140 });
    // Three calm seconds end it, and say so.
    const calm = [healthy, healthy, healthy].map((h, i) => log.observe(T0 + (start + 3 + i) * 1000, h));
    expect(calm).toEqual([null, null, 'ended']);
    expect(log.active).toBe(false);
    expect(log.summary().saturatedSeconds).toBe(3);
  });

  it('words the warning by cause: a busy core, or a lagging loop on an idle one', () => {
    expect(saturationWarning(busy)).toMatch(/^the load generator is saturated \(CPU 99% of a core\): latencies now include time queued inside cicada/);
    expect(saturationWarning(lagging)).toMatch(/\(event-loop lag 140 ms at 60% CPU\): .* the machine may be short of CPU/);
  });
});

describe('GeneratorMonitor.onSample', () => {
  let monitor: GeneratorMonitor | null = null;
  afterEach(() => monitor?.stop());

  it('hands every sample to the listener as it is taken', async () => {
    monitor = new GeneratorMonitor({ intervalMs: 20 });
    const seen: GeneratorSample[] = [];
    monitor.onSample((s) => seen.push(s));
    monitor.start();
    // Until it has taken three on its own timer (a busy machine may delay a 20 ms timer).
    await vi.waitFor(() => expect(seen.length).toBeGreaterThanOrEqual(3), { timeout: 10_000, interval: 20 });
    expect(seen).toEqual(monitor.history.slice(-seen.length));
  });
});
