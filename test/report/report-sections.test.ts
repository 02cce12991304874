/**
 * The sections issue 15 part 7 adds to both reports, from runs recorded by a real collector:
 * status codes per endpoint and Aggregated, Locust's Response Time Statistics (and how a
 * summary.json from before 60%/70% were kept reads), the new request-statistics columns — each
 * also after the round trip through summary.json that `cicada report DIR` makes.
 */
import { describe, expect, it } from 'vitest';
import { reportHtml } from '../../src/report/html.js';
import { readSummary } from '../../src/report/load-results.js';
import { reportFiles } from '../../src/report/reports.js';
import { summaryJson } from '../../src/report/summary.js';
import { StatsCollector } from '../../src/stats/collector.js';
import type { HistoryRow, StatsSnapshot } from '../../src/stats/types.js';
import { IDLE_GENERATOR, T0, manualClock, runStatus } from '../stats/helpers.js';
import { degradingRun, meta, withThresholds } from './run-fixture.js';

/** The first Markdown table after `heading`, as rows of cell texts (header first). */
function mdTable(md: string, heading: string): string[][] {
  const lines = md.split('\n');
  let i = lines.indexOf(heading);
  if (i < 0) throw new Error(`no heading ${heading}`);
  while (!lines[i]!.startsWith('|')) i++;
  const rows: string[][] = [];
  for (; lines[i]?.startsWith('|'); i++) rows.push(lines[i]!.slice(1, -1).split(/(?<!\\)\|/).map((c) => c.trim()));
  rows.splice(1, 1);
  return rows;
}

