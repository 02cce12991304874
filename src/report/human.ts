/**
 * Numbers as a person writes them in a report: `15,914`, `1,285 ms`, `4.4 ms`, `0.31%`, `9.96/s`,
 * `3 min 05 s`, `2026-11-22 16:26:04 UTC`. Deterministic (no locale, no time zone but UTC).
 */

/** A whole count with thousands separators: `15914` → `15,914`. */
export function count(n: number): string {
  if (!Number.isFinite(n)) return '0';
  const r = Math.round(n);
  const s = String(Math.abs(r)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return r < 0 ? `-${s}` : s;
}

/** A fixed-point number with thousands separators in its whole part: `1234.5, 1` → `1,234.5`. */
export function fixed(x: number, digits: number): string {
  if (!Number.isFinite(x)) return '0';
  const [whole, frac] = Math.abs(x).toFixed(digits).split('.');
  const s = `${count(Number(whole))}${frac === undefined ? '' : `.${frac}`}`;
  return x < 0 && Number(s.replace(/,/g, '')) !== 0 ? `-${s}` : s;
}

/** Milliseconds with a precision that suits them: `0.42 ms`, `4.4 ms`, `78 ms`, `1,285 ms`. */
export function ms(x: number): string {
  return `${msNumber(x)} ms`;
}

/** `ms` without the unit. */
export function msNumber(x: number): string {
  if (!Number.isFinite(x)) return '0';
  const a = Math.abs(x);
  if (a === 0) return '0';
  if (a < 1) return fixed(x, 2);
  if (a < 10) return fixed(x, 1);
  return count(x);
}

/** A ratio as a percentage with two decimals: `0.0031` → `0.31%`. */
export function pct(ratio: number): string {
  return `${fixed(Number.isFinite(ratio) ? ratio * 100 : 0, 2)}%`;
}

/** `failures / requests` as `pct`, `0.00%` when there are no requests. */
export function pctOf(part: number, whole: number): string {
  return pct(whole > 0 ? part / whole : 0);
}

/** A rate per second: `9.96/s` (two decimals below 100, one below 1000, whole above). */
export function perSec(x: number): string {
  return `${rateNumber(x)}/s`;
}

export function rateNumber(x: number): string {
  if (!Number.isFinite(x)) return '0';
  const a = Math.abs(x);
  return a >= 1000 ? count(x) : a >= 100 ? fixed(x, 1) : fixed(x, 2);
}

/** A signed change in percent: `+12.5%`, `-3.0%`, `±0.0%`. */
export function signedPct(ratio: number): string {
  if (!Number.isFinite(ratio)) return ratio > 0 ? '+∞%' : 'n/a';
  const v = ratio * 100;
  const s = fixed(Math.abs(v), 1);
  return Number(s.replace(/,/g, '')) === 0 ? '±0.0%' : `${v > 0 ? '+' : '-'}${s}%`;
}

/** A signed change in percentage points: `+0.42 pt`. */
export function signedPoints(deltaRatio: number): string {
  const v = deltaRatio * 100;
  const s = fixed(Math.abs(v), 2);
  return Number(s) === 0 ? '±0.00 pt' : `${v > 0 ? '+' : '-'}${s} pt`;
}

/** A length of time: `850 ms`, `20.8 s`, `3 min 05 s`, `1 h 02 min`. */
export function duration(msTotal: number): string {
  if (!Number.isFinite(msTotal) || msTotal < 0) return '—';
  if (msTotal < 1000) return `${Math.round(msTotal)} ms`;
  if (msTotal < 60_000) return `${msTotal % 1000 === 0 ? String(msTotal / 1000) : fixed(msTotal / 1000, 1)} s`;
  const totalSec = Math.round(msTotal / 1000);
  const h = Math.floor(totalSec / 3600);
  const m = Math.floor((totalSec % 3600) / 60);
  const s = totalSec % 60;
  if (h === 0) return `${m} min ${String(s).padStart(2, '0')} s`;
  return `${h} h ${String(m).padStart(2, '0')} min`;
}

/** An offset into the run: `0:07`, `12:30`, `1:02:03`. */
export function offset(sec: number): string {
  const t = Math.max(0, Math.round(sec));
  const h = Math.floor(t / 3600);
  const m = Math.floor((t % 3600) / 60);
  const s = t % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** Epoch ms → `2026-11-22 16:26:04 UTC`; empty for a non-finite time. */
export function utc(epochMs: number | null): string {
  if (epochMs === null || !Number.isFinite(epochMs)) return '—';
  return `${new Date(epochMs).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** Bytes: `512 B`, `12.3 KB`, `4.5 MB`, `1.2 GB` (powers of 1024). */
export function bytes(n: number): string {
  if (!Number.isFinite(n) || n < 1024) return `${count(n)} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${fixed(v, 1)} ${units[i]!}`;
}
