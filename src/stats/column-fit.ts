/**
 * Which columns of a small table stay within a width: columns are given up whole, in a stated
 * order, rather than a line being cut through a value (a cut `53 MB` reads `53 M`, a cut `3.4%`
 * reads `3`). Shared by the TUI's Target tab and the console's target table. Pure.
 */

/**
 * The indices (ascending) of the columns kept: all of `widths` when they fit in `room` with `gap`
 * columns between them (plus `extra` after the last), else without the columns of `dropOrder`, one
 * at a time in that order, until they fit or the order is used up.
 */
export function keptColumns(widths: readonly number[], gap: number, room: number, dropOrder: readonly number[], extra = 0): number[] {
  const kept = widths.map((_, i) => i);
  const total = (): number => kept.reduce((n, i) => n + (widths[i] ?? 0), 0) + gap * Math.max(0, kept.length - 1) + extra;
  for (const i of dropOrder) {
    if (total() <= room) break;
    const at = kept.indexOf(i);
    if (at >= 0) kept.splice(at, 1);
  }
  return kept;
}
