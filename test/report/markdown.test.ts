import { describe, expect, it } from 'vitest';
import { readSummary } from '../../src/report/load-results.js';
import { reportMarkdown } from '../../src/report/markdown.js';
import { summaryJson } from '../../src/report/summary.js';
import type { GeneratorRunSummary } from '../../src/stats/types.js';
import { degradingRun, meta, stableRun, T0, threshold, withThresholds } from './run-fixture.js';

/** The first Markdown table after `heading` (optionally the n-th), as rows of cell texts (header first). */
function tableAfter(md: string, heading: string, nth = 0): string[][] {
  const lines = md.split('\n');
  let i = lines.findIndex((l) => l === heading);
  if (i < 0) throw new Error(`no heading ${heading}`);
  for (let k = 0; k <= nth; k++) {
    while (i < lines.length && !lines[i]!.startsWith('|')) i++;
    if (k < nth) while (i < lines.length && lines[i]!.startsWith('|')) i++;
  }
  const rows: string[][] = [];
  for (; i < lines.length && lines[i]!.startsWith('|'); i++) {
    rows.push(lines[i]!.slice(1, -1).split(/(?<!\\)\|/).map((c) => c.trim()));
  }
  rows.splice(1, 1); // the alignment row
  return rows;
}

function section(md: string, heading: string): string {
  const start = md.indexOf(`${heading}\n`);
  const next = md.indexOf('\n## ', start + heading.length);
  return md.slice(start, next < 0 ? undefined : next);
}

