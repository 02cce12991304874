/**
 * Sort orders for the endpoint tables (Statistics, Percentiles). Every column of those tables sorts:
 * a sort key is a column's `sortKey` (or its `key`). Text columns (name, type) sort A→Z — name in
 * natural order (`/ep/2` before `/ep/10`) then method; every numeric key sorts largest first, so
 * the worst endpoint is on top.
 * `reverse` flips either. Ties fall back to name order so rows do not jump between frames.
 *
 * Keys: `name`, `type`, `requests`, `fails`, `failPct`, `median`, `avg`, `min`, `max`, `size`,
 * `rps`, `fps`, `pNN` for any percentile of the ladder (`p66`, `p99.9`), and status codes:
 * `code:404` for one code, `code:4xx` for a class, `code:none` for requests with no response.
 */
import { naturalCompare } from '../stats/natural-order.js';
import { statusCount } from '../stats/status-summary.js';
import type { Column } from './columns.js';
import { PERCENTILE_LABELS, type EndpointStats } from '../stats/types.js';

/** Any column's sort key (see the file comment); unknown keys sort by name. */
export type SortKey = string;

/** Natural order (`/ep/2` before `/ep/10`), then method. */
const byName = (a: EndpointStats, b: EndpointStats): number => naturalCompare(a.name, b.name) || (a.method < b.method ? -1 : a.method > b.method ? 1 : 0);

const byMethod = (a: EndpointStats, b: EndpointStats): number => (a.method < b.method ? -1 : a.method > b.method ? 1 : 0) || byName(a, b);

const fixed: Record<string, (e: EndpointStats) => number> = {
  requests: (e) => e.requests,
  fails: (e) => e.failures,
  failPct: (e) => (e.requests > 0 ? e.failures / e.requests : 0),
  median: (e) => e.medianMs,
  avg: (e) => e.avgMs,
  min: (e) => e.minMs,
  max: (e) => e.maxMs,
  size: (e) => e.avgBytes,
  rps: (e) => e.currentRps,
  fps: (e) => e.currentFailuresPerSec,
};

/** The numeric value a key sorts by, or null for text keys (name, type) and unknown keys. */
function numericValue(key: SortKey): ((e: EndpointStats) => number) | null {
  const f = fixed[key];
  if (f !== undefined) return f;
  if (key.startsWith('code:')) {
    const code = key.slice(5);
    return (e) => statusCount(e, code);
  }
  const m = /^p(\d+(?:\.\d+)?)$/.exec(key);
  if (m !== null) {
    const i = PERCENTILE_LABELS.indexOf(`${m[1]}%` as (typeof PERCENTILE_LABELS)[number]);
    if (i >= 0) return (e) => e.percentilesMs[i] ?? 0;
  }
  return null;
}

/**
 * A new array sorted by `key`; ties fall back to name order so rows do not jump between frames.
 * `columns` (added by a feature, such as the Δ columns) give the values of keys this file does not know.
 */
export function sortEndpoints(rows: readonly EndpointStats[], key: SortKey, reverse: boolean, columns: readonly Column<EndpointStats>[] = []): EndpointStats[] {
  const sign = reverse ? -1 : 1;
  const own = columns.find((c) => (c.sortKey ?? c.key) === key)?.sortValue;
  const value = numericValue(key) ?? (own === undefined ? null : (e: EndpointStats) => own(e));
  if (value === null) return [...rows].sort((a, b) => sign * (key === 'type' ? byMethod(a, b) : byName(a, b)));
  return [...rows].sort((a, b) => sign * (value(b) - value(a)) || byName(a, b));
}

/** Whether `key` sorts A→Z (text: name, type) rather than largest first. */
export function ascendingKey(key: SortKey): boolean {
  return key === 'name' || key === 'type';
}

/**
 * The key after (or before, `step` -1) `key` among `keys` (a table's sortable columns, in screen
 * order); the first of `keys` when `key` is not one of them.
 */
export function nextSortKey(key: SortKey, keys: readonly SortKey[], step: 1 | -1 = 1): SortKey {
  if (keys.length === 0) return key;
  const i = keys.indexOf(key);
  if (i === -1) return keys[step === 1 ? 0 : keys.length - 1] as SortKey;
  return keys[(i + step + keys.length) % keys.length] as SortKey;
}

/** The stable identity of an endpoint row, for keeping the selection while rows move. */
export function endpointKey(e: { readonly method: string; readonly name: string }): string {
  return `${e.method} ${e.name}`;
}

/** Whether the rows are in descending order of `key` (▼) rather than ascending (▲). */
export function sortDescending(key: SortKey, reverse: boolean): boolean {
  return ascendingKey(key) ? reverse : !reverse;
}

/** The arrow for a sorted column's header: ▼ descending, ▲ ascending. */
export function sortArrow(key: SortKey, reverse: boolean): string {
  return sortDescending(key, reverse) ? '▼' : '▲';
}

/** How keys that are not words read on the line under the table (the column's own short header). */
const LABELS: Readonly<Record<string, string>> = { rps: 'RPS', fps: 'fail/s', failPct: 'fail %', errorRate: 'Fail%', size: 'size', avg: 'avg' };

/**
 * Label for the sort indicator: `name ▲`, `p95 ▼`, `fail/s ▼`, `404 ▼` (a status code without its
 * `code:`), `Δp95 ▼` (a Δ column against a baseline).
 */
export function sortLabel(key: SortKey, reverse: boolean): string {
  const word = (k: string): string => LABELS[k] ?? k;
  const shown = key === 'code:none' ? 'no response' : key.startsWith('code:') ? key.slice(5) : key.startsWith('delta-') ? `Δ${word(key.slice(6))}` : word(key);
  return `${shown} ${sortArrow(key, reverse)}`;
}
