import { describe, expect, it } from 'vitest';
import { makeRedactor } from '../../src/run/redact.js';
import { PERCENTILE_KEYS, SUMMARY_SCHEMA, summaryJson } from '../../src/report/summary.js';
import type { RunMeta } from '../../src/run/meta.js';
import { readSummary } from '../../src/report/load-results.js';
import { StatsCollector } from '../../src/stats/collector.js';
import { IDLE_GENERATOR, T0, manualClock, runStatus } from '../stats/helpers.js';

const meta: RunMeta = {
  scenarioName: 'smoke',
  scenarioFile: '/work/scenarios/smoke.yaml',
  host: 'http://127.0.0.1:8000',
  users: 50,
  spawnRate: 10,
  runTimeMs: 30_000,
  profile: null,
  loadModel: 'closed: 50 users at 10/s',
  thresholds: ['p95 < 500ms', 'error_rate < 1%'],
  thresholdResults: [],
  cicadaVersion: '0.1.0',
  commandLine: 'cicada run smoke.yaml -u 50 --header x-api-key:sk-live-123',
  startedAt: T0,
  endedAt: T0 + 31_000,
  stopReason: 'run time reached',
  exitCode: 0,
  resultsDir: '/work/results/smoke-20231114-221320',
};

function realSnapshot(openModel = false) {
  const clock = manualClock();
  const c = new StatsCollector({ clock: clock.read, openModel });
  const items = c.endpoint('GET', '/items');
  const login = c.endpoint('POST', '/login');
  for (let i = 1; i <= 1_000; i++) c.request(items, i * 100, i * 50, 200, i % 100 === 0 ? 'HTTP 503' : null);
  c.request(login, 250_000, 250_000, 20, 'check: body contains "sk-live-123", got 401');
  c.check(items, true);
  c.exception(new Error('row 7 has no column sk-live-123'), 'Shopper/browse');
  c.dropped(2);
  c.tick(T0 + 1_000, 50);
  return c.snapshot(runStatus({ state: 'stopped', elapsedMs: 30_000 }), IDLE_GENERATOR, T0 + 30_000);
}

