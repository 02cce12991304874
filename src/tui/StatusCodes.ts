/**
 * The Statistics tab's `codes` column set (what oha shows): per endpoint and Aggregated, the
 * responses by class (2xx, 3xx, 4xx, 5xx — always there, so the layout holds still) and by each code
 * seen, plus `No resp` — requests that got no response at all (refused, reset, timed out, not sent)
 * — when there are any. When narrow, the least frequent codes go first and the line under the table
 * lists them for the selected row.
 */
import { codesSeen, statusClass, statusCount } from '../stats/status-summary.js';
import { fmtCount } from '../stats/format.js';
import type { EndpointStats } from '../stats/types.js';
import type { Column } from './columns.js';
import type { BasicColor } from './theme.js';

/** The columns every set keeps (type, name, requests) come first; these follow. */
const CLASSES = ['2xx', '3xx', '4xx', '5xx'];

function tone(code: string): (e: EndpointStats) => BasicColor | undefined {
  const bad: BasicColor | undefined = code === 'none' || code[0] === '5' ? 'red' : code[0] === '4' ? 'yellow' : undefined;
  return (e) => (bad !== undefined && statusCount(e, code) > 0 ? bad : undefined);
}

function codeColumn(code: string, header: string, priority: number): Column<EndpointStats> {
  return {
    key: `code:${code}`,
    header,
    width: Math.max(3, header.length),
    align: 'right',
    priority,
    cell: (e) => fmtCount(statusCount(e, code)),
    color: tone(code),
  };
}

/**
 * Status-code columns for `rows` (the endpoints and Aggregated): `No resp` when any request had no
 * response, the classes (1xx only when seen), then each code seen in ascending order.
 */
export function statusCodeColumns(rows: readonly EndpointStats[]): Column<EndpointStats>[] {
  const codes = codesSeen(rows);
  const classes = codes.some((c) => c[0] === '1') ? ['1xx', ...CLASSES] : CLASSES;
  const out: Column<EndpointStats>[] = classes.map((c, i) => codeColumn(c, c, 90 - i));
  if (rows.some((r) => statusCount(r, 'none') > 0)) out.unshift(codeColumn('none', 'No resp', 91));
  // Codes by how often they were seen: the most frequent stay longest when narrow.
  const total = (code: string): number => rows.reduce((n, r) => (r.name === 'Aggregated' && r.method === '' ? n : n + statusCount(r, code)), 0);
  const rank = [...codes].sort((a, b) => total(b) - total(a) || Number(a) - Number(b));
  for (const code of codes) out.push(codeColumn(code, code, 80 - Math.min(70, rank.indexOf(code))));
  // Classes and codes read best grouped: a class, then its codes.
  const order = (c: Column<EndpointStats>): number => {
    const code = c.key.slice(5);
    if (code === 'none') return 0;
    const cls = code.endsWith('xx') ? code : statusClass(code);
    return Number(cls[0]) * 1000 + (code.endsWith('xx') ? 0 : Number(code) % 1000);
  };
  return out.sort((a, b) => order(a) - order(b));
}
