/**
 * HTTP status codes per statistics row (and Aggregated), for `summary.json`'s `statusCodes`. One
 * small map per row, created with the row; recording an already-seen code allocates nothing.
 * A request that got no response (refused, reset, timed out, not sent) has no status and is not here.
 */
import { AGGREGATED_ROW } from './names.js';

export class StatusBook {
  private readonly rows: Map<number, number>[] = [];

  /** Makes room for rows `0 … rows-1`. */
  grow(rows: number): void {
    while (this.rows.length < rows) this.rows.push(new Map());
  }

  record(row: number, code: number): void {
    this.add(row, code, 1);
    this.add(AGGREGATED_ROW, code, 1);
  }

  /** Folds in counts from a delta (`{ "200": 12 }`). */
  merge(row: number, counts: Readonly<Record<string, number>>): void {
    for (const [code, n] of Object.entries(counts)) {
      this.add(row, Number(code), n);
      this.add(AGGREGATED_ROW, Number(code), n);
    }
  }

  /** `{ "200": 12, "404": 1 }`, codes in ascending order. */
  of(row: number): Record<string, number> {
    const m = this.rows[row];
    const out: Record<string, number> = {};
    if (m === undefined) return out;
    for (const code of [...m.keys()].sort((a, b) => a - b)) out[String(code)] = m.get(code)!;
    return out;
  }

  clear(): void {
    for (const m of this.rows) m.clear();
  }

  private add(row: number, code: number, n: number): void {
    const m = this.rows[row];
    if (m !== undefined) m.set(code, (m.get(code) ?? 0) + n);
  }
}
