/**
 * Text for cells and the status bar: display widths, cutting, one-line safety, sparklines, colour
 * codes. Numbers (ms, counts, rates, bytes, durations) are formatted by `../stats/format.ts`, the
 * voice the console and the reports share.
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
