/**
 * Tab 9, Logs: every warning and notice of the run with when it happened — on the run clock (as the
 * charts and history count time) and on the wall clock — newest last, as Locust's Logs tab lists
 * them. The list follows the newest entry until a row is selected; the selected entry's whole text
 * is shown below the list, wrapped.
 */
import { Box } from 'ink';
import type { LogEntry } from '../run/run-log.js';
import { type Column, layoutTable } from './columns.js';
import { fmtElapsed } from '../stats/format.js';
import { oneLine, wrap } from './format.js';
import { Line, Paragraph, seg } from './Line.js';
import { Table } from './Table.js';

export interface LogsTabProps {
  readonly entries: readonly LogEntry[];
  /** The selected entry; null follows the newest. */
  readonly selected: number | null;
  readonly offset: number;
  readonly width: number;
  readonly height: number;
}

/** Lines under the list for the selected entry's whole text. */
const DETAIL_LINES = 3;

/** Rows that fit: the header, the summary line and the detail lines take the rest. */
export function logsVisibleRows(height: number): number {
  return Math.max(1, height - 2 - DETAIL_LINES);
}

/** The row shown selected: the chosen one, else the newest. */
export function selectedLog(selected: number | null, count: number): number {
  return count === 0 ? -1 : selected === null ? count - 1 : Math.max(0, Math.min(count - 1, selected));
}

/** Wall-clock time of day, local, `14:03:07`. */
export function clockTime(atMs: number): string {
  const d = new Date(atMs);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}

const COLUMNS: readonly Column<LogEntry>[] = [
  { key: 'elapsed', header: 'Run time', short: 'Run', width: 5, align: 'right', priority: 80, cell: (e) => fmtElapsed(e.elapsedMs) },
  { key: 'time', header: 'Time', width: 8, align: 'left', priority: 70, cell: (e) => clockTime(e.at) },
  { key: 'level', header: 'Level', width: 7, align: 'left', priority: 90, cell: (e) => e.level, color: (e) => (e.level === 'warning' ? 'yellow' : 'cyan') },
  { key: 'text', header: 'Message', width: 16, flex: true, align: 'left', priority: 0, cell: (e) => oneLine(e.text) },
];

export function LogsTab(p: LogsTabProps) {
  const n = p.entries.length;
  if (n === 0) return <Paragraph text="Nothing logged yet: warnings and notices (start, ramps, pauses, stops, exports) appear here." width={p.width} style={{ dim: true }} />;
  const visible = logsVisibleRows(p.height);
  const chosen = selectedLog(p.selected, n);
  const rows = p.entries.slice(p.offset, p.offset + visible);
  const layout = layoutTable(COLUMNS, rows, p.width);
  const warnings = p.entries.reduce((c, e) => c + (e.level === 'warning' ? 1 : 0), 0);
  const entry = p.entries[chosen];
  const detail = entry === undefined ? [] : wrap(`${fmtElapsed(entry.elapsedMs)} ${clockTime(entry.at)} ${entry.level}: ${oneLine(entry.text)}`, p.width, DETAIL_LINES);
  return (
    <Box flexDirection="column">
      <Table layout={layout} rows={rows} selected={chosen - p.offset} width={p.width} />
      <Line
        segments={[
          seg(`${n} entr${n === 1 ? 'y' : 'ies'}, ${warnings} warning${warnings === 1 ? '' : 's'}`, { dim: true }),
          seg(n > visible ? ` · rows ${p.offset + 1}–${p.offset + rows.length} of ${n}` : '', { dim: true }),
          seg(p.selected === null ? ' · following the newest' : ' · G follows the newest', { dim: true }),
        ]}
        width={p.width}
      />
      {detail.map((line, i) => (
        <Line key={i} segments={[seg(line, entry?.level === 'warning' ? { color: 'yellow' } : {})]} width={p.width} />
      ))}
    </Box>
  );
}
