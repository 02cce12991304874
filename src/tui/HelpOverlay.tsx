/** The `?` overlay: every key, in one or more columns depending on the room. Shown in place of the tab body. */
import { Box } from 'ink';
import { fit, textWidth } from './format.js';
import { KEYMAP } from './keymap.js';
import { Line, type Segment, seg } from './Line.js';

export interface HelpOverlayProps {
  readonly width: number;
  readonly height: number;
}

export function HelpOverlay({ width, height }: HelpOverlayProps) {
  const keyWidth = Math.max(...KEYMAP.map((k) => textWidth(k.keys)));
  const entryWidth = keyWidth + 2 + Math.max(...KEYMAP.map((k) => textWidth(k.action)));
  // The title takes a line; a "more" line is needed only when something is left out.
  const rowsAvailable = Math.max(1, height - 1 >= KEYMAP.length ? height - 1 : height - 2);
  // As many columns as it takes to show every key, as many as fit the width.
  const fitting = Math.max(1, Math.floor((width + 4) / (entryWidth + 6)));
  const columns = Math.min(fitting, Math.ceil(KEYMAP.length / rowsAvailable));
  const perColumn = Math.ceil(KEYMAP.length / columns);
  const lines: Segment[][] = [[seg('Keys', { bold: true }), seg('   (? or Esc closes; any other key does its job)', { dim: true })]];
  for (let r = 0; r < Math.min(perColumn, rowsAvailable); r++) {
    const line: Segment[] = [];
    for (let c = 0; c < columns; c++) {
      const k = KEYMAP[c * perColumn + r];
      if (k === undefined) continue;
      if (c > 0) line.push(seg('    '));
      line.push(seg(`  ${fit(k.keys, keyWidth)}`, { bold: true, color: 'cyan' }), seg(`  ${columns > 1 ? fit(k.action, entryWidth - keyWidth - 2) : k.action}`));
    }
    lines.push(line);
  }
  const hidden = KEYMAP.length - Math.min(perColumn, rowsAvailable) * columns;
  if (hidden > 0) lines.push([seg(`… ${hidden} more: enlarge the terminal`, { dim: true })]);
  return (
    <Box flexDirection="column">
      {lines.map((segments, i) => (
        <Line key={i} segments={segments} width={width} />
      ))}
    </Box>
  );
}
