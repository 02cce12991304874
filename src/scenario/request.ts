/**
 * One HTTP request as written in a task, flow, onStart or onStop: `get: /api/items` plus name,
 * headers, query, a json/form/body payload, timeout, redirects, checks and captures.
 */
import { readCaptures, readChecks } from './checks.js';
import { asDuration, asMap, asNumber, asString, bad, entry, fieldOf, indexOf, isNull, unknownKey } from './read.js';
import type { Ctx } from './read.js';
import { readTemplate } from './read-template.js';
import type { Secrets } from './read-template.js';
import type { TemplateScope } from './template.js';
import { compileTemplate, templateSource } from './template.js';
import type { JsonTemplate, RequestBody, RequestStep, Template } from './types.js';
import { addUrlSecrets, requestUrlProblem } from './urls.js';
import { readScriptRef } from './script-steps.js';
import type { YEntry, YMap, YNode } from './yaml-source.js';

export const METHODS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options'] as const;
export const REQUEST_KEYS: readonly string[] = [...METHODS, 'name', 'headers', 'query', 'json', 'form', 'body', 'timeout', 'redirects', 'check', 'capture', 'before', 'after'];
const BODY_KEYS = ['json', 'form', 'body'];
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** What a request inherits from the scenario and its user class. */
export interface RequestEnv {
  readonly scope: TemplateScope;
  readonly secrets: Secrets;
  /** Scenario defaults then class headers, lower-case names, later entries winning. */
  readonly headers: readonly (readonly [string, Template])[];
  readonly timeoutMs: number;
  readonly maxRedirects: number;
  /** Why a name cannot be a capture, or null. */
  readonly reservedCapture: (name: string) => string | null;
}

/** True when the mapping has a method key (so it is a request rather than something else). */
export function hasMethod(map: YMap): boolean {
  return map.entries.some((e) => (METHODS as readonly string[]).includes(e.key));
}

/**
 * A request from `map`, whose keys may be request keys or `extraKeys` (read by the caller, like a
 * task's `weight`). Returns null when anything is wrong (all problems recorded).
 */
