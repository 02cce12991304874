/**
 * Tab 4, Failures: one row per (method, name, error) with its occurrences and when it was first and
 * last seen (relative to the snapshot), most frequent first — Locust's failures table.
 */
import { Box } from 'ink';
import type { FailureEntry } from '../stats/types.js';
import { type Column, layoutTable } from './columns.js';
import { fmtAgo, fmtCountShort } from '../stats/format.js';
import { oneLine, truncate } from './format.js';
import { Line, seg } from './Line.js';
import { Table } from './Table.js';

export function failureColumns(nowMs: number): Column<FailureEntry>[] {
  return [
    { key: 'occurrences', header: '# Occurrences', short: '#', width: 4, align: 'right', priority: 100, cell: (f) => fmtCountShort(f.occurrences), color: () => 'red' },
    { key: 'method', header: 'Method', width: 4, align: 'left', priority: 50, cell: (f) => f.method },
    { key: 'name', header: 'Name', width: 12, align: 'left', priority: 90, cell: (f) => oneLine(f.name) },
    { key: 'error', header: 'Message', width: 16, flex: true, maxWidth: 120, align: 'left', priority: 0, cell: (f) => oneLine(f.error) },
    { key: 'first', header: 'First seen', short: 'First', width: 6, align: 'right', priority: 30, cell: (f) => fmtAgo(f.firstSeen, nowMs) },
    { key: 'last', header: 'Last seen', short: 'Last', width: 6, align: 'right', priority: 40, cell: (f) => fmtAgo(f.lastSeen, nowMs) },
  ];
}

export interface FailuresTableProps {
  readonly failures: readonly FailureEntry[];
  /** The snapshot's time: "seen" columns are relative to it. */
  readonly nowMs: number;
  readonly selected: number;
  readonly offset: number;
  readonly width: number;
  readonly height: number;
}

/** Rows that fit: the header, the summary line and the selected failure's full message take the rest. */
export function failuresVisibleRows(height: number): number {
  return Math.max(1, height - 3);
}

export function FailuresTable(p: FailuresTableProps) {
  if (p.failures.length === 0) return <Line segments={[seg('No failures so far.', { color: 'green' })]} width={p.width} />;
  const visible = failuresVisibleRows(p.height);
  const columns = failureColumns(p.nowMs);
  // The name column is capped so the message keeps most of the room.
  const capped = columns.map((c) => (c.key === 'name' ? { ...c, cell: (f: FailureEntry) => truncateName(oneLine(f.name), p.width) } : c));
  const layout = layoutTable(capped, p.failures, p.width);
  const rows = p.failures.slice(p.offset, p.offset + visible);
  const n = p.failures.length;
  const total = p.failures.reduce((s, f) => s + f.occurrences, 0);
  const chosen = p.failures[p.selected];
  return (
    <Box flexDirection="column">
      <Table layout={layout} rows={rows} selected={p.selected - p.offset} width={p.width} />
      <Line
        segments={[
          seg(`${n} kind${n === 1 ? '' : 's'} of failure, ${fmtCountShort(total)} occurrences`, { dim: true }),
          seg(n > visible ? ` · rows ${p.offset + 1}–${p.offset + rows.length} of ${n}` : '', { dim: true }),
        ]}
        width={p.width}
      />
      {chosen !== undefined && (
        <Line
          segments={[seg(`${chosen.method} ${oneLine(chosen.name)}: `, { bold: true }), seg(oneLine(chosen.error), { color: 'red' })]}
          width={p.width}
        />
      )}
    </Box>
  );
}

function truncateName(name: string, width: number): string {
  return truncate(name, Math.max(12, Math.floor(width / 4)));
}
