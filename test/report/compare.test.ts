import { describe, expect, it } from 'vitest';
import { compareRuns, comparisonJson, DEFAULT_TOLERANCE, formatComparison, type ComparedRun } from '../../src/report/compare.js';
import { StatsCollector } from '../../src/stats/collector.js';
import { IDLE_GENERATOR, T0, manualClock, runStatus } from '../stats/helpers.js';
import { baselineVerdict } from '../../src/report/baseline-section.js';
import { meta } from './run-fixture.js';

interface Traffic {
  /** Requests over the 10 s run. */
  readonly requests: number;
  readonly failures?: number;
  /** Every request's latency, ms. */
  readonly ms: number;
}

/** A 10 s run with exactly this traffic per `METHOD name`. */
function runOf(label: string, endpoints: Record<string, Traffic>): ComparedRun {
  const clock = manualClock();
  const c = new StatsCollector({ clock: clock.read });
  for (const [key, t] of Object.entries(endpoints)) {
    const [method, name] = key.split(' ') as [string, string];
    const id = c.endpoint(method, name);
    for (let i = 0; i < t.requests; i++) c.request(id, t.ms * 1000, 0, 10, i < (t.failures ?? 0) ? 'HTTP 500' : null);
  }
  const snapshot = c.snapshot(runStatus({ state: 'stopped' }), IDLE_GENERATOR, T0 + 10_000);
  return { label, snapshot, meta: meta({ endedAt: T0 + 10_000 }) };
}

const baseline = runOf('results/a', {
  'GET /items': { requests: 1000, ms: 40 },
  'GET /search': { requests: 500, failures: 5, ms: 100 },
  'POST /login': { requests: 10, ms: 20 },
  'GET /old': { requests: 100, ms: 5 },
  'GET /health': { requests: 200, ms: 0.5 },
});

describe('cicada compare: numbers in the shared voice', () => {
  it('writes a configured tolerance as typed and changes as the compare table does', () => {
    const candidate = runOf('results/b', {
      'GET /items': { requests: 1000, ms: 45.5 }, // +13.75% latency
      'GET /search': { requests: 500, failures: 5, ms: 100 },
      'POST /login': { requests: 10, ms: 20 },
      'GET /old': { requests: 100, ms: 5 },
      'GET /health': { requests: 200, ms: 0.5 },
    });
    const c = compareRuns(baseline, candidate, { ...DEFAULT_TOLERANCE, latency: 0.125, errorRatePoints: 0.0025, minLatencyDeltaMs: 1.5 });
    const text = formatComparison(c);
    expect(text).toContain('Tolerance: latency +12.5% (and ≥ 1.5 ms), rps -10%, error rate +0.25 pt;');
    expect(text).toMatch(/✗ GET \/items\s+p95\s+40 ms → 46 ms\s+\+13\.7% \(tolerance \+12\.5%\)/);
    expect(baselineVerdict(c)).toMatch(/REGRESSION — p50 \+13\.7% on GET \/items, p95 \+13\.7% on GET \/items/);
  });
});

