/**
 * Arrival rates as people write them: `100/s`, `6000/m`, `20/1m`, `0.5/s`, a bare number (per
 * second). Pure.
 */

const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, sec: 1, second: 1, m: 60, min: 60, minute: 60, h: 3600, hour: 3600 };

export const RATE_HINT = 'a rate like 100/s, 600/m or a bare number per second';

/** Iterations per second, or null when `text` is not a rate. Zero is a rate (callers decide). */
export function parseRate(text: string | number): number | null {
  if (typeof text === 'number') return Number.isFinite(text) && text >= 0 ? text : null;
  const m = /^(\d+(?:\.\d+)?|\.\d+)\s*(?:\/\s*(\d+(?:\.\d+)?)?\s*([a-z]+))?$/i.exec(text.trim());
  if (m === null) return null;
  const n = Number(m[1]);
  if (m[3] === undefined) return n;
  const unit = UNIT_SECONDS[m[3].toLowerCase()];
  if (unit === undefined) return null;
  const per = m[2] === undefined ? 1 : Number(m[2]);
  if (per <= 0) return null;
  return n / (per * unit);
}

/** `100/s`, `0.5/s`. */
export function formatRate(perSec: number): string {
  return `${Math.round(perSec * 1000) / 1000}/s`;
}
