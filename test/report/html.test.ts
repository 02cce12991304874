import { describe, expect, it } from 'vitest';
import { reportHtml } from '../../src/report/html.js';
import { reportMarkdown } from '../../src/report/markdown.js';
import { reportFiles } from '../../src/report/reports.js';
import { degradingRun, meta, withThresholds } from './run-fixture.js';

const run = degradingRun();
const m = withThresholds(run.snapshot, ['p95 < 30ms', 'error_rate < 50%']);
const html = reportHtml(run.snapshot, m, { history: run.history });

/** The rows of table `id` as arrays of cell texts (tags removed, entities decoded). */
function rows(page: string, id: string): string[][] {
  const table = new RegExp(`<table id="${id}">([\\s\\S]*?)</table>`).exec(page);
  if (table === null) throw new Error(`no table #${id}`);
  return [...table[1]!.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((r) =>
    [...r[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => decode(c[1]!.replace(/<[^>]+>/g, ''))),
  );
}

function decode(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}

describe('report.html', () => {
  it('is one self-contained document: no script, no external resource, a CSP that forbids them', () => {
    expect(html.startsWith('<!doctype html>\n<html lang="en">')).toBe(true);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(/i);
    expect(html).not.toMatch(/\s(src|href)=/i);
    expect(html).toContain('@media (prefers-color-scheme:dark)');
    expect(html).toContain('@media print');
  });

  it('has the same tables as report.md', () => {
    expect(rows(html, 'slo')).toEqual([
      ['Metric', 'Target', 'Actual', 'Status'],
      ['p95 response time', '< 30 ms', '40 ms', '✗ Fail'],
      ['Error rate', '< 50%', '6.9%', '✓ Pass'],
    ]);
    const endpoints = rows(html, 'endpoints');
    expect(endpoints).toHaveLength(1 + 8 + 1);
    expect(endpoints.at(-1)!.slice(1, 5)).toEqual(['Aggregated', '3328', '228', '6.9%']);
    expect(rows(html, 'failure-kinds').map((r) => r[0])).toEqual([
      'Kind',
      'Server errors (HTTP 5xx)',
      'Rate limited (HTTP 429)',
      'Authentication (HTTP 401/403)',
      'Other client errors (HTTP 4xx)',
      'Connection errors',
      'Timeouts',
      'Failed checks and captures',
    ]);
    expect(rows(html, 'stability').map((r) => r[6])).toEqual(['p95', '10 ms', '12 ms', '40 ms']);
    expect(html).toContain('Degrading: p95 rose from 10 ms in the first third to 40 ms in the last (+300%).');
    expect(rows(html, 'totals').find((r) => r[0] === 'Total requests')).toEqual(['Total requests', '3328']);
    // The Markdown report carries the same numbers.
    const md = reportMarkdown(run.snapshot, m, { history: run.history });
    expect(md).toContain('| p95 response time | < 30 ms | 40 ms | ❌ Fail |');
    expect(reportFiles(run.snapshot, m, { history: run.history })).toEqual({ 'report.md': md, 'report.html': html });
  });

  it('charts throughput, failures, the failure rate, p50/p95 and users over time as plotted SVG paths', () => {
    expect(html.match(/<svg class="chart"/g)).toHaveLength(4);
    const paths: Record<string, { points: number; d: string }> = Object.fromEntries(
      [...html.matchAll(/data-series="([\w-]+)" data-points="(\d+)" d="([^"]*)"/g)].map((p) => [p[1]!, { points: Number(p[2]), d: p[3]! }]),
    );
    expect(Object.keys(paths)).toEqual(['rps', 'failures', 'fail-ratio', 'p50', 'p95', 'users']);
    for (const p of Object.values(paths)) {
      expect(p.points).toBe(30);
      expect(p.d.match(/L/g)).toHaveLength(29);
    }
    expect(html).toContain('id="chart-throughput"');
    expect(html).toContain('id="chart-latency"');
    expect(html).toContain('id="chart-failure-rate"');
    expect(html).toContain('id="chart-users"');
  });

  it('escapes every text from the run', () => {
    const base = run.snapshot;
    const evil = {
      ...base,
      endpoints: base.endpoints.map((e, i) => (i === 0 ? { ...e, name: '/a"><script>alert(1)</script>' } : e)),
      failures: [{ ...base.failures[0]!, error: `HTTP 500 <img src=x onerror="alert('x')">` }],
    };
    const page = reportHtml(evil, meta({ scenarioName: '<b>x</b> & "y"', host: 'http://h/?a=<i>' }));
    expect(page).not.toContain('<script>alert');
    expect(page).not.toContain('<img');
    expect(page).toContain('/a&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).toContain('<title>Load test report: &lt;b&gt;x&lt;/b&gt; &amp; &quot;y&quot;</title>');
    expect(page).toContain('HTTP 500 &lt;img src=x onerror=&quot;alert(&#39;x&#39;)&quot;&gt;');
  });

  it('says when there is no history yet instead of drawing empty charts', () => {
    const page = reportHtml({ ...run.snapshot, history: [] }, meta());
    expect(page).toContain('No history yet');
    expect(page).not.toContain('<svg class="chart"');
  });
});
