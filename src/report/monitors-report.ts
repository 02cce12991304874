/**
 * The target's health in the reports: the seeds' "System metrics" table (Component | Metric |
 * Target | Avg | Peak | Final | Status, with thresholds on monitors as targets), the "Memory leak
 * detection" table, and a chart per series for report.html. Pure.
 */
import type { MonitorSummary } from '../run/monitors/types.js';
import type { ThresholdResult } from '../stats/thresholds.js';
import { formatTarget } from '../stats/thresholds.js';
import { escapeHtml } from './html-escape.js';
import { NO_VALUE, fmtCount, fmtDuration, fmtInUnit, fmtNumber } from '../stats/format.js';
import type { Cell, Inline, Table } from './report-model.js';
import { legend, lineChart } from './svg-chart.js';

/** Component | Metric | Target | Avg | Peak | Final | Status, a row per series. */
export function systemMetricsTable(monitors: readonly MonitorSummary[], thresholds: readonly ThresholdResult[]): Table {
  return {
    head: ['Component', 'Metric', 'Target', 'Avg', 'Peak', 'Final', 'Status'],
    align: ['l', 'l', 'l', 'r', 'r', 'r', 'l'],
    rows: monitors.map((m): Cell[] => {
      const own = thresholds.filter((r) => r.threshold.monitor?.id === m.id);
      const f = (v: number | null): string => fmtInUnit(v, m.unit);
      const target: Inline[] = [];
      own.forEach((r, i) => target.push(...(i > 0 ? [', '] : []), `${statWord(r)} ${formatTarget(r.threshold)}`));
      const metric: Inline[] = [m.name];
      if (m.name !== m.id) metric.push(' ', { code: m.id });
      if (m.gaps > 0) metric.push(` (${fmtCount(m.gaps)} ${m.gaps === 1 ? 'gap' : 'gaps'}${m.failing !== null ? `; last: ${m.failing}` : ''})`);
      return [m.component, metric, target.length > 0 ? target : '—', f(m.avg), f(m.max), f(m.final), status(m, own)];
    }),
  };
}

function statWord(r: ThresholdResult): string {
  const stat = r.threshold.monitor?.stat ?? '';
  return stat === 'last' ? 'final' : stat;
}

function status(m: MonitorSummary, own: readonly ThresholdResult[]): Cell {
  if (own.length > 0) {
    if (own.some((r) => r.passed === false)) return { status: 'fail', text: 'Fail' };
    if (own.some((r) => r.passed === null)) return { status: 'pending', text: 'No data' };
    return { status: 'pass', text: 'Pass' };
  }
  if (m.samples === 0) return { status: 'pending', text: 'No data' };
  return 'no target';
}

/** The verdict in words: `no growth`, `growth that levels off`, `suspected leak: +12 MB/h`. */
export function leakText(m: MonitorSummary): string {
  const l = m.leak;
  if (l === null) return '';
  switch (l.verdict) {
    case 'no growth':
      return 'no growth';
    case 'levels off':
      return 'growth that levels off';
    case 'suspected leak':
      return `suspected leak: +${fmtInUnit(l.slopePerHour, m.unit)}/h`;
    case 'not enough data':
      return 'not enough data for a verdict';
  }
}

/** Component | Metric | Initial | Peak | Final | Growth | Slope | R² | Verdict, a row per memory-like series; null when none. */
export function leakTable(monitors: readonly MonitorSummary[]): Table | null {
  const rows = monitors.filter((m) => m.leak !== null);
  if (rows.length === 0) return null;
  return {
    head: ['Component', 'Metric', 'Initial', 'Peak', 'Final', 'Growth', 'Slope', 'R²', 'Verdict'],
    align: ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'l'],
    rows: rows.map((m): Cell[] => {
      const l = m.leak!;
      const f = (v: number): string => fmtInUnit(v, m.unit);
      const signed = (v: number): string => `${v >= 0 ? '+' : ''}${f(v)}`;
      const fit = l.verdict !== 'not enough data';
      const verdict: Inline =
        l.verdict === 'suspected leak' ? { status: 'fail', text: leakText(m) } : l.verdict === 'no growth' ? { status: 'pass', text: leakText(m) } : { status: 'pending', text: leakText(m) };
      return [
        m.component,
        m.name,
        f(l.initial),
        f(l.peak),
        f(l.final),
        fit ? `${signed(l.growth)} over ${fmtDuration(l.steadySeconds * 1000)}` : '—',
        fit ? `${signed(l.slopePerHour)}/h` : '—',
        fit ? fmtNumber(l.r2) : NO_VALUE,
        verdict,
      ];
    }),
  };
}

/** How the verdict is reached, for under the table. */
export const LEAK_METHOD =
  'Initial is after a warm-up (the first 10% of the run, at most 5 minutes, or the monitor’s warmup:); the slope is a least-squares line through the samples after it, R² how well a line fits. ' +
  'Growth under 5% of the initial value (or R² under 0.3) is no growth; growth whose last third is flat levels off; otherwise it is a suspected leak.';

/** The load charts' colours, reused. */
const CHART_CLASSES = ['c-rps', 'c-p95', 'c-users', 'c-p50'] as const;

/** report.html: a chart per series (gaps are breaks in the line), x in seconds from `startedAtMs`. */
export function monitorChartsHtml(monitors: readonly MonitorSummary[], startedAtMs: number): string {
  return monitors
    .map((m, i) => {
      const x = m.history.map(([t]) => t - startedAtMs / 1000);
      const series = [{ name: m.name, key: m.id, cls: CHART_CLASSES[i % CHART_CLASSES.length]!, values: m.history.map(([, v]) => v) }];
      const title = `${m.component} · ${m.name}`;
      const caption = `${m.source}. Avg ${fmtInUnit(m.avg, m.unit)}, peak ${fmtInUnit(m.max, m.unit)}${m.gaps > 0 ? `, ${m.gaps} gaps (breaks in the line)` : ''}.`;
      const chart = m.history.length === 0 ? '<p class="empty">No samples.</p>' : lineChart({ title, x, series, yLabel: (v) => fmtInUnit(v, m.unit), height: 160 });
      return `<figure id="monitor-${escapeHtml(m.id)}"><figcaption><strong>${escapeHtml(title)}</strong> ${legend(series)}<span class="cap">${escapeHtml(caption)}</span></figcaption>${chart}</figure>`;
    })
    .join('\n');
}
