/**
 * Status codes in the reports, as oha shows them: per endpoint and Aggregated, one column per code
 * seen (the most frequent when there are many), and the requests with no status: no HTTP response
 * at all (refused, reset, timed out, never sent — a dead target reads as a column of those) or a
 * measurement a script made with `record()`. Under the table, the Aggregated counts by class
 * (2xx, 3xx, 4xx, 5xx). Pure.
 */
import { fmtCount, fmtPercentOf } from '../stats/format.js';
import type { EndpointStats, StatsSnapshot } from '../stats/types.js';
import type { Cell, Inline, Table } from './report-model.js';

/** Code columns at most; beyond, the least frequent codes share an `Other` column. */
export const MAX_CODE_COLUMNS = 10;

export interface StatusCodeSection {
  readonly table: Table;
  /** `2xx 877 (98.9%) · 4xx 7 (0.79%) · no status 3 (0.34%)`, of all requests. */
  readonly classes: readonly Inline[];
}

/** null when the results carry no status codes (written by a cicada before they were counted) or no request was made. */
export function statusCodeSection(s: StatsSnapshot): StatusCodeSection | null {
  const total = s.total;
  if (total.statusCodes === undefined || total.requests === 0) return null;
  const byCount = Object.entries(total.statusCodes)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1] || Number(a[0]) - Number(b[0]));
  const overflow = byCount.length > MAX_CODE_COLUMNS;
  const shown = (overflow ? byCount.slice(0, MAX_CODE_COLUMNS - 1) : byCount).map(([code]) => code).sort((a, b) => Number(a) - Number(b));
  const shownSet = new Set(shown);
  const rows = [...s.endpoints, total];
  const noStatus = (e: EndpointStats): number => Math.max(0, e.requests - answered(e));
  const withNoStatus = rows.some((e) => noStatus(e) > 0);
  const cell = (n: number): string => (n > 0 ? fmtCount(n) : '');
  const row = (e: EndpointStats, isTotal: boolean): Cell[] => {
    const codes = e.statusCodes ?? {};
    const other = Object.entries(codes).reduce((sum, [code, n]) => (shownSet.has(code) ? sum : sum + n), 0);
    return [
      isTotal ? '' : e.method,
      isTotal ? { strong: 'Aggregated' } : { code: e.name },
      ...shown.map((code) => cell(codes[code] ?? 0)),
      ...(overflow ? [cell(other)] : []),
      ...(withNoStatus ? [cell(noStatus(e))] : []),
    ];
  };
  const head = ['Method', 'Name', ...shown, ...(overflow ? ['Other'] : []), ...(withNoStatus ? ['No status'] : [])];
  const table: Table = {
    head,
    align: head.map((_, i) => (i < 2 ? 'l' : 'r')),
    rows: rows.map((e) => row(e, e === total)),
    totalRow: true,
  };
  return { table, classes: classLine(total, noStatus(total)) };
}

function answered(e: EndpointStats): number {
  return Object.values(e.statusCodes ?? {}).reduce((a, b) => a + b, 0);
}

function classLine(total: EndpointStats, noStatus: number): Inline[] {
  const classes = new Map<string, number>();
  for (const [code, n] of Object.entries(total.statusCodes ?? {})) {
    const k = `${code.charAt(0)}xx`;
    classes.set(k, (classes.get(k) ?? 0) + n);
  }
  const parts: string[] = [...classes.entries()]
    .filter(([, n]) => n > 0)
    .sort((a, b) => a[0].localeCompare(b[0]))
    .map(([k, n]) => `${k} ${fmtCount(n)} (${fmtPercentOf(n, total.requests)})`);
  if (noStatus > 0) parts.push(`no status ${fmtCount(noStatus)} (${fmtPercentOf(noStatus, total.requests)})`);
  const note = noStatus > 0 ? ' No status: no HTTP response (refused, reset, timed out, never sent) or a measurement recorded by a script.' : '';
  return [`Of all ${fmtCount(total.requests)} requests: ${parts.join(' · ')}.${note}`];
}
