/**
 * The Target tab: the target's own health beside the load (`monitors:` / `--monitor`). A table —
 * component, metric, latest value, min, max, average, the thresholds on the series ✓/✗ — then a
 * chart per series, as many as fit. A failed sample is a gap: the table says why, the chart marks
 * its column with ✗ under the plot (the line holds the last value across it; nothing is drawn as 0).
 */
import * as asciichart from 'asciichart';
import { Box } from 'ink';
import type { MonitorSummary } from '../run/monitors/types.js';
import { fmtInUnit } from '../stats/format.js';
import { niceScale } from '../stats/axis.js';
import { keptColumns } from '../stats/column-fit.js';
import { compactAnsi, fit, oneLine, stripSgr, textWidth } from './format.js';
import { Line, Paragraph, RawLine, type Segment, seg } from './Line.js';
import { type BasicColor, useTheme } from './theme.js';
import type { ThresholdView } from './types.js';

export interface TargetTabProps {
  readonly monitors: readonly MonitorSummary[];
  /** The run's thresholds; those with `monitor` set are shown on their series' row. */
  readonly thresholds: readonly ThresholdView[];
  readonly width: number;
  readonly height: number;
}

/** Axis labels are as wide as their widest text (`30%`, `199 MB`, `6 requests`), within these bounds. */
const LABEL_MIN = 7;
const LABEL_MAX = 14;
const COLORS: readonly BasicColor[] = ['green', 'cyan', 'yellow', 'magenta', 'blue'];
const ANSI: Partial<Record<BasicColor, string>> = {
  green: asciichart.green,
  cyan: asciichart.cyan,
  yellow: asciichart.yellow,
  magenta: asciichart.magenta,
  blue: asciichart.blue,
};

/**
 * Columns given up, in this order, when the table is wider than the terminal: the grouping first
 * (the metric's name still says what it is), then the least telling statistics. Metric and Now stay.
 */
const DROP_ORDER = [0, 3, 5, 4] as const;

/**
 * The table's lines: header and a row per series, within `width` columns: whole cells (a value is
 * never cut), the columns in `DROP_ORDER` left out until the row and its thresholds fit.
 */
export function targetRows(monitors: readonly MonitorSummary[], thresholds: readonly ThresholdView[], width = Infinity): Segment[][] {
  const head = ['Component', 'Metric', 'Now', 'Min', 'Max', 'Avg'];
  const cells = monitors.map((m) => {
    const f = (v: number | null): string => fmtInUnit(v, m.unit);
    return [m.component, m.name, m.last !== null ? f(m.last) : m.failing !== null ? 'gap' : '—', f(m.min), f(m.max), f(m.avg)].map(oneLine);
  });
  const marks = monitors.map((m) =>
    thresholds
      .filter((x) => x.monitor === m.id)
      .map((t) => ({ t, text: `  ${t.status === 'pass' ? '✓' : t.status === 'fail' ? '✗' : '?'} ${oneLine(t.source)}` })),
  );
  const anyMarks = marks.some((x) => x.length > 0);
  const marksWidth = Math.max(0, ...marks.map((x) => x.reduce((n, { text }) => n + textWidth(text), 0)), anyMarks ? textWidth('  Thresholds') : 0);
  const widths = head.map((h, i) => Math.min(i < 2 ? 24 : Infinity, Math.max(h.length, ...cells.map((r) => textWidth(r[i]!)))));
  const kept = keptColumns(widths, 2, width, DROP_ORDER, marksWidth);
  const line = (texts: readonly string[]): string => kept.map((i) => fit(texts[i]!, widths[i]!, i >= 2 ? 'right' : 'left')).join('  ');
  const lines: Segment[][] = [[seg(line(head), { bold: true }), ...(anyMarks ? [seg('  Thresholds', { bold: true })] : [])]];
  monitors.forEach((m, r) => {
    const row: Segment[] = [seg(line(cells[r]!), m.failing !== null ? { color: 'red' } : {})];
    for (const { t, text } of marks[r]!) {
      row.push(seg(text, { color: t.status === 'pass' ? 'green' : t.status === 'fail' ? 'red' : 'gray', bold: t.status === 'fail' }));
    }
    if (m.failing !== null) row.push(seg(`  ${oneLine(m.failing)}`, { color: 'red' }));
    lines.push(row);
  });
  return lines;
}

/** Plot rows per chart for `count` charts in `height` lines (a title line each, a gap-marker line, ≥ 2 plot rows), or fewer charts. */
export function chartLayout(count: number, height: number): number[] {
  const perChartMin = 4;
  const shown = Math.min(count, Math.floor(height / perChartMin));
  if (shown <= 0) return [];
  const rows = Math.min(8, Math.floor(height / shown) - 2);
  return Array.from({ length: shown }, () => rows);
}

