/**
 * Tab 2, Charts: Locust's charts drawn by asciichart, stacked and sized to the space given, over one
 * elapsed-time axis: requests and failures per second, the failure rate (when a threshold is set on
 * it), the median and the 95th percentile response time on separate scales (a slow tail must not
 * flatten the median), and users.
 *
 * - Width: every chart spans the terminal from the first second: the points (the shared
 *   `chartSeries`, the same maths as the HTML report) are stretched or thinned over the columns.
 * - Windows: a live figure says which window it covers: `p95 (last 10s)` is what the chart plots,
 *   `(run)` the whole run since the statistics start (what thresholds judge).
 * - Thresholds on the whole run (`p95 < 800ms`, `rps > 100`, `error_rate < 1%`) are dashed lines
 *   `╌` in their chart; one more than `MARKER_REACH` times above the data is named "off scale".
 * - `baseline`: a previous run, dotted `·` in grey on the throughput and response-time charts,
 *   aligned by elapsed time.
 */
import * as asciichart from 'asciichart';
import { Box } from 'ink';
import type { Threshold } from '../scenario/types.js';
import { axisReach, markerOnScale, niceScale, timeTicks } from '../stats/axis.js';
import { chartMarkers, chartSeries, percentileIndexOf, resample, P50_INDEX, P95_INDEX, type ChartMarker, type ChartPanel, type ChartSeries } from '../stats/chart-series.js';
import type { EndpointStats, HistoryRow } from '../stats/types.js';
import { fmtDuration, fmtExact, fmtMs, fmtOffset, fmtPercent, fmtRate } from '../stats/format.js';
import { compactAnsi, fit, stripSgr, textWidth } from './format.js';
import { Line, RawLine, type Segment, lineWidth, seg } from './Line.js';
import { type BasicColor, useTheme } from './theme.js';

/** A previous run to compare with: its history rows and its statistics start (epoch ms). */
export interface ChartBaseline {
  /** Legend text: `baseline` or the run's name. */
  readonly label: string;
  readonly history: readonly HistoryRow[];
  readonly sinceMs: number;
}

export interface ChartsProps {
  readonly history: readonly HistoryRow[];
  readonly width: number;
  /** Lines available for the whole tab. */
  readonly height: number;
  /** Epoch ms of the statistics start: the time axis' zero. */
  readonly sinceMs: number;
  /** The Aggregated row over the whole run, for the `(run)` figures; without it they are left out. */
  readonly total?: EndpointStats;
  /** The scenario's thresholds: those on the whole run are drawn as lines. */
  readonly thresholds?: readonly Threshold[];
  /** Seconds the history's rates and percentiles cover; default 10. */
  readonly windowSec?: number;
  readonly baseline?: ChartBaseline;
}

/** Width of the y-axis labels. */
const LABEL_WIDTH = 7;
/** The column of the y axis (labels, a space, the axis); data columns follow it. */
const AXIS_COLUMN = LABEL_WIDTH + 1;
/** The live charts show at most the last ten minutes (the report shows the whole run). */
export const LIVE_SPAN_SECONDS = 600;
const MARKER_CHAR = '╌';
const BASELINE_CHAR = '·';
const MARKER_COLOR: BasicColor = 'red';
const BASELINE_COLOR: BasicColor = 'gray';

const ANSI: Record<BasicColor, string> = {
  black: asciichart.black,
  red: asciichart.red,
  green: asciichart.green,
  yellow: asciichart.yellow,
  blue: asciichart.blue,
  magenta: asciichart.magenta,
  cyan: asciichart.cyan,
  white: asciichart.white,
  gray: asciichart.darkgray,
};

interface PlotSeries {
  readonly label: string;
  readonly values: readonly number[];
  readonly color: BasicColor;
  /** Legend figures: the recent window's and the run's; null leaves one out. */
  readonly recent: string | null;
  readonly run: string | null;
  /** A figure that is no window's (users running now). */
  readonly now?: string;
}

interface ChartSpec {
  readonly panel: ChartPanel | 'users';
  readonly title: string;
  readonly series: readonly PlotSeries[];
  readonly baseline: readonly number[] | null;
  readonly markers: readonly ChartMarker[];
  readonly axis: (v: number) => string;
  /** Whole-number axis (users). */
  readonly integer?: boolean;
}

