import { describe, expect, it } from 'vitest';
import { parseThreshold } from '../../src/scenario/threshold.js';
import type { Threshold } from '../../src/scenario/types.js';
import { StatsCollector } from '../../src/stats/collector.js';
import { abortingThreshold, evaluateThresholds } from '../../src/stats/thresholds.js';
import { IDLE_GENERATOR, manualClock, runStatus } from './helpers.js';

function threshold(expr: string, extra: Partial<Threshold> = {}): Threshold {
  const t = parseThreshold(expr);
  if (typeof t === 'string') throw new Error(t);
  return { ...t, abortOnFail: false, abortGraceMs: 0, loc: null, ...extra };
}

/** A real collector fed 100 requests: latencies 1..100 ms on /a (2 failures), 500 ms on POST /b. */
function snapshot() {
  const clock = manualClock();
  const c = new StatsCollector({ clock: clock.read });
  const a = c.endpoint('GET', '/a');
  const b = c.endpoint('POST', '/b');
  for (let ms = 1; ms <= 100; ms++) c.request(a, ms * 1000, ms * 1000, 10, ms > 98 ? 'HTTP 500' : null);
  c.request(b, 500_000, 500_000, 10, null);
  c.check(a, true);
  c.check(a, true);
  c.check(a, false);
  clock.advance(10_000);
  return c.snapshot(runStatus({ elapsedMs: 10_000 }), IDLE_GENERATOR, clock.now);
}

describe('evaluateThresholds', () => {
  const snap = snapshot();
  const eval1 = (expr: string) => evaluateThresholds([threshold(expr)], snap)[0]!;

  it('latency percentiles of the aggregate and of one endpoint', () => {
    expect(eval1('p95 < 200ms').passed).toBe(true);
    expect(eval1('/a: p95 < 90ms')).toMatchObject({ passed: false });
    expect(eval1('/a: p95 < 90ms').actual).toBeCloseTo(95, 0);
    expect(eval1('/b: p50 < 400ms')).toMatchObject({ passed: false, actualText: '500 ms' });
    expect(eval1('POST /b: max <= 500ms').passed).toBe(true);
    expect(eval1('max < 400ms').passed).toBe(false);
  });

  it('error rate, rps, checks and request counts', () => {
    expect(eval1('error_rate < 1%')).toMatchObject({ passed: false, actualText: '2%' });
    expect(eval1('/a: error_rate < 5%').passed).toBe(true);
    expect(eval1('rps > 5').passed).toBe(true); // 101 requests in 10 s
    expect(eval1('rps > 20').passed).toBe(false);
    expect(eval1('checks > 70%').actual).toBeCloseTo(2 / 3, 5);
    expect(eval1('checks > 70%').passed).toBe(false);
    expect(eval1('requests >= 101').passed).toBe(true);
  });

  it('no data is pending while running and failing at the end', () => {
    const t = threshold('/missing: p95 < 1s');
    expect(evaluateThresholds([t], snap)[0]).toMatchObject({ passed: null, actualText: 'no data' });
    expect(evaluateThresholds([t], snap, true)[0]!.passed).toBe(false);
  });

  it('abort waits for the grace period', () => {
    const results = evaluateThresholds([threshold('p95 < 10ms', { abortOnFail: true, abortGraceMs: 30_000 })], snap);
    expect(abortingThreshold(results, 10_000)).toBeNull();
    expect(abortingThreshold(results, 30_000)?.threshold.source).toBe('p95 < 10ms');
  });
});
