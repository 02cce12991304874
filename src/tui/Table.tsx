/**
 * Draws a laid-out table: a header line, the visible rows (the selected one marked `›` and
 * inverted), and an optional pinned row (Aggregated) in bold. Every line is exactly as wide as the
 * layout, which `layoutTable` keeps within the terminal.
 */
import { Box } from 'ink';
import { GAP, type TableLayout, headerCells, rowCells } from './columns.js';
import { fit, textWidth } from './format.js';
import { Line, type Segment, seg } from './Line.js';

export interface TableProps<R> {
  readonly layout: TableLayout<R>;
  readonly rows: readonly R[];
  /** Index into `rows` of the selected row, `rows.length` for the pinned row, or -1. */
  readonly selected: number;
  readonly pinned?: R | undefined;
  readonly width: number;
  /** Sort key whose column header is highlighted (a column's `sortKey`, else its `key`). */
  readonly highlight?: string | undefined;
  /** Shown beside the highlighted header: the sort direction (`▼` / `▲`). */
  readonly arrow?: string | undefined;
}

const gap = ' '.repeat(GAP);

/**
 * The header line. The highlighted column's header carries `arrow` beside its text — inside the
 * cell when the cell has a spare column, else in the gap next to it — so it never widens a column.
 */
export function tableHeader<R>(layout: TableLayout<R>, highlight: string | undefined, arrow?: string): Segment[] {
  const texts = headerCells(layout);
  const at = layout.columns.findIndex((p) => (p.column.sortKey ?? p.column.key) === highlight);
  /** Gaps by index: gaps[0] is the marker before the first column, gaps[i] the one before column i. */
  const gaps = layout.columns.map((_, i) => (i === 0 ? '  ' : gap));
  gaps.push('');
  const placed = at === -1 ? undefined : layout.columns[at];
  if (placed !== undefined && arrow !== undefined && arrow !== '') {
    const header = placed.header;
    const spare = placed.width - textWidth(header);
    if (spare >= 1) texts[at] = fit(placed.column.align === 'right' ? arrow + header : header + arrow, placed.width, placed.column.align);
    else if (placed.column.align === 'left' && at + 1 < layout.columns.length) gaps[at + 1] = arrow + (gaps[at + 1] as string).slice(1);
    else gaps[at] = (gaps[at] as string).slice(0, -1) + arrow;
  }
  const highlighted = { bold: true, underline: true, color: 'cyan' } as const;
  const out: Segment[] = [];
  texts.forEach((text, i) => {
    const g = gaps[i] as string;
    // An arrow in a gap is drawn in the sorted column's colour, so it reads as that column's even
    // where it touches the neighbouring header (`# Fails▲Median (ms)`).
    const k = arrow === undefined || arrow === '' ? -1 : g.indexOf(arrow);
    if (k === -1) out.push(seg(g));
    else out.push(seg(g.slice(0, k)), seg(arrow as string, { bold: true, color: 'cyan' }), seg(g.slice(k + (arrow as string).length)));
    out.push(seg(text, i === at ? highlighted : { bold: true }));
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
      <Line segments={tableHeader(layout, props.highlight, props.arrow)} width={width} />
      {props.rows.map((row, i) => (
        <Line key={i} segments={tableRow(layout, row, i === props.selected)} width={width} />
      ))}
      {props.pinned !== undefined && <Line segments={tableRow(layout, props.pinned, props.selected === props.rows.length, true)} width={width} />}
    </Box>
  );
}
