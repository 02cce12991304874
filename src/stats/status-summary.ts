/**
 * Reading the status-code counts of a row (`EndpointStats.statusCodes`): one code, a class
 * (`4xx`), or the requests that got no response at all (refused, reset, timed out, not sent).
 * Pure functions over snapshots, for every view (TUI, console, reports).
 */
import type { EndpointStats } from './types.js';

/** Responses of `e` with status `code`: a code (`"404"`), a class (`"4xx"`), or `"none"` for requests with no response. */
export function statusCount(e: Pick<EndpointStats, 'requests' | 'statusCodes'>, code: string): number {
  const codes = e.statusCodes ?? {};
  if (code === 'none') {
    let answered = 0;
    for (const n of Object.values(codes)) answered += n;
    return Math.max(0, e.requests - answered);
  }
  if (/^[1-9]xx$/.test(code)) {
    let n = 0;
    for (const [c, count] of Object.entries(codes)) if (c.length === 3 && c[0] === code[0]) n += count;
    return n;
  }
  return codes[code] ?? 0;
}

/** Every status code any of `rows` received, in ascending numeric order (`["200", "404", "500"]`). */
export function codesSeen(rows: readonly Pick<EndpointStats, 'statusCodes'>[]): string[] {
  const seen = new Set<string>();
  for (const r of rows) for (const c of Object.keys(r.statusCodes ?? {})) seen.add(c);
  return [...seen].sort((a, b) => Number(a) - Number(b));
}

/** The class of a code: `"404"` → `"4xx"`. */
export function statusClass(code: string): string {
  return `${code[0] ?? '?'}xx`;
}
