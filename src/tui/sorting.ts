/**
 * Sort orders for the endpoint tables. Name sorts A→Z (Locust's order, by name then method); every
 * numeric key sorts largest first, so the worst endpoint is on top. `reverse` flips either.
 */
import type { EndpointStats } from '../stats/types.js';

export const SORT_KEYS = ['name', 'requests', 'fails', 'median', 'p95', 'p99', 'avg', 'rps'] as const;
export type SortKey = (typeof SORT_KEYS)[number];

/** Index of 95% and 99% in `PERCENTILES`. */
const P95 = 5;
const P99 = 7;

const numeric: Record<Exclude<SortKey, 'name'>, (e: EndpointStats) => number> = {
  requests: (e) => e.requests,
  fails: (e) => e.failures,
  median: (e) => e.medianMs,
  p95: (e) => e.percentilesMs[P95] ?? 0,
  p99: (e) => e.percentilesMs[P99] ?? 0,
  avg: (e) => e.avgMs,
  rps: (e) => e.currentRps,
};

const byName = (a: EndpointStats, b: EndpointStats): number =>
  a.name < b.name ? -1 : a.name > b.name ? 1 : a.method < b.method ? -1 : a.method > b.method ? 1 : 0;

/** A new array sorted by `key`; ties fall back to name order so rows do not jump between frames. */
export function sortEndpoints(rows: readonly EndpointStats[], key: SortKey, reverse: boolean): EndpointStats[] {
  const sign = reverse ? -1 : 1;
  if (key === 'name') return [...rows].sort((a, b) => sign * byName(a, b));
  const value = numeric[key];
  return [...rows].sort((a, b) => sign * (value(b) - value(a)) || byName(a, b));
}

export function nextSortKey(key: SortKey): SortKey {
  return SORT_KEYS[(SORT_KEYS.indexOf(key) + 1) % SORT_KEYS.length] as SortKey;
}

/** The stable identity of an endpoint row, for keeping the selection while rows move. */
export function endpointKey(e: { readonly method: string; readonly name: string }): string {
  return `${e.method} ${e.name}`;
}

/** Label for the sort indicator: `name ▲`, `p95 ▼`. */
export function sortLabel(key: SortKey, reverse: boolean): string {
  const descending = key === 'name' ? reverse : !reverse;
  return `${key} ${descending ? '▼' : '▲'}`;
}
