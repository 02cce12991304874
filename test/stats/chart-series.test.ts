import { describe, expect, it } from 'vitest';
import { axisReach, markerOnScale, niceScale, niceStep, timeTicks } from '../../src/stats/axis.js';
import { chartMarkers, chartSeries, halveHistory, percentileIndexOf, resample } from '../../src/stats/chart-series.js';
import type { Threshold } from '../../src/scenario/types.js';
import { PERCENTILES, type HistoryRow } from '../../src/stats/types.js';
import { historyRow } from './helpers.js';

const T0 = 1_700_000_000_000;
const t0 = T0 / 1000;

const row = historyRow;

function threshold(source: string, metric: Threshold['metric'], value: number, endpoint: string | null = null): Threshold {
  return { source, metric, endpoint, op: '<', value, abortOnFail: false, abortGraceMs: 0, loc: null };
}

describe('chart series', () => {
  it('throughput per second from the totals, percentiles from the window, gaps where the window was empty', () => {
    const rows = [row(t0 + 1, 10, 0), row(t0 + 2, 30, 5), row(t0 + 3, 30, 5, { windowRequests: 0 }), row(t0 + 4, 70, 5)];
    const c = chartSeries(rows, { sinceMs: T0, maxPoints: 900 });
    expect(c.t).toEqual([1, 2, 3, 4]);
    expect(c.bucketSeconds).toBe(1);
    expect(c.rps).toEqual([10, 20, 0, 40]);
    expect(c.failuresPerSec).toEqual([0, 5, 0, 0]);
    expect(c.failRatio).toEqual([0, 0.25, null, 0]);
    expect(c.p95Ms).toEqual([95, 95, null, 95]);
    expect(c.percentilesMs[percentileIndexOf('p99')!]).toEqual([99, 99, null, 99]);
  });

  it('leaves out rows before the statistics start (a reset) and counts a drop in totals from zero', () => {
    const rows = [row(t0 + 1, 500, 0), row(t0 + 2, 600, 0), row(t0 + 3, 10, 0), row(t0 + 4, 30, 0)];
    expect(chartSeries(rows, { sinceMs: (t0 + 2) * 1000, maxPoints: 900 }).rps).toEqual([10, 20]);
    expect(chartSeries(rows, { sinceMs: T0, maxPoints: 900 }).rps).toEqual([500, 100, 10, 20]);
  });

  it('merges long histories into at most maxPoints, keeping the exact average throughput and the peaks', () => {
    const rows: HistoryRow[] = [];
    for (let s = 1; s <= 1000; s++) rows.push(row(t0 + s, s * 3, 0, { percentilesMs: PERCENTILES.map(() => (s === 500 ? 999 : 10)), userCount: s }));
    const c = chartSeries(rows, { sinceMs: T0, maxPoints: 100 });
    expect(c.t.length).toBe(100);
    expect(c.bucketSeconds).toBe(10);
    expect(c.t.slice(0, 3)).toEqual([10, 20, 30]);
    expect(c.rps.every((v) => v === 3)).toBe(true);
    expect(Math.max(...(c.p95Ms as number[]))).toBe(999);
    expect(c.users.at(-1)).toBe(1000);
    const halved = halveHistory(rows);
    expect(halved.length).toBe(500);
    expect(chartSeries(halved, { sinceMs: T0, maxPoints: 900 }).rps.every((v) => v === 3)).toBe(true);
    expect(halved.find((r) => r.timestamp === t0 + 500)!.percentilesMs[5]).toBe(999);
  });

  it('a live view keeps the last seconds, buckets aligned to the start so points do not wobble', () => {
    const rows: HistoryRow[] = [];
    for (let s = 1; s <= 700; s++) rows.push(row(t0 + s, s * 2, 0, { userCount: s }));
    const a = chartSeries(rows, { sinceMs: T0, maxPoints: 100, lastSeconds: 600 });
    expect(a.bucketSeconds).toBe(6);
    expect(a.t[0]).toBeGreaterThanOrEqual(100);
    expect(a.t.at(-1)).toBe(700);
    expect(a.rps.slice(0, -1).every((v) => v === 2)).toBe(true);
    // One second later: the same bucket boundaries (multiples of 6 from the start).
    const b = chartSeries([...rows, row(t0 + 701, 1402, 0)], { sinceMs: T0, maxPoints: 100, lastSeconds: 600 });
    expect(b.t.filter((t) => t % 6 === 0).slice(-5)).toEqual(a.t.filter((t) => t % 6 === 0).slice(-5));
  });

  it('resamples a few seconds over a wide plot and many over a narrow one', () => {
    expect(resample([1, 2, 3], [10, 20, 40], 0, 3, 7)).toEqual([10, 10, 10, 15, 20, 30, 40]);
    expect(resample([1, 2], [null, 8], 1, 2, 3)).toEqual([0, 4, 8]);
    expect(resample([], [], 0, 1, 3)).toEqual([0, 0, 0]);
    expect(resample([5], [7], 0, 5, 4)).toEqual([7, 7, 7, 7]);
    // A peak between two columns still shows at its height.
    expect(Math.max(...resample([1, 2, 3], [0, 10, 0], 0, 3, 5))).toBe(10);
    expect(Math.max(...resample([1, 2, 3, 4, 5, 6, 7], [0, 0, 0, 10, 0, 0, 0], 0, 7, 200))).toBe(10);
  });
});