export function readRequest(ctx: Ctx, map: YMap, field: string, env: RequestEnv, extraKeys: readonly string[]): RequestStep | null {
  const allowed = [...REQUEST_KEYS, ...extraKeys];
  let unknown = 0;
  for (const e of map.entries) {
    if (allowed.includes(e.key)) continue;
    unknownKey(ctx, e, field, [...allowed, ...(extraKeys.includes('weight') ? ['flow'] : ['think'])]);
    unknown++;
  }
  const before = ctx.problems.count;
  const methods = map.entries.filter((e) => (METHODS as readonly string[]).includes(e.key));
  if (methods.length === 0) {
    // With an unknown key (`gett:`, `url:`), its own problem says what was expected.
    if (unknown === 0) bad(ctx, map, field, `needs a method and URL, like \`get: /api/items\` (methods: ${METHODS.join(', ')})`);
    return null;
  }
  for (const extra of methods.slice(1)) {
    bad(ctx, extra.keyLoc, fieldOf(field, extra.key), `a request has one method, but this one also has \`${methods[0]!.key}\` (use a flow for several requests)`);
  }
  const m = methods[0]!;
  const urlField = fieldOf(field, m.key);
  const url = readTemplate(ctx, m.value, urlField, env.scope, env.secrets);
  if (url !== null) {
    const why = requestUrlProblem(url);
    if (why !== null) bad(ctx, m.value, urlField, why);
    else if (typeof url === 'string') addUrlSecrets(url, env.secrets);
  }
  const get = (k: string): YEntry | undefined => entry(map, k);

  const nameEntry = get('name');
  const name = nameEntry === undefined ? null : asString(ctx, nameEntry.value, fieldOf(field, 'name'), { coerce: true });

  const headers = new Map(env.headers);
  const h = get('headers');
  for (const [k, v] of h === undefined ? [] : readHeaders(ctx, h.value, fieldOf(field, 'headers'), env.scope, env.secrets)) headers.set(k, v);

  const q = get('query');
  const query = q === undefined ? [] : readQuery(ctx, q.value, fieldOf(field, 'query'), env);

  const bodies = map.entries.filter((e) => BODY_KEYS.includes(e.key));
  for (const extra of bodies.slice(1)) {
    bad(ctx, extra.keyLoc, fieldOf(field, extra.key), `a request has one payload: \`${bodies[0]!.key}\` is already given (json, form and body exclude each other)`);
  }
  const contentType = headers.get('content-type');
  const body = bodies[0] === undefined ? null : readBody(ctx, bodies[0], fieldOf(field, bodies[0].key), env, typeof contentType === 'string' ? contentType : null);

  const t = get('timeout');
  const timeoutMs = t === undefined ? env.timeoutMs : asDuration(ctx, t.value, fieldOf(field, 'timeout'));
  const r = get('redirects');
  const maxRedirects = r === undefined ? env.maxRedirects : asNumber(ctx, r.value, fieldOf(field, 'redirects'), { integer: true, min: 0 });

  const c = get('check');
  const checks = c === undefined ? [] : readChecks(ctx, c.value, fieldOf(field, 'check'));
  const cap = get('capture');
  const captures = cap === undefined ? [] : readCaptures(ctx, cap.value, fieldOf(field, 'capture'), env.reservedCapture);

  const hookBefore = get('before');
  const beforeRef = hookBefore === undefined ? null : readScriptRef(ctx, hookBefore.value, fieldOf(field, 'before'));
  const hookAfter = get('after');
  const afterRef = hookAfter === undefined ? null : readScriptRef(ctx, hookAfter.value, fieldOf(field, 'after'));

  if (ctx.problems.count > before || url === null || timeoutMs === null || maxRedirects === null) return null;
  const needsBody =
    afterRef !== null || checks.some((x) => x.kind === 'json' || x.kind === 'bodyContains') || captures.some((x) => x.from === 'json' || x.from === 'regex');
  return {
    kind: 'request',
    method: m.key.toUpperCase(),
    url,
    // As written, `${...}` kept: templated URLs share one row, and substituted secrets stay out.
    name: name ?? (m.value.kind === 'scalar' ? m.value.text : templateSource(url)),
    headers: [...headers],
    query,
    body,
    timeoutMs,
    maxRedirects,
    checks,
    captures,
    needsBody,
    loc: map.loc,
    ...(beforeRef !== null ? { before: beforeRef } : {}),
    ...(afterRef !== null ? { after: afterRef } : {}),
  };
}

/** `headers:` as [lower-case name, value] pairs in order; bad entries are reported and skipped. */
export function readHeaders(ctx: Ctx, node: YNode, field: string, scope: TemplateScope, secrets: Secrets): [string, Template][] {
  const out: [string, Template][] = [];
  if (isNull(node)) return out;
  const map = asMap(ctx, node, field, null, '{ authorization: "Bearer ${token}" }');
  if (map === null) return out;
  for (const e of map.entries) {
    const f = fieldOf(field, e.key);
    if (!HEADER_NAME.test(e.key)) {
      bad(ctx, e.keyLoc, f, `\`${e.key}\` is not a valid header name (letters, digits and - are safe)`);
      continue;
    }
    const v = readTemplate(ctx, e.value, f, scope, secrets);
    if (v === null) continue;
    const literal = typeof v === 'string' ? [v] : v.parts.filter((p): p is string => typeof p === 'string');
    if (literal.some((p) => /[\x00-\x08\x0a-\x1f\x7f]/.test(p))) {
      bad(ctx, e.value, f, 'a header value cannot contain line breaks or other control characters');
      continue;
    }
    out.push([e.key.toLowerCase(), v]);
  }
  return out;
}

