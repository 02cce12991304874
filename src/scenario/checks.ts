/**
 * A request's `check:` (status, JSON paths, body text, headers, latency) and `capture:` (values
 * kept for later requests as `${name}`). Validated here; evaluated by the engine.
 */
import { parseJsonPath } from './jsonpath.js';
import { asBool, asDuration, asMap, asNumber, asString, bad, describe, entry, fieldOf, indexOf, isNull } from './read.js';
import type { Ctx } from './read.js';
import type { Capture, Check, JsonPath, SourceLoc } from './types.js';
import type { YNode } from './yaml-source.js';

export const CHECK_KEYS = ['status', 'json', 'body', 'header', 'maxLatency'];
export const CAPTURE_KEYS = ['json', 'header', 'regex', 'group', 'secret'];
const JSON_OPS = 'exists, absent or { equals: value }';

export function readChecks(ctx: Ctx, node: YNode, field: string): Check[] {
  const checks: Check[] = [];
  if (isNull(node)) return checks;
  const map = asMap(ctx, node, field, CHECK_KEYS, '{ status: 200, json: { $.id: exists } }');
  if (map === null) return checks;
  for (const e of map.entries) {
    const f = fieldOf(field, e.key);
    const v = e.value;
    switch (e.key) {
      case 'status': {
        const c = readStatus(ctx, v, f);
        if (c !== null) checks.push(c);
        break;
      }
      case 'json':
        checks.push(...readJsonChecks(ctx, v, f));
        break;
      case 'body': {
        const body = asMap(ctx, v, f, ['contains'], '{ contains: "ok" }');
        const contains = body === null ? undefined : entry(body, 'contains');
        if (body !== null && contains === undefined) bad(ctx, v, f, 'needs `contains:` (text the body must contain)');
        if (contains !== undefined) {
          const cf = fieldOf(f, 'contains');
          const items = contains.value.kind === 'seq' ? contains.value.items : [contains.value];
          items.forEach((item, i) => {
            const text = asString(ctx, item, contains.value.kind === 'seq' ? indexOf(cf, i) : cf, { coerce: true });
            if (text !== null) checks.push({ kind: 'bodyContains', text, loc: item.loc });
          });
        }
        break;
      }
      case 'header':
        checks.push(...readHeaderChecks(ctx, v, f));
        break;
      case 'maxLatency': {
        const ms = asDuration(ctx, v, f);
        if (ms !== null) checks.push({ kind: 'maxLatency', ms, loc: v.loc });
        break;
      }
    }
  }
  return checks;
}

const STATUS_HINT = 'a status like 200, a list like [200, 201], a class like "2xx" or a range like "200-299"';

function readStatus(ctx: Ctx, node: YNode, field: string): Check | null {
  const items = node.kind === 'seq' ? node.items : [node];
  if (items.length === 0) {
    bad(ctx, node, field, `must be ${STATUS_HINT}, got an empty list`);
    return null;
  }
  const ranges: [number, number][] = [];
  const labels: string[] = [];
  let ok = true;
  items.forEach((item, i) => {
    const f = node.kind === 'seq' ? indexOf(field, i) : field;
    const r = item.kind === 'scalar' ? statusRange(item.value) : null;
    if (r === null) {
      bad(ctx, item, f, `must be ${STATUS_HINT}, got ${describe(item)}`);
      ok = false;
      return;
    }
    ranges.push(r);
    labels.push(item.kind === 'scalar' ? item.text : '');
  });
  return ok ? { kind: 'status', ranges, label: labels.join(' or '), loc: node.loc } : null;
}

