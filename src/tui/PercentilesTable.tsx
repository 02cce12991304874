/**
 * Tab 3, Percentiles: the response time at 50, 66, 75, 80, 90, 95, 98, 99, 99.9, 99.99 and 100% per
 * endpoint (Locust's ladder), same order and selection as the Statistics tab, Aggregated last.
 */
import { Box } from 'ink';
import { PERCENTILE_LABELS, latencySamples, type EndpointStats } from '../stats/types.js';
import { type Column, layoutTable } from './columns.js';
import { NO_VALUE, fmtCountShort, fmtNumber } from '../stats/format.js';
import { oneLine } from './format.js';
import { Line, type Segment, seg } from './Line.js';
import { type SortKey, sortArrow } from './sorting.js';
import { Table } from './Table.js';
import { Histogram, histogramHeight } from './Histogram.js';
import type { LatencyBin } from '../stats/latency-bins.js';

/** Which percentiles survive a narrow terminal, most important first. */
const KEEP_ORDER = ['50%', '95%', '99%', '90%', '100%', '75%', '99.9%', '66%', '80%', '98%', '99.99%'];

export const PERCENTILE_COLUMNS: readonly Column<EndpointStats>[] = [
  // The method is part of the row's identity (GET and POST /api/cart are two rows): it goes last.
  { key: 'type', header: 'Type', width: 4, align: 'left', priority: 300, cell: (e) => e.method },
  { key: 'name', header: 'Name', width: 14, maxWidth: 60, flex: true, align: 'left', priority: 0, cell: (e) => oneLine(e.name) },
  ...PERCENTILE_LABELS.map(
    (label, i): Column<EndpointStats> => ({
      key: label,
      header: label,
      width: 5,
      align: 'right',
      priority: 200 - KEEP_ORDER.indexOf(label),
      // 50% and 100% are the Statistics tab's Median and Max: one sort key each, in both tabs.
      sortKey: label === '50%' ? 'median' : label === '100%' ? 'max' : `p${label.slice(0, -1)}`,
      cell: (e) => (latencySamples(e) > 0 ? fmtNumber(e.percentilesMs[i] ?? 0) : NO_VALUE),
    }),
  ),
  { key: 'requests', header: '# Requests', short: '# Reqs', width: 6, align: 'right', priority: 20, cell: (e) => fmtCountShort(e.requests) },
];

export interface PercentilesTableProps {
  readonly endpoints: readonly EndpointStats[];
  readonly total: EndpointStats;
  readonly selected: number;
  readonly offset: number;
  readonly width: number;
  readonly height: number;
  /** The selected row's latency bins (see `Histogram.tsx`), drawn under the table when the tab is tall enough. */
  readonly histogram?: { readonly row: EndpointStats; readonly bins: readonly LatencyBin[] | null };
  /** The sort (shared with the Statistics tab), for the header's highlight and arrow. */
  readonly sortKey?: SortKey;
  readonly sortReverse?: boolean;
}

export function percentilesVisibleRows(height: number): number {
  return Math.max(1, height - 3 - histogramHeight(height));
}

export function PercentilesTable(p: PercentilesTableProps) {
  const visible = percentilesVisibleRows(p.height);
  const rows = p.endpoints.slice(p.offset, p.offset + visible);
  const layout = layoutTable(PERCENTILE_COLUMNS, [...p.endpoints, p.total], p.width);
  const n = p.endpoints.length;
  // As on the Statistics tab: when the endpoints do not all fit, say which are on screen.
  const info: Segment[] = [...(n > visible ? [seg(`rows ${p.offset + 1}–${p.offset + rows.length} of ${n} · `, { dim: true })] : []), seg('response times in ms', { dim: true })];
  if (p.total.servicePercentilesMs !== null) info.push(seg(' · open model: timed from the intended start (coordinated omission corrected)', { dim: true }));
  if (layout.dropped.length > 0) info.push(seg(` · hidden for width: ${layout.dropped.join(' ')}`, { dim: true }));
  return (
    <Box flexDirection="column">
      <Table layout={layout} rows={rows} selected={p.selected - p.offset} pinned={p.total} width={p.width} highlight={p.sortKey} arrow={p.sortKey === undefined ? undefined : sortArrow(p.sortKey, p.sortReverse ?? false)} />
      <Line segments={info} width={p.width} />
      {p.histogram !== undefined && histogramHeight(p.height) > 0 && (
        <Histogram row={p.histogram.row} bins={p.histogram.bins} width={p.width} height={histogramHeight(p.height)} />
      )}
    </Box>
  );
}
