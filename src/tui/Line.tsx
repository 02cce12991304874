/**
 * One terminal line made of styled segments, clipped to a width (the last visible segment ends with
 * `…` when something was cut), so nothing ever wraps.
 *
 * How it reaches Ink matters for a screen redrawn several times a second for hours: Ink measures
 * every distinct text it lays out and keeps the measurement forever, so live numbers would grow its
 * cache without end. A line is therefore laid out as a blank placeholder of its exact width (a
 * handful of distinct strings) and its real content, with the colours already encoded, is swapped
 * in by a `<Transform>` when Ink writes the frame. Only basic SGR codes are written: 16 colours,
 * bold, dim, underline, inverse; with colour off (NO_COLOR) no colour code at all.
 */
import { Box, Transform } from 'ink';
import { textWidth, truncate, wrap } from './format.js';
import { type BasicColor, useTheme } from './theme.js';

export interface Segment {
  readonly text: string;
  readonly color?: BasicColor | undefined;
  readonly bold?: boolean;
  readonly dim?: boolean;
  readonly inverse?: boolean;
  readonly underline?: boolean;
}

/** `text` as a segment with an optional style. */
export const seg = (text: string, style: Omit<Segment, 'text'> = {}): Segment => ({ text, ...style });

export function lineWidth(segments: readonly Segment[]): number {
  return segments.reduce((w, s) => w + textWidth(s.text), 0);
}

/** The segments that fit in `width` columns; the cut one is truncated with `…`. */
export function clipSegments(segments: readonly Segment[], width: number): Segment[] {
  if (lineWidth(segments) <= width) return [...segments];
  const out: Segment[] = [];
  let left = width;
  for (const s of segments) {
    const w = textWidth(s.text);
    if (w < left) {
      out.push(s);
      left -= w;
      continue;
    }
    // This segment reaches the edge and more follows: cut it and end with the ellipsis.
    out.push({ ...s, text: truncate(`${s.text} `, left) });
    break;
  }
  return out;
}

const FG: Record<BasicColor, number> = { black: 30, red: 31, green: 32, yellow: 33, blue: 34, magenta: 35, cyan: 36, white: 37, gray: 90 };
const RESET = '\x1b[0m';

function sgr(s: Segment, color: boolean): string {
  const codes: number[] = [];
  if (s.bold) codes.push(1);
  if (s.dim) codes.push(2);
  if (s.underline) codes.push(4);
  if (s.inverse) codes.push(7);
  if (color && s.color !== undefined) codes.push(FG[s.color]);
  return codes.length === 0 ? '' : `\x1b[${codes.join(';')}m`;
}

/** The segments as one string with SGR codes, each style opened once and reset at the end. */
export function encodeSegments(segments: readonly Segment[], color: boolean): string {
  let out = '';
  let open = '';
  for (const s of segments) {
    if (s.text.length === 0) continue;
    const code = sgr(s, color);
    if (code !== open) {
      if (open !== '') out += RESET;
      out += code;
      open = code;
    }
    out += s.text;
  }
  return open === '' ? out : out + RESET;
}

/**
 * A pre-rendered line (text with SGR codes) of `width` display columns, drawn without Ink measuring
 * the text itself. The caller guarantees `width` is the line's display width and fits the terminal.
 */
export function RawLine({ text, width }: { readonly text: string; readonly width: number }) {
  const placeholder = ' '.repeat(Math.max(1, width));
  return <Transform transform={() => text}>{placeholder}</Transform>;
}

export function Line({ segments, width }: { readonly segments: readonly Segment[]; readonly width: number }) {
  const theme = useTheme();
  const clipped = clipSegments(segments, width);
  return <RawLine text={encodeSegments(clipped, theme.color)} width={lineWidth(clipped)} />;
}

/**
 * A sentence (an empty tab's hint) in one style over as many lines as it needs at `width`, broken
 * at spaces, at most `maxLines` (the last cut with `…`).
 */
export function Paragraph({ text, width, style = {}, maxLines = 4 }: { readonly text: string; readonly width: number; readonly style?: Omit<Segment, 'text'>; readonly maxLines?: number }) {
  return (
    <Box flexDirection="column">
      {wrap(text, width, maxLines).map((line, i) => (
        <Line key={i} segments={[seg(line, style)]} width={width} />
      ))}
    </Box>
  );
}
