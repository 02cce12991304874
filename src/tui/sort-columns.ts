/**
 * Which columns `o` / `<` / `>` step through: the sort keys of the columns the current tab's table
 * shows at this width (the Percentiles tab's own, else the Statistics tab's in its column set).
 */
import type { EndpointStats } from '../stats/types.js';
import { type ColumnSet, columnsOfSet } from './column-sets.js';
import { type Column, layoutTable } from './columns.js';
import { PERCENTILE_COLUMNS } from './PercentilesTable.js';
import { STATS_COLUMNS } from './StatsTable.js';
import type { TabId } from './types.js';

const sortKeyOf = (c: Column<EndpointStats>): string => c.sortKey ?? c.key;

/** Every Statistics column's sort key, in order (for callers that know no layout). */
export function defaultSortKeys(): string[] {
  return STATS_COLUMNS.map(sortKeyOf);
}

/** The sort keys of the columns on screen, left to right. */
export function sortKeysOnScreen(tab: TabId, set: ColumnSet, rows: readonly EndpointStats[], width: number, extra: readonly Column<EndpointStats>[] = []): string[] {
  const columns = tab === 'percentiles' ? PERCENTILE_COLUMNS : columnsOfSet(set, [...STATS_COLUMNS, ...extra], rows);
  return layoutTable(columns, rows, width).columns.map((p) => sortKeyOf(p.column));
}
