/**
 * Statistics rows by (method, name). Row 0 is the Aggregated row; endpoints get rows 1, 2, … for the
 * life of the collector (a stats reset keeps them, so ids handed to the engine stay valid).
 *
 * Bounded: after `nameCap` distinct (method, name) pairs, each new name is folded into one row per
 * method named `(other: names beyond N)`, and `onFold` is called for the first fold only. Folded
 * names are remembered (so each is counted once in `overflowNames`) up to `REMEMBERED_FOLDS`; past
 * that, they are still folded but no longer counted, and `overflowNames` is a lower bound.
 */
export const AGGREGATED_ROW = 0;
export const AGGREGATED_NAME = 'Aggregated';
const REMEMBERED_FOLDS = 10_000;

export function overflowName(nameCap: number): string {
  return `(other: names beyond ${nameCap})`;
}

export class NameRegistry {
  /** method → name → row. Lookups by two strings allocate nothing. */
  private readonly rows = new Map<string, Map<string, number>>();
  private readonly overflowRows = new Map<string, number>();
  private readonly methodByRow: string[] = [''];
  private readonly nameByRow: string[] = [AGGREGATED_NAME];
  private named = 0;
  private folded = 0;
  private remoteFolded = 0;
  private warned = false;

  constructor(
    readonly nameCap: number,
    private readonly onFold: (method: string, name: string) => void,
    /** Called with the new row count whenever a row is added, before its id is returned. */
    private readonly onNewRow: (rowCount: number) => void,
    /** Applied to a name once, when its row is added (lookups stay by the name as given). */
    private readonly redact: (name: string) => string = (name) => name,
  ) {}

  /** Rows in use, the Aggregated row included. */
  get size(): number {
    return this.methodByRow.length;
  }

  /** Distinct names folded into overflow rows (a lower bound past 10,000). */
  get overflowNames(): number {
    return Math.max(this.folded, this.remoteFolded);
  }

  /** Another process folded `count` names (its cumulative count); the largest report is kept. */
  noteRemoteOverflow(count: number): void {
    if (count > this.remoteFolded) this.remoteFolded = count;
  }

  method(row: number): string {
    return this.methodByRow[row] ?? '';
  }

  name(row: number): string {
    return this.nameByRow[row] ?? '';
  }

  /** The row of (method, name), adding it (or folding it) when new. */
  rowFor(method: string, name: string): number {
    let byName = this.rows.get(method);
    const known = byName?.get(name);
    if (known !== undefined) return known;
    if (byName === undefined) {
      byName = new Map();
      this.rows.set(method, byName);
    }
    if (this.named < this.nameCap) {
      this.named++;
      const row = this.add(method, name);
      byName.set(name, row);
      return row;
    }
    let row = this.overflowRows.get(method);
    if (row === undefined) {
      row = this.add(method, overflowName(this.nameCap));
      this.overflowRows.set(method, row);
    }
    if (this.folded < REMEMBERED_FOLDS) {
      this.folded++;
      byName.set(name, row);
    }
    if (!this.warned) {
      this.warned = true;
      this.onFold(method, name);
    }
    return row;
  }

  private add(method: string, name: string): number {
    const row = this.methodByRow.length;
    this.methodByRow.push(method);
    this.nameByRow.push(this.redact(name));
    this.onNewRow(this.methodByRow.length);
    return row;
  }
}
