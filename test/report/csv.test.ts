import { describe, expect, it } from 'vitest';
import {
  csvCell,
  exceptionsCsv,
  failuresCsv,
  historyCsvHeader,
  historyCsvRows,
  statsCsv,
} from '../../src/report/csv.js';
import { StatsCollector } from '../../src/stats/collector.js';
import type { HistoryRow } from '../../src/stats/types.js';
import { IDLE_GENERATOR, manualClock, runStatus } from '../stats/helpers.js';
import { LOCUST_EXAMPLE, T0, endpoint, failure, snapshot } from './fixtures.js';

// Verbatim from LOCUST-FORMATS.md (Locust 2.44+).
const GOLDEN = {
  stats:
    'Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%',
  history:
    'Timestamp,User Count,Type,Name,Requests/s,Failures/s,50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%,Total Request Count,Total Failure Count,Total Median Response Time,Total Average Response Time,Total Min Response Time,Total Max Response Time,Total Average Content Size',
  failures: 'Method,Name,Error,Occurrences,First Seen,Last Seen',
  exceptions: 'Count,Message,Traceback,Nodes',
};

const lines = (csv: string): string[] => csv.split('\r\n').slice(0, -1);

describe('Locust CSV headers, byte for byte', () => {
  it('stats.csv', () => expect(lines(statsCsv(snapshot()))[0]).toBe(GOLDEN.stats));
  it('stats_history.csv', () => expect(historyCsvHeader()).toBe(`${GOLDEN.history}\r\n`));
  it('failures.csv', () => expect(failuresCsv(snapshot())).toBe(`${GOLDEN.failures}\r\n`));
  it('exceptions.csv', () => expect(exceptionsCsv(snapshot())).toBe(`${GOLDEN.exceptions}\r\n`));
});

describe('stats.csv', () => {
  it('reproduces the rows of a real Locust run exactly', () => {
    const csv = statsCsv(snapshot({ endpoints: [LOCUST_EXAMPLE.get], total: LOCUST_EXAMPLE.total }));
    expect(lines(csv).slice(1)).toEqual([
      'GET,/,103,18,4,4.387206699030923,2.4008139999978084,17.46650799998406,6.0,14.922520550216447,2.6078191252805443,4,4,5,5,7,8,15,15,17,17,17',
      ',Aggregated,152,40,4,4.383713618422591,2.4008139999978084,17.46650799998406,53.08552631578947,22.021583724591263,5.795153611734543,4,4,5,5,7,8,12,15,17,17,17',
    ]);
    expect(csv.endsWith('\r\n')).toBe(true);
  });

  it('writes N/A percentiles for a row without requests', () => {
    const csv = statsCsv(snapshot({ endpoints: [endpoint({ name: '/idle' })] }));
    expect(lines(csv)[1]).toBe('GET,/idle,0,0,0,0.0,0,0,0.0,0.0,0.0,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A');
    expect(lines(csv)[2]).toBe(',Aggregated,0,0,0,0.0,0,0,0.0,0.0,0.0,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A');
  });

  it('rounds percentile cells to whole milliseconds', () => {
    const e = endpoint({ requests: 1, medianMs: 2.5, percentilesMs: [2.5, 2.49, 3.51, 4, 4, 4, 4, 4, 4, 4, 4.7] });
    expect(lines(statsCsv(snapshot({ endpoints: [e] })))[1]).toMatch(/,3,2,4,4,4,4,4,4,4,4,5$/);
  });

  it('quotes names with commas, quotes and newlines (RFC 4180)', () => {
    const e = endpoint({ name: '/search?q=a,b "c"\nd', requests: 1 });
    expect(lines(statsCsv(snapshot({ endpoints: [e] })))[1]).toMatch(/^GET,"\/search\?q=a,b ""c""\nd",1,/);
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a\rb')).toBe('"a\rb"');
    expect(csvCell(' lead')).toBe(' lead');
  });

  it('matches the real collector’s totals, endpoint by endpoint', () => {
    const c = new StatsCollector({ clock: manualClock().read });
    const a = c.endpoint('GET', '/a');
    const b = c.endpoint('POST', '/b');
    for (let i = 1; i <= 300; i++) c.request(a, i * 1_000, i * 1_000, 100, i % 3 === 0 ? 'HTTP 500' : null);
    for (let i = 0; i < 50; i++) c.request(b, 7_000, 7_000, 10, null);
    const rows = lines(statsCsv(c.snapshot(runStatus(), IDLE_GENERATOR, T0 + 10_000))).map((l) => l.split(','));
    expect(rows.map((r) => r.slice(0, 4))).toEqual([
      GOLDEN.stats.split(',').slice(0, 4),
      ['GET', '/a', '300', '100'],
      ['POST', '/b', '50', '0'],
      ['', 'Aggregated', '350', '100'],
    ]);
    expect(rows[1]![4]).toBe('150'); // median of 1…300 ms
    expect(rows[1]![5]).toBe('150.5');
    expect(rows[1]![6]).toBe('1.0');
    expect(rows[1]![7]).toBe('300.0');
    expect(rows[1]![9]).toBe('30.0'); // 300 requests over 10 s
    expect(rows[1]![21]).toBe('300'); // 100%
    expect(rows[2]![11]).toBe('7');
  });
});