function statusRange(v: unknown): [number, number] | null {
  const valid = (n: number): boolean => Number.isInteger(n) && n >= 100 && n <= 599;
  if (typeof v === 'number') return valid(v) ? [v, v] : null;
  if (typeof v !== 'string') return null;
  const s = v.trim();
  if (/^\d{3}$/.test(s)) return valid(Number(s)) ? [Number(s), Number(s)] : null;
  const cls = /^([1-5])xx$/i.exec(s);
  if (cls !== null) return [Number(cls[1]) * 100, Number(cls[1]) * 100 + 99];
  const range = /^(\d{3})\s*-\s*(\d{3})$/.exec(s);
  if (range !== null) {
    const lo = Number(range[1]);
    const hi = Number(range[2]);
    return valid(lo) && valid(hi) && lo <= hi ? [lo, hi] : null;
  }
  return null;
}

function readPath(ctx: Ctx, text: string, at: YNode | SourceLoc, field: string): JsonPath | null {
  const p = parseJsonPath(text);
  if (typeof p === 'string') {
    bad(ctx, at, field, p);
    return null;
  }
  return p;
}

function readJsonChecks(ctx: Ctx, node: YNode, field: string): Check[] {
  const checks: Check[] = [];
  const map = asMap(ctx, node, field, null, '{ $.id: exists, $.kind: { equals: story } }');
  if (map === null) return checks;
  if (map.entries.length === 0) bad(ctx, node, field, 'needs at least one JSON path, like { $.id: exists }');
  for (const e of map.entries) {
    const f = fieldOf(field, e.key);
    const path = readPath(ctx, e.key, e.keyLoc, f);
    const v = e.value;
    if (v.kind === 'scalar' && (v.value === 'exists' || v.value === 'absent')) {
      if (path !== null) checks.push({ kind: 'json', path, op: v.value, loc: e.keyLoc });
      continue;
    }
    if (v.kind !== 'map') {
      bad(ctx, v, f, `unknown check ${describe(v)}: use ${JSON_OPS}`);
      continue;
    }
    const op = asMap(ctx, v, f, ['equals'], '{ equals: value }');
    const eq = op === null ? undefined : entry(op, 'equals');
    if (op !== null && eq === undefined) bad(ctx, v, f, `needs an operation: ${JSON_OPS}`);
    if (path !== null && eq !== undefined) checks.push({ kind: 'json', path, op: 'equals', value: toPlain(eq.value), loc: e.keyLoc });
  }
  return checks;
}

function readHeaderChecks(ctx: Ctx, node: YNode, field: string): Check[] {
  const checks: Check[] = [];
  const map = asMap(ctx, node, field, null, '{ content-type: { matches: json } }');
  if (map === null) return checks;
  for (const e of map.entries) {
    const f = fieldOf(field, e.key);
    const name = e.key.toLowerCase();
    const v = e.value;
    if (v.kind === 'scalar' && v.value === 'exists') {
      checks.push({ kind: 'header', name, op: 'exists', loc: e.keyLoc });
      continue;
    }
    if (v.kind !== 'map') {
      bad(ctx, v, f, `unknown check ${describe(v)}: use exists, { equals: text } or { matches: regex }`);
      continue;
    }
    const op = asMap(ctx, v, f, ['equals', 'matches'], '{ matches: json }');
    if (op === null) continue;
    const known = op.entries.filter((x) => x.key === 'equals' || x.key === 'matches');
    if (known.length !== 1) {
      bad(ctx, v, f, known.length === 0 ? 'needs `equals:` or `matches:`' : 'use either `equals:` or `matches:`, not both');
      continue;
    }
    const k = known[0]!;
    const text = asString(ctx, k.value, fieldOf(f, k.key), { coerce: true, allowEmpty: k.key === 'equals' });
    if (text === null) continue;
    if (k.key === 'equals') {
      checks.push({ kind: 'header', name, op: 'equals', value: text, loc: k.value.loc });
    } else {
      const regex = compileRegex(ctx, text, k.value, fieldOf(f, k.key));
      if (regex !== null) checks.push({ kind: 'header', name, op: 'matches', value: text, regex, loc: k.value.loc });
    }
  }
  return checks;
}

/** The names a `capture:` mapping declares (no checking), for scoping `${name}` before building. */
export function captureNames(node: YNode | undefined): string[] {
  return node !== undefined && node.kind === 'map' ? node.entries.map((e) => e.key) : [];
}