function htmlTable(page: string, id: string): string[][] {
  const table = new RegExp(`<table id="${id}">([\\s\\S]*?)</table>`).exec(page);
  if (table === null) throw new Error(`no table #${id}`);
  return [...table[1]!.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((r) =>
    [...r[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => c[1]!.replace(/<[^>]+>/g, '')),
  );
}

/**
 * 10 s: `GET /ok` 900 × 200 and 100 × 304; `GET /mixed` 50 × 200, 30 × 404, 15 × 500, 5 × 503;
 * `GET /down` 20 requests refused (no response at all).
 */
function codesRun(): StatsSnapshot {
  const clock = manualClock();
  const c = new StatsCollector({ clock: clock.read });
  const ok = c.endpoint('GET', '/ok');
  const mixed = c.endpoint('GET', '/mixed');
  const down = c.endpoint('GET', '/down');
  const req = (id: number, us: number, code: number | null, n: number): void => {
    for (let i = 0; i < n; i++) {
      const fails = code === null || code >= 400;
      c.request(id, us, us, code === null ? 0 : 50, fails ? (code === null ? 'ECONNREFUSED' : `HTTP ${code}`) : null);
      if (code !== null) c.status(id, code);
    }
  };
  req(ok, 2_000, 200, 900);
  req(ok, 1_000, 304, 100);
  req(mixed, 5_000, 200, 50);
  req(mixed, 3_000, 404, 30);
  req(mixed, 9_000, 500, 15);
  req(mixed, 9_000, 503, 5);
  req(down, 500, null, 20);
  clock.advance(10_000);
  return c.snapshot(runStatus({ state: 'stopped', elapsedMs: 10_000 }), IDLE_GENERATOR, T0 + 10_000, { reportPercentiles: true });
}

const roundTrip = (s: StatsSnapshot) => readSummary(JSON.parse(JSON.stringify(summaryJson(s, meta()))));

describe('status codes in the reports', () => {
  const s = codesRun();
  const files = reportFiles(s, meta());

  it('count every response by code per endpoint and in Aggregated, with the requests that got none', () => {
    const rows = mdTable(files['report.md'], '## Status codes');
    expect(rows).toEqual([
      ['Method', 'Name', '200', '304', '404', '500', '503', 'No status'],
      ['GET', '`/down`', '', '', '', '', '', '20'],
      ['GET', '`/mixed`', '50', '', '30', '15', '5', ''],
      ['GET', '`/ok`', '900', '100', '', '', '', ''],
      ['', '**Aggregated**', '950', '100', '30', '15', '5', '20'],
    ]);
    // Every request is in exactly one cell of its row.
    const total = rows.at(-1)!.slice(2).reduce((n, c) => n + Number(c || 0), 0);
    expect(total).toBe(s.total.requests);
    expect(files['report.md']).toContain('Of all 1120 requests: 2xx 950 (84.8%) · 3xx 100 (8.9%) · 4xx 30 (2.7%) · 5xx 20 (1.8%) · no status 20 (1.8%). No status: no HTTP response (refused, reset, timed out, never sent) or a measurement recorded by a script.');
  });

  it('shows the same table in report.html', () => {
    expect(htmlTable(files['report.html'], 'status-codes').map((r) => r.slice(2))).toEqual(
      mdTable(files['report.md'], '## Status codes').map((r) => r.slice(2)),
    );
    expect(files['report.html']).toContain('<section id="status-codes-section"><h2>Status codes</h2>');
  });

  it('reads back from summary.json to the same section (cicada report DIR)', () => {
    const back = roundTrip(s);
    expect(back.snapshot.total.statusCodes).toEqual({ '200': 950, '304': 100, '404': 30, '500': 15, '503': 5 });
    expect(reportFiles(back.snapshot, back.meta)).toEqual(files);
  });

  it('folds the rarest codes into Other beyond ten columns, and leaves out No status when every request got one', () => {
    const clock = manualClock();
    const c = new StatsCollector({ clock: clock.read });
    const id = c.endpoint('GET', '/teapot');
    // Codes 200 … 212, code 200+k answered 20-k times.
    for (let k = 0; k <= 12; k++) {
      for (let i = 0; i < 20 - k; i++) {
        c.request(id, 1_000, 1_000, 10, null);
        c.status(id, 200 + k);
      }
    }
    clock.advance(1000);
    const md = reportFiles(c.snapshot(runStatus(), IDLE_GENERATOR, T0 + 1000), meta())['report.md'];
    const rows = mdTable(md, '## Status codes');
    expect(rows[0]).toEqual(['Method', 'Name', '200', '201', '202', '203', '204', '205', '206', '207', '208', 'Other']);
    expect(rows.at(-1)!.at(-1)).toBe(String(11 + 10 + 9 + 8)); // 209 … 212
  });

  it('is left out for results that carry no status codes (an older summary.json)', () => {
    const doc = JSON.parse(JSON.stringify(summaryJson(s, meta())));
    delete doc.totals.statusCodes;
    for (const e of doc.endpoints) delete e.statusCodes;
    const old = readSummary(doc);
    expect(reportFiles(old.snapshot, old.meta)['report.md']).not.toContain('## Status codes');
  });
});

describe('Locust\'s Response Time Statistics and Request Statistics columns', () => {
  const s = codesRun();
  const md = reportFiles(s, meta())['report.md'];

  it('gives 50 … 100% per endpoint and Aggregated, read back the same from summary.json', () => {
    const rows = mdTable(md, '## Response time statistics');
    expect(rows[0]).toEqual(['Method', 'Name', '50%', '60%', '70%', '80%', '90%', '95%', '99%', '99.9%', '99.99%', '100%']);
    // /mixed: 50 at 5 ms, 30 at 3 ms, 20 at 9 ms → 3 ms up to 30%, 5 ms to 80%, 9 ms above.
    expect(rows.find((r) => r[1] === '`/mixed`')!.slice(2)).toEqual(['5 ms', '5 ms', '5 ms', '5 ms', '9 ms', '9 ms', '9 ms', '9 ms', '9 ms', '9 ms']);
    // Aggregated: 20 at 0.5 ms, 100 at 1 ms, then 900 at 2 ms cover 10.7% … 91% of the 1120.
    const agg = rows.at(-1)!;
    expect(agg.slice(2, 5)).toEqual(['2 ms', '2 ms', '2 ms']);
    const back = roundTrip(s);
    expect(mdTable(reportFiles(back.snapshot, back.meta)['report.md'], '## Response time statistics')).toEqual(rows);
  });

  it('shows — for 60% and 70% from a summary.json written before they were kept, the rest from its ladder', () => {
    const doc = JSON.parse(JSON.stringify(summaryJson(s, meta())));
    for (const e of [doc.totals, ...doc.endpoints]) {
      if (e.latencyMs === null) continue;
      delete e.latencyMs.percentiles.p60;
      delete e.latencyMs.percentiles.p70;
    }
    const old = readSummary(doc);
    const rows = mdTable(reportFiles(old.snapshot, old.meta)['report.md'], '## Response time statistics');
    expect(rows.find((r) => r[1] === '`/mixed`')!.slice(2)).toEqual(['5 ms', '—', '—', '5 ms', '9 ms', '9 ms', '9 ms', '9 ms', '9 ms', '9 ms']);
  });

  it('adds Min, Avg size and Failures/s to the endpoints table', () => {
    const rows = mdTable(md, '## Endpoints');
    const col = (name: string): number => rows[0]!.indexOf(name);
    const mixed = rows.find((r) => r[1] === '`/mixed`')!;
    expect([mixed[col('Min')], mixed[col('Avg size')], mixed[col('RPS')], mixed[col('Failures/s')]]).toEqual(['3 ms', '50 B', '10', '5']);
    const down = rows.find((r) => r[1] === '`/down`')!;
    expect([down[col('Min')], down[col('Avg size')], down[col('Failures/s')]]).toEqual(['0.5 ms', '0 B', '2']);
  });
});

describe('report.html charts: threshold lines and values on hover', () => {
  const run = degradingRun();
  const m = withThresholds(run.snapshot, ['p95 < 30ms', 'p99 < 150ms', 'rps > 80', 'error_rate < 5%', 'GET /items: p50 < 20ms', 'max < 100s']);
  const page = reportHtml(run.snapshot, m, { history: run.history });
  const figure = (id: string): string => new RegExp(`<figure id="${id}">([\\s\\S]*?)</figure>`).exec(page)?.[1] ?? '';
  const markers = (id: string) =>
    [...figure(id).matchAll(/<g class="marker (\w+)( off-scale)?"(?: data-value="([\d.]+)")?><title>([^<]*)<\/title>/g)].map((x) => ({
      status: x[1],
      offScale: x[2] !== undefined,
      value: x[3] === undefined ? null : Number(x[3]),
      title: x[4],
    }));

  it('draws each whole-run threshold on its chart, coloured by how it ended, with its actual value on hover', () => {
    expect(markers('chart-latency')).toEqual([
      { status: 'fail', offScale: false, value: 30, title: 'Threshold p95 &lt; 30ms: not met (actual 40 ms)' },
      { status: 'pass', offScale: false, value: 150, title: 'Threshold p99 &lt; 150ms: met (actual 40 ms)' },
      { status: 'pass', offScale: true, value: null, title: 'Threshold max &lt; 100s: met (actual 10000 ms)' },
    ]);
    expect(markers('chart-throughput')).toEqual([{ status: 'pass', offScale: false, value: 80, title: 'Threshold rps &gt; 80: met (actual 111/s)' }]);
    // error_rate in percent, on the failure-rate chart.
    expect(markers('chart-failure-rate')).toEqual([{ status: 'fail', offScale: false, value: 5, title: 'Threshold error_rate &lt; 5%: not met (actual 6.9%)' }]);
    // A threshold on one endpoint is not a line on the Aggregated charts.
    expect(page).not.toContain('Threshold GET /items');
    expect(figure('chart-latency')).toContain('▲ max &lt; 100s (above the chart)');
  });

  it('stretches the value axis to a threshold within reach of the data (p99 < 150ms over a 40 ms p95)', () => {
    const ticks = [...figure('chart-latency').matchAll(/<text class="tick"[^>]*text-anchor="end">([\d.]+) ms<\/text>/g)].map((x) => Number(x[1]));
    expect(Math.max(...ticks)).toBeGreaterThanOrEqual(150);
    const y = Number(/data-value="150"><title>[^<]*<\/title><line class="rule" x1="\d+" x2="\d+" y1="([\d.]+)"/.exec(figure('chart-latency'))![1]);
    expect(y).toBeGreaterThanOrEqual(10); // inside the plot, not above it
  });

  it('gives every point its values on hover: one titled band per point', () => {
    for (const id of ['chart-throughput', 'chart-failure-rate', 'chart-latency', 'chart-users']) {
      const bands = [...figure(id).matchAll(/<rect x="[\d.]+" y="\d+" width="[\d.]+" height="\d+"><title>([^<]*)<\/title><\/rect>/g)].map((x) => x[1]!);
      expect(bands, id).toHaveLength(30);
    }
    const latency = [...figure('chart-latency').matchAll(/<rect [^>]*><title>([^<]*)<\/title>/g)].map((x) => x[1]!);
    expect(latency[0]).toMatch(/^0:01 · p50 [\d.]+ ms · p95 [\d.]+ ms$/);
    // The last third ran at 40 ms: its bands say so.
    expect(latency[29]).toBe('0:30 · p50 40 ms · p95 40 ms');
    const throughput = [...figure('chart-throughput').matchAll(/<rect [^>]*><title>([^<]*)<\/title>/g)].map((x) => x[1]!);
    expect(throughput[15]).toMatch(/^0:16 · requests\/s [\d.]+\/s · failures\/s [\d.]+\/s$/);
  });

  it('keeps a day-long run small: at most 240 bands a chart, each naming its span and the range in it; no script', () => {
    const startSec = T0 / 1000;
    const rows: HistoryRow[] = [];
    for (let i = 1; i <= 86_400; i++) {
      rows.push({
        timestamp: startSec + i, userCount: 100, method: '', name: 'Aggregated', rps: 100, failuresPerSec: 0,
        percentilesMs: [20, 22, 24, 25, 30, 40 + (i % 600 === 0 ? 400 : 0), 50, 60, 70, 80, 90], windowRequests: 1000,
        totalRequests: i * 100, totalFailures: 0, totalMedianMs: 20, totalAvgMs: 21, totalMinMs: 1, totalMaxMs: 500, totalAvgBytes: 100,
      });
    }
    const day = reportHtml(run.snapshot, m, { history: rows });
    const bands = [...(/<figure id="chart-latency">([\s\S]*?)<\/figure>/.exec(day)![1]!).matchAll(/<rect [^>]*><title>([^<]*)<\/title>/g)].map((x) => x[1]!);
    expect(bands.length).toBeLessThanOrEqual(240);
    expect(bands.length).toBeGreaterThan(200);
    // 900 points of 96 s, four to a band: 0:00–6:24, 6:24–12:48, …
    expect(bands[0]).toBe('0:00–6:24 · p50 20 ms · p95 40 ms');
    expect(bands[1]).toBe('6:24–12:48 · p50 20 ms · p95 40 ms–440 ms'); // the spike at 10:00
    expect(bands.at(-1)).toMatch(/^23:\d\d:\d\d–24:00:00 · /);
    const bytes = Buffer.byteLength(day);
    expect(bytes).toBeLessThan(256 * 1024); // 190 KB measured, half of it the hover titles
    expect(day).not.toMatch(/<script|\son\w+=|javascript:/i);
  });
});