describe('failures.csv and exceptions.csv', () => {
  it('writes one row per (method, name, error) with UTC ISO seconds', () => {
    const s = snapshot({
      failures: [
        failure({ error: 'HTTP 503', occurrences: 12, firstSeen: Date.UTC(2026, 10, 22, 15, 8, 42, 900), lastSeen: Date.UTC(2026, 10, 22, 15, 9, 1) }),
        failure({ method: 'POST', name: '/login', error: 'check: body contains "ok", got 404', occurrences: 2 }),
      ],
    });
    expect(lines(failuresCsv(s)).slice(1)).toEqual([
      'GET,/,HTTP 503,12,2026-11-22T15:08:42Z,2026-11-22T15:09:01Z',
      'POST,/login,"check: body contains ""ok"", got 404",2,2023-11-14T22:13:20Z,2023-11-14T22:13:20Z',
    ]);
  });

  it('quotes a multi-line traceback and names where it happened in Nodes', () => {
    const s = snapshot({
      exceptions: [
        {
          count: 3,
          message: 'TypeError: x is undefined',
          traceback: 'TypeError: x is undefined\n    at task (flow.ts:1:1)',
          context: 'Shopper/browse, Shopper/buy',
          contexts: ['Shopper/browse', 'Shopper/buy'],
          firstSeen: T0,
          lastSeen: T0,
        },
      ],
    });
    expect(exceptionsCsv(s)).toBe(
      `${GOLDEN.exceptions}\r\n3,TypeError: x is undefined,"TypeError: x is undefined\n    at task (flow.ts:1:1)","Shopper/browse, Shopper/buy"\r\n`,
    );
  });
});

describe('stats_history.csv rows', () => {
  const row = (over: Partial<HistoryRow>): HistoryRow => ({
    timestamp: 1_700_000_001,
    userCount: 50,
    method: '',
    name: 'Aggregated',
    rps: 120.5,
    failuresPerSec: 2,
    percentilesMs: [10, 12, 13, 14, 20, 25, 30, 40, 60, 61, 61.4],
    windowRequests: 1205,
    totalRequests: 5000,
    totalFailures: 40,
    totalMedianMs: 11.2,
    totalAvgMs: 12.25,
    totalMinMs: 1.5,
    totalMaxMs: 99.25,
    totalAvgBytes: 512,
    ...over,
  });

  it('writes whole-second timestamps, window rates and percentiles, then cumulative totals', () => {
    expect(historyCsvRows([row({})])).toBe(
      '1700000001,50,,Aggregated,120.5,2.0,10,12,13,14,20,25,30,40,60,61,61,5000,40,11,12.25,1.5,99.25,512.0\r\n',
    );
  });

  it('writes N/A percentiles when the window holds no request', () => {
    const text = historyCsvRows([row({ windowRequests: 0, rps: 0, failuresPerSec: 0, percentilesMs: new Array(11).fill(0) })]);
    expect(text).toBe('1700000001,50,,Aggregated,0.0,0.0,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,5000,40,11,12.25,1.5,99.25,512.0\r\n');
  });

  it('streams what the collector’s tick returns, full history in order', () => {
    const clock = manualClock();
    const c = new StatsCollector({ clock: clock.read, fullHistory: true });
    c.request(c.endpoint('GET', '/b'), 5_000, 5_000, 0, null);
    c.request(c.endpoint('GET', '/a'), 9_000, 9_000, 0, 'HTTP 500');
    const text = historyCsvRows(c.tick(T0 + 1_000, 7));
    expect(lines(text).map((l) => l.split(',').slice(0, 6).join(','))).toEqual([
      `${T0 / 1000 + 1},7,GET,/a,1.0,1.0`,
      `${T0 / 1000 + 1},7,GET,/b,1.0,0.0`,
      `${T0 / 1000 + 1},7,,Aggregated,2.0,1.0`,
    ]);
  });
});