/** `reserved(name)` returns why a name cannot be used for a capture, or null. */
export function readCaptures(ctx: Ctx, node: YNode, field: string, reserved: (name: string) => string | null): Capture[] {
  const captures: Capture[] = [];
  if (isNull(node)) return captures;
  const map = asMap(ctx, node, field, null, '{ token: { json: $.token } }');
  if (map === null) return captures;
  for (const e of map.entries) {
    const f = fieldOf(field, e.key);
    const why = reserved(e.key);
    if (why !== null) {
      bad(ctx, e.keyLoc, f, why);
      continue;
    }
    const c = readCapture(ctx, e.key, e.value, f);
    if (c !== null) captures.push(c);
  }
  return captures;
}

function readCapture(ctx: Ctx, name: string, v: YNode, f: string): Capture | null {
  if (v.kind === 'scalar' && typeof v.value === 'string' && v.value.startsWith('$')) {
    const path = readPath(ctx, v.value, v, f);
    return path === null ? null : { name, from: 'json', path, secret: false, loc: v.loc };
  }
  const spec = asMap(ctx, v, f, CAPTURE_KEYS, '{ json: $.token } or { header: x-request-id } or { regex: "id=(\\d+)", group: 1 }');
  if (spec === null) return null;
  const sources = spec.entries.filter((x) => x.key === 'json' || x.key === 'header' || x.key === 'regex');
  if (sources.length !== 1) {
    bad(ctx, v, f, sources.length === 0 ? 'needs one of `json:`, `header:` or `regex:`' : `use one of json, header or regex, not ${sources.map((x) => x.key).join(' and ')}`);
    return null;
  }
  const secretEntry = entry(spec, 'secret');
  const secret = secretEntry === undefined ? false : asBool(ctx, secretEntry.value, fieldOf(f, 'secret'));
  const groupEntry = entry(spec, 'group');
  const src = sources[0]!;
  const text = asString(ctx, src.value, fieldOf(f, src.key));
  if (groupEntry !== undefined && src.key !== 'regex') bad(ctx, groupEntry.keyLoc, fieldOf(f, 'group'), '`group` goes with `regex:` only');
  if (text === null || secret === null) return null;
  if (src.key === 'json') {
    const path = readPath(ctx, text, src.value, fieldOf(f, 'json'));
    return path === null ? null : { name, from: 'json', path, secret, loc: v.loc };
  }
  if (src.key === 'header') return { name, from: 'header', header: text.toLowerCase(), secret, loc: v.loc };
  const regex = compileRegex(ctx, text, src.value, fieldOf(f, 'regex'));
  if (regex === null) return null;
  const groups = new RegExp(`${text}|`).exec('')!.length - 1;
  let group = groups >= 1 ? 1 : 0;
  if (groupEntry !== undefined) {
    const g = asNumber(ctx, groupEntry.value, fieldOf(f, 'group'), { integer: true, min: 0 });
    if (g === null) return null;
    if (g > groups) {
      bad(ctx, groupEntry.value, fieldOf(f, 'group'), `the regex has ${groups} group${groups === 1 ? '' : 's'}, so group ${g} does not exist`);
      return null;
    }
    group = g;
  }
  return { name, from: 'regex', regex, group, secret, loc: v.loc };
}

function compileRegex(ctx: Ctx, text: string, node: YNode, field: string): RegExp | null {
  try {
    return new RegExp(text);
  } catch (e) {
    const why = String((e as Error).message).replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '');
    bad(ctx, node, field, `invalid regex ${JSON.stringify(text)}: ${why}`);
    return null;
  }
}

/** The plain value of a YAML node (for `equals:`). */
export function toPlain(node: YNode): unknown {
  if (node.kind === 'scalar') return node.value;
  if (node.kind === 'seq') return node.items.map(toPlain);
  return Object.fromEntries(node.entries.map((e) => [e.key, toPlain(e.value)]));
}
