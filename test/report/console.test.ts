import { describe, expect, it } from 'vitest';
import {
  formatErrorReport,
  formatFinalSummary,
  formatPercentileTable,
  formatRunHeader,
  formatStatsTable,
} from '../../src/report/console.js';
import { StatsCollector } from '../../src/stats/collector.js';
import { IDLE_GENERATOR, manualClock, runStatus } from '../stats/helpers.js';
import { LOCUST_EXAMPLE, endpoint, failure, snapshot } from './fixtures.js';

// LOCUST-FORMATS.md's example table (Locust at 117 terminal columns: a 33-character name column),
// as Locust's `get_stats_summary` prints it (checked with its format strings in Python). The doc's
// copy has one space fewer before "# reqs" than its own separator line allows.
const LOCUST_TABLE = [
  'Type     Name                               # reqs      # fails |    Avg     Min     Max    Med |   req/s  failures/s',
  '--------|---------------------------------|-------|-------------|-------|-------|-------|-------|--------|-----------',
  'GET      /                                     109   18(16.51%) |      4       2      17      4 |   14.30        2.36',
  '--------|---------------------------------|-------|-------------|-------|-------|-------|-------|--------|-----------',
  '         Aggregated                            168   45(26.79%) |      4       2      17      4 |   22.04        5.90',
];

const example = snapshot({
  endpoints: [{ ...LOCUST_EXAMPLE.get, requests: 109, failures: 18, currentRps: 14.3, currentFailuresPerSec: 2.36 }],
  total: { ...LOCUST_EXAMPLE.total, requests: 168, failures: 45, currentRps: 22.04, currentFailuresPerSec: 5.9 },
});

describe('formatStatsTable', () => {
  it('lays the table out exactly as Locust does', () => {
    const lines = formatStatsTable(example, { columns: 117 }).split('\n');
    expect(lines.slice(1)).toEqual(LOCUST_TABLE);
  });

  it('starts with what Locust lacks: state, elapsed and remaining time, users', () => {
    const first = formatStatsTable(example).split('\n')[0];
    expect(first).toBe('State: running   Elapsed: 1m00s   Remaining: 4m00s   Users: 10/10');
    const ramping = snapshot({ run: runStatus({ state: 'spawning', users: 3, targetUsers: 50, spawnRate: 5, remainingMs: null }) });
    expect(formatRunHeader(ramping)).toBe('State: spawning   Elapsed: 0s   Remaining: no limit   Users: 3/50 (5/s)');
  });

  it('shows each engine thread\'s users and CPU under --processes', () => {
    const processes = [
      { index: 0, users: 20, cpuPercent: 45.4, eventLoopLagMs: 1, state: 'running' },
      { index: 1, users: 19, cpuPercent: 97.8, eventLoopLagMs: 3, state: 'running' },
    ];
    const s = snapshot({ run: runStatus({ users: 39, targetUsers: 40 }), generator: { ...IDLE_GENERATOR, processes } });
    expect(formatRunHeader(s).split('\n')[1]).toBe('Engines: #0 20 users 45% CPU   #1 19 users 98% CPU');
    expect(formatRunHeader(snapshot({})).split('\n')).toHaveLength(1);
  });

  it('flags a saturated generator, dropped iterations and grouped names', () => {
    const s = snapshot({
      generator: { ...IDLE_GENERATOR, saturated: true, eventLoopLagMs: 180.4, cpuPercent: 99.2 },
      droppedIterations: 12,
      overflowNames: 3,
    });
    const header = formatRunHeader(s).split('\n');
    expect(header[0]).toContain('Dropped iterations: 12');
    expect(header[1]).toMatch(/^WARNING: the load generator is saturated \(event-loop lag 180 ms, CPU 99%\)/);
    expect(header[2]).toContain('3 request names were grouped');
  });

  it('uses whole-run rates once the run has stopped', () => {
    const stopped = { ...example, run: runStatus({ state: 'stopped' }) };
    expect(formatStatsTable(stopped, { columns: 117 }).split('\n')[3]).toMatch(/\|   14\.92        2\.61$/);
  });

  it('cuts long names with an ellipsis and keeps every line the same width between frames', () => {
    const long = `/api/v1/organisations/${'x'.repeat(200)}/members`;
    const frame = (n: number) =>
      formatStatsTable(
        snapshot({
          endpoints: [endpoint({ name: long, requests: n, avgMs: n, minMs: 1, maxMs: n, medianMs: n }), endpoint({ name: '/', requests: 1 })],
          total: endpoint({ method: '', name: 'Aggregated', requests: n + 1 }),
        }),
        { columns: 120 },
      ).split('\n');
    const a = frame(5);
    const b = frame(123_456);
    expect(a[3]).toContain(`GET      ${long.slice(0, 35)}… `); // 120 columns: a 36-character name column
    for (const lines of [a, b]) expect(lines.slice(1, 6).map((l) => l.indexOf('|'))).toEqual([67, 8, 67, 67, 8]);
    expect(a[3]!.length).toBe(b[3]!.length);
  });

  it('shows control characters in names as ? rather than sending them to the terminal', () => {
    const s = snapshot({ endpoints: [endpoint({ name: '/a\u001b[2J\nb', requests: 1 })] });
    expect(formatStatsTable(s).split('\n')[3]).toContain('/a?[2J?b');
  });
});

