/**
 * Tab 1, Statistics: Locust's columns, one row per endpoint in the chosen sort order, Aggregated
 * pinned last, a selected row, scrolling when endpoints outnumber the lines. When columns had to be
 * dropped for width, the line under the table shows them for the selected row.
 */
import { Box } from 'ink';
import { latencySamples, type EndpointStats } from '../stats/types.js';
import { type Column, layoutTable } from './columns.js';
import { NO_VALUE, fmtBytes, fmtCountShort, fmtNumber } from '../stats/format.js';
import { oneLine } from './format.js';
import { Line, type Segment, seg } from './Line.js';
import { type ColumnSet, columnSetInfo, columnsOfSet } from './column-sets.js';
import { type SortKey, sortArrow, sortLabel } from './sorting.js';
import { Table } from './Table.js';

const ms = (v: (e: EndpointStats) => number) => (e: EndpointStats) => (latencySamples(e) > 0 ? fmtNumber(v(e)) : NO_VALUE);

export const STATS_COLUMNS: readonly Column<EndpointStats>[] = [
  // The method is part of the row's identity (GET and POST /api/cart are two rows).
  { key: 'type', header: 'Type', width: 4, align: 'left', priority: 200, cell: (e) => e.method },
  { key: 'name', header: 'Name', width: 16, maxWidth: 80, flex: true, align: 'left', priority: 0, cell: (e) => oneLine(e.name) },
  { key: 'requests', header: '# Requests', short: '# Reqs', width: 6, align: 'right', priority: 100, cell: (e) => fmtCountShort(e.requests) },
  {
    key: 'fails',
    header: '# Fails',
    width: 5,
    align: 'right',
    priority: 95,
    cell: (e) => fmtCountShort(e.failures),
    color: (e) => (e.failures > 0 ? 'red' : undefined),
  },
  { key: 'median', header: 'Median (ms)', short: 'Med', width: 5, align: 'right', priority: 90, cell: ms((e) => e.medianMs) },
  { key: 'p95', header: '95%ile (ms)', short: '95%', width: 5, align: 'right', priority: 85, cell: ms((e) => e.percentilesMs[5] ?? 0) },
  { key: 'p99', header: '99%ile (ms)', short: '99%', width: 5, align: 'right', priority: 70, cell: ms((e) => e.percentilesMs[7] ?? 0) },
  { key: 'avg', header: 'Average (ms)', short: 'Avg', width: 5, align: 'right', priority: 60, cell: ms((e) => e.avgMs) },
  { key: 'min', header: 'Min (ms)', short: 'Min', width: 4, align: 'right', priority: 30, cell: ms((e) => e.minMs) },
  { key: 'max', header: 'Max (ms)', short: 'Max', width: 5, align: 'right', priority: 40, cell: ms((e) => e.maxMs) },
  { key: 'size', header: 'Average size (bytes)', short: 'Size', width: 6, align: 'right', priority: 20, cell: (e) => fmtBytes(e.avgBytes) },
  { key: 'rps', header: 'Current RPS', short: 'RPS', width: 5, align: 'right', priority: 80, cell: (e) => fmtNumber(e.currentRps) },
  {
    key: 'fps',
    header: 'Current Failures/s',
    short: 'Fail/s',
    width: 6,
    align: 'right',
    priority: 65,
    cell: (e) => fmtNumber(e.currentFailuresPerSec),
    color: (e) => (e.currentFailuresPerSec > 0 ? 'red' : undefined),
  },
];

export interface StatsTableProps {
  /** Already sorted. */
  readonly endpoints: readonly EndpointStats[];
  readonly total: EndpointStats;
  /** Index into `endpoints`, `endpoints.length` for Aggregated, or -1. */
  readonly selected: number;
  /** First visible endpoint row. */
  readonly offset: number;
  readonly width: number;
  /** Lines available for the whole tab. */
  readonly height: number;
  readonly sortKey: SortKey;
  readonly sortReverse: boolean;
  /** The named column set (`c` / `C`); default `all`. */
  readonly columnSet?: ColumnSet;
  /** More columns after Locust's (the Δ columns against a baseline). */
  readonly extraColumns?: readonly Column<EndpointStats>[];
  /** Appended to the line under the table (the baseline's legend). */
  readonly note?: readonly Segment[];
}

/** Lines under the table: the sort/scroll line and, when there is room, the selected row's hidden columns. */
export function statsInfoLines(height: number): number {
  return height >= 8 ? 2 : height >= 4 ? 1 : 0;
}

/** How many endpoint rows fit in `height` lines (header, Aggregated and info lines take the rest). */
export function statsVisibleRows(height: number): number {
  return Math.max(1, height - 2 - statsInfoLines(height));
}

export function StatsTable(p: StatsTableProps) {
  const visible = statsVisibleRows(p.height);
  const rows = p.endpoints.slice(p.offset, p.offset + visible);
  // Widths from every row, not just the visible ones, so columns do not shift while scrolling.
  const all = [...p.endpoints, p.total];
  const columns = columnsOfSet(p.columnSet ?? 'all', p.extraColumns === undefined ? STATS_COLUMNS : [...STATS_COLUMNS, ...p.extraColumns], all);
  const layout = layoutTable(columns, all, p.width);
  const info: Segment[][] = [];
  const infoLines = statsInfoLines(p.height);
  if (infoLines >= 1) {
    const n = p.endpoints.length;
    const range = n === 0 ? 'waiting for the first requests…' : n > visible ? `rows ${p.offset + 1}–${p.offset + rows.length} of ${n}` : `${n} endpoint${n === 1 ? '' : 's'}`;
    info.push([seg('sort ', { dim: true }), seg(sortLabel(p.sortKey, p.sortReverse), { bold: true }), seg(' (o/O)  ', { dim: true }), ...columnSetInfo(p.columnSet ?? 'all'), seg(range, { dim: true }), ...(p.note ?? [])]);
  }
  const chosen = p.selected === p.endpoints.length ? p.total : p.endpoints[p.selected];
  if (infoLines >= 2 && chosen !== undefined && layout.dropped.length > 0) {
    const hidden = columns.filter((c) => layout.dropped.includes(c.key));
    // Aggregated has no method: its name starts the line, as the table's own row lines up.
    const parts: Segment[] = [seg(chosen.method === '' ? oneLine(chosen.name) : `${chosen.method} ${oneLine(chosen.name)}`, { bold: true })];
    for (const c of hidden) parts.push(seg(`  ${c.short ?? c.header} `, { dim: true }), seg(c.cell(chosen)));
    info.push(parts);
  }
  return (
    <Box flexDirection="column">
      <Table layout={layout} rows={rows} selected={p.selected - p.offset} pinned={p.total} width={p.width} highlight={p.sortKey} arrow={sortArrow(p.sortKey, p.sortReverse)} />
      {info.map((segments, i) => (
        <Line key={i} segments={segments} width={p.width} />
      ))}
    </Box>
  );
}
