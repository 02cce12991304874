/**
 * Text for cells and the status bar: display widths, cutting, one-line safety, sparklines, colour
 * codes. Numbers (ms, counts, rates, bytes, durations) are formatted by `../stats/format.ts`, the
 * voice the console and the reports share.
 */
import stripAnsi from 'strip-ansi';

import { textWidth, truncate } from '../stats/text-width.js';

export { fit, textWidth, truncate, truncateStart } from '../stats/text-width.js';

/**
 * Makes text from the outside world (endpoint names, error messages, paths) safe for one line:
 * control characters (newlines, tabs, escape sequences) become spaces, runs of spaces collapse.
 */
export function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').replace(/ {2,}/g, ' ').trim();
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

/** `text` without ANSI codes (colour and style, and any other escape sequence). */
export function stripSgr(text: string): string {
  return stripAnsi(text);
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

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** `text` in at most `lines` lines of `width` columns, broken at spaces where it can be; the last line cut with `…`. */
export function wrap(text: string, width: number, lines: number): string[] {
  const out: string[] = [];
  let rest = text;
  while (rest.length > 0 && out.length < lines) {
    if (textWidth(rest) <= width || out.length === lines - 1) {
      out.push(truncate(rest, width));
      break;
    }
    // The longest prefix of whole graphemes that fits, ending at a space when there is one.
    let cut = '';
    for (const { segment } of graphemes.segment(rest)) {
      if (textWidth(cut + segment) > width) break;
      cut += segment;
    }
    if (cut.length === 0) break;
    const space = cut.lastIndexOf(' ');
    const line = space > width / 2 ? cut.slice(0, space) : cut;
    out.push(line);
    rest = rest.slice(line.length).replace(/^ +/, '');
  }
  return out;
}
