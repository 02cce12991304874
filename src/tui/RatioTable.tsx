/**
 * Tab 6, Ratio: each user class and its tasks with the configured share (from weights) next to the
 * actual one (live users per class; task iterations started per task) — Locust's ratio view.
 */
import { Box } from 'ink';
import type { ClassStatus } from '../engine/types.js';
import { type Column, layoutTable } from './columns.js';
import { NO_VALUE, fmtCountShort, fmtPercent } from '../stats/format.js';
import { oneLine } from './format.js';
import { Line, seg } from './Line.js';
import { Table } from './Table.js';

export interface RatioRow {
  readonly kind: 'class' | 'task';
  readonly name: string;
  /** Fractions of 1. */
  readonly configured: number;
  readonly actual: number | null;
  readonly detail: string;
}

/** Flattens the classes into display rows: each class, then its tasks indented. */
export function ratioRows(classes: readonly ClassStatus[]): RatioRow[] {
  const totalUsers = classes.reduce((s, c) => s + c.users, 0);
  const rows: RatioRow[] = [];
  for (const c of classes) {
    rows.push({
      kind: 'class',
      name: oneLine(c.name),
      configured: c.weightShare,
      actual: totalUsers > 0 ? c.users / totalUsers : null,
      detail: `${c.users}/${c.targetUsers} users`,
    });
    const weightSum = c.taskWeights.reduce((s, w) => s + w, 0);
    const runSum = c.taskRuns.reduce((s, r) => s + r, 0);
    c.taskNames.forEach((name, i) => {
      const runs = c.taskRuns[i] ?? 0;
      rows.push({
        kind: 'task',
        name: `  ${oneLine(name)}`,
        configured: weightSum > 0 ? (c.taskWeights[i] ?? 0) / weightSum : 0,
        actual: runSum > 0 ? runs / runSum : null,
        detail: `${fmtCountShort(runs)} runs`,
      });
    });
  }
  return rows;
}

const pct = (f: number | null): string => (f === null ? NO_VALUE : fmtPercent(f));
const BAR = 20;
const bar = (f: number | null): string => {
  const n = f === null ? 0 : Math.round(Math.max(0, Math.min(1, f)) * BAR);
  return '█'.repeat(n) + '░'.repeat(BAR - n);
};

const COLUMNS: readonly Column<RatioRow>[] = [
  { key: 'name', header: 'Class / task', width: 14, maxWidth: 50, flex: true, align: 'left', priority: 0, cell: (r) => r.name },
  { key: 'configured', header: 'Configured', short: 'Conf', width: 6, align: 'right', priority: 100, cell: (r) => pct(r.configured) },
  { key: 'actual', header: 'Actual', width: 6, align: 'right', priority: 90, cell: (r) => pct(r.actual) },
  { key: 'detail', header: 'Users / runs', short: 'Count', width: 8, align: 'right', priority: 80, cell: (r) => r.detail },
  { key: 'bar', header: 'Actual share', width: BAR, align: 'left', priority: 10, cell: (r) => bar(r.actual), color: (r) => (r.kind === 'class' ? 'cyan' : 'blue') },
];

export interface RatioTableProps {
  readonly classes: readonly ClassStatus[];
  readonly width: number;
  readonly height: number;
}

export function RatioTable(p: RatioTableProps) {
  const rows = ratioRows(p.classes);
  if (rows.length === 0) return <Line segments={[seg('No user classes yet.', { dim: true })]} width={p.width} />;
  const layout = layoutTable(COLUMNS, rows, p.width);
  const fit = Math.max(1, p.height - 2);
  const shown = rows.slice(0, fit);
  const more = rows.length - shown.length;
  return (
    <Box flexDirection="column">
      <Table layout={layout} rows={shown} selected={-1} width={p.width} />
      <Line
        segments={[seg(more > 0 ? `… ${more} more rows (enlarge the terminal)` : 'configured from weights; actual = live users per class, iterations per task', { dim: true })]}
        width={p.width}
      />
    </Box>
  );
}
