/**
 * Tab 2, Charts: Locust's three charts drawn by asciichart — total requests/s and failures/s,
 * median and 95th percentile response time, number of users — stacked and sized to the space given.
 * Each series has its own basic ANSI colour unless colour is off.
 */
import * as asciichart from 'asciichart';
import { Box } from 'ink';
import type { HistoryRow } from '../stats/types.js';
import { chartSeries, fitAxis } from './chart-data.js';
import { fmtDuration, fmtMs, fmtNumber } from '../stats/format.js';
import { compactAnsi, fit, stripSgr, textWidth } from './format.js';
import { Line, RawLine, type Segment, seg } from './Line.js';
import { type BasicColor, useTheme } from './theme.js';

export interface ChartsProps {
  readonly history: readonly HistoryRow[];
  readonly width: number;
  /** Lines available for the whole tab. */
  readonly height: number;
}

/** Width of the y-axis labels. */
const LABEL_WIDTH = 7;
/** asciichart draws label, axis, then one column per point and a blank one. */
const PLOT_OVERHEAD = LABEL_WIDTH + 2;

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

interface ChartSpec {
  readonly title: string;
  readonly series: readonly { readonly label: string; readonly values: number[]; readonly color: BasicColor; readonly fmt: (v: number) => string }[];
  readonly axis: (v: number) => string;
  /** Whole-number axis (users). */
  readonly integer?: boolean;
}

/** Axis labels: whole numbers from 10 up, so labels stay short and steady. */
const fmtAxis = (v: number): string => (v >= 10 || Number.isInteger(v) ? String(Math.round(v)) : fmtNumber(v));

/**
 * Plot rows for each chart shown in `height` lines: each chart takes a title line and at least two
 * plot rows; as many of the three as fit are shown, spare lines go to the first ones.
 */
export function plotRows(height: number): number[] {
  const count = Math.min(3, Math.floor(height / 3));
  if (count === 0) return [];
  const base = Math.floor((height - count) / count);
  const spare = height - count - base * count;
  return Array.from({ length: count }, (_, i) => base + (i < spare ? 1 : 0));
}

export function Charts({ history, width, height }: ChartsProps) {
  const theme = useTheme();
  const points = Math.max(2, width - PLOT_OVERHEAD);
  if (history.length < 2) {
    return <Line segments={[seg('Collecting history: the charts start after two seconds of traffic…', { dim: true })]} width={width} />;
  }
  const rowsPerChart = plotRows(height);
  if (rowsPerChart.length === 0) return <Line segments={[seg('Enlarge the terminal to see the charts.', { dim: true })]} width={width} />;
  const data = chartSeries(history, points);
  const span = `last ${fmtDuration(data.spanSeconds * 1000)}${data.bucketSeconds > 1 ? `, ${data.bucketSeconds} s per point` : ''}`;
  const charts: ChartSpec[] = [
    {
      title: 'Total requests per second',
      series: [
        { label: 'RPS', values: data.rps, color: 'green', fmt: fmtNumber },
        { label: 'Failures/s', values: data.failuresPerSec, color: 'red', fmt: fmtNumber },
      ],
      axis: fmtAxis,
    },
    {
      title: 'Response times (ms)',
      series: [
        { label: 'Median', values: data.p50, color: 'yellow', fmt: fmtMs },
        { label: '95th percentile', values: data.p95, color: 'magenta', fmt: fmtMs },
      ],
      axis: (v) => (Number.isInteger(v) && v < 100_000 ? String(v) : fmtNumber(v)),
    },
    {
      title: 'Number of users',
      series: [{ label: 'Users', values: data.users, color: 'cyan', fmt: (v) => String(Math.round(v)) }],
      axis: (v) => String(Math.round(v)),
      integer: true,
    },
  ];
  return (
    <Box flexDirection="column">
      {charts.slice(0, rowsPerChart.length).map((c, i) => {
        const rows = rowsPerChart[i] ?? 2;
        const title: Segment[] = [seg(c.title, { bold: true })];
        for (const s of c.series) {
          title.push(seg('  '), seg('──', { color: s.color }), seg(` ${s.label} ${s.fmt(s.values[s.values.length - 1] ?? 0)}`));
        }
        if (i === 0) title.push(seg(`   ${span}`, { dim: true }));
        const axis = fitAxis(Math.max(0, ...c.series.flatMap((s) => s.values)), rows - 1, 1, c.integer ?? false);
        const plot = asciichart.plot(
          c.series.map((s) => s.values),
          {
            height: axis.intervals,
            min: 0,
            max: axis.max,
            offset: 3,
            format: (v: number) => fit(c.axis(Math.round(v * 1e6) / 1e6), LABEL_WIDTH, 'right'),
            colors: c.series.map((s) => (theme.color ? ANSI[s.color] : undefined)),
          },
        );
        // Rows the tighter axis left over become space under the chart, so the layout stays put.
        const padding = Math.max(0, rows - 1 - axis.intervals);
        return (
          <Box key={c.title} flexDirection="column">
            <Line segments={title} width={width} />
            {plot.split('\n').map((line, j) => (
              <RawLine key={j} text={compactAnsi(line)} width={textWidth(stripSgr(line))} />
            ))}
            {Array.from({ length: padding }, (_, j) => (
              <RawLine key={`pad${j}`} text="" width={1} />
            ))}
          </Box>
        );
      })}
    </Box>
  );
}
