/**
 * cicada's one voice for numbers people read — the TUI, the console, report.md/html, compare and
 * threshold texts all format through here, so a value reads the same wherever it appears:
 *
 * - no thousands separators (`1634 ms`, `15914` requests: `1,634` reads as 1.634 in much of the
 *   world, and a plain number pastes into a spreadsheet), `.` as the decimal point, no locale;
 * - two decimals below 1, one below 10, whole numbers above, trailing zeros dropped: `0.42`, `4.4`,
 *   `78`, `1634` (HDR histograms keep 2–3 significant digits, so `78.3 ms` would be noise), and
 *   percentages with one decimal up to 100 (`12.5%`);
 * - units after a space (`78.3 ms`, `1.2 KB`, `0.31%` and `12/s` excepted), durations in the
 *   syntax a scenario uses (`850ms`, `20.8s`, `1m02s`, `1h02m`), so `parseDuration` reads them back;
 * - `—` for a value that does not exist (NaN, ±Infinity), a leading `-` for a negative one;
 * - a configured value (a threshold's target, a tolerance, an axis tick) exactly as precise as it
 *   was typed (`fmtExact`, `fmtConfigured`: `99.95%`), and a measured value judged against one
 *   written beside it (`fmtInUnit` with a target: `99.97%`, never `99.9%` or the target itself);
 * - a CPU reading in whole percent (`fmtCpu`: `97%`), a monitor's value in its unit (`fmtInUnit`).
 *
 * Machine formats are not here: Locust's CSV cells and summary.json keep their exact forms
 * (`report/format.ts`), and so do the console's Locust tables (`report/console.ts`, `report/task-ratio.ts`:
 * Locust's `%d`/`%.2f` cells, column for column); `scenario/duration.ts` `formatDuration` is the exact inverse of the
 * duration parser, for configured values and file names. Pure; deterministic (UTC, no locale).
 */

/** What a formatter returns for a value that does not exist (NaN, ±Infinity). */
export const NO_VALUE = '—';

/**
 * A measured number, trailing zeros dropped: `0`, `0.003` (one significant digit below 0.005),
 * `0.42`, `4.4`, `10`, `78`, `1634`, `-2.5`. Boundaries sit where rounding carries: 9.96 is `10`.
 */
export function fmtNumber(x: number): string {
  if (!Number.isFinite(x)) return NO_VALUE;
  const a = Math.abs(x);
  if (a === 0) return '0';
  let s: string;
  if (a < 0.005) s = a.toFixed(Math.min(20, -Math.floor(Math.log10(a))));
  else if (a < 0.995) s = a.toFixed(2);
  else if (a < 9.95) s = a.toFixed(1);
  else s = a.toFixed(0);
  s = dropZeros(s);
  return x < 0 && s !== '0' ? `-${s}` : s;
}

