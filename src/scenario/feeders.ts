/**
 * The `data:` section: named row sources for `${source.column}`, from CSV files (header row
 * first) or inline `rows:`. Files are read through the `readFile` it is given, so this module does
 * no I/O of its own.
 */
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { parseCsv } from './csv.js';
import { suggestion } from './did-you-mean.js';
import { BUILTINS } from './template.js';
import { decodeText } from './text.js';
import { IDENTIFIER, asList, asMap, asString, bad, describe, entry, fieldOf, indexOf, isNull } from './read.js';
import type { Ctx } from './read.js';
import type { DataSource, FeederOrder } from './types.js';
import type { YNode } from './yaml-source.js';

/** Reads a whole file; throws a Node error (with `code`) when it cannot. */
export type ReadFile = (path: string) => Uint8Array;

export interface Feeders {
  readonly sources: readonly DataSource[];
  /** Name → columns, or null for a source that could not be read (see `TemplateScope.data`). */
  readonly columns: ReadonlyMap<string, readonly string[] | null>;
}

const ORDERS: readonly FeederOrder[] = ['sequential', 'random', 'unique'];
export const SOURCE_KEYS = ['csv', 'rows', 'order'];
/** Rows with the wrong field count reported one by one before the rest are summed up. */
const MAX_ROW_PROBLEMS = 3;

export function readFeeders(ctx: Ctx, node: YNode | undefined, readFile: ReadFile | null): Feeders {
  const sources: DataSource[] = [];
  const columns = new Map<string, readonly string[] | null>();
  if (node === undefined || isNull(node)) return { sources, columns };
  const map = asMap(ctx, node, 'data', null, '{ slugs: { csv: data/slugs.csv, order: random } }');
  if (map === null) return { sources, columns };
  for (const e of map.entries) {
    const field = fieldOf('data', e.key);
    if (!IDENTIFIER.test(e.key) || e.key === 'env' || (BUILTINS as readonly string[]).includes(e.key)) {
      bad(ctx, e.keyLoc, field, `\`${e.key}\` cannot name a data source: use letters, digits and _, and not env or a built-in (${BUILTINS.join(', ')})`);
      continue;
    }
    const spec = asMap(ctx, e.value, field, SOURCE_KEYS, '{ csv: data/users.csv, order: unique }');
    if (spec === null) {
      columns.set(e.key, null);
      continue;
    }
    const order = readOrder(ctx, spec.entries.find((x) => x.key === 'order')?.value, fieldOf(field, 'order'));
    const csv = entry(spec, 'csv');
    const rows = entry(spec, 'rows');
    let table: Table | null = null;
    if (csv !== undefined && rows !== undefined) {
      bad(ctx, rows.keyLoc, fieldOf(field, 'rows'), 'use either `csv:` or `rows:`, not both');
    } else if (csv !== undefined) {
      table = readCsvFile(ctx, csv.value, fieldOf(field, 'csv'), readFile);
    } else if (rows !== undefined) {
      table = readInlineRows(ctx, rows.value, fieldOf(field, 'rows'));
    } else {
      bad(ctx, spec, field, 'needs `csv:` (a file of rows, header first) or `rows:` (a list of mappings)');
    }
    columns.set(e.key, table?.columns ?? null);
    if (table !== null && order !== null) {
      sources.push({ name: e.key, file: table.file, order, columns: table.columns, rows: table.rows });
    }
  }
  return { sources, columns };
}