/** Axis labels: the ticks are round numbers (see `niceScale`: 1, 2, 2.5, 5 × 10^k steps), written exactly (`12.5`, not `13`). */
const fmtAxis = fmtExact;

/**
 * Plot rows for each of `count` charts shown in `height` lines: each chart takes a title line and
 * at least two plot rows; as many as fit are shown, spare lines go to the first ones.
 */
export function plotRows(height: number, count = 3): number[] {
  const shown = Math.min(count, Math.floor(height / 3));
  if (shown <= 0) return [];
  const base = Math.floor((height - shown) / shown);
  const spare = height - shown - base * shown;
  return Array.from({ length: shown }, (_, i) => base + (i < spare ? 1 : 0));
}

/** Columns a chart's data takes in `width`: the y labels and axis come first. */
export function dataColumns(width: number): number {
  return Math.max(2, width - AXIS_COLUMN - 1);
}

/**
 * The time range the charts cover, seconds from the statistics start: from 0 while the run fits
 * the live span, else the start of the first point shown.
 */
export function timeRange(s: ChartSeries): { from: number; to: number } {
  const first = s.t[0] ?? 0;
  const to = s.t[s.t.length - 1] ?? 1;
  const from = first <= s.bucketSeconds ? 0 : first - s.bucketSeconds;
  return { from, to: Math.max(to, from + 1) };
}

/** The elapsed-time axis line: `elapsed 0:00   0:30   1:00 …`, each label starting at its column. */
export function timeAxisLine(from: number, to: number, width: number): string {
  const cols = dataColumns(width);
  const ticks = timeTicks(from, to, Math.max(1, Math.min(12, Math.floor(cols / 8))));
  let line = fit('elapsed', LABEL_WIDTH, 'right');
  for (const t of ticks) {
    const label = fmtOffset(t);
    let at = AXIS_COLUMN + Math.round(((t - from) / (to - from)) * cols);
    if (at + label.length > width) at = width - label.length;
    if (at < line.length + 1) continue; // would touch the previous label
    line = line.padEnd(at) + label;
  }
  return line;
}