export function TargetTab({ monitors, thresholds, width, height }: TargetTabProps) {
  const theme = useTheme();
  if (monitors.length === 0) {
    return (
      <Box flexDirection="column">
        <Line segments={[seg('No monitors of the target in this run.', { bold: true })]} width={width} />
        <Paragraph
          text='Add `monitors:` to the scenario (a Prometheus /metrics, a PromQL query or a local process) or pass --monitor ID=http://host:9100/metrics#METRIC; see scenarios/README.md, "Monitors".'
          width={width}
          style={{ dim: true }}
        />
      </Box>
    );
  }
  const table = targetRows(monitors, thresholds, width);
  const room = height - table.length - 1;
  let layout = chartLayout(monitors.length, room);
  if (layout.length < monitors.length) layout = chartLayout(monitors.length, room - 1);
  // One axis width for every chart, so their plots line up: as wide as the widest label shown (the
  // labels depend on the values plotted, which depend on the width left: measured at the narrowest).
  const labelWidth = Math.max(LABEL_MIN, ...layout.map((rows, i) => axisLabelWidth(plotSeries(monitors[i]!, width - LABEL_MIN - 2).values, rows, monitors[i]!.unit)));
  return (
    <Box flexDirection="column">
      {table.map((segments, i) => (
        <Line key={`t${i}`} segments={segments} width={width} />
      ))}
      <RawLine text="" width={1} />
      {layout.map((rows, i) => {
        const m = monitors[i]!;
        const color = COLORS[i % COLORS.length]!;
        const { values, gaps } = plotSeries(m, width - labelWidth - 2);
        const title: Segment[] = [seg(`${m.name}`, { bold: true }), seg(` ${fmtInUnit(m.last, m.unit)}`, { color }), seg(`  ${m.component} · ${m.source}`, { dim: true })];
        if (values.length < 2) {
          return (
            <Box key={m.id} flexDirection="column">
              <Line segments={title} width={width} />
              <Line segments={[seg(m.samples === 0 && m.gaps > 0 ? `no value yet: ${m.failing ?? 'gap'}` : 'collecting samples…', { dim: true })]} width={width} />
            </Box>
          );
        }
        const scale = plotScale(values, rows);
        const plot = asciichart.plot([values], {
          height: scale.intervals,
          min: scale.low,
          max: scale.high,
          offset: 2,
          format: (v: number) => fit(axisLabel(v, m.unit), labelWidth, 'right'),
          colors: [theme.color ? ANSI[color] : undefined],
        });
        const marks = gaps.some(Boolean) ? `${' '.repeat(labelWidth + 1)}${gaps.map((g) => (g ? '✗' : ' ')).join('')}` : '';
        return (
          <Box key={m.id} flexDirection="column">
            <Line segments={title} width={width} />
            {plot.split('\n').map((line, j) => (
              <RawLine key={j} text={compactAnsi(line)} width={textWidth(stripSgr(line))} />
            ))}
            {marks !== '' ? <Line segments={[seg(marks, { color: 'red' })]} width={width} /> : <RawLine text="" width={1} />}
          </Box>
        );
      })}
      {layout.length < monitors.length && (
        <Line segments={[seg(`${monitors.length - layout.length} more ${monitors.length - layout.length === 1 ? 'chart' : 'charts'}: enlarge the terminal`, { dim: true })]} width={width} />
      )}
    </Box>
  );
}

/** The last `points` samples of `m` for a chart: a gap holds the previous value, and is marked. */
function plotSeries(m: MonitorSummary, points: number): { values: number[]; gaps: boolean[] } {
  const recent = m.history.slice(-Math.max(2, points));
  // A gap holds the previous value on the line; the marker row below says where it was.
  let prev = 0;
  const first = recent.find(([, v]) => v !== null)?.[1];
  if (first !== undefined && first !== null) prev = first;
  return { values: recent.map(([, v]) => (v === null ? prev : (prev = v))), gaps: recent.map(([, v]) => v === null) };
}

/** The vertical scale of a chart of `rows` plot rows. */
function plotScale(values: readonly number[], rows: number): { low: number; high: number; intervals: number } {
  // From 0 when the values are near it; else around them, so a slow climb (memory) shows.
  const max = Math.max(...values);
  const min = Math.min(...values);
  const fromZero = min <= 0 || min < max - min;
  const low = fromZero ? 0 : min - (max - min) * 0.1;
  const axis = niceScale(max - low, rows - 1, { floor: max - low > 0 ? 0 : 1 });
  return { low, high: low + axis.top, intervals: axis.intervals };
}

const axisLabel = (v: number, unit: string): string => fmtInUnit(Math.round(v * 1e9) / 1e9, unit);

/** How wide the axis labels of this chart are, within LABEL_MIN..LABEL_MAX. */
function axisLabelWidth(values: readonly number[], rows: number, unit: string): number {
  if (values.length < 2) return LABEL_MIN;
  const { low, high, intervals } = plotScale(values, rows);
  let widest = 0;
  for (let i = 0; i <= intervals; i++) widest = Math.max(widest, textWidth(axisLabel(low + ((high - low) * i) / Math.max(1, intervals), unit)));
  return Math.min(LABEL_MAX, Math.max(LABEL_MIN, widest));
}
