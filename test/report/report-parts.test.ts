import { describe, expect, it } from 'vitest';
import { failureKind, groupFailures } from '../../src/report/failure-kinds.js';
import { stabilityByThirds } from '../../src/report/stability.js';
import { lineChart, valueScale } from '../../src/report/svg-chart.js';
import { timeTicks } from '../../src/stats/axis.js';
import type { HistoryRow, IntervalStats } from '../../src/stats/types.js';
import { PERCENTILES } from '../../src/stats/types.js';
import { StatsCollector } from '../../src/stats/collector.js';
import { failure, snapshot, T0 } from './fixtures.js';
import { historyRow, IDLE_GENERATOR, manualClock, runStatus } from '../stats/helpers.js';

const row = historyRow;

describe('failure kinds', () => {
  it.each([
    ['HTTP 503', 'server'],
    ['HTTP 500', 'server'],
    ['HTTP 429', 'rateLimit'],
    ['check: status 2xx expected, got 429', 'rateLimit'],
    ['HTTP 401', 'auth'],
    ['HTTP 403', 'auth'],
    ['check: status 200 expected, got 401', 'auth'],
    ['check: status 200 expected, got 502', 'server'],
    ['HTTP 404', 'client'],
    ['HTTP 409', 'client'],
    ['check: status 201 expected, got 200', 'check'],
    ['check: $.items[0].id missing', 'check'],
    ['check: latency over 1s', 'check'],
    ['capture: token not found (json $.token)', 'check'],
    ['ECONNREFUSED', 'connection'],
    ['ECONNRESET', 'connection'],
    ['connection closed by server', 'connection'],
    ['bad response (HPE_INVALID_CONSTANT)', 'connection'],
    ['response shorter than its content-length', 'connection'],
    ['timeout after 30s', 'timeout'],
    ['connect timeout', 'timeout'],
    ['ETIMEDOUT', 'timeout'],
    ['aborted: run stopped', 'aborted'],
    ['error: something odd', 'other'],
    ['other errors (distinct error limit reached)', 'other'],
  ])('%s is %s', (error, kind) => {
    expect(failureKind(error)).toBe(kind);
  });

  it('groups in a fixed order with shares of all requests, endpoints and errors by count', () => {
    const groups = groupFailures(
      [
        failure({ name: '/a', error: 'HTTP 429', occurrences: 5 }),
        failure({ name: '/b', error: 'HTTP 503', occurrences: 2 }),
        failure({ name: '/b', error: 'HTTP 429', occurrences: 7 }),
        failure({ method: 'POST', name: '/a', error: 'check: status 200 expected, got 429', occurrences: 1 }),
      ],
      100,
    );
    expect(groups.map((g) => [g.kind, g.occurrences, g.shareOfRequests])).toEqual([
      ['server', 2, 0.02],
      ['rateLimit', 13, 0.13],
    ]);
    expect(groups[1]!.endpoints).toEqual([
      { endpoint: 'GET /b', occurrences: 7 },
      { endpoint: 'GET /a', occurrences: 5 },
      { endpoint: 'POST /a', occurrences: 1 },
    ]);
    expect(groups[1]!.errors.map((e) => e.error)).toEqual(['HTTP 429', 'check: status 200 expected, got 429']);
  });
});

/** Intervals of `n` seconds each with `requests`, `failures` and a histogram of `latencyUs`. */
function intervals(parts: readonly { requests: number; failures: number; latencyUs: number; users?: number }[]): IntervalStats[] {
  const clock = manualClock();
  const c = new StatsCollector({ clock: clock.read });
  const id = c.endpoint('GET', '/x');
  for (const p of parts) {
    for (let i = 0; i < p.requests; i++) c.request(id, p.latencyUs, 0, 0, i < p.failures ? 'HTTP 500' : null);
    clock.advance(1000);
    c.tick(clock.now + 5, p.users ?? 10);
  }
  return [...c.snapshot(runStatus(), IDLE_GENERATOR, clock.now).intervals!];
}

