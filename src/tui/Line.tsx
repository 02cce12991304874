/**
 * One terminal line made of styled segments, clipped to a width (the last visible segment ends with
 * `…` when something was cut), so nothing ever wraps. Colours go through the theme: with colour off
 * only bold, dim and inverse remain.
 */
import { Text } from 'ink';
import { textWidth, truncate } from './format.js';
import { type BasicColor, useTheme } from './theme.js';

export interface Segment {
  readonly text: string;
  readonly color?: BasicColor | undefined;
  readonly bold?: boolean;
  readonly dim?: boolean;
  readonly inverse?: boolean;
  readonly underline?: boolean;
}

/** `text` as a plain segment. */
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

export function Line({ segments, width }: { readonly segments: readonly Segment[]; readonly width: number }) {
  const theme = useTheme();
  const clipped = clipSegments(segments, width);
  return (
    <Text wrap="truncate-end">
      {clipped.length === 0
        ? ' '
        : clipped.map((s, i) => (
            <Text
              key={i}
              color={s.color === undefined ? undefined : theme.fg(s.color)}
              bold={s.bold ?? false}
              dimColor={s.dim ?? false}
              inverse={s.inverse ?? false}
              underline={s.underline ?? false}
            >
              {s.text}
            </Text>
          ))}
    </Text>
  );
}