describe('summaryJson', () => {
  it('has the documented top-level keys and the run configuration', () => {
    const j = summaryJson(realSnapshot(), meta);
    expect(Object.keys(j)).toEqual([
      'schema', 'config', 'run', 'thresholds', 'totals', 'endpoints', 'failures', 'exceptions', 'history', 'generator', 'classes', 'droppedIterations', 'overflowNames', 'intervals',
    ]);
    expect(j.schema).toBe(SUMMARY_SCHEMA);
    expect(j.config).toMatchObject({ scenario: 'smoke', users: 50, thresholds: ['p95 < 500ms', 'error_rate < 1%'], cicadaVersion: '0.1.0' });
    expect(j.run).toMatchObject({ startedAt: '2023-11-14T22:13:20.000Z', durationMs: 31_000, stopReason: 'run time reached', exitCode: 0 });
    expect(j.droppedIterations).toBe(2);
  });

  it('gives every endpoint all percentiles in ms, counts exact, and the totals', () => {
    const j = summaryJson(realSnapshot(), meta) as { endpoints: Record<string, any>[]; totals: Record<string, any> };
    expect(PERCENTILE_KEYS).toEqual(['p50', 'p66', 'p75', 'p80', 'p90', 'p95', 'p98', 'p99', 'p99.9', 'p99.99', 'p100']);
    const items = j.endpoints.find((e) => e.name === '/items')!;
    expect(items).toMatchObject({ method: 'GET', requests: 1_000, failures: 10, failureRatio: 0.01, checks: { passed: 1, failed: 0 } });
    expect(Object.keys(items.latencyMs.percentiles)).toEqual(PERCENTILE_KEYS);
    expect(items.latencyMs.percentiles.p50).toBeCloseTo(50, 1);
    expect(items.latencyMs.percentiles.p99).toBeCloseTo(99, 0);
    expect(items.latencyMs.percentiles.p100).toBe(100);
    expect(items.latencyMs.median).toBe(items.latencyMs.percentiles.p50);
    expect(items.latencyMs.min).toBe(0.1);
    expect(items.bytes).toEqual({ total: 200_000, avg: 200 });
    expect(items.serviceTimeMs).toBeNull();
    expect(j.totals).toMatchObject({ method: '', name: 'Aggregated', requests: 1_001, failures: 11 });
  });

  it('includes service-time percentiles in the open model', () => {
    const j = summaryJson(realSnapshot(true), meta) as { endpoints: Record<string, any>[] };
    const items = j.endpoints.find((e) => e.name === '/items')!;
    expect(items.serviceTimeMs.p50).toBeCloseTo(25, 1);
  });

  it('includes history, failures with ISO times, exceptions and generator health', () => {
    const j = summaryJson(realSnapshot(), meta) as Record<string, any>;
    expect(j.history).toHaveLength(1);
    expect(j.history[0]).toMatchObject({ timestamp: T0 / 1000 + 1, userCount: 50, windowRequests: 1_001, totalRequests: 1_001 });
    expect(j.history[0].latencyMs.p50).toBeCloseTo(50, 0);
    expect(j.failures[0]).toMatchObject({ method: 'GET', name: '/items', error: 'HTTP 503', occurrences: 10, firstSeen: '2023-11-14T22:13:20Z' });
    expect(j.exceptions[0]).toMatchObject({ count: 1, contexts: ['Shopper/browse'] });
    expect(j.generator).toEqual({ eventLoopLagMs: 0, cpuPercent: 0, rssBytes: 0, heapUsedBytes: 0, saturated: false });
  });

  it('is plain JSON (round-trips) and redacts secrets from every text it carries', () => {
    const r = makeRedactor(['sk-live-123'], []);
    const text = JSON.stringify(summaryJson(realSnapshot(), meta, r));
    expect(JSON.parse(text)).toBeTruthy();
    expect(text).not.toContain('sk-live-123');
    expect(text).toContain('x-api-key:***');
    expect(text).toContain('check: body contains \\"***\\", got 401');
    expect(text).toContain('row 7 has no column ***');
    // Without a redactor, what the caller passed is kept as is.
    expect(JSON.stringify(summaryJson(realSnapshot(), meta))).toContain('sk-live-123');
  });

  it("carries Locust's final ratio (users per class at the stop, tasks by weight) and notSent, and reads them back", () => {
    const c = new StatsCollector({ clock: manualClock().read });
    c.notSent(c.endpoint('GET', '/me'), 'not sent: ${token} is not set');
    const classes = [
      { name: 'Shopper', users: 0, targetUsers: 35, usersAtStop: 35, weightShare: 0.7, taskRuns: [300, 60], taskNames: ['/items', 'checkout'], taskWeights: [5, 1] },
      { name: 'Admin', users: 0, targetUsers: 15, usersAtStop: 15, weightShare: 0.3, taskRuns: [40], taskNames: ['/me'], taskWeights: [1] },
    ];
    const snap = c.snapshot(runStatus({ state: 'stopped', classes }), IDLE_GENERATOR, T0 + 1_000);
    const j = summaryJson(snap, meta) as { classes: Record<string, any>[]; endpoints: Record<string, any>[] };
    expect(j.classes).toEqual([
      { name: 'Shopper', users: 35, targetUsers: 35, ratio: 0.7, weightShare: 0.7, tasks: [
        { name: '/items', weight: 5, ratio: 0.833333, totalRatio: 0.583333, runs: 300 },
        { name: 'checkout', weight: 1, ratio: 0.166667, totalRatio: 0.116667, runs: 60 },
      ] },
      { name: 'Admin', users: 15, targetUsers: 15, ratio: 0.3, weightShare: 0.3, tasks: [{ name: '/me', weight: 1, ratio: 1, totalRatio: 0.3, runs: 40 }] },
    ]);
    expect(j.endpoints[0]).toMatchObject({ name: '/me', requests: 1, failures: 1, notSent: 1, latencyMs: null });
    const back = readSummary(JSON.parse(JSON.stringify(summaryJson(snap, { ...meta, endedAt: T0 + 1_000 }))));
    expect(back.snapshot.run.classes.map((k) => [k.name, k.usersAtStop, k.taskRuns, k.taskWeights])).toEqual([
      ['Shopper', 35, [300, 60], [5, 1]],
      ['Admin', 15, [40], [1]],
    ]);
    expect(back.snapshot.endpoints[0]).toMatchObject({ requests: 1, notSent: 1 });
  });
});