/** `1.50` → `1.5`, `12.0` → `12`. */
function dropZeros(s: string): string {
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

/** Milliseconds with their unit: `0.42 ms`, `4.4 ms`, `78 ms`, `1634 ms`. Tables with `(ms)` in the header use `fmtNumber`. */
export function fmtMs(ms: number): string {
  return Number.isFinite(ms) ? `${fmtNumber(ms)} ms` : NO_VALUE;
}

/** A rate per second with its unit: `0.35/s`, `4.4/s`, `12/s`, `1634/s`. Columns headed RPS use `fmtNumber`. */
export function fmtRate(perSec: number): string {
  return Number.isFinite(perSec) ? `${fmtNumber(perSec)}/s` : NO_VALUE;
}

/** A whole count, exact: `0`, `15914`, `-3`. */
export function fmtCount(n: number): string {
  if (!Number.isFinite(n)) return NO_VALUE;
  const r = Math.round(n);
  return r === 0 ? '0' : String(r);
}

/**
 * A count for a narrow cell: exact up to 9999999 (as `fmtCount`), then `10M`, `12.3M`, `123M`, `4.6G`.
 */
export function fmtCountShort(n: number): string {
  const a = Math.abs(n);
  if (!Number.isFinite(n) || Math.round(a) < 10_000_000) return fmtCount(n);
  const sign = n < 0 ? '-' : '';
  if (a < 99_950_000) return `${sign}${dropZeros((a / 1e6).toFixed(1))}M`;
  return a < 999_500_000 ? `${sign}${Math.round(a / 1e6)}M` : `${sign}${fmtNumber(a / 1e9)}G`;
}

const BYTE_UNITS = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'] as const;

/**
 * Bytes in powers of 1024 with the names cicada prints everywhere (`KB` = 1024 bytes): `512 B`,
 * `1.2 KB`, `12 KB`, `3.4 MB`. One decimal below 10 of a unit, whole above; a value that would
 * round to 1024 of a unit is written in the next (`1.0 MB`, not `1024 KB`).
 */
export function fmtBytes(n: number): string {
  if (!Number.isFinite(n)) return NO_VALUE;
  const sign = n < 0 ? '-' : '';
  let v = Math.abs(n);
  let i = 0;
  while (i < BYTE_UNITS.length - 1 && (i === 0 ? Math.round(v) : v < 9.95 ? Number(v.toFixed(1)) : Math.round(v)) >= 1024) {
    v /= 1024;
    i++;
  }
  if (i === 0) return Math.round(v) === 0 ? '0 B' : `${sign}${Math.round(v)} B`;
  return `${sign}${v < 9.95 ? v.toFixed(1) : Math.round(v)} ${BYTE_UNITS[i]!}`;
}

/**
 * A ratio as a percentage: `0%`, `0.004%`, `0.31%`, `2.3%`, `12.5%`, `100%` (as `fmtNumber` below
 * 1%, one decimal above). Only an exact 1 reads `100%` and only an exact 0 reads `0%`: 99.97% of
 * requests failing shows `99.9%`.
 */
export function fmtPercent(ratio: number): string {
  if (!Number.isFinite(ratio)) return NO_VALUE;
  const p = ratio * 100;
  const a = Math.abs(p);
  if (a < 0.995) return `${fmtNumber(p)}%`;
  if (p < 100 && p >= 99.95) return '99.9%';
  return `${p < 0 ? '-' : ''}${dropZeros(a.toFixed(1))}%`;
}

/**
 * A sampled utilisation — CPU as a percentage of one core — in whole percent: `41%`, `0%`, `197%`
 * (several cores' threads). A reading taken each second, so decimals would be noise that flickers.
 */
export function fmtCpu(percentOfCore: number): string {
  return Number.isFinite(percentOfCore) ? `${fmtCount(percentOfCore)}%` : NO_VALUE;
}

/** `part / whole` as `fmtPercent`; `0%` when `whole` is 0 (nothing to fail yet). */
export function fmtPercentOf(part: number, whole: number): string {
  return fmtPercent(whole > 0 ? part / whole : 0);
}

/** A signed relative change, as `fmtPercent`: `+12.5%`, `-3%`, `±0%`; `+∞%` from zero to something. */
export function fmtSignedPercent(ratio: number): string {
  if (Number.isNaN(ratio)) return NO_VALUE;
  if (!Number.isFinite(ratio)) return ratio > 0 ? '+∞%' : '-∞%';
  const s = fmtPercent(Math.abs(ratio));
  return s === '0%' ? '±0%' : `${ratio > 0 ? '+' : '-'}${s}`;
}

/** A signed change in percentage points (a difference of two ratios), as `fmtPercent`: `+0.42 pt`, `±0 pt`. */
export function fmtSignedPoints(deltaRatio: number): string {
  if (!Number.isFinite(deltaRatio)) return NO_VALUE;
  const s = fmtPercent(Math.abs(deltaRatio)).slice(0, -1);
  return s === '0' ? '±0 pt' : `${deltaRatio > 0 ? '+' : '-'}${s} pt`;
}

/**
 * A length of time, rounded for reading, in the scenario's own syntax (`parseDuration` reads every
 * output back): `0s`, `0.42ms`, `850ms`, `1.3s`, `21s`, `1m00s` (from 59.5 s), `3m05s`,
 * `1h02m`, `100h00m`. Seconds are dropped from an hour up, minutes kept two-digit.
 */
export function fmtDuration(ms: number): string {
  if (!Number.isFinite(ms)) return NO_VALUE;
  if (ms < 0) return `-${fmtDuration(-ms)}`;
  if (ms === 0) return '0s';
  if (Number(fmtNumber(ms)) < 1000) return `${fmtNumber(ms)}ms`;
  if (Number(fmtNumber(ms / 1000)) < 60) return `${fmtNumber(ms / 1000)}s`;
  const totalSec = Math.round(ms / 1000);
  if (totalSec < 3600) return `${Math.floor(totalSec / 60)}m${String(totalSec % 60).padStart(2, '0')}s`;
  const totalMin = Math.round(ms / 60_000);
  return `${Math.floor(totalMin / 60)}h${String(totalMin % 60).padStart(2, '0')}m`;
}

/** A running clock (elapsed, remaining) in whole seconds, floored so it never runs ahead: `0s`, `45s`, `1m02s`, `1h02m`. */
export function fmtElapsed(ms: number): string {
  if (!Number.isFinite(ms)) return NO_VALUE;
  const s = Math.floor(Math.max(0, ms) / 1000);
  return s < 3600 ? fmtDuration(s * 1000) : fmtDuration(Math.floor(s / 60) * 60_000);
}

/** How long before `nowMs` the epoch-ms `atMs` was: `now`, `12s ago`, `3m04s ago`. */
export function fmtAgo(atMs: number, nowMs: number): string {
  const d = nowMs - atMs;
  if (!Number.isFinite(d)) return NO_VALUE;
  return d < 1000 ? 'now' : `${fmtElapsed(d)} ago`;
}

/** A moment of the run as an offset from its start, for timelines and time axes: `0:07`, `12:30`, `1:02:03`. */
export function fmtOffset(sec: number): string {
  if (!Number.isFinite(sec)) return NO_VALUE;
  const t = Math.max(0, Math.round(sec));
  const h = Math.floor(t / 3600);
  const m = Math.floor((t % 3600) / 60);
  const ss = String(t % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/**
 * A stretch of the run (offsets from its start, in seconds) as where it began and how long it
 * lasted, so a short one reads right: `0:00 for 800ms`, `0:03 for 4s`, `1:10 for 2m30s`; just
 * `0:07` when it has no length. (`0:00–0:00` said nothing about an 800 ms episode.)
 */
export function fmtStretch(fromSec: number, toSec: number): string {
  if (!Number.isFinite(fromSec) || !Number.isFinite(toSec)) return NO_VALUE;
  const ms = Math.max(0, toSec - fromSec) * 1000;
  return fmtNumber(ms) === '0' ? fmtOffset(fromSec) : `${fmtOffset(fromSec)} for ${fmtDuration(ms)}`;
}

/** Epoch ms → `2026-11-22 16:26:04 UTC`; `—` for none. */
export function fmtUtc(epochMs: number | null): string {
  if (epochMs === null || !Number.isFinite(epochMs)) return NO_VALUE;
  return `${new Date(epochMs).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/**
 * A configured value written back as it was typed, not rounded for reading: a threshold's target
 * `99.95`, `0.125`, `1234.5`, `-3`. Twelve significant digits, so binary noise (`0.0007 * 100`)
 * goes; never an exponent.
 */
export function fmtExact(x: number): string {
  if (!Number.isFinite(x)) return NO_VALUE;
  const clean = Number(x.toPrecision(12));
  if (clean === 0) return '0';
  const a = Math.abs(clean);
  const s = a >= 1e21 ? BigInt(a).toString() : a >= 1e-6 ? String(a) : dropZeros(a.toFixed(Math.min(100, 12 - Math.floor(Math.log10(a)))));
  return clean < 0 ? `-${s}` : s;
}

/** Digits after the decimal point of a plain number text. */
function decimalsOf(s: string): number {
  const dot = s.indexOf('.');
  return dot < 0 ? 0 : s.length - dot - 1;
}

/**
 * `x` written beside `target` (a measured value next to the configured one it is judged against):
 * `base` (its usual text) with at least the target's decimals, and more while it would read as the
 * target, 0 or one of `bounds` without being it. Rounding never crosses the target, so the text
 * compares with the target as the value does.
 */
function against(x: number, base: string, target: number, bounds: readonly number[]): string {
  const t = Number(fmtExact(target));
  let d = Math.max(decimalsOf(base), decimalsOf(fmtExact(target)));
  const text = (n: number): string => {
    const s = dropZeros(Math.abs(x).toFixed(n));
    return x < 0 && Number(s) !== 0 ? `-${s}` : s;
  };
  let s = text(d);
  while (d < 15 && [t, 0, ...bounds].some((r) => r !== x && Number(s) === r)) s = text(++d);
  return d === decimalsOf(base) && Number(s) === Number(base) ? base : s;
}

/**
 * `fmtNumber(x)`, written beside the target it is judged against so the two compare as the values
 * do: at least the target's decimals (`99.97` beside `99.95`, not `100`), more while it would read as
 * the target without being it (`99.949` beside `99.95`).
 */
export function fmtNumberAgainst(x: number, target: number): string {
  if (!Number.isFinite(x)) return NO_VALUE;
  return Number.isFinite(target) ? against(x, fmtNumber(x), target, []) : fmtNumber(x);
}

/** The byte unit a configured size is written in: the largest one it is at least 1 of. */
function byteUnitOf(n: number): number {
  let i = 0;
  while (i < BYTE_UNITS.length - 1 && Math.abs(n) >= 1024 ** (i + 1)) i++;
  return i;
}

/**
 * A value in a named unit — a monitor's (`percent` as 0..100, `bytes`, `bytes/s`, `seconds`, `ms`,
 * `/s`, `` for a bare number, any other text as a label after the number) — as the formatters above
 * write it: `34.1%`, `120 MB`, `12 MB/s`, `4.2 ms`, `1.2 s`, `12/s`, `17 conns`; `—` for none.
 *
 * With `target` (the configured value this one is judged against, in the same unit) the value is
 * written beside it: in the target's scale where they share one, with at least the target's
 * decimals, and never reading as the target (or 0, or 100%) unless it is — `99.97%` beside a
 * `> 99.95%` target, not `99.9%`. See `fmtConfigured` for the target itself.
 */
export function fmtInUnit(v: number | null, unit: string, target?: number): string {
  if (v === null || !Number.isFinite(v)) return NO_VALUE;
  const t = target !== undefined && Number.isFinite(target) ? target : undefined;
  switch (unit) {
    case 'percent': {
      const base = fmtPercent(v / 100).slice(0, -1);
      return `${t === undefined ? base : against(v, base, t, [100])}%`;
    }
    case 'bytes':
    case 'bytes/s': {
      const per = unit === 'bytes/s' ? '/s' : '';
      const own = fmtBytes(v);
      if (t === undefined) return `${own}${per}`;
      const i = byteUnitOf(t);
      const [num, name] = own.split(' ');
      if (name !== BYTE_UNITS[i]) return `${own}${per}`;
      return `${against(v / 1024 ** i, num!, t / 1024 ** i, [])} ${name}${per}`;
    }
    case 'seconds': {
      const ms = Math.abs(t ?? v) < 1;
      if (ms) return fmtInUnit(v * 1000, 'ms', t === undefined ? undefined : t * 1000);
      return `${t === undefined ? fmtNumber(v) : against(v, fmtNumber(v), t, [])} s`;
    }
    case 'ms':
      return `${t === undefined ? fmtNumber(v) : against(v, fmtNumber(v), t, [])} ms`;
    case '/s':
      return `${t === undefined ? fmtNumber(v) : against(v, fmtNumber(v), t, [])}/s`;
    default: {
      const n = t === undefined ? fmtNumber(v) : against(v, fmtNumber(v), t, []);
      return unit === '' ? n : `${n} ${unit}`;
    }
  }
}

/**
 * A configured value (a threshold's target) in a unit of `fmtInUnit`, exactly as precise as it was
 * typed: `99.95%`, `0.125%`, `512 MB`, `1.5 GB`, `250 ms`, `1.5 s`, `99.5/s`.
 */
export function fmtConfigured(v: number, unit: string): string {
  if (!Number.isFinite(v)) return NO_VALUE;
  switch (unit) {
    case 'percent':
      return `${fmtExact(v)}%`;
    case 'bytes':
    case 'bytes/s': {
      const i = byteUnitOf(v);
      return `${fmtExact(v / 1024 ** i)} ${BYTE_UNITS[i]!}${unit === 'bytes/s' ? '/s' : ''}`;
    }
    case 'seconds':
      return Math.abs(v) < 1 ? `${fmtExact(v * 1000)} ms` : `${fmtExact(v)} s`;
    case 'ms':
      return `${fmtExact(v)} ms`;
    case '/s':
      return `${fmtExact(v)}/s`;
    default:
      return unit === '' ? fmtExact(v) : `${fmtExact(v)} ${unit}`;
  }
}
