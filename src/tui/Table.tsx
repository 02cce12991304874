/**
 * Draws a laid-out table: a header line, the visible rows (the selected one marked `›` and
 * inverted), and an optional pinned row (Aggregated) in bold. Every line is exactly as wide as the
 * layout, which `layoutTable` keeps within the terminal.
 */
import { Box } from 'ink';
import { GAP, type TableLayout, headerCells, rowCells } from './columns.js';
import { Line, type Segment, seg } from './Line.js';

export interface TableProps<R> {
  readonly layout: TableLayout<R>;
  readonly rows: readonly R[];
  /** Index into `rows` of the selected row, or -1. */
  readonly selected: number;
  readonly pinned?: R | undefined;
  readonly width: number;
  /** Column key whose header is highlighted (the sort key). */
  readonly highlight?: string | undefined;
}

const gap = ' '.repeat(GAP);

export function tableHeader<R>(layout: TableLayout<R>, highlight: string | undefined): Segment[] {
  const out: Segment[] = [seg('  ')];
  headerCells(layout).forEach((text, i) => {
    if (i > 0) out.push(seg(gap));
    const key = layout.columns[i]?.column.key;
    out.push(seg(text, key === highlight ? { bold: true, underline: true, color: 'cyan' } : { bold: true }));
  });
  return out;
}

export function tableRow<R>(layout: TableLayout<R>, row: R, selected: boolean, bold = false): Segment[] {
  const style = { inverse: selected, bold: bold || selected };
  const out: Segment[] = [seg(selected ? '› ' : '  ', style)];
  rowCells(layout, row).forEach((cell, i) => {
    if (i > 0) out.push(seg(gap, style));
    out.push(seg(cell.text, { ...style, color: cell.color }));
  });
  return out;
}

export function Table<R>(props: TableProps<R>) {
  const { layout, width } = props;
  return (
    <Box flexDirection="column">
      <Line segments={tableHeader(layout, props.highlight)} width={width} />
      {props.rows.map((row, i) => (
        <Line key={i} segments={tableRow(layout, row, i === props.selected)} width={width} />
      ))}
      {props.pinned !== undefined && <Line segments={tableRow(layout, props.pinned, false, true)} width={width} />}
    </Box>
  );
}
