/**
 * The target's series in the headless console, under Locust's table every 2 s and in the final
 * summary: component, metric, latest value, min, max, average, and what is wrong when the latest
 * sample failed. Pure.
 */
import type { MonitorSummary } from '../run/monitors/types.js';
import { fmtInUnit } from '../stats/format.js';
import type { ThresholdResult } from '../stats/thresholds.js';
import { formatTarget } from '../stats/thresholds.js';
import { keptColumns } from '../stats/column-fit.js';

/** The table, or '' without monitors. `thresholds`: the run's, for a ✓/✗ after each series' targets. */
export function formatMonitorTable(monitors: readonly MonitorSummary[], thresholds: readonly ThresholdResult[] = [], width = 120): string {
  if (monitors.length === 0) return '';
  const head = ['Target', 'Metric', 'Now', 'Min', 'Max', 'Avg', 'Thresholds'];
  const rows = monitors.map((m) => {
    const f = (v: number | null): string => fmtInUnit(v, m.unit);
    const own = thresholds.filter((r) => r.threshold.monitor?.id === m.id);
    const marks = own.map((r) => `${r.passed === null ? '?' : r.passed ? '✓' : '✗'} ${r.threshold.monitor!.stat} ${formatTarget(r.threshold)}`).join(', ');
    const now = m.last !== null ? f(m.last) : m.failing !== null ? `gap: ${m.failing}` : '—';
    return [m.component, m.name, now, f(m.min), f(m.max), f(m.avg), marks];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => [...r[i]!].length)));
  // Too wide: whole columns go (Target, then Min, Avg, Max) rather than a value being cut; the
  // thresholds stay last. A long gap reason in Now is still cut at the edge.
  const kept = [...keptColumns(widths.slice(0, 6), 2, Math.max(40, width), [0, 3, 5, 4], 2 + widths[6]!), 6];
  const line = (cells: readonly string[]): string =>
    kept
      .map((i) => {
        const c = cells[i]!;
        return i >= 2 && i <= 5 && !c.startsWith('gap: ') ? c.padStart(widths[i]!) : c.padEnd(widths[i]!);
      })
      .join('  ')
      .trimEnd()
      .slice(0, Math.max(40, width));
  return [line(head), ...rows.map(line)].join('\n');
}
