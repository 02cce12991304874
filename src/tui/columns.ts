/**
 * Table layout: which columns fit a width, how wide each is, and how a row becomes padded cells.
 * Columns have a priority; when the terminal is too narrow the least important go first, then the
 * flexible column (the name) shrinks to its minimum and its text is cut with `…`. A laid-out line is
 * never wider than the width it was laid out for.
 */
import type { BasicColor } from './theme.js';
import { fit, textWidth } from './format.js';

export interface Column<R> {
  readonly key: string;
  /** The full header (Locust's), used when every column fits with it. */
  readonly header: string;
  /** A narrower header for tight terminals. */
  readonly short?: string;
  /** Minimum content width; the column widens to its widest cell and header. */
  readonly width: number;
  readonly align: 'left' | 'right';
  /** Higher stays longer. The flexible column is never dropped. */
  readonly priority: number;
  /** Takes the width left over, from `width` up to `maxWidth`. At most one per table. */
  readonly flex?: boolean;
  readonly maxWidth?: number;
  /** The sort key this column sorts by (see `sorting.ts`); default `key`. */
  readonly sortKey?: string;
  /** What the column sorts by (largest first) when `sorting.ts` knows no value for its key (columns a feature adds). */
  sortValue?(row: R): number;
  cell(row: R): string;
  color?(row: R): BasicColor | undefined;
}

export interface PlacedColumn<R> {
  readonly column: Column<R>;
  readonly header: string;
  readonly width: number;
}

export interface TableLayout<R> {
  readonly columns: readonly PlacedColumn<R>[];
  /** Keys of the columns that did not fit. */
  readonly dropped: readonly string[];
  /** Columns taken by the laid-out cells, gaps and the row marker. */
  readonly width: number;
}

/** Width of the selection marker (`› `) that starts every line. */
export const MARKER_WIDTH = 2;
export const GAP = 1;

/**
 * Chooses and sizes columns for `rows` in `width` terminal columns (including the row marker).
 * Full headers are used when every column fits with them, else short ones.
 */
export function layoutTable<R>(columns: readonly Column<R>[], rows: readonly R[], width: number): TableLayout<R> {
  const attempt = (short: boolean): TableLayout<R> => {
    const sized = columns.map((column) => {
      const header = short ? (column.short ?? column.header) : column.header;
      let content = 0;
      for (const row of rows) content = Math.max(content, textWidth(column.cell(row)));
      const headerWidth = textWidth(header);
      if (column.flex) {
        const natural = Math.min(Math.max(content, headerWidth, column.width), column.maxWidth ?? Infinity);
        return { column, header, min: column.width, natural };
      }
      const natural = Math.max(column.width, headerWidth, content);
      return { column, header, min: natural, natural };
    });
    // The flexible column first (never dropped), then by priority.
    const rank = (c: Column<R>): number => (c.flex ? Infinity : c.priority);
    const byPriority = [...sized].sort((a, b) => rank(b.column) - rank(a.column));
    // Strictly by priority: once a column does not fit, every less important one goes too (a
    // narrow unimportant column never takes the place of a wide important one).
    let used = MARKER_WIDTH;
    const kept = new Set<string>();
    for (const s of byPriority) {
      const need = s.min + (kept.size > 0 ? GAP : 0);
      if (!s.column.flex && used + need > width) break;
      kept.add(s.column.key);
      used += need;
    }
    const flex = sized.find((s) => s.column.flex);
    let flexWidth = 0;
    if (flex !== undefined) {
      // Spare width grows the name up to its natural width; a terminal narrower than the minimum shrinks it.
      flexWidth = Math.max(1, Math.min(Math.max(flex.natural, flex.min), flex.min + (width - used)));
    }
    const placed = sized
      .filter((s) => kept.has(s.column.key))
      .map((s) => ({ column: s.column, header: s.header, width: s.column.flex ? flexWidth : s.min }));
    const total = MARKER_WIDTH + placed.reduce((sum, p, i) => sum + p.width + (i > 0 ? GAP : 0), 0);
    return { columns: placed, dropped: sized.filter((s) => !kept.has(s.column.key)).map((s) => s.column.key), width: total };
  };
  const full = attempt(false);
  return full.dropped.length === 0 && full.width <= width ? full : attempt(true);
}

export interface Cell {
  readonly text: string;
  readonly color: BasicColor | undefined;
}

/** The padded cells of one row, in column order (join with `GAP` spaces after the marker). */
export function rowCells<R>(layout: TableLayout<R>, row: R): Cell[] {
  return layout.columns.map((p) => ({
    text: fit(p.column.cell(row), p.width, p.column.align),
    color: p.column.color?.(row),
  }));
}

/** The padded header cells. */
export function headerCells<R>(layout: TableLayout<R>): string[] {
  return layout.columns.map((p) => fit(p.header, p.width, p.column.align));
}

/**
 * The first visible row of a scrolled list: unchanged when `selected` is already in view, else the
 * least movement that brings it into view; always within [0, total - visible].
 */
export function scrollOffset(previous: number, selected: number, visible: number, total: number): number {
  if (visible <= 0 || total <= visible) return 0;
  let offset = previous;
  if (selected < offset) offset = selected;
  if (selected >= offset + visible) offset = selected - visible + 1;
  return Math.max(0, Math.min(offset, total - visible));
}