describe('report.md', () => {
  const run = degradingRun();
  const m = withThresholds(run.snapshot, [
    'p95 < 30ms',
    'error_rate < 50%',
    'GET /items: p50 < 20ms',
    threshold('error_rate < 60%', true),
  ]);
  const md = reportMarkdown(run.snapshot, m, { history: run.history });

  it('starts with the result and the run', () => {
    expect(md.startsWith('# Load test report: checkout\n')).toBe(true);
    expect(md).toContain('**❌ Failed** — 1 of 4 thresholds failed: `p95 < 30ms` (40 ms).');
    expect(md).toContain('`checkout` against `http://127.0.0.1:8000` · 2023-11-14 22:13:20 UTC · 30s · run time reached');
  });

  it('opens with the verdict and the SLO table, so it reads as a pull-request comment', () => {
    const headings = md.split('\n').filter((l) => l.startsWith('#'));
    expect(headings).toEqual([
      '# Load test report: checkout',
      '## SLO thresholds',
      '## Totals',
      '## Endpoints',
      '## Response time statistics',
      '## Status codes',
      '## Failures',
      '## Stability over the run',
      '## Run configuration',
    ]);
    const lines = md.split('\n');
    // Title, verdict, the one-line run description, then the table.
    expect(lines[2]).toMatch(/^\*\*❌ Failed\*\* — 1 of 4 thresholds failed/);
    expect(lines[4]).toMatch(/^`checkout` against /);
    expect(lines[6]).toBe('## SLO thresholds');
    expect(lines[8]).toBe('| Metric | Target | Actual | Status |');
  });

  it('writes every number the same way (stats/format.ts): the SLO table as the totals, no thousands separators', () => {
    const slow = withThresholds(run.snapshot, ['max < 1500ms', 'rps > 1000', 'error_rate < 0.5%', 'requests > 5000']);
    const text = reportMarkdown(run.snapshot, slow, { history: run.history });
    const slo = tableAfter(text, '## SLO thresholds').slice(1).map((r) => [r[1], r[2]]);
    expect(slo).toEqual([
      ['< 1500 ms', '10000 ms'],
      ['\\> 1000/s', '111/s'],
      ['< 0.5%', '6.9%'],
      ['\\> 5000', '3328'],
    ]);
    // The same values elsewhere in the report are written identically.
    const totals = Object.fromEntries(tableAfter(text, '## Totals').slice(1).map((r) => [r[0], r[1]]));
    expect(totals['Min / Max']).toBe('0.5 ms / 10000 ms');
    expect(totals['Throughput']).toBe('111/s');
    expect(totals['Failed']).toBe('228 (6.9%)');
    expect(text).toContain('`max < 1500ms` (10000 ms)');
    // One style everywhere: no thousands separator, and no padding zeros (`5.0 ms`, `0.00%`), in
    // the prose and tables (code spans aside).
    const prose = text.replace(/`[^`]*`/g, '');
    expect(prose.match(/\d,\d{3}/g)).toBeNull();
    expect(prose.match(/\d\.\d*0(?= ?(ms|%|\/s|s)\b)/g)).toBeNull();
  });

  it('has Locust\'s Response Time Statistics: 50 … 100% per endpoint and Aggregated', () => {
    const rows = tableAfter(md, '## Response time statistics');
    expect(rows[0]).toEqual(['Method', 'Name', '50%', '60%', '70%', '80%', '90%', '95%', '99%', '99.9%', '99.99%', '100%']);
    expect(rows.map((r) => r[1])).toEqual(tableAfter(md, '## Endpoints').map((r) => r[1]));
    const items = rows.find((r) => r[1] === '`/items`')!;
    // 1,000 at 10 ms, 1,000 at 12 ms, 1,000 at 40 ms (+3 failures): 50-60% at 12 ms, 70% and up at 40 ms.
    expect(items.slice(2)).toEqual(['12 ms', '12 ms', '40 ms', '40 ms', '40 ms', '40 ms', '40 ms', '40 ms', '40 ms', '40 ms']);
  });

  it('gives the run configuration', () => {
    const rows = Object.fromEntries(tableAfter(md, '## Run configuration').slice(1).map((r) => [r[0], r[1]]));
    expect(rows).toMatchObject({
      Scenario: '`checkout` (`/work/scenarios/checkout.yaml`)',
      Host: '`http://127.0.0.1:8000`',
      Users: '50 (spawn rate 10/s)',
      'Run time': '30s configured, 30s actual',
      Profile: '—',
      Started: '2023-11-14 22:13:20 UTC',
      Ended: '2023-11-14 22:13:50 UTC',
      'Stopped because': 'run time reached',
      cicada: '0.1.0',
      Command: '`cicada run checkout.yaml -t 30s`',
    });
  });

  it('gives the totals a person writes by hand', () => {
    const s = run.snapshot.total;
    // 3003 /items + 200 /flaky + 65 + 30 + 15 + 10 + 4 + 1
    expect(s.requests).toBe(3328);
    expect(s.failures).toBe(100 + 65 + 30 + 15 + 10 + 4 + 3 + 1);
    const rows = Object.fromEntries(tableAfter(md, '## Totals').slice(1).map((r) => [r[0], r[1]]));
    expect(rows['Total requests']).toBe('3328');
    expect(rows['Successful']).toBe('3100 (93.1%)');
    expect(rows['Failed']).toBe('228 (6.9%)');
    expect(rows['Throughput']).toBe('111/s');
    expect(rows['Median (p50)']).toBe('12 ms');
    expect(rows['p95']).toBe('40 ms');
    expect(rows['p99']).toBe('40 ms');
    expect(rows['Min / Max']).toBe('0.5 ms / 10000 ms');
    expect(rows['Checks passed']).toBe('300 of 300 (100%)');
  });

  it('fills the Target | Actual | Status table from the threshold results', () => {
    expect(tableAfter(md, '## SLO thresholds')).toEqual([
      ['Metric', 'Target', 'Actual', 'Status'],
      ['p95 response time', '< 30 ms', '40 ms', '❌ Fail'],
      ['Error rate', '< 50%', '6.9%', '✅ Pass'],
      ['Median response time · `GET /items`', '< 20 ms', '12 ms', '✅ Pass'],
      ['Error rate (aborts the run)', '< 60%', '6.9%', '✅ Pass'],
    ]);
  });

  it('names each SLO row once, as a write-up would: the metric, then the endpoint only when it has one', () => {
    const rows = tableAfter(reportMarkdown(run.snapshot, withThresholds(run.snapshot, ['p50 < 20ms', 'rps > 10', threshold('GET /items: p99 < 1s', true)])), '## SLO thresholds');
    expect(rows.slice(1).map((r) => r[0])).toEqual(['Median response time', 'Throughput', 'p99 response time · `GET /items` (aborts the run)']);
  });

  it('says "no data" for a threshold that has none yet, and marks the report as in progress', () => {
    const live = withThresholds(run.snapshot, ['/nothing: p99 < 1s'], false);
    const text = reportMarkdown(run.snapshot, { ...live, endedAt: null, exitCode: null });
    expect(tableAfter(text, '## SLO thresholds')[1]).toEqual(['p99 response time · `/nothing`', '< 1000 ms', 'no data', '⏳ No data']);
    expect(text).toContain('**⏳ Pending** — 1 of 1 thresholds have no data yet.');
    expect(text).toContain('The run is still in progress');
  });

  it('without thresholds, says so and shows how to add one', () => {
    const text = reportMarkdown(run.snapshot, meta());
    const slo = section(text, '## SLO thresholds');
    expect(slo).toContain('No thresholds were set for this run');
    expect(slo).toContain('```yaml\nthresholds:\n  - p95 < 500ms\n  - error_rate < 1%');
    expect(slo).toContain("`cicada run scenario.yaml --threshold 'p95<500ms' --threshold 'error_rate<1%'`");
    expect(text).toContain('No thresholds set · 3328 requests, 6.9% failed, p95 40 ms.');
  });

  it('has a row per endpoint and the Aggregated row', () => {
    const rows = tableAfter(md, '## Endpoints');
    expect(rows[0]).toEqual(['Method', 'Name', 'Requests', 'Fails', 'Fail %', 'Median', 'p95', 'p99', 'Avg', 'Min', 'Max', 'Avg size', 'RPS', 'Failures/s']);
    expect(rows.map((r) => r[1])).toEqual([
      'Name', '`/admin`', '`/down`', '`/flaky`', '`/items`', '`/items/[id]`', '`/limited`', '`/login`', '`/slow`', '**Aggregated**',
    ]);
    expect(rows.find((r) => r[1] === '`/flaky`')).toEqual(['GET', '`/flaky`', '200', '100', '50%', '5 ms', '5 ms', '5 ms', '5 ms', '5 ms', '5 ms', '100 B', '6.7', '3.3']);
    expect(rows.find((r) => r[1] === '`/items`')!.slice(2, 5)).toEqual(['3003', '3', '0.1%']);
    expect(rows.at(-1)!.slice(2, 5)).toEqual(['3328', '228', '6.9%']);
  });

  it('groups failures by kind and calls out rate limiting and auth failures', () => {
    const kinds = tableAfter(section(md, '## Failures'), 'By kind:');
    expect(kinds.map((r) => r.slice(0, 3))).toEqual([
      ['Kind', 'Failures', 'Of all requests'],
      ['Server errors (HTTP 5xx)', '100', '3%'],
      ['Rate limited (HTTP 429)', '65', '2%'],
      ['Authentication (HTTP 401/403)', '30', '0.9%'],
      ['Other client errors (HTTP 4xx)', '15', '0.45%'],
      ['Connection errors', '10', '0.3%'],
      ['Timeouts', '4', '0.12%'],
      ['Failed checks and captures', '4', '0.12%'],
    ]);
    expect(kinds[2]![4]).toBe('`HTTP 429`, `check: status 200 expected, got 429`');
    expect(kinds[3]![3]).toBe('`GET /admin`');
    expect(md).toContain('> ⚠️ **Rate limited: 65 requests (2% of all) got HTTP 429 Too Many Requests**');
    expect(md).toContain('The target throttled the test on `GET /limited` (65).');
    expect(md).toContain('> ⚠️ **Authentication failures: 30 requests (0.9% of all) got HTTP 401/403**');
    const every = tableAfter(section(md, '## Failures'), 'Every error:');
    expect(every[1]).toEqual(['GET', '`/flaky`', '`HTTP 503`', '100', '2023-11-14 22:13:40 UTC', '2023-11-14 22:13:49 UTC']);
    expect(every).toHaveLength(1 + 11);
  });

  it('cuts the run into thirds with percentiles from interval histograms, and calls it degrading', () => {
    const rows = tableAfter(md, '## Stability over the run');
    expect(rows[0]).toEqual(['Part', 'Time', 'Requests', 'RPS', 'Error rate', 'p50', 'p95', 'p99', 'Users']);
    expect(rows.slice(1).map((r) => [r[0], r[1], r[2], r[4], r[6]])).toEqual([
      ['First third', '0:00–0:10', '1128', '11.3%', '10 ms'],
      ['Middle third', '0:10–0:20', '1000', '0%', '12 ms'],
      ['Last third', '0:20–0:30', '1200', '8.3%', '40 ms'],
    ]);
    expect(rows[1]![8]).toBe('50');
    expect(md).toContain('**Verdict:** Degrading: p95 rose from 10 ms in the first third to 40 ms in the last (+300%).');
  });

  it('calls a steady run stable', () => {
    const steady = stableRun();
    const text = reportMarkdown(steady.snapshot, meta());
    expect(text).toContain('**Verdict:** Stable: no clear change in p95 (20 ms, 20 ms, 20 ms by third); no request failed.');
    expect(text).toContain('No request failed.');
  });

  it('says when and how long the load generator was saturated (and so does a report written later)', () => {
    const generator: GeneratorRunSummary = {
      samples: 30,
      saturatedSeconds: 7,
      episodeCount: 2,
      episodes: [
        { startedAt: T0 + 3_000, endedAt: T0 + 7_000, saturatedSeconds: 5, peakEventLoopLagMs: 180, peakCpuPercent: 99 },
        { startedAt: T0 + 28_000, endedAt: null, saturatedSeconds: 2, peakEventLoopLagMs: 90, peakCpuPercent: 97 },
      ],
      peak: { eventLoopLagMs: 180, cpuPercent: 99, rssBytes: 1e8, heapUsedBytes: 5e7 },
      history: [],
    };
    const m2 = meta({ generator });
    const text = reportMarkdown(run.snapshot, m2);
    expect(text).toContain(
      '> ⚠️ **The load generator was saturated for 7s of the run**  \n> 2 episodes, at 0:03 for 4s, 0:28 for 2s; peak event-loop lag 180 ms, CPU 99% of a core: response times then include cicada’s own delay. Use `--processes` or a bigger machine.',
    );
    const back = readSummary(JSON.parse(JSON.stringify(summaryJson(run.snapshot, m2))));
    expect(reportMarkdown(back.snapshot, back.meta)).toBe(text);
  });

  it('says a sub-second saturation episode\'s start and length, not an empty range', () => {
    const generator: GeneratorRunSummary = {
      samples: 3,
      saturatedSeconds: 1,
      episodeCount: 1,
      episodes: [{ startedAt: T0 + 200, endedAt: T0 + 1_000, saturatedSeconds: 1, peakEventLoopLagMs: 120, peakCpuPercent: 98 }],
      peak: { eventLoopLagMs: 120, cpuPercent: 98, rssBytes: 1e8, heapUsedBytes: 5e7 },
      history: [],
    };
    const text = reportMarkdown(run.snapshot, meta({ generator }));
    expect(text).toContain('> ⚠️ **The load generator was saturated for 1s of the run**  \n> At 0:00 for 800ms; peak event-loop lag 120 ms, CPU 98% of a core');
  });

  it('escapes names and errors so they cannot break a table or inject HTML', () => {
    const base = degradingRun().snapshot;
    const evil = {
      ...base,
      endpoints: base.endpoints.map((e, i) => (i === 0 ? { ...e, name: '/a|b`c<script>alert(1)</script>\nnext' } : e)),
      failures: [{ ...base.failures[0]!, error: 'HTTP 500 | <img src=x onerror=alert(1)> **bold**' }],
    };
    const text = reportMarkdown(evil, meta({ scenarioName: 'x_y *z* <b>', stopReason: '# heading' }));
    expect(text).toContain('# Load test report: x\\_y \\*z\\* &lt;b>');
    const endpoints = tableAfter(text, '## Endpoints');
    expect(endpoints.every((r) => r.length === 14)).toBe(true);
    expect(endpoints[1]![1]).toBe('``/a\\|b`c<script>alert(1)</script> next``');
    const every = tableAfter(section(text, '## Failures'), 'Every error:');
    expect(every[1]!.length).toBe(6);
    expect(every[1]![2]).toBe('`HTTP 500 \\| <img src=x onerror=alert(1)> **bold**`');
    expect(text).not.toMatch(/^<script>/m);
  });
});
