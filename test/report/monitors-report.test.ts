/**
 * The target's series in summary.json and the reports: the System metrics table (Component |
 * Metric | Target | Avg | Peak | Final | Status) with thresholds on monitors, the Memory leak
 * detection table with each verdict, a chart per series in report.html (gaps break the line), and
 * the same report again from summary.json (`cicada report DIR`).
 */
import { describe, expect, it } from 'vitest';
import { parseSummary } from '../../src/report/load-results.js';
import { formatMonitorTable } from '../../src/report/monitors-console.js';
import { reportFiles } from '../../src/report/reports.js';
import { summaryJson } from '../../src/report/summary.js';
import type { MonitorSummary } from '../../src/run/monitors/types.js';
import type { MonitorStat } from '../../src/scenario/monitor-types.js';
import type { Threshold } from '../../src/scenario/types.js';
import { evaluateThresholds } from '../../src/stats/thresholds.js';
import { demoMonitors } from '../run/monitor-fixtures.js';
import { meta, stableRun } from './run-fixture.js';

function monitorThreshold(source: string, id: string, stat: MonitorStat, op: Threshold['op'], value: number, unit: string): Threshold {
  return { source, metric: 'monitor', endpoint: null, op, value, abortOnFail: false, abortGraceMs: 0, loc: null, monitor: { id, stat, unit, valueText: '' } };
}

function run(monitors: readonly MonitorSummary[]) {
  const { snapshot } = stableRun();
  const thresholds = [
    monitorThreshold('app_cpu.max < 25%', 'app_cpu', 'max', '<', 25, 'percent'),
    monitorThreshold('db_pool.avg < 80%', 'db_pool', 'avg', '<', 80, 'percent'),
  ];
  const measure = (ref: { id: string; stat: MonitorStat }): number | null => {
    const m = monitors.find((x) => x.id === ref.id)!;
    return { avg: m.avg, min: m.min, max: m.max, last: m.final }[ref.stat];
  };
  const results = evaluateThresholds(thresholds, snapshot, true, measure);
  return { snapshot, meta: meta({ thresholds: thresholds.map((t) => t.source), thresholdResults: results, monitors }) };
}

const section = (md: string, from: string, to: string): string => md.slice(md.indexOf(from), md.indexOf(to));