/** A plotted row's cells: a coloured cell is one token with its codes, a label is one per character. */
// eslint-disable-next-line no-control-regex
const CELL = /\x1b\[[0-9;]*m[^\x1b]\x1b\[0m|[^\x1b]/gu;

/**
 * Draws `char` in the empty cells of the plot: for each data column, at the row `rowOf` gives (0 =
 * top) or nowhere (null). The data lines stay on top.
 */
function overlay(rows: string[][], rowOf: (column: number) => number | null, columns: number, cell: string): void {
  for (let c = 1; c <= columns; c++) {
    const r = rowOf(c);
    const line = r === null ? undefined : rows[r];
    if (line === undefined) continue;
    if (line[AXIS_COLUMN + c] === ' ') line[AXIS_COLUMN + c] = cell;
  }
}

/**
 * A chart's title and legend. Each figure names its window: `p95 (last 10s) 577 ms · (run) 754
 * ms`; when that does not fit, the windows are named once after the title (`last 10s · run:`) and
 * each series gives its two figures.
 */
function titleLine(c: ChartSpec, recent: string, dataMax: number, baseline: string | null, bucketSeconds: number, width: number): Segment[] {
  const tail: Segment[] = [];
  for (const m of c.markers) {
    const on = markerOnScale(dataMax, m.value);
    tail.push(seg('  '), seg(MARKER_CHAR.repeat(2), { color: MARKER_COLOR }), seg(` ${m.label}${on ? '' : ' (off scale ↑)'}`));
  }
  if (c.baseline !== null && baseline !== null) tail.push(seg('  '), seg(BASELINE_CHAR.repeat(2), { color: BASELINE_COLOR }), seg(` ${baseline}`, { dim: true }));
  if (bucketSeconds > 1) tail.push(seg(`   ${fmtDuration(bucketSeconds * 1000)} per point`, { dim: true }));
  const full: Segment[] = [seg(c.title, { bold: true })];
  for (const s of c.series) {
    full.push(seg('  '), seg('──', { color: s.color }), seg(` ${s.label}${s.now !== undefined ? ` ${s.now}` : ''}`));
    if (s.recent !== null) full.push(seg(` (${recent}) ${s.recent}`));
    if (s.run !== null) full.push(seg(` · (run) ${s.run}`, { dim: true }));
  }
  if (lineWidth(full) + lineWidth(tail) <= width) return [...full, ...tail];
  const windows = c.series.some((s) => s.recent !== null) ? (c.series.some((s) => s.run !== null) ? `, ${recent} · run:` : `, ${recent}:`) : '';
  const compact: Segment[] = [seg(c.title, { bold: true }), seg(windows, { dim: true })];
  for (const s of c.series) {
    compact.push(seg('  '), seg('──', { color: s.color }), seg(` ${s.label}${s.now !== undefined ? ` ${s.now}` : ''}`));
    if (s.recent !== null) compact.push(seg(` ${s.recent}`));
    if (s.run !== null) compact.push(seg(` · ${s.run}`, { dim: true }));
  }
  return [...compact, ...tail];
}

export function Charts({ history, width, height, sinceMs, total, thresholds = [], windowSec = 10, baseline }: ChartsProps) {
  const theme = useTheme();
  const cols = dataColumns(width);
  const data = chartSeries(history, { sinceMs, maxPoints: cols, lastSeconds: LIVE_SPAN_SECONDS });
  if (data.t.length === 0) {
    return <Line segments={[seg('Collecting history: the charts start after the first second of traffic…', { dim: true })]} width={width} />;
  }
  const { from, to } = timeRange(data);
  const points = cols + 1;
  const fill = (values: readonly (number | null)[]): number[] => resample(data.t, values, from, to, points);
  const base = baseline === undefined ? null : chartSeries(baseline.history, { sinceMs: baseline.sinceMs, maxPoints: cols });
  // The baseline is drawn only where it has data: its run may be shorter.
  const fillBase = (pick: (s: ChartSeries) => readonly (number | null)[]): number[] | null => {
    if (base === null || base.t.length === 0) return null;
    const end = base.t[base.t.length - 1]!;
    const values = resample(base.t, pick(base), from, to, points);
    return values.map((v, c) => (from + ((to - from) * c) / cols <= end ? v : Number.NaN));
  };

  const last = history[history.length - 1]!;
  const recent = `last ${fmtDuration(windowSec * 1000)}`;
  const markers = chartMarkers(thresholds);
  const marks = (panel: ChartPanel) => markers.filter((m) => m.panel === panel);
  const runPct = (i: number) => (total !== undefined && total.requests > 0 ? fmtMs(total.percentilesMs[i] ?? 0) : null);
  const windowPct = (i: number) => (last.windowRequests > 0 ? fmtMs(last.percentilesMs[i] ?? 0) : 'none');

  const charts: ChartSpec[] = [
    {
      panel: 'throughput',
      title: 'Requests per second',
      series: [
        { label: 'RPS', values: fill(data.rps), color: 'green', recent: fmtRate(last.rps), run: total !== undefined ? fmtRate(total.rps) : null },
        { label: 'Failures/s', values: fill(data.failuresPerSec), color: 'red', recent: fmtRate(last.failuresPerSec), run: total !== undefined ? fmtRate(total.failuresPerSec) : null },
      ],
      baseline: fillBase((s) => s.rps),
      markers: marks('throughput'),
      axis: fmtAxis,
    },
  ];
  if (marks('failures').length > 0) {
    charts.push({
      panel: 'failures',
      title: 'Failure rate',
      series: [
        {
          label: 'Failed',
          values: fill(data.failRatio.map((v) => (v === null ? null : v * 100))),
          color: 'red',
          recent: last.rps > 0 ? fmtPercent(last.failuresPerSec / last.rps) : 'none',
          run: total !== undefined && total.requests > 0 ? fmtPercent(total.failures / total.requests) : null,
        },
      ],
      baseline: fillBase((s) => s.failRatio.map((v) => (v === null ? null : v * 100))),
      markers: marks('failures'),
      axis: (v) => `${fmtAxis(v)}%`,
    });
  }
  charts.push({
    panel: 'median',
    title: 'Median (ms)',
    series: [{ label: 'p50', values: fill(data.p50Ms), color: 'yellow', recent: windowPct(P50_INDEX), run: runPct(P50_INDEX) }],
    baseline: fillBase((s) => s.p50Ms),
    markers: marks('median'),
    axis: fmtAxis,
  });
  // The tail chart: p95, and each other percentile a threshold is set on (p99 < 1s draws p99).
  const tail = marks('tail');
  const extra = [...new Set(tail.map((m) => percentileIndexOf(m.metric)).filter((i): i is number => i !== null && i !== P95_INDEX))].sort((a, b) => a - b);
  charts.push({
    panel: 'tail',
    title: '95th percentile (ms)',
    series: [
      { label: 'p95', values: fill(data.p95Ms), color: 'magenta', recent: windowPct(P95_INDEX), run: runPct(P95_INDEX) },
      ...extra.map(
        (i): PlotSeries => ({
          label: i === data.percentilesMs.length - 1 ? 'max' : tail.find((m) => percentileIndexOf(m.metric) === i)!.metric,
          values: fill(data.percentilesMs[i] ?? []),
          color: 'blue',
          recent: windowPct(i),
          run: runPct(i),
        }),
      ),
    ],
    baseline: fillBase((s) => s.p95Ms),
    markers: tail,
    axis: fmtAxis,
  });
  charts.push({
    panel: 'users',
    title: 'Number of users',
    series: [{ label: 'Users', values: fill(data.users), color: 'cyan', recent: null, run: null, now: String(last.userCount) }],
    baseline: null,
    markers: [],
    axis: (v) => String(Math.round(v)),
    integer: true,
  });

  // One line for the time axis under the charts.
  const rowsPerChart = plotRows(height - 1, charts.length);
  if (rowsPerChart.length === 0) return <Line segments={[seg('Enlarge the terminal to see the charts.', { dim: true })]} width={width} />;
  const colored = (char: string, color: BasicColor): string => (theme.color ? `${ANSI[color]}${char}${asciichart.reset}` : char);

  return (
    <Box flexDirection="column">
      {charts.slice(0, rowsPerChart.length).map((c, i) => {
        const rows = rowsPerChart[i] ?? 2;
        const dataMax = Math.max(0, ...c.series.flatMap((s) => s.values), ...(c.baseline ?? []).filter(Number.isFinite));
        const title = titleLine(c, recent, dataMax, baseline?.label ?? null, i === 0 ? data.bucketSeconds : 1, width);
        const axis = niceScale(
          axisReach(
            dataMax,
            c.markers.map((m) => m.value),
          ),
          rows - 1,
          { floor: 1, integer: c.integer ?? false },
        );
        const plot = asciichart.plot(
          c.series.map((s) => [...s.values]),
          {
            height: axis.intervals,
            min: 0,
            max: axis.top,
            offset: 3,
            format: (v: number) => fit(c.axis(Math.round(v * 1e6) / 1e6), LABEL_WIDTH, 'right'),
            colors: c.series.map((s) => (theme.color ? ANSI[s.color] : undefined)),
          },
        );
        const cells = plot.split('\n').map((line) => {
          const row = line.match(CELL) ?? [];
          row.pop(); // asciichart's blank last column
          return row;
        });
        const rowOf = (v: number): number | null => (Number.isFinite(v) && v >= 0 && v <= axis.top * (1 + 1e-9) ? axis.intervals - Math.round((v * axis.intervals) / axis.top) : null);
        for (const m of c.markers) {
          if (!markerOnScale(dataMax, m.value)) continue;
          const r = rowOf(m.value);
          overlay(cells, () => r, cols, colored(MARKER_CHAR, MARKER_COLOR));
        }
        const line = c.baseline;
        if (line !== null) overlay(cells, (col) => rowOf(line[col] ?? Number.NaN), cols, colored(BASELINE_CHAR, BASELINE_COLOR));
        // Rows the tighter axis left over become space under the chart, so the layout stays put.
        const padding = Math.max(0, rows - 1 - axis.intervals);
        return (
          <Box key={c.panel} flexDirection="column">
            <Line segments={title} width={width} />
            {cells.map((row, j) => {
              const text = row.join('');
              return <RawLine key={j} text={compactAnsi(text)} width={textWidth(stripSgr(text))} />;
            })}
            {Array.from({ length: padding }, (_, j) => (
              <RawLine key={`pad${j}`} text="" width={1} />
            ))}
          </Box>
        );
      })}
      <Line segments={[seg(timeAxisLine(from, to, width), { dim: true })]} width={width} />
    </Box>
  );
}
