/**
 * Named column sets of the Statistics tab, cycled with `c` / `C`: `all` is Locust's columns (the
 * least important dropped first when narrow); the others pick the columns for one question, so that
 * an 80-column terminal can show, say, every latency column at once; `codes` shows the responses by
 * status class and code (`C` from `all` goes straight there). A set lists column keys; a
 * column whose key no set names (added by another feature) shows in `all` only.
 */
import type { EndpointStats } from '../stats/types.js';
import type { Column } from './columns.js';
import { NO_VALUE, fmtPercentOf } from '../stats/format.js';
import { type Segment, seg } from './Line.js';
import { statusCodeColumns } from './StatusCodes.js';

export const COLUMN_SETS = ['all', 'latency', 'throughput', 'failures', 'codes'] as const;
export type ColumnSet = (typeof COLUMN_SETS)[number];

/** The keys each set shows, in Locust's column order (the table keeps the columns' own order). */
export const SET_KEYS: Record<Exclude<ColumnSet, 'all' | 'codes'>, readonly string[]> = {
  latency: ['type', 'name', 'requests', 'median', 'p95', 'p99', 'avg', 'min', 'max', 'delta-p50', 'delta-p95', 'delta-p99'],
  throughput: ['type', 'name', 'requests', 'size', 'rps', 'fps', 'delta-rps'],
  failures: ['type', 'name', 'requests', 'fails', 'failPct', 'rps', 'fps', 'delta-errorRate'],
};

/** Columns only the named sets show (not Locust's). */
export const EXTRA_COLUMNS: readonly Column<EndpointStats>[] = [
  {
    key: 'failPct',
    header: 'Fail %',
    width: 6,
    align: 'right',
    priority: 92,
    cell: (e) => (e.requests > 0 ? fmtPercentOf(e.failures, e.requests) : NO_VALUE),
    color: (e) => (e.failures > 0 ? 'red' : undefined),
  },
];

/** What every set keeps of `all`, first: the row's identity and its request count. */
const IDENTITY = ['type', 'name', 'requests'];

/**
 * The columns of `set`, from `all` (the full table, in order) and `EXTRA_COLUMNS` placed after
 * `# Fails`; `codes` adds a column per status class and code seen in `rows` (see `StatusCodes.ts`).
 */
export function columnsOfSet(set: ColumnSet, all: readonly Column<EndpointStats>[], rows: readonly EndpointStats[] = []): readonly Column<EndpointStats>[] {
  if (set === 'all') return all;
  if (set === 'codes') return [...all.filter((c) => IDENTITY.includes(c.key)), ...statusCodeColumns(rows)];
  const keys = SET_KEYS[set];
  const out: Column<EndpointStats>[] = [];
  for (const c of all) {
    if (keys.includes(c.key)) out.push(c);
    if (c.key === 'fails') for (const x of EXTRA_COLUMNS) if (keys.includes(x.key)) out.push(x);
  }
  return out;
}

export function nextColumnSet(set: ColumnSet, step: 1 | -1): ColumnSet {
  const i = COLUMN_SETS.indexOf(set);
  return COLUMN_SETS[(i + step + COLUMN_SETS.length) % COLUMN_SETS.length] as ColumnSet;
}

/** The info line's `columns latency (c)` part. */
export function columnSetInfo(set: ColumnSet): Segment[] {
  return [seg('columns ', { dim: true }), seg(set, { bold: set !== 'all' }), seg(' (c)  ', { dim: true })];
}