describe('System metrics in the reports', () => {
  it('report.md: a row per series with its targets and status; the leak table with each verdict', () => {
    const { snapshot, meta: m } = run(demoMonitors());
    const md = reportFiles(snapshot, m)['report.md'];
    expect(section(md, '## System metrics', '## Totals')).toBe(
      [
        '## System metrics',
        '',
        '| Component | Metric | Target | Avg | Peak | Final | Status |',
        '|---|---|---|---:|---:|---:|---|',
        '| Application | CPU `app_cpu` (4 gaps) | max < 25% | 20.4% | 30% | 10.4% | ❌ Fail |',
        '| Application | Memory (RSS) `app_rss` | — | 140 MB | 199 MB | 199 MB | no target |',
        '| Database | Connection pool `db_pool` | avg < 80% | 34.5% | 39% | 39% | ✅ Pass |',
        '| Application | Heap `heap` | — | 66 MB | 70 MB | 70 MB | no target |',
        '',
        '### Memory leak detection',
        '',
        '| Component | Metric | Initial | Peak | Final | Growth | Slope | R² | Verdict |',
        '|---|---|---:|---:|---:|---:|---:|---:|---|',
        '| Application | Memory (RSS) | 94 MB | 199 MB | 197 MB | +107 MB over 1m47s | +3.5 GB/h | 1 | ❌ suspected leak: +3.5 GB/h |',
        '| Application | Heap | 58 MB | 70 MB | 70 MB | +8.3 MB over 1m47s | +280 MB/h | 0.6 | ⏳ growth that levels off |',
        '',
        md.slice(md.indexOf('_Initial is after a warm-up'), md.indexOf('## Totals')).trimEnd(),
        '',
        '',
      ].join('\n'),
    );
  });

  it('reads back from summary.json to the same tables (cicada report DIR)', () => {
    const { snapshot, meta: m } = run(demoMonitors());
    const file = JSON.stringify(summaryJson(snapshot, m));
    const back = parseSummary(file);
    expect(back.meta.monitors!.map((x) => [x.id, x.samples, x.gaps, x.history.length, x.leak?.verdict ?? null])).toEqual([
      ['app_cpu', 116, 4, 120, null],
      ['app_rss', 120, 0, 120, 'suspected leak'],
      ['db_pool', 120, 0, 120, null],
      ['heap', 120, 0, 120, 'levels off'],
    ]);
    const sys = (md: string): string => section(md, '## System metrics', '## Totals');
    expect(sys(reportFiles(back.snapshot, back.meta)['report.md'])).toBe(sys(reportFiles(snapshot, m)['report.md']));
    // A gap stays a gap (null), never a 0.
    expect(JSON.parse(file).monitors[0].history.slice(99, 105).map((p: [number, number | null]) => p[1] === null)).toEqual([false, true, true, true, true, false]);
  });

  it('report.html: the table, the leak table and a chart per series under the load charts, the gap a break in the line', () => {
    const { snapshot, meta: m } = run(demoMonitors());
    const html = reportFiles(snapshot, m)['report.html'];
    expect(html.indexOf('id="system-metrics"')).toBeLessThan(html.indexOf('id="charts"'));
    expect(html.indexOf('id="charts"')).toBeLessThan(html.indexOf('id="monitor-charts"'));
    expect(html).toContain('<table id="system">');
    expect(html).toContain('<table id="leaks">');
    for (const id of ['app_cpu', 'app_rss', 'db_pool', 'heap']) expect(html).toContain(`<figure id="monitor-${id}">`);
    const cpuFigure = html.slice(html.indexOf('<figure id="monitor-app_cpu">'), html.indexOf('<figure id="monitor-app_rss">'));
    const path = /<path class="line[^"]*"[^>]* d="([^"]+)"/.exec(cpuFigure)![1]!;
    // Two runs of points: before and after the four failed samples.
    expect(path.match(/M/g)).toHaveLength(2);
  });

  it('no monitors: no section at all', () => {
    const { snapshot } = stableRun();
    const files = reportFiles(snapshot, meta());
    expect(files['report.md']).not.toContain('System metrics');
    expect(files['report.html']).not.toContain('system-metrics');
  });
});

describe('the console table', () => {
  it('one line per series under a header, thresholds marked, a failing series saying why', () => {
    const monitors = demoMonitors(300);
    const { meta: m } = run(monitors);
    const failing = monitors.map((x, i) => (i === 2 ? { ...x, last: null, failing: 'HTTP 503' } : x));
    expect(formatMonitorTable(failing, m.thresholdResults).split('\n')).toEqual([
      'Target       Metric                     Now    Min     Max     Avg  Thresholds',
      'Application  CPU                      10.4%    10%     30%   20.4%  ✗ max < 25%',
      'Application  Memory (RSS)            199 MB  80 MB  199 MB  140 MB',
      'Database     Connection pool  gap: HTTP 503    30%     39%   34.5%  ✓ avg < 80%',
      'Application  Heap                     70 MB  40 MB   70 MB   66 MB',
    ]);
  });

  it('narrower than the table: whole columns go (Target, then Min), never a value cut', () => {
    const monitors = demoMonitors(300);
    const { meta: m } = run(monitors);
    expect(formatMonitorTable(monitors, m.thresholdResults, 56).split('\n')).toEqual([
      'Metric              Now     Max     Avg  Thresholds',
      'CPU               10.4%     30%   20.4%  ✗ max < 25%',
      'Memory (RSS)     199 MB  199 MB  140 MB',
      'Connection pool     39%     39%   34.5%  ✓ avg < 80%',
      'Heap              70 MB   70 MB   66 MB',
    ]);
  });
});
