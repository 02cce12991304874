/**
 * Durations as people write them (`30s`, `3m`, `1h30m`, `250ms`, `1.5s`, bare seconds) and back.
 * Pure; all values are milliseconds.
 */

const UNIT_MS = { h: 3_600_000, m: 60_000, s: 1_000, ms: 1 } as const;
type Unit = keyof typeof UNIT_MS;
const UNIT_ORDER: readonly Unit[] = ['h', 'm', 's', 'ms'];

const PART = /(\d+(?:\.\d+)?|\.\d+)(ms|h|m|s)/y;
const BARE = /^(?:\d+(?:\.\d+)?|\.\d+)$/;

/**
 * Milliseconds, or null when `text` is not a duration. A number (or a numeric string) is seconds,
 * as in Locust's `--run-time`. Units `h`, `m`, `s`, `ms` may be combined largest first, each once
 * (`1h30m`, `2m30s`, `1s500ms`); parts may have decimals. Never negative, never NaN or infinite.
 * Results are rounded to the microsecond so `1.1s` is exactly 1100.
 */
export function parseDuration(text: string | number): number | null {
  if (typeof text === 'number') {
    return Number.isFinite(text) && text >= 0 ? round(text * 1000) : null;
  }
  const s = text.trim();
  if (s === '') return null;
  if (BARE.test(s)) return round(Number(s) * 1000);
  let total = 0;
  let pos = 0;
  let lastUnit = -1;
  while (pos < s.length) {
    PART.lastIndex = pos;
    const m = PART.exec(s);
    if (m === null) return null;
    const unitIndex = UNIT_ORDER.indexOf(m[2] as Unit);
    if (unitIndex <= lastUnit) return null;
    lastUnit = unitIndex;
    total += Number(m[1]) * UNIT_MS[m[2] as Unit];
    pos = PART.lastIndex;
  }
  return Number.isFinite(total) ? round(total) : null;
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

/**
 * The shortest readable form that `parseDuration` reads back to the same value: `250ms`, `1.5s`,
 * `1m30s`, `1h`, `2h5s`, `0s`. Negative values get a leading `-` (never produced by the parser).
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  if (ms < 0) return `-${formatDuration(-ms)}`;
  if (ms === 0) return '0s';
  if (ms < 1000) return `${trim(ms)}ms`;
  let rest = ms;
  const h = Math.floor(rest / UNIT_MS.h);
  rest -= h * UNIT_MS.h;
  const m = Math.floor(rest / UNIT_MS.m);
  rest -= m * UNIT_MS.m;
  const s = rest / 1000;
  return `${h > 0 ? `${h}h` : ''}${m > 0 ? `${m}m` : ''}${s > 0 ? `${trim(s)}s` : ''}`;
}

/** Up to six decimals (microseconds of a second), no trailing zeros. */
function trim(n: number): string {
  return String(Math.round(n * 1e6) / 1e6);
}
