import { describe, expect, it } from 'vitest';
import type { Threshold } from '../../src/scenario/types.js';
import { niceScale, timeTicks } from '../../src/stats/axis.js';
import { fmtMs, fmtOffset, fmtRate } from '../../src/stats/format.js';
import { chartSeries } from '../../src/stats/chart-series.js';
import { PERCENTILES, type HistoryRow } from '../../src/stats/types.js';
import { Charts, dataColumns, plotRows, timeAxisLine } from '../../src/tui/Charts.js';
import { textWidth } from '../../src/tui/format.js';
import { aggregate, endpoint, history, NOW, SHOP_ENDPOINTS } from './fixtures.js';
import { expectFits, lines, renderAt } from './render.js';

// eslint-disable-next-line no-control-regex
const COLOR_CODE = /\x1b\[[0-9;]*(3[0-7]|9[0-7])m/;
const TOTAL = aggregate(SHOP_ENDPOINTS.map((e) => endpoint(e)));

/** `n` seconds of the fixture history and the statistics start that goes with it. */
const run = (n: number, peakRps?: number) => ({ history: history(n, peakRps), sinceMs: NOW - n * 1000 });

function threshold(source: string, metric: Threshold['metric'], value: number, endpointName: string | null = null): Threshold {
  return { source, metric, endpoint: endpointName, op: metric === 'rps' ? '>' : '<', value, abortOnFail: false, abortGraceMs: 0, loc: null };
}

/** The plot rows (label, axis, data) of the chart titled `title` in a frame. */
function chartRows(text: string, title: string): string[] {
  const all = text.split('\n');
  const start = all.findIndex((l) => l.startsWith(title));
  expect(start, `no chart "${title}"`).toBeGreaterThanOrEqual(0);
  const out: string[] = [];
  for (const l of all.slice(start + 1)) {
    if (!/^.{8}[┤┼]/.test(l)) break;
    out.push(l);
  }
  return out;
}

/** The y labels of a chart, top down. */
const yLabels = (rows: string[]): string[] => rows.map((l) => l.slice(0, 7).trim());

describe('Charts', () => {
  for (const [columns, rows] of [
    [80, 16],
    [200, 42],
  ] as const) {
    it(`draws the charts sized to ${columns}×${rows} over one elapsed-time axis`, () => {
      const r = renderAt(<Charts {...run(185)} total={TOTAL} width={columns} height={rows} />, columns, rows + 8);
      const text = r.text();
      for (const title of ['Requests per second', 'Median (ms)', '95th percentile (ms)', 'Number of users']) expect(text).toContain(title);
      expect(text).toContain('RPS');
      expect(text).toContain('Failures/s');
      // No failure-rate chart without a threshold on it.
      expect(text).not.toContain('Failure rate');
      expect(text).toMatch(/[╭╮╰╯─]/);
      expect(lines(r.raw()).length).toBe(rows);
      expect(lines(r.raw()).at(-1)).toMatch(/^elapsed 0:00 /);
      expect(plotRows(rows - 1, 4).reduce((a, b) => a + b, 4 + 1)).toBe(rows);
      expectFits(r.raw(), columns, rows);
    });
  }

  for (const columns of [80, 200]) {
    it(`spans the whole ${columns}-column width from the first rows of history`, () => {
      for (const seconds of [1, 2, 3, 35, 185, 900]) {
        const text = renderAt(<Charts {...run(seconds)} width={columns} height={30} />, columns, 40, false).text();
        for (const title of ['Requests per second', 'Median (ms)', '95th percentile (ms)', 'Number of users']) {
          const plot = chartRows(text, title);
          expect(plot.length).toBeGreaterThanOrEqual(2);
          // The line reaches the terminal's last column (rows above it end early: Ink trims blanks).
          for (const row of plot) expect(textWidth(row), `${seconds}s ${title}: ${row}`).toBeLessThanOrEqual(columns);
          expect(plot.some((row) => textWidth(row) === columns && /[─╭╮╰╯│]$/.test(row)), `${seconds}s ${title} ends before the edge`).toBe(true);
          // ...and starts at the axis.
          expect(plot.some((row) => /^.{8}[┼┤][─╭╮╰╯│]/.test(row))).toBe(true);
        }
      }
    });
  }

  it('stretches 35 seconds over 200 columns, not 36 of them', () => {
    const text = renderAt(<Charts {...run(35)} width={200} height={42} />, 200, 50, false).text();
    const users = chartRows(text, 'Number of users');
    // The ramp (one more user every two seconds) climbs across the whole width.
    const rises = users.map((row) => row.indexOf('╭')).filter((i) => i > 0);
    expect(Math.max(...rises) - Math.min(...rises)).toBeGreaterThan(150);
  });

  it('labels elapsed time in clock steps, each at its column', () => {
    const text = renderAt(<Charts {...run(35)} width={200} height={42} />, 200, 50, false).text();
    const axis = text.split('\n').at(-1)!;
    const cols = dataColumns(200);
    const expected = timeTicks(0, 35, 12).map(fmtOffset);
    expect(expected).toEqual(['0:00', '0:05', '0:10', '0:15', '0:20', '0:25', '0:30', '0:35']);
    expect(axis.split(/\s+/)).toEqual(['elapsed', ...expected]);
    expect(axis.indexOf(' 0:30') + 1).toBe(8 + Math.round((30 / 35) * cols));
    expect(timeAxisLine(0, 185, 200).split(/\s+/)).toEqual(['elapsed', '0:00', '0:30', '1:00', '1:30', '2:00', '2:30', '3:00']);
    // A long run shows its last ten minutes.
    const long = renderAt(<Charts {...run(900)} width={120} height={30} />, 120, 40, false).text().split('\n').at(-1)!;
    expect(long).toMatch(/^elapsed +5:00 .* 10:00 .* 15:00$/);
  });

  it('draws the thresholds on the whole run as dashed lines in their charts', () => {
    const thresholds = [threshold('p95 < 150ms', 'p95', 150), threshold('rps > 50', 'rps', 50), threshold('error_rate < 2%', 'error_rate', 0.02), threshold('/api/slow: p95 < 2s', 'p95', 2000, '/api/slow')];
    for (const [columns, height] of [
      [80, 30],
      [200, 42],
    ] as const) {
      const text = renderAt(<Charts {...run(60)} thresholds={thresholds} width={columns} height={height} />, columns, height + 8, false).text();
      const dashed = (title: string) => chartRows(text, title).filter((row) => row.includes('╌'));
      // One dashed row in each chart a threshold is on, on the row nearest the threshold's value.
      const nearest = (title: string, value: number) => {
        const labels = yLabels(chartRows(text, title)).map((l) => Number(l.replace('%', '')));
        const step = labels[0]! - labels[1]!;
        const got = yLabels(dashed(title)).map((l) => Number(l.replace('%', '')));
        expect(got, title).toHaveLength(1);
        expect(Math.abs(got[0]! - value), title).toBeLessThanOrEqual(step / 2);
      };
      nearest('95th percentile', 150);
      nearest('Requests per second', 50);
      nearest('Failure rate', 2);
      expect(dashed('Median')).toEqual([]);
      expect(dashed('Number of users')).toEqual([]);
      expect(text).toContain('╌╌ p95 < 150ms');
      expect(text).toContain('╌╌ rps > 50');
      // A threshold on one endpoint is not drawn on the Aggregated charts.
      expect(text).not.toContain('/api/slow');
      // The dashed line crosses the plot from the axis to the edge (where no data line covers it).
      const row = dashed('95th percentile')[0]!;
      expect(textWidth(row)).toBe(columns);
      expect(row.slice(9).replace(/[^╌]/g, '').length).toBeGreaterThan((columns - 9) / 2);
    }
  });

  it('names a threshold far above the data instead of flattening the chart, and draws p99 when a threshold is on it', () => {
    const thresholds = [threshold('p95 < 5s', 'p95', 5000), threshold('p99 < 130ms', 'p99', 130)];
    const text = renderAt(<Charts {...run(60)} thresholds={thresholds} width={120} height={30} />, 120, 40, false).text();
    expect(text).toContain('╌╌ p95 < 5s (off scale ↑)');
    const tail = chartRows(text, '95th percentile');
    expect(Number(yLabels(tail)[0])).toBeLessThan(300);
    // p99 is plotted beside p95, with its own figures.
    expect(text).toMatch(/── p99 \(last 10s\) [\d.]+ ms/);
    expect(yLabels(tail.filter((r) => r.includes('╌')))).toHaveLength(1);
  });

  it('says how many seconds each point covers when a long run is folded, as durations are written', () => {
    const r = run(3000);
    const text = renderAt(<Charts history={r.history} sinceMs={r.sinceMs} width={200} height={40} total={TOTAL} />, 200, 50).text();
    expect(text).toMatch(/ \d+s per point/);
    expect(text).not.toMatch(/\d s per point/);
  });

  it('says which window each figure covers: the last 10s the chart plots, and the whole run', () => {
    const h = run(60);
    const text = renderAt(<Charts {...h} total={TOTAL} width={200} height={42} />, 200, 50, false).text();
    const last = h.history.at(-1)!;
    expect(text).toContain(`── p95 (last 10s) ${fmtMs(last.percentilesMs[5]!)} · (run) ${fmtMs(TOTAL.percentilesMs[5]!)}`);
    expect(text).toContain(`── p50 (last 10s) ${fmtMs(last.percentilesMs[0]!)} · (run) ${fmtMs(TOTAL.percentilesMs[0]!)}`);
    expect(text).toContain(`── RPS (last 10s) ${fmtRate(last.rps)} · (run) ${fmtRate(TOTAL.rps)}`);
    // At 80 columns the windows are named once, after the title.
    const narrow = renderAt(<Charts {...h} total={TOTAL} width={80} height={20} />, 80, 30, false).text();
    expect(narrow).toContain(`Requests per second, last 10s · run:  ── RPS ${fmtRate(last.rps)} · ${fmtRate(TOTAL.rps)}  ── Failures/s`);
    expectFits(narrow, 80, 30);
  });

  it('gives the median its own scale, so it stays readable beside a large p95', () => {
    // p95 20× the median.
    const h = run(60);
    const slowTail: HistoryRow[] = h.history.map((r) => ({ ...r, percentilesMs: PERCENTILES.map((p, i) => (i === 0 ? r.percentilesMs[0]! : p >= 0.95 ? r.percentilesMs[0]! * 20 : r.percentilesMs[i]!)) }));
    const text = renderAt(<Charts history={slowTail} sinceMs={h.sinceMs} width={120} height={30} />, 120, 40, false).text();
    const median = chartRows(text, 'Median');
    const tail = chartRows(text, '95th percentile');
    expect(Number(yLabels(median)[0])).toBeLessThanOrEqual(60);
    expect(Number(yLabels(tail)[0])).toBeGreaterThanOrEqual(700);
    // The median's wobble (20–40 ms) spans several rows of its chart.
    const used = median.filter((row) => /[─╭╮╰╯│]/.test(row.slice(9)));
    expect(used.length).toBeGreaterThanOrEqual(3);
  });

  it('draws a baseline run as a grey dotted line where it has data', () => {
    const h = run(60);
    const base = { label: 'baseline 12:00', history: history(30, 60), sinceMs: NOW - 30_000 };
    const text = renderAt(<Charts {...h} baseline={base} width={120} height={30} />, 120, 40, false).text();
    expect(text).toContain('·· baseline 12:00');
    const rps = chartRows(text, 'Requests per second');
    expect(rps.some((row) => row.includes('·'))).toBe(true);
    // Its run lasted 30 s of the 60 shown: no dot past the middle.
    const lastDot = Math.max(...rps.map((row) => row.lastIndexOf('·')));
    expect(lastDot).toBeGreaterThan(9);
    expect(lastDot).toBeLessThanOrEqual(9 + Math.ceil(dataColumns(120) / 2));
    const colored = renderAt(<Charts {...h} baseline={base} width={120} height={30} />, 120, 40).raw();
    expect(colored).toMatch(/\x1b\[90m·/);
  });

  it('colours each series with a basic colour, and none with colour off', () => {
    const th = [threshold('p95 < 150ms', 'p95', 150)];
    const colored = renderAt(<Charts {...run(60)} thresholds={th} width={100} height={30} />, 100, 40).raw();
    expect(colored).toMatch(/\x1b\[32m/); // RPS green
    expect(colored).toMatch(/\x1b\[35m/); // p95 magenta
    expect(colored).toMatch(/\x1b\[31m╌/); // threshold red
    const plain = renderAt(<Charts {...run(60)} thresholds={th} width={100} height={30} />, 100, 40, false).raw();
    expect(plain).not.toMatch(COLOR_CODE);
    expect(plain).toContain('Number of users');
  });

  it('shows as many charts as fit a short terminal, and asks for room when none does', () => {
    expect(plotRows(8)).toEqual([3, 3]);
    expect(plotRows(16)).toEqual([5, 4, 4]);
    expect(plotRows(15, 4)).toEqual([3, 3, 3, 2]);
    const two = renderAt(<Charts {...run(60)} width={80} height={9} />, 80, 24);
    expect(two.text()).toContain('Median');
    expect(two.text()).not.toContain('Number of users');
    expect(lines(two.raw()).at(-1)).toMatch(/^elapsed/);
    expectFits(two.raw(), 80, 9);
    expect(renderAt(<Charts {...run(60)} width={80} height={2} />, 80, 24).text()).toContain('Enlarge the terminal');
  });

  it('waits for the first second of history, and leaves out rows from before a reset', () => {
    expect(renderAt(<Charts history={[]} sinceMs={NOW} width={80} height={16} />, 80, 24).text()).toContain('Collecting history');
    const h = run(60);
    expect(renderAt(<Charts history={h.history} sinceMs={NOW} width={80} height={16} />, 80, 24).text()).toContain('Collecting history');
    expect(renderAt(<Charts history={h.history} sinceMs={NOW - 20_000} width={80} height={16} />, 80, 24).text().split('\n').at(-1)).toMatch(/^elapsed 0:00 .*0:20$/);
  });

  it('writes axis ticks exactly: a 2.5 step reads 12.5, not 13', () => {
    const h = run(185);
    // Medians scaled to reach 11.3 ms: the median chart's round steps are 2.5 ms at some height.
    const peak = Math.max(...h.history.map((r) => r.percentilesMs[0] ?? 0));
    const history = h.history.map((r) => ({ ...r, percentilesMs: r.percentilesMs.map((v, i) => (i === 0 ? (v * 11.3) / peak : v)) }));
    let sawQuarter = false;
    for (const height of [30, 36, 42, 48]) {
      const text = renderAt(<Charts history={history} sinceMs={h.sinceMs} width={200} height={height} />, 200, 60, false).text();
      const rows = plotRows(height - 1, 4);
      const series = chartSeries(history, { sinceMs: h.sinceMs, maxPoints: dataColumns(200) });
      const p50 = niceScale(Math.max(...(series.p50Ms as number[])), rows[1]! - 1, { floor: 1 });
      expect(yLabels(chartRows(text, 'Median (ms)'))).toEqual([...p50.ticks].reverse().map(String));
      if (p50.ticks.includes(12.5)) sawQuarter = true;
    }
    expect(sawQuarter).toBe(true);
  });

  it('labels every row of a chart with the shared axis: round steps from 0', () => {
    const h = run(185);
    const text = renderAt(<Charts {...h} width={200} height={42} />, 200, 50, false).text();
    const rows = plotRows(41, 4);
    const series = chartSeries(h.history, { sinceMs: h.sinceMs, maxPoints: dataColumns(200) });
    const users = niceScale(Math.max(...series.users), rows[3]! - 1, { floor: 1, integer: true });
    expect(yLabels(chartRows(text, 'Number of users'))).toEqual([...users.ticks].reverse().map(String));
    const p95 = niceScale(Math.max(...(series.p95Ms as number[])), rows[2]! - 1, { floor: 1 });
    expect(yLabels(chartRows(text, '95th percentile'))).toEqual([...p95.ticks].reverse().map(String));
  });
});
