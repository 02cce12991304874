/**
 * Reads a table back from a screen (an ink frame or a tmux capture): the cells of one row under the
 * right-aligned headers that match `headers`, by column position — so a test compares numbers with
 * the column they are drawn in, not just somewhere on the line.
 */

/** `{ header: cell }` for each header of `headerLine` matching `headers` (right-aligned columns: a value ends where its header ends). */
export function cellsUnder(headerLine: string, row: string, headers: RegExp): Record<string, string> {
  const cells: Record<string, string> = {};
  const flags = headers.flags.includes('g') ? headers.flags : `${headers.flags}g`;
  for (const m of headerLine.matchAll(new RegExp(headers.source, flags))) {
    const end = (m.index as number) + m[0].length;
    // The cell is the last word before the column's end (cells are separated by at least one space).
    cells[m[0]] = row.slice(0, end).trimEnd().split(/\s+/).at(-1) ?? '';
  }
  return cells;
}

/** Status-code column headers: `No resp`, a class (`4xx`) or a code (`404`), as whole words. */
export const STATUS_HEADERS = /(?<=\s)(No resp|[1-5]xx|[1-5]\d\d)(?=\s|$)/;
