import { describe, expect, it } from 'vitest';
import { summaryJson } from '../../src/report/summary.js';
import type { RunMeta } from '../../src/run/meta.js';
import { StatsCollector } from '../../src/stats/collector.js';
import { SaturationLog } from '../../src/stats/saturation.js';
import type { GeneratorHealth } from '../../src/stats/types.js';
import { IDLE_GENERATOR, T0, manualClock, runStatus } from '../stats/helpers.js';

const meta: RunMeta = {
  scenarioName: 'bench',
  scenarioFile: null,
  host: 'http://127.0.0.1:8000',
  users: 50,
  spawnRate: 50,
  runTimeMs: 10_000,
  profile: null,
  loadModel: 'closed model: 50 users',
  thresholds: [],
  thresholdResults: [],
  cicadaVersion: '0.1.0',
  commandLine: 'cicada run bench.yaml',
  startedAt: T0,
  endedAt: T0 + 10_000,
  stopReason: 'run time reached',
  exitCode: 0,
  resultsDir: null,
};

const ok: GeneratorHealth = { eventLoopLagMs: 3.2, cpuPercent: 45.25, rssBytes: 9e7, heapUsedBytes: 2e7, saturated: false };
const hot: GeneratorHealth = { eventLoopLagMs: 4.1, cpuPercent: 99.46, rssBytes: 1e8, heapUsedBytes: 3e7, saturated: true };

function snapshot(generator: GeneratorHealth = IDLE_GENERATOR) {
  const c = new StatsCollector({ clock: manualClock().read });
  c.request(c.endpoint('GET', '/'), 1000, 1000, 2, null);
  return c.snapshot(runStatus({ state: 'stopped' }), generator, T0 + 10_000);
}

describe('summary.json: the generator over the run', () => {
  it('flags a run whose generator was saturated for a while, even when the last reading is calm', () => {
    const log = new SaturationLog();
    // Two seconds of warm-up, then three saturated in a row: an episode (one hot second would be noise).
    [ok, ok, hot, hot, hot, ok, ok, ok].forEach((h, i) => log.observe(T0 + i * 1000, h));
    const g = summaryJson(snapshot(ok), { ...meta, generator: log.summary() }).generator as Record<string, unknown>;
    expect(g.saturated).toBe(true);
    expect(g.cpuPercent).toBe(45.3); // the latest reading, as before
    expect(g.saturatedSeconds).toBe(3);
    expect(g.episodeCount).toBe(1);
    expect(g.episodes).toEqual([
      { start: '2023-11-14T22:13:22Z', end: '2023-11-14T22:13:24Z', seconds: 3, peakEventLoopLagMs: 4.1, peakCpuPercent: 99.5 },
    ]);
    expect(g.peak).toEqual({ eventLoopLagMs: 4.1, cpuPercent: 99.5, rssBytes: 1e8, heapUsedBytes: 3e7 });
    const history = g.history as Record<string, unknown>[];
    expect(history).toHaveLength(8);
    expect(history[2]).toEqual({ timestamp: T0 / 1000 + 2, eventLoopLagMs: 4.1, cpuPercent: 99.5, rssBytes: 1e8, heapUsedBytes: 3e7, saturated: true });
  });

  it('reports a healthy run as not saturated, and keeps the old shape without a monitor (cicada report)', () => {
    const log = new SaturationLog();
    [ok, ok, ok].forEach((h, i) => log.observe(T0 + i * 1000, h));
    const healthy = summaryJson(snapshot(ok), { ...meta, generator: log.summary() }).generator as Record<string, unknown>;
    expect([healthy.saturated, healthy.saturatedSeconds, healthy.episodes]).toEqual([false, 0, []]);
    const plain = summaryJson(snapshot(ok), meta).generator as Record<string, unknown>;
    expect(Object.keys(plain).sort()).toEqual(['cpuPercent', 'eventLoopLagMs', 'heapUsedBytes', 'rssBytes', 'saturated']);
  });
});
