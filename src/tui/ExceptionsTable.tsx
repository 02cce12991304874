/**
 * Tab 5, Exceptions: errors raised inside cicada while running a task (a bug or bad data, not the
 * target's fault) — count, message, where, and the first lines of the stack under each.
 */
import { Box } from 'ink';
import type { ExceptionEntry } from '../stats/types.js';
import { fmtCountShort } from '../stats/format.js';
import { oneLine } from './format.js';
import { Line, type Segment, seg } from './Line.js';

export interface ExceptionsTableProps {
  readonly exceptions: readonly ExceptionEntry[];
  readonly selected: number;
  readonly offset: number;
  readonly width: number;
  readonly height: number;
}

/** Stack lines shown under each exception. */
export function tracebackLines(height: number): number {
  return height >= 30 ? 4 : height >= 12 ? 2 : 1;
}

/** Exceptions that fit: each takes one line plus its stack lines; one line is kept for the footer. */
export function exceptionsVisible(height: number): number {
  return Math.max(1, Math.floor((height - 1) / (1 + tracebackLines(height))));
}

/** The first `n` useful stack lines: without the line that only repeats the message. */
export function stackHead(e: ExceptionEntry, n: number): string[] {
  const lines = e.traceback.split('\n').map((l) => oneLine(l)).filter((l) => l.length > 0);
  if (lines.length > 0 && (lines[0] as string).includes(oneLine(e.message))) lines.shift();
  return lines.slice(0, n);
}

export function ExceptionsTable(p: ExceptionsTableProps) {
  if (p.exceptions.length === 0) {
    return <Line segments={[seg('No exceptions: cicada ran every task without an internal error.', { color: 'green' })]} width={p.width} />;
  }
  const tb = tracebackLines(p.height);
  const visible = exceptionsVisible(p.height);
  const shown = p.exceptions.slice(p.offset, p.offset + visible);
  const countWidth = Math.max(5, ...p.exceptions.map((e) => fmtCountShort(e.count).length));
  const lines: Segment[][] = [];
  shown.forEach((e, i) => {
    const selected = p.offset + i === p.selected;
    const style = { inverse: selected, bold: selected };
    lines.push([
      seg(selected ? '› ' : '  ', style),
      seg(fmtCountShort(e.count).padStart(countWidth), { ...style, color: 'red' }),
      seg(`  ${oneLine(e.message)}`, style),
      seg(`  at ${oneLine(e.context)}`, { ...style, dim: !selected }),
    ]);
    const stack = stackHead(e, tb);
    for (let j = 0; j < tb; j++) lines.push([seg(`${' '.repeat(countWidth + 4)}${stack[j] ?? ''}`, { dim: true })]);
  });
  const n = p.exceptions.length;
  lines.push([seg(`${n} distinct exception${n === 1 ? '' : 's'}${n > visible ? ` · ${p.offset + 1}–${p.offset + shown.length} of ${n}` : ''}`, { dim: true })]);
  return (
    <Box flexDirection="column">
      {lines.map((segments, i) => (
        <Line key={i} segments={segments} width={p.width} />
      ))}
    </Box>
  );
}