describe('chart markers', () => {
  it('draws whole-run latency, throughput and failure-rate thresholds on their charts', () => {
    const marks = chartMarkers([
      threshold('p95 < 800ms', 'p95', 800),
      threshold('p99 < 1s', 'p99', 1000),
      threshold('avg < 300ms', 'avg', 300),
      threshold('rps > 100', 'rps', 100),
      threshold('error_rate < 0.5%', 'error_rate', 0.005),
      threshold('/api/items: p95 < 1s', 'p95', 1000, '/api/items'),
      threshold('checks > 99%', 'checks', 0.99),
    ]);
    expect(marks.map((m) => [m.panel, m.value, m.label])).toEqual([
      ['tail', 800, 'p95 < 800ms'],
      ['tail', 1000, 'p99 < 1s'],
      ['median', 300, 'avg < 300ms'],
      ['throughput', 100, 'rps > 100'],
      ['failures', 0.5, 'error_rate < 0.5%'],
    ]);
  });
});

describe('axis', () => {
  it('picks round steps and the step count whose top wastes least', () => {
    expect(niceStep(0.3)).toBe(0.5);
    expect(niceStep(13)).toBe(20);
    expect(niceStep(2.1)).toBe(2.5);
    expect(niceScale(16, 13)).toMatchObject({ intervals: 10, top: 20, step: 2 });
    expect(niceScale(20, 13, { integer: true })).toMatchObject({ intervals: 10, top: 20 });
    expect(niceScale(131.5, 8)).toMatchObject({ intervals: 7, top: 140, step: 20 });
    expect(niceScale(20, 8, { integer: true, minIntervals: 8 })).toMatchObject({ intervals: 8, top: 24, step: 3 });
    expect(niceScale(47, 5, { minIntervals: 3 }).ticks).toEqual([0, 10, 20, 30, 40, 50]);
    expect(niceScale(0.7, 4).ticks).toEqual([0, 0.25, 0.5, 0.75, 1]);
    for (const max of [0.03, 1, 7.2, 118, 2400, 1657, 99_999]) {
      for (const n of [1, 2, 5, 9, 13]) {
        const s = niceScale(max, n);
        expect(s.top).toBeGreaterThanOrEqual(Math.max(max, 1) - 1e-9);
        expect(s.intervals).toBeLessThanOrEqual(n);
        expect(s.ticks).toHaveLength(s.intervals + 1);
      }
    }
  });

  it('stretches the axis to a threshold within reach and leaves a far one off', () => {
    expect(axisReach(300, [800])).toBe(800);
    expect(markerOnScale(100, 800)).toBe(false);
    expect(axisReach(100, [800, 50])).toBe(100);
    expect(markerOnScale(0, 5)).toBe(true);
  });

  it('ticks elapsed time in clock steps', () => {
    expect(timeTicks(0, 20)).toEqual([0, 5, 10, 15, 20]);
    expect(timeTicks(0, 35, 12)).toEqual([0, 5, 10, 15, 20, 25, 30, 35]);
    expect(timeTicks(0, 35, 6)).toEqual([0, 10, 20, 30]);
    expect(timeTicks(95, 700, 8)).toEqual([120, 240, 360, 480, 600]);
    expect(timeTicks(0, 3600)).toEqual([0, 600, 1200, 1800, 2400, 3000, 3600]);
  });
});