function third(requests: number, failures: number, latencyUs: number, users = 10) {
  return [0, 1, 2].map(() => ({ requests, failures, latencyUs, users }));
}

describe('stability by thirds', () => {
  const judge = (list: IntervalStats[]) => stabilityByThirds(snapshot({ intervals: list, statsStartedAt: T0 }))!;

  it('stable: the same latency and errors throughout', () => {
    const s = judge(intervals([...third(100, 1, 20_000), ...third(100, 1, 21_000), ...third(100, 1, 20_500)]));
    expect(s.verdict).toBe('stable');
    expect(s.text).toBe('Stable: no clear change in p95 (20 ms, 21 ms, 21 ms by third); the error rate 1% throughout.');
    expect(s.source).toBe('intervals');
    expect(s.thirds.map((t) => t.requests)).toEqual([300, 300, 300]);
  });

  it('degrading on errors: more than one point more, and at least 1.5 times as many', () => {
    const s = judge(intervals([...third(1000, 10, 20_000), ...third(1000, 10, 20_000), ...third(1000, 50, 20_000)]));
    expect(s.verdict).toBe('degrading');
    expect(s.text).toBe('Degrading: the error rate rose from 1% to 5%.');
  });

  it('a small change is not a trend: +20% p95, +2 ms, half a point of errors', () => {
    expect(judge(intervals([...third(100, 0, 10_000), ...third(100, 0, 10_000), ...third(100, 0, 12_000)])).verdict).toBe('stable');
    expect(judge(intervals([...third(100, 0, 1_000), ...third(100, 0, 1_000), ...third(100, 0, 2_500)])).verdict).toBe('stable');
    expect(judge(intervals([...third(200, 1, 10_000), ...third(200, 1, 10_000), ...third(200, 2, 10_000)])).verdict).toBe('stable');
  });

  it('improving, with the ramp-up named', () => {
    const s = judge(intervals([...third(100, 0, 80_000, 5), ...third(100, 0, 20_000, 50), ...third(100, 0, 20_000, 50)]));
    expect(s.verdict).toBe('improving');
    expect(s.text).toBe('Improving: p95 fell from 80 ms in the first third to 20 ms in the last (-75%). The first third includes the ramp-up (5 users at most, 50 in the last third).');
  });

  it('unstable: a peak in the middle third', () => {
    const s = judge(intervals([...third(100, 0, 20_000), ...third(100, 0, 90_000), ...third(100, 0, 20_000)]));
    expect(s.verdict).toBe('unstable');
    expect(s.text).toBe('Unstable: p95 peaked at 90 ms in the middle third (20 ms first, 20 ms last).');
  });

  it('a few requests do not make a trend: p95 needs 200 requests a third, errors a clear difference', () => {
    // 60 requests a third: the p95 tripling is left unjudged; 2 failures of 60 after none is noise.
    const small = judge(intervals([...third(20, 0, 10_000), ...third(20, 0, 10_000), { requests: 20, failures: 0, latencyUs: 30_000 }, { requests: 20, failures: 2, latencyUs: 30_000 }, { requests: 20, failures: 0, latencyUs: 30_000 }]));
    expect(small.verdict).toBe('not enough data');
    expect(small.text).toBe('Not enough data to call it stable: 60 requests in the smallest third (judging p95 by thirds takes 200); the error rate between 0% and 3.3%, no clear change.');
    // The same error rates over 100 times the requests are a trend.
    const big = judge(intervals([...third(2000, 0, 10_000), ...third(2000, 0, 10_000), ...third(2000, 67, 10_000)]));
    expect(big.verdict).toBe('degrading');
  });

  it('a p95 that jumps between the humps of a two-humped distribution is not a trend', () => {
    // 4.5% of requests take 1 s in the first third, 6% in the last: p95 jumps from 20 ms to 1 s,
    // but 6% of 300 above the first third's p95 is not clearly more than 5%.
    const humps = (slow: number) => [
      { requests: 100, failures: 0, latencyUs: 20_000 },
      { requests: 100, failures: 0, latencyUs: 20_000 },
      { requests: 100 - slow, failures: 0, latencyUs: 20_000 },
      { requests: slow, failures: 0, latencyUs: 1_000_000 },
    ];
    const s = judge(intervals([...humps(13), ...humps(13), ...humps(18)]));
    expect(s.thirds.map((t) => t.p95Ms! > 500)).toEqual([false, false, true]);
    expect(s.verdict).toBe('stable');
    expect(s.text).toBe('Stable: p95 went from 20 ms to 1004 ms, but the share of requests slower than 20 ms did not clearly change (4.3% in the first third, 6% in the last): a few slow requests more or less move p95 across a gap in the distribution; no request failed.');
    // 15% slow in the last third is a trend.
    expect(judge(intervals([...humps(13), ...humps(13), ...humps(45)])).verdict).toBe('degrading');
  });

  it('not enough data, and nothing at all in the last third', () => {
    expect(judge(intervals([...third(2, 0, 1000), ...third(2, 0, 1000), ...third(2, 0, 1000)])).verdict).toBe('not enough data');
    const dead = judge(intervals([...third(100, 0, 1000), ...third(100, 0, 1000), ...third(0, 0, 1000)]));
    expect(dead.text).toBe('Degrading: no request completed in the last third of the run.');
  });

  it('from the history when there are no interval histograms: exact counts, no percentiles', () => {
    const rows: HistoryRow[] = [];
    for (let s = 1; s <= 30; s++) rows.push(row(T0 / 1000 + s, s * 10, s > 20 ? (s - 20) * 5 : 0));
    const st = stabilityByThirds(snapshot({ statsStartedAt: T0 }), rows)!;
    expect(st.source).toBe('history');
    expect(st.thirds.map((t) => [t.requests, t.failures, t.p95Ms])).toEqual([
      [100, 0, null],
      [100, 0, null],
      [100, 50, null],
    ]);
    expect(st.verdict).toBe('degrading');
  });
});


