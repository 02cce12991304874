// Plain aligned text tables and number formats for the bench's output.

/** Columns whose cells are all numbers (or `-`) are right-aligned, the others left-aligned. */
export function table(header, rows) {
  const cells = [header, ...rows].map((r) => r.map((c) => String(c)));
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const numeric = header.map((_, i) => rows.every((r) => r[i] === undefined || /^([-+]?[\d.,]+(%| MiB|×)?|-)$/.test(String(r[i]))));
  const line = (r) => r.map((c, i) => (numeric[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(cells[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

export const int = (x) => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : '-');
export const fixed = (x, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : '-');
export const mib = (bytes) => (Number.isFinite(bytes) && bytes > 0 ? `${(bytes / 1048576).toFixed(0)} MiB` : '-');
export const pct = (x) => (Number.isFinite(x) ? `${x.toFixed(1)}%` : '-');

export function median(xs) {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}
