/**
 * Formatting for cells and the status bar: short, fixed-ish widths, no colour codes. Every function
 * returns plain text whose display width `textWidth` can measure, so layouts can be computed exactly.
 */

/** Display columns of `text`: wide East Asian characters count 2, combining marks 0. No ANSI codes expected. */
export function textWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += charWidth(ch.codePointAt(0) ?? 0);
  return w;
}

function charWidth(cp: number): number {
  if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) return 0;
  if ((cp >= 0x300 && cp <= 0x36f) || cp === 0x200b || (cp >= 0xfe00 && cp <= 0xfe0f)) return 0;
  if (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1f64f) ||
    (cp >= 0x1f900 && cp <= 0x1f9ff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  ) {
    return 2;
  }
  return 1;
}

/**
 * Makes text from the outside world (endpoint names, error messages, paths) safe for one line:
 * control characters (newlines, tabs, escape sequences) become spaces, runs of spaces collapse.
 */
export function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').replace(/ {2,}/g, ' ').trim();
}

/** Cuts `text` to at most `width` columns, ending with `…` when cut. */
export function truncate(text: string, width: number): string {
  if (width <= 0) return '';
  if (textWidth(text) <= width) return text;
  let out = '';
  let w = 0;
  for (const ch of text) {
    const cw = charWidth(ch.codePointAt(0) ?? 0);
    if (w + cw > width - 1) break;
    out += ch;
    w += cw;
  }
  return `${out}…`;
}

/** Cuts from the start, keeping the end (for paths): `…/snapshots/62s`. */
export function truncateStart(text: string, width: number): string {
  if (width <= 0) return '';
  if (textWidth(text) <= width) return text;
  const chars = [...text];
  let out = '';
  let w = 0;
  for (let i = chars.length - 1; i >= 0; i--) {
    const ch = chars[i] as string;
    const cw = charWidth(ch.codePointAt(0) ?? 0);
    if (w + cw > width - 1) break;
    out = ch + out;
    w += cw;
  }
  return `…${out}`;
}

/** Pads (or cuts with `…`) to exactly `width` columns. */
export function fit(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  const cut = truncate(text, width);
  const pad = ' '.repeat(Math.max(0, width - textWidth(cut)));
  return align === 'left' ? cut + pad : pad + cut;
}

/** Milliseconds for a table cell: `0.42`, `4.3`, `123`, `12.3s`, `5m02s`. */
export function fmtMs(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '-';
  if (ms === 0) return '0';
  // Boundaries sit where rounding would carry: 9.97 is `10`, not `10.0`.
  if (ms < 0.995) return ms.toFixed(2);
  if (ms < 9.95) return ms.toFixed(1);
  if (ms < 100_000) return String(Math.round(ms));
  if (ms < 600_000) return `${(ms / 1000).toFixed(0)}s`;
  return fmtDuration(ms);
}

/** A count: plain up to 9,999,999, then `12.3M`, `4.6G`. */
export function fmtCount(n: number): string {
  if (!Number.isFinite(n)) return '-';
  if (n < 10_000_000) return String(Math.round(n));
  if (n < 1e9) return `${(n / 1e6).toFixed(n < 1e8 ? 1 : 0)}M`;
  return `${(n / 1e9).toFixed(1)}G`;
}

/** A rate per second: `0`, `0.35`, `12.4`, `1234`, `12.3k`. */
export function fmtRate(perSec: number): string {
  if (!Number.isFinite(perSec) || perSec <= 0) return '0';
  if (perSec < 0.995) return perSec.toFixed(2);
  if (perSec < 999.95) return perSec.toFixed(1);
  if (perSec < 100_000) return String(Math.round(perSec));
  return `${(perSec / 1000).toFixed(0)}k`;
}

/** Bytes: `512 B`, `1.2 KB`, `3.4 MB` (powers of 1024). */
export function fmtBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '-';
  if (bytes < 1024) return `${Math.round(bytes)} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = bytes / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}

/** A percentage of `part` in `whole`: `0%`, `0.05%`, `2.3%`, `100%`. */
export function fmtPercent(part: number, whole: number): string {
  if (!(whole > 0) || !(part > 0)) return '0%';
  const p = (part / whole) * 100;
  if (p >= 99.95 && part < whole) return '99.9%';
  if (p >= 100) return '100%';
  if (p < 0.1) return `${p.toFixed(2)}%`;
  return `${p.toFixed(1)}%`;
}

/** A duration: `0s`, `45s`, `1m02s`, `1h02m`, `2d03h`. */
export function fmtDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '-';
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h${String(m % 60).padStart(2, '0')}m`;
  return `${Math.floor(h / 24)}d${String(h % 24).padStart(2, '0')}h`;
}

/** How long before `nowMs` the epoch-ms `atMs` was: `now`, `12s ago`, `3m04s ago`. */
export function fmtAgo(atMs: number, nowMs: number): string {
  const d = nowMs - atMs;
  if (d < 1000) return 'now';
  return `${fmtDuration(d)} ago`;
}

const SPARKS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'] as const;

/**
 * A one-line block sparkline of `values` (oldest first), exactly `width` characters: the newest
 * values on the right, averaged into buckets when there are more values than characters, padded on
 * the left with spaces when there are fewer. Scaled from 0 to the largest value, so a steady rate
 * reads as a steady line and only real changes (a ramp, a drop) move it.
 */
export function sparkline(values: readonly number[], width: number): string {
  if (width <= 0) return '';
  const points = resample(values, width);
  const max = Math.max(0, ...points);
  const line = points.map((v) => SPARKS[max > 0 ? Math.min(7, Math.max(0, Math.round((v / max) * 7))) : 0]).join('');
  return line.padStart(width, ' ');
}

/**
 * At most `n` points from `values`: unchanged when short enough, else averages of consecutive
 * buckets (the last bucket ends with the newest value).
 */
export function resample(values: readonly number[], n: number): number[] {
  if (values.length <= n) return [...values];
  const out: number[] = [];
  const size = values.length / n;
  for (let i = 0; i < n; i++) {
    const from = Math.floor(i * size);
    const to = Math.max(from + 1, Math.floor((i + 1) * size));
    let sum = 0;
    for (let j = from; j < to; j++) sum += values[j] as number;
    out.push(sum / (to - from));
  }
  return out;
}

// eslint-disable-next-line no-control-regex
const SGR = /(\x1b\[[0-9;]*m)/;
// eslint-disable-next-line no-control-regex
const SGR_ALL = /\x1b\[[0-9;]*m/g;

/** `text` without SGR (colour and style) codes. */
export function stripSgr(text: string): string {
  return text.replace(SGR_ALL, '');
}

/**
 * Rewrites a line with SGR colour codes so each colour change is written once: asciichart wraps
 * every character in its own colour and reset, which costs Ink a token per code on every frame.
 * Spaces never force a change (they look the same in any foreground colour).
 */
export function compactAnsi(line: string): string {
  const parts = line.split(SGR);
  let out = '';
  let active = '\x1b[0m';
  let pending = active;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string;
    if (i % 2 === 1) {
      pending = part;
      continue;
    }
    if (part.length === 0) continue;
    if (pending !== active && part.trim().length > 0) {
      out += pending;
      active = pending;
    }
    out += part;
  }
  return active === '\x1b[0m' ? out : `${out}\x1b[0m`;
}