describe('svg line chart', () => {
  it('draws one path per series, broken at gaps, with axis ticks', () => {
    const svg = lineChart({
      title: 'Response <time>',
      x: [1, 2, 3, 4, 5],
      series: [
        { name: 'p50', key: 'p50', values: [1, 2, null, 4, 5] },
        { name: 'p95', key: 'p95', values: [10, 20, 30, 40, 50] },
      ],
      yLabel: (v) => `${v} ms`,
    });
    expect(svg).toMatch(/^<svg [^>]*viewBox="0 0 880 220"/);
    expect(svg).toContain('<title>Response &lt;time&gt;</title>');
    const paths = [...svg.matchAll(/<path class="line (\S+)" data-series="(\w+)" data-points="(\d+)" d="([^"]+)"/g)];
    expect(paths.map((p) => [p[1], p[2], p[3]])).toEqual([
      ['s0', 'p50', '4'],
      ['s1', 'p95', '5'],
    ]);
    expect(paths[0]![4]!.match(/M/g)).toHaveLength(2); // broken at the gap
    expect(paths[1]![4]!.match(/L/g)).toHaveLength(4);
    expect(svg).toContain('>50 ms</text>');
    expect(svg).toContain('>0:05</text>');
  });

  it('picks round ticks', () => {
    expect(valueScale(47).ticks).toEqual([0, 10, 20, 30, 40, 50]);
    expect(valueScale(0).ticks).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(valueScale(1657).ticks).toEqual([0, 500, 1000, 1500, 2000]);
    expect(timeTicks(0, 20)).toEqual([0, 5, 10, 15, 20]);
    expect(timeTicks(0, 3600)).toEqual([0, 600, 1200, 1800, 2400, 3000, 3600]);
  });

  it('marks the points of a very short series', () => {
    const svg = lineChart({ title: 't', x: [1], series: [{ name: 'a', key: 'a', values: [3] }], yLabel: String });
    expect(svg).toContain('<circle class="dot s0"');
  });
});

