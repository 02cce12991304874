/**
 * The `thresholds:` list (expressions, or `{ expr, abort, grace }`), `--threshold` flags, and the
 * check that each threshold's endpoint names a request the scenario makes.
 */
import { didYouMean } from './did-you-mean.js';
import type { Problems } from './errors.js';
import { asBool, asDuration, asList, asMap, bad, describe, entry, fieldOf, indexOf } from './read.js';
import type { Ctx } from './read.js';
import { parseThreshold } from './threshold.js';
import type { Threshold } from './types.js';
import type { YNode } from './yaml-source.js';

export const THRESHOLD_KEYS = ['expr', 'abort', 'grace'];

/** A threshold and the field (or flag) it was given by, for later problems. */
export interface PlacedThreshold {
  readonly threshold: Threshold;
  readonly field: string;
}

export function readThresholdList(ctx: Ctx, node: YNode, field: string): PlacedThreshold[] | null {
  const items = asList(ctx, node, field, '[ "p95 < 500ms", "error_rate < 1%" ]');
  if (items === null) return null;
  const out: PlacedThreshold[] = [];
  let ok = true;
  items.forEach((item, i) => {
    const f = indexOf(field, i);
    const t = readOne(ctx, item, f);
    if (t === null) ok = false;
    else out.push({ threshold: t, field: f });
  });
  return ok ? out : null;
}

function readOne(ctx: Ctx, node: YNode, field: string): Threshold | null {
  if (node.kind === 'scalar' && typeof node.value === 'string') {
    const p = parseThreshold(node.value);
    if (typeof p === 'string') {
      bad(ctx, node, field, p);
      return null;
    }
    return { ...p, abortOnFail: false, abortGraceMs: 0, loc: node.loc };
  }
  if (node.kind === 'map' && node.entries.length === 1 && !THRESHOLD_KEYS.includes(node.entries[0]!.key)) {
    // `- /api/search: p99 < 300ms` reads in YAML as a one-key mapping: endpoint → expression.
    const e = node.entries[0]!;
    if (e.value.kind !== 'scalar' || typeof e.value.value !== 'string') {
      bad(ctx, e.value, fieldOf(field, e.key), `must be an expression like "p99 < 300ms", got ${describe(e.value)}`);
      return null;
    }
    const p = parseThreshold(`${e.key}: ${e.value.value}`);
    if (typeof p === 'string') {
      bad(ctx, e.keyLoc, field, p);
      return null;
    }
    return { ...p, abortOnFail: false, abortGraceMs: 0, loc: e.keyLoc };
  }
  if (node.kind !== 'map') {
    bad(ctx, node, field, `a threshold is an expression like "p95 < 500ms" or { expr: "p95 < 500ms", abort: true, grace: 30s }, got ${describe(node)}`);
    return null;
  }
  const map = asMap(ctx, node, field, THRESHOLD_KEYS);
  if (map === null) return null;
  const exprEntry = entry(map, 'expr');
  if (exprEntry === undefined) {
    bad(ctx, node, field, 'needs `expr:`, like { expr: "p95 < 500ms", abort: true }');
    return null;
  }
  const abortEntry = entry(map, 'abort');
  const graceEntry = entry(map, 'grace');
  const abortOnFail = abortEntry === undefined ? false : asBool(ctx, abortEntry.value, fieldOf(field, 'abort'));
  const abortGraceMs = graceEntry === undefined ? 0 : asDuration(ctx, graceEntry.value, fieldOf(field, 'grace'), { allowZero: true });
  if (graceEntry !== undefined && abortEntry === undefined) {
    bad(ctx, graceEntry.keyLoc, fieldOf(field, 'grace'), '`grace` only matters with `abort: true`');
  }
  const exprNode = exprEntry.value;
  const exprField = fieldOf(field, 'expr');
  if (exprNode.kind !== 'scalar' || typeof exprNode.value !== 'string') {
    bad(ctx, exprNode, exprField, `must be an expression like "p95 < 500ms", got ${describe(exprNode)}`);
    return null;
  }
  const p = parseThreshold(exprNode.value);
  if (typeof p === 'string') {
    bad(ctx, exprNode, exprField, p);
    return null;
  }
  if (abortOnFail === null || abortGraceMs === null) return null;
  return { ...p, abortOnFail, abortGraceMs, loc: exprNode.loc };
}

/**
 * A problem for each threshold whose endpoint is not a request name of the scenario (`name`, or
 * `METHOD name`), with a "did you mean". Thresholds without an endpoint apply to the Aggregated row.
 */
export function checkEndpoints(problems: Problems, thresholds: readonly PlacedThreshold[], names: ReadonlySet<string>): void {
  for (const { threshold: t, field } of thresholds) {
    if (t.endpoint === null || names.has(t.endpoint)) continue;
    const close = didYouMean(t.endpoint, names);
    const hint = close !== null ? `; did you mean \`${close}\`?` : '';
    const message = `no request is named \`${t.endpoint}\`${hint} (thresholds name a stats row: a request's name, optionally after its method)`;
    if (t.loc !== null) problems.at(t.loc, field, message);
    else problems.flag(field, message);
  }
}