describe('cicada compare', () => {
  it('a run compared with itself: no change, no regression', () => {
    const c = compareRuns(baseline, baseline);
    expect(c.verdict).toBe('ok');
    expect(c.regressions).toEqual([]);
    expect(c.improvements).toBe(0);
    expect(formatComparison(c)).toContain('Verdict: OK — no regression beyond tolerance.');
  });

  it('flags latency above tolerance, throughput below it and a higher error rate; lists added and removed endpoints', () => {
    const candidate = runOf('results/b', {
      'GET /items': { requests: 1000, ms: 50 }, // +25% latency: regression
      'GET /search': { requests: 400, failures: 12, ms: 105 }, // -20% rps, +2 points of errors (not clearly), +5% latency
      'POST /login': { requests: 10, ms: 200 }, // too few requests to judge
      'GET /new': { requests: 50, ms: 5 },
      'GET /health': { requests: 200, ms: 0.8 }, // +60%, but less than 1 ms: not a regression
    });
    const c = compareRuns(baseline, candidate);
    expect(c.verdict).toBe('regression');
    expect(c.regressions.map((r) => `${r.endpoint} ${r.metric}`)).toEqual([
      'GET /items p50',
      'GET /items p95',
      'GET /items p99',
      'GET /search rps',
      'Aggregated p50',
    ]);
    // 5 failures in 500 → 12 in 400 is beyond the 0.5-point tolerance but could be chance (z ≈ 2.2).
    expect(c.endpoints.find((e) => e.endpoint === 'GET /search')!.metrics!.errorRate.verdict).toBe('not significant');
    // Aggregated errors: 5 of 1,810 → 12 of 1,660, +0.45 points: within the 0.5 tolerance.
    expect(c.endpoints.at(-1)!.metrics!.errorRate.verdict).toBe('same');
    const items = c.endpoints.find((e) => e.endpoint === 'GET /items')!;
    expect(items.metrics!.p95).toEqual({ a: 40, b: 50, change: expect.closeTo(0.25, 2), verdict: 'regression' });
    const search = c.endpoints.find((e) => e.endpoint === 'GET /search')!;
    expect(search.metrics!.rps).toMatchObject({ a: 50, b: 40, verdict: 'regression' });
    expect(search.metrics!.errorRate.change).toBeCloseTo(0.02, 6);
    expect(search.metrics!.p95.verdict).toBe('same');
    expect(c.endpoints.find((e) => e.endpoint === 'POST /login')!.metrics!.p95.verdict).toBe('not judged');
    expect(c.endpoints.find((e) => e.endpoint === 'GET /health')!.metrics!.p95.verdict).toBe('same');
    expect(c.endpoints.map((e) => [e.endpoint, e.presence])).toEqual([
      ['GET /health', 'both'],
      ['GET /items', 'both'],
      ['POST /login', 'both'],
      ['GET /search', 'both'],
      ['GET /new', 'added'],
      ['GET /old', 'removed'],
      ['Aggregated', 'both'],
    ]);

    const text = formatComparison(c);
    expect(text).toContain('  A  results/a   checkout · 2023-11-14 22:13:20 UTC · 10s · 1810 requests');
    expect(text).toContain('Tolerance: latency +10% (and ≥ 1 ms), rps -10%, error rate +0.5 pt; rows under 20 requests are not judged');
    expect(text).toMatch(/\nGET \/items\s+1000 → 1000\s+100 → 100\s+40 → 50\s+40 → 50\s+40 → 50\s+0% → 0%\n/);
    expect(text).toMatch(/\n\s+±0%\s+±0%\s+\+25% ✗\s+\+25% ✗\s+\+25% ✗\s+±0 pt\n/);
    expect(text).toContain('  (too few requests to judge)');
    expect(text).toContain('Added in B:    GET /new (50 requests, p95 5 ms, 0% errors)');
    expect(text).toContain('Removed in B:  GET /old (100 requests in A)');
    expect(text).toMatch(/\+2 pt \?\n/);
    expect(text).toContain('? beyond tolerance, but not clearly for the number of requests (could be chance: z < 3); not judged');
    expect(text).toMatch(/  ✗ GET \/search\s+rps\s+50\/s → 40\/s\s+-20% \(tolerance -10%\)/);
    expect(text).toContain('Verdict: REGRESSION — 5 metrics beyond tolerance on 3 rows.');
  });

  it('stays within tolerance: +9% latency, -9% rps, +0.4 points of errors', () => {
    const c = compareRuns(
      runOf('a', { 'GET /x': { requests: 1000, failures: 0, ms: 100 } }),
      runOf('b', { 'GET /x': { requests: 910, failures: 4, ms: 109 } }),
    );
    expect(c.verdict).toBe('ok');
  });

  it('tolerances are settable, and improvements are counted', () => {
    const a = runOf('a', { 'GET /x': { requests: 1000, ms: 100 } });
    const b = runOf('b', { 'GET /x': { requests: 1000, ms: 104 } });
    expect(compareRuns(a, b, { ...DEFAULT_TOLERANCE, latency: 0.03 }).verdict).toBe('regression');
    const faster = compareRuns(a, runOf('b', { 'GET /x': { requests: 1000, ms: 50 } }));
    expect(faster.verdict).toBe('ok');
    expect(faster.improvements).toBe(6); // p50, p95, p99 of /x and of Aggregated
    expect(formatComparison(faster)).toContain('Verdict: OK — no regression beyond tolerance (6 metrics better beyond tolerance).');
  });

  it('notes configuration differences that make the numbers less comparable', () => {
    const other: ComparedRun = { ...baseline, meta: { ...baseline.meta, loadModel: 'closed model: 100 users, spawn rate 10/s' } };
    expect(compareRuns(baseline, other).notes).toEqual(['load differs: closed model: 50 users, spawn rate 10/s (A) vs closed model: 100 users, spawn rate 10/s (B)']);
  });

  it('has a JSON form for scripts', () => {
    const candidate = runOf('results/b', { 'GET /items': { requests: 1000, ms: 60 } });
    const j = comparisonJson(compareRuns(baseline, candidate)) as Record<string, any>;
    expect(j.schema).toBe('cicada.compare/1');
    expect(j.verdict).toBe('regression');
    expect(j.tolerance).toEqual({ latency: 0.1, rps: 0.1, errorRatePoints: 0.005, minRequests: 20, minLatencyDeltaMs: 1 });
    expect(j.baseline).toMatchObject({ label: 'results/a', scenario: 'checkout', requests: 1810, durationMs: 10_000 });
    const items = j.endpoints.find((e: any) => e.endpoint === 'GET /items');
    expect(items.metrics.p95).toEqual({ a: 40, b: 60, change: 0.5, verdict: 'regression' });
    expect(j.endpoints.filter((e: any) => e.presence === 'removed').map((e: any) => e.endpoint)).toEqual(['GET /health', 'POST /login', 'GET /old', 'GET /search']);
    expect(j.regressions[0]).toEqual({ endpoint: 'GET /items', metric: 'p50', a: 40, b: 60, change: 0.5, limit: 0.1 });
    expect(JSON.parse(JSON.stringify(j))).toEqual(j);
  });
});
