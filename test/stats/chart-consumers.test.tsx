/**
 * The TUI's Charts tab and report.html chart the same run with one series builder and one axis
 * algorithm (src/stats/chart-series.ts, src/stats/axis.ts): for the same history they plot the same
 * points and, given the same room, label the same ticks.
 */
import { describe, expect, it } from 'vitest';
import { reportHtml } from '../../src/report/html.js';
import { niceScale, timeTicks } from '../../src/stats/axis.js';
import { chartSeries } from '../../src/stats/chart-series.js';
import { fmtOffset } from '../../src/stats/format.js';
import { Charts, dataColumns, plotRows } from '../../src/tui/Charts.js';
import { degradingRun, meta } from '../report/run-fixture.js';
import { renderAt } from '../tui/render.js';

const run = degradingRun();
const sinceMs = run.snapshot.statsStartedAt;
const html = reportHtml(run.snapshot, meta(), { history: run.history });
const aggregated = run.history.filter((r) => r.name === 'Aggregated');

/** The tick labels of report figure `id`: y (text-anchor end) and x (middle), as written. */
function svgTicks(id: string): { y: string[]; x: string[] } {
  const figure = new RegExp(`<figure id="${id}">([\\s\\S]*?)</figure>`).exec(html)![1]!;
  const ticks = [...figure.matchAll(/<text class="tick"[^>]*text-anchor="(end|middle)">([^<]*)<\/text>/g)];
  return { y: ticks.filter((t) => t[1] === 'end').map((t) => t[2]!), x: ticks.filter((t) => t[1] === 'middle').map((t) => t[2]!) };
}

const num = (label: string): number => Number(label.replace(/[^\d.]/g, ''));

describe('one chart-series builder and one axis for the TUI and the report', () => {
  it('builds the same points whoever asks, as long as they fit', () => {
    const report = chartSeries(run.history, { sinceMs, maxPoints: 900 });
    const tui = chartSeries(aggregated, { sinceMs, maxPoints: dataColumns(120), lastSeconds: 600 });
    expect(tui).toEqual(report);
    expect(report.t).toHaveLength(30);
    // The report plots every one of them...
    const points = [...html.matchAll(/data-series="(\w+)" data-points="(\d+)"/g)].map((m) => [m[1], Number(m[2])]);
    expect(points).toEqual(['rps', 'failures', 'p50', 'p95', 'users'].map((k) => [k, 30]));
  });

  it('labels the same value ticks for the same data and room', () => {
    const report = chartSeries(run.history, { sinceMs, maxPoints: 900 });
    const p95Max = Math.max(...report.p95Ms.map((v) => v ?? 0));
    const shared = niceScale(p95Max, 5).ticks;
    // report.html: the latency chart (p50 and p95; p95 is the higher) has five intervals.
    expect(svgTicks('chart-latency').y.map(num)).toEqual(shared);
    // The TUI with six plot rows per chart (five intervals) labels its p95 chart the same.
    const height = 1 + 4 * 7;
    expect(plotRows(height - 1, 4)).toEqual([6, 6, 6, 6]);
    const text = renderAt(<Charts history={aggregated} sinceMs={sinceMs} width={120} height={height} />, 120, height + 5, false).text();
    const lines = text.split('\n');
    const start = lines.findIndex((l) => l.startsWith('95th percentile'));
    const labels = lines.slice(start + 1, start + 7).map((l) => l.slice(0, 7).trim()).filter((l) => l !== '');
    expect(labels.map(num).reverse()).toEqual(shared);
  });

  it('ticks elapsed time the same way: the same clock steps, written as offsets', () => {
    const report = svgTicks('chart-throughput').x;
    expect(report).toEqual(timeTicks(0, 30).map(fmtOffset));
    // 73 columns give the TUI the report's budget of 8 time ticks.
    const text = renderAt(<Charts history={aggregated} sinceMs={sinceMs} width={73} height={20} />, 73, 25, false).text();
    expect(text.split('\n').at(-1)!.split(/\s+/).slice(1)).toEqual(report);
  });
});