interface Table {
  readonly file: string | null;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

function readOrder(ctx: Ctx, node: YNode | undefined, field: string): FeederOrder | null {
  if (node === undefined) return 'sequential';
  const s = asString(ctx, node, field);
  if (s === null) return null;
  if ((ORDERS as readonly string[]).includes(s)) return s as FeederOrder;
  bad(ctx, node, field, `unknown order \`${s}\`${suggestion(s, ORDERS)} (orders: ${ORDERS.join(', ')})`);
  return null;
}

function readCsvFile(ctx: Ctx, node: YNode, field: string, readFile: ReadFile | null): Table | null {
  const rel = asString(ctx, node, field);
  if (rel === null) return null;
  if (readFile === null) {
    bad(ctx, node, field, 'CSV files cannot be read here (the scenario was not loaded from a file); use `rows:`');
    return null;
  }
  // An absolute path is used as written; a relative one is relative to the scenario's folder.
  const shownPath = isAbsolute(rel) ? rel : join(dirname(ctx.source.file), rel);
  const absolute = resolve(shownPath);
  let bytes: Uint8Array;
  try {
    bytes = readFile(absolute);
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : String((e as Error).message ?? e).replace(/, not a file$/, '');
    bad(ctx, node, field, `cannot read data file ${rel}: ${why} (looked for ${absolute})`);
    return null;
  }
  const text = decodeText(bytes);
  if (!text.ok) {
    ctx.problems.push({ file: shownPath, line: text.line, col: text.col, field: '', message: text.message.replace('a scenario is UTF-8 YAML', 'a data file is UTF-8 CSV') });
    return null;
  }
  const csv = parseCsv(text.text);
  if (!csv.ok) {
    ctx.problems.push({ file: shownPath, line: csv.line, col: csv.col, field: '', message: `CSV: ${csv.message}` });
    return null;
  }
  const [header, ...records] = csv.records;
  if (header === undefined) {
    bad(ctx, node, field, `data file ${rel} is empty: it needs a header row of column names, then rows`);
    return null;
  }
  const columns = header.fields.map((c) => c.trim());
  const problem = (line: number, message: string): void => ctx.problems.push({ file: shownPath, line, col: 1, field: '', message });
  const seen = new Set<string>();
  for (const c of columns) {
    if (c === '') problem(header.line, 'the header row has an empty column name');
    else if (seen.has(c)) problem(header.line, `the header row names column \`${c}\` twice`);
    seen.add(c);
  }
  if (records.length === 0) {
    bad(ctx, node, field, `data file ${rel} has a header but no rows`);
    return null;
  }
  const wrong = records.filter((r) => r.fields.length !== columns.length);
  for (const r of wrong.slice(0, MAX_ROW_PROBLEMS)) {
    problem(r.line, `row has ${r.fields.length} field${r.fields.length === 1 ? '' : 's'}, the header has ${columns.length}`);
  }
  if (wrong.length > MAX_ROW_PROBLEMS) {
    problem(wrong[MAX_ROW_PROBLEMS]!.line, `and ${wrong.length - MAX_ROW_PROBLEMS} more rows with the wrong number of fields`);
  }
  if (wrong.length > 0 || seen.size !== columns.length || columns.includes('')) return null;
  return { file: absolute, columns, rows: records.map((r) => r.fields) };
}

function readInlineRows(ctx: Ctx, node: YNode, field: string): Table | null {
  const items = asList(ctx, node, field, '[ { user: alice, password: a1 } ]');
  if (items === null) return null;
  if (items.length === 0) {
    bad(ctx, node, field, 'needs at least one row');
    return null;
  }
  const columns: string[] = [];
  for (const item of items) {
    if (item.kind === 'map') for (const e of item.entries) if (!columns.includes(e.key)) columns.push(e.key);
  }
  const rows: string[][] = [];
  let ok = true;
  items.forEach((item, i) => {
    const rowField = indexOf(field, i);
    if (item.kind !== 'map') {
      bad(ctx, item, rowField, `a row is a mapping of column: value, got ${describe(item)}`);
      ok = false;
      return;
    }
    const row: string[] = [];
    for (const c of columns) {
      const e = entry(item, c);
      if (e === undefined) {
        bad(ctx, item, rowField, `row has no \`${c}\` (every row needs the same columns: ${columns.join(', ')})`);
        ok = false;
        continue;
      }
      const v = e.value.kind === 'scalar' && e.value.value !== null ? e.value.text : null;
      if (v === null) {
        bad(ctx, e.value, fieldOf(rowField, c), `must be text or a number, got ${describe(e.value)}`);
        ok = false;
      }
      row.push(v ?? '');
    }
    rows.push(row);
  });
  return ok ? { file: null, columns, rows } : null;
}
