/**
 * Machine formats for the files (Locust's CSV cells, summary.json times), chosen to match what Locust
 * (Python) writes so byte-level diffs against Locust's files stay small. Never localised, never
 * rounded for reading: numbers people read go through `../stats/format.ts`.
 */

/**
 * A float as Python's `repr` writes it: the shortest round-trip digits, integral values with `.0`
 * (`6.0`), exponents as `1e-07` / `1e+16`. Non-finite values become `0.0` (a CSV cell must parse).
 */
export function pyFloat(x: number): string {
  if (!Number.isFinite(x)) return '0.0';
  if (Number.isInteger(x) && Math.abs(x) < 1e16) return `${x}.0`;
  const s = String(x);
  const e = s.indexOf('e');
  if (e < 0) return s;
  // JS: 1e-7, 1.5e+21 → Python: 1e-07, 1.5e+21
  const mantissa = s.slice(0, e);
  const sign = s[e + 1] === '-' ? '-' : '+';
  const digits = s.slice(e + 2).padStart(2, '0');
  return `${mantissa}e${sign}${digits}`;
}

/** A count or whole number of milliseconds, as an integer cell. */
export function int(x: number): string {
  return Number.isFinite(x) ? String(Math.round(x)) : '0';
}

/** Epoch ms → UTC ISO 8601 to the second: `2026-11-22T15:08:42Z`. */
export function isoSeconds(epochMs: number): string {
  if (!Number.isFinite(epochMs)) return '';
  return `${new Date(epochMs).toISOString().slice(0, 19)}Z`;
}