function readQuery(ctx: Ctx, node: YNode, field: string, env: RequestEnv): [string, Template][] {
  const out: [string, Template][] = [];
  if (isNull(node)) return out;
  const map = asMap(ctx, node, field, null, '{ page: 1, q: "${term}" }');
  if (map === null) return out;
  for (const e of map.entries) {
    const f = fieldOf(field, e.key);
    const values = e.value.kind === 'seq' ? e.value.items : [e.value];
    values.forEach((v, i) => {
      const t = readTemplate(ctx, v, e.value.kind === 'seq' ? indexOf(f, i) : f, env.scope, env.secrets);
      if (t !== null) out.push([e.key, t]);
    });
  }
  return out;
}

function readBody(ctx: Ctx, e: YEntry, field: string, env: RequestEnv, contentType: string | null): RequestBody | null {
  const encoder = new TextEncoder();
  if (e.key === 'json') {
    const value = jsonTemplate(ctx, e.value, field, env);
    if (value === null) return null;
    if (!hasTemplate(value)) {
      return { kind: 'static', contentType: contentType ?? 'application/json', bytes: encoder.encode(JSON.stringify(plainJson(value))) };
    }
    return { kind: 'json', value };
  }
  if (e.key === 'form') {
    const map = asMap(ctx, e.value, field, null, '{ qty: 1, item: "${items.id}" }');
    if (map === null) return null;
    const fields: [string, Template][] = [];
    let ok = true;
    for (const f of map.entries) {
      const t = readTemplate(ctx, f.value, fieldOf(field, f.key), env.scope, env.secrets);
      if (t === null) ok = false;
      else fields.push([f.key, t]);
    }
    if (!ok) return null;
    if (fields.every(([, t]) => typeof t === 'string')) {
      const text = new URLSearchParams(fields as [string, string][]).toString();
      return { kind: 'static', contentType: contentType ?? 'application/x-www-form-urlencoded', bytes: encoder.encode(text) };
    }
    return { kind: 'form', fields };
  }
  const text = readTemplate(ctx, e.value, field, env.scope, env.secrets);
  if (text === null) return null;
  const type = contentType ?? 'text/plain; charset=utf-8';
  return typeof text === 'string' ? { kind: 'static', contentType: type, bytes: encoder.encode(text) } : { kind: 'text', contentType: type, value: text };
}

function jsonTemplate(ctx: Ctx, node: YNode, field: string, env: RequestEnv): JsonTemplate | null {
  if (node.kind === 'seq') {
    const items = node.items.map((n, i) => jsonTemplate(ctx, n, indexOf(field, i), env));
    return items.every((x): x is JsonTemplate => x !== null) ? { t: 'arr', v: items } : null;
  }
  if (node.kind === 'map') {
    const entries = node.entries.map((e) => [e.key, jsonTemplate(ctx, e.value, fieldOf(field, e.key), env)] as const);
    return entries.every((x): x is readonly [string, JsonTemplate] => x[1] !== null) ? { t: 'obj', v: entries } : null;
  }
  if (typeof node.value !== 'string') return { t: 'lit', v: node.value };
  const r = compileTemplate(node.value, env.scope);
  if (r.issues.length > 0) {
    for (const issue of r.issues) ctx.problems.at(ctx.source.locWithin(node, issue.ref), field, issue.message);
    return null;
  }
  for (const v of r.envValues) env.secrets.add(v);
  return typeof r.template === 'string' ? { t: 'lit', v: r.template } : { t: 'tpl', v: r.template };
}

function hasTemplate(j: JsonTemplate): boolean {
  if (j.t === 'tpl') return true;
  if (j.t === 'arr') return j.v.some(hasTemplate);
  if (j.t === 'obj') return j.v.some(([, v]) => hasTemplate(v));
  return false;
}

function plainJson(j: JsonTemplate): unknown {
  if (j.t === 'lit') return j.v;
  if (j.t === 'arr') return j.v.map(plainJson);
  if (j.t === 'obj') return Object.fromEntries(j.v.map(([k, v]) => [k, plainJson(v)]));
  return j.v.source;
}