describe('formatPercentileTable', () => {
  it('prints Locust’s percentile ladder with # reqs last, rows with requests only', () => {
    const s = snapshot({
      endpoints: [LOCUST_EXAMPLE.get, endpoint({ name: '/idle' })],
      total: LOCUST_EXAMPLE.total,
    });
    const lines = formatPercentileTable(s, { columns: 117 }).split('\n');
    // At 117 columns the name column shrinks so the table fits.
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(117);
    expect(lines).toEqual([
      'Response time percentiles (approximated)',
      'Type     Name                        50%    66%    75%    80%    90%    95%    98%    99%  99.9% 99.99%   100% # reqs',
      '--------|----------------------|--------|------|------|------|------|------|------|------|------|------|------|------',
      'GET      /                             4      4      5      5      7      8     15     15     17     17     17    103',
      '--------|----------------------|--------|------|------|------|------|------|------|------|------|------|------|------',
      '         Aggregated                    4      4      5      5      7      8     12     15     17     17     17    152',
    ]);
  });
});

describe('formatErrorReport and formatFinalSummary', () => {
  it('lists occurrences and "METHOD name: error", most frequent first', () => {
    const s = snapshot({
      failures: [failure({ error: 'HTTP 503', occurrences: 40 }), failure({ method: 'POST', name: '/login', error: 'ECONNRESET', occurrences: 2 })],
    });
    const lines = formatErrorReport(s, { columns: 117 }).split('\n');
    expect(lines[0]).toBe('Error report');
    expect(lines[1]).toBe('# occurrences      Error');
    expect(lines[2]).toBe(`${'-'.repeat(18)}|${'-'.repeat(98)}`);
    expect(lines[3]).toBe('40                 GET /: HTTP 503');
    expect(lines[4]).toBe('2                  POST /login: ECONNRESET');
  });

  it('puts the three tables together from a real collector, totals matching', () => {
    const c = new StatsCollector({ clock: manualClock().read });
    const id = c.endpoint('GET', '/items');
    for (let i = 0; i < 40; i++) c.request(id, 12_000, 12_000, 0, i < 4 ? 'HTTP 500' : null);
    c.exception(new Error('bad data row'), 'Shopper/browse');
    const out = formatFinalSummary(c.snapshot(runStatus({ state: 'stopped' }), IDLE_GENERATOR));
    expect(out).toMatch(/GET      \/items\s+40\s+4\(10\.00%\) \|\s+12\s+12\s+12\s+12 \|/);
    expect(out).toContain('Response time percentiles (approximated)');
    expect(out).toMatch(/\n4\s+GET \/items: HTTP 500\n/);
    expect(out).toContain('Error: bad data row (Shopper/browse)');
  });
});

describe('the console agrees with itself (issue 9 part 7)', () => {
  const fromCollector = (latenciesUs: readonly number[]) => {
    const c = new StatsCollector({ clock: manualClock().read });
    const id = c.endpoint('GET', '/items');
    for (const us of latenciesUs) c.request(id, us, us, 0, null);
    return c.snapshot(runStatus({ state: 'stopped' }), IDLE_GENERATOR);
  };
  const statsCells = (out: string, name: string): string[] => {
    const line = out.split('\n').find((l) => l.includes(` ${name} `) && l.includes('|'))!;
    return line.split('|')[1]!.trim().split(/\s+/);
  };

  it('never shows Median > Max or 100% > Max: one rounding for every cell, 100% is the exact max', () => {
    // 4.6 ms everywhere: Locust's %d would print Max 4 and its rounded median 5.
    const out = formatFinalSummary(fromCollector(Array.from({ length: 20 }, () => 4_600)));
    const [avg, min, max, med] = statsCells(out, '/items');
    expect([avg, min, max, med]).toEqual(['5', '5', '5', '5']);
    const pct = out.split('\n').find((l) => l.startsWith('GET      /items') && !l.includes('|'))!.trim().split(/\s+/);
    expect(pct.at(-2)).toBe(max); // 100%
    expect(pct.at(-1)).toBe('20'); // # reqs
  });

  it('shows sub-millisecond latencies as decimals, not 0', () => {
    const out = formatFinalSummary(fromCollector([420, 430, 440, 450, 900]));
    const [avg, min, max, med] = statsCells(out, '/items');
    expect([avg, min, max, med]).toEqual(['0.53', '0.42', '0.90', '0.44']);
    expect(out).toMatch(/GET      \/items\s+0\.44\s+0\.\d\d\s+/);
  });

  it('fits the terminal: every line of the final summary within the width, from 80 columns up', () => {
    const s = snapshot({
      endpoints: [endpoint({ name: `/api/${'x'.repeat(150)}`, requests: 10, failures: 3, maxMs: 12_345.6, medianMs: 800, percentilesMs: [800, 900, 1000, 1100, 1200, 1300, 1400, 1500, 12_000, 12_300, 12_345.6] })],
      total: endpoint({ method: '', name: 'Aggregated', requests: 10, failures: 3 }),
      failures: [failure({ error: `HTTP 503 ${'y'.repeat(200)}`, occurrences: 3 })],
      exceptions: [{ count: 1, message: 'z'.repeat(300), traceback: '', context: 'U/t', contexts: ['U/t'], firstSeen: 0, lastSeen: 0 }],
    });
    for (const columns of [80, 90, 100, 104, 117, 120, 160, 240]) {
      const lines = formatFinalSummary(s, { columns }).split('\n').slice(1); // the state line wraps like prose
      for (const l of lines) expect([columns, l.length <= columns, l]).toEqual([columns, true, l]);
    }
    // Narrow: the name shrinks first, then failures/s and Min go; Max and Med always stay.
    const narrow = formatStatsTable(s, { columns: 80 }).split('\n')[1]!;
    expect(narrow).toMatch(/# fails \|\s+Avg\s+Max\s+Med \|\s+req\/s$/);
    expect(formatPercentileTable(s, { columns: 80 }).split('\n')[1]).toMatch(/50%\s+75%\s+90%\s+95%\s+99%\s+100% # reqs$/);
  });
});
