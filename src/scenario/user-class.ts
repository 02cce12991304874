/**
 * One entry of `userClasses:`: its share of the users, wait, host, headers, onStart/onStop steps
 * and weighted tasks (single requests or flows of requests and `think:` pauses).
 */
import { captureNames } from './checks.js';
import { asList, asMap, asNumber, asString, bad, describe, entry, fieldOf, IDENTIFIER, indexOf, isNull } from './read.js';
import type { Ctx } from './read.js';
import { readTemplate } from './read-template.js';
import type { Secrets } from './read-template.js';
import { hasMethod, readHeaders, readRequest } from './request.js';
import type { RequestEnv } from './request.js';
import { BUILTINS } from './template.js';
import type { TemplateScope } from './template.js';
import type { JsonTemplate, RequestStep, Step, Task, Template, UserClass, WaitSpec } from './types.js';
import { addUrlSecrets, normalizeHost } from './urls.js';
import { readWait } from './wait.js';
import { isCall, readCallStep, readOnFailure } from './script-steps.js';
import type { YMap, YNode } from './yaml-source.js';

export const CLASS_KEYS = ['name', 'weight', 'fixedCount', 'wait', 'host', 'headers', 'onStart', 'onStop', 'tasks', 'tags'];
export const FLOW_TASK_KEYS = ['name', 'weight', 'flow', 'onFailure', 'tags'];
/** What a request task and a `call:` task take besides the request's or the call's own keys. */
export const REQUEST_TASK_KEYS = ['weight', 'tags'];
export const CALL_TASK_KEYS = ['name', 'weight', 'tags'];

/** What every class shares: the scenario's variables, data sources and defaults. */
export interface ClassEnv {
  readonly vars: ReadonlyMap<string, string>;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly data: ReadonlyMap<string, readonly string[] | null>;
  readonly secrets: Secrets;
  /** `defaults.headers`, compiled once per class (it may use the class's captures). */
  readonly defaultHeaders: { readonly node: YNode; readonly field: string } | null;
  readonly timeoutMs: number;
  readonly maxRedirects: number;
}

export function readUserClass(ctx: Ctx, node: YNode, field: string, index: number, total: number, env: ClassEnv): UserClass | null {
  const map = asMap(ctx, node, field, CLASS_KEYS, '{ name: Browser, weight: 1, tasks: [ { get: / } ] }');
  if (map === null) return null;
  const before = ctx.problems.count;
  const get = (k: string): YNode | undefined => entry(map, k)?.value;

  const nameNode = get('name');
  const name = nameNode === undefined ? (total === 1 ? 'User' : `User${index + 1}`) : asString(ctx, nameNode, fieldOf(field, 'name'), { coerce: true });

  const weightEntry = entry(map, 'weight');
  const fixedEntry = entry(map, 'fixedCount');
  if (weightEntry !== undefined && fixedEntry !== undefined) {
    bad(ctx, fixedEntry.keyLoc, fieldOf(field, 'fixedCount'), 'use either `weight` (a share of the users) or `fixedCount` (an exact number), not both');
  }
  const weight = weightEntry === undefined ? 1 : asNumber(ctx, weightEntry.value, fieldOf(field, 'weight'), { min: 0, exclusive: true });
  const fixedCount = fixedEntry === undefined ? null : asNumber(ctx, fixedEntry.value, fieldOf(field, 'fixedCount'), { integer: true, min: 0 });

  const tagsNode = get('tags');
  const tags = tagsNode === undefined ? [] : readTags(ctx, tagsNode, fieldOf(field, 'tags'));

  const waitNode = get('wait');
  const wait: WaitSpec | null = waitNode === undefined ? { kind: 'none' } : readWait(ctx, waitNode, fieldOf(field, 'wait'));

  const scope = classScope(map, env);
  const hostNode = get('host');
  let host: string | null = null;
  if (hostNode !== undefined) {
    const t = readTemplate(ctx, hostNode, fieldOf(field, 'host'), { ...scope, runtime: false }, env.secrets, { notSecret: true });
    if (typeof t === 'string') {
      const h = normalizeHost(t);
      if ('error' in h) bad(ctx, hostNode, fieldOf(field, 'host'), h.error);
      else {
        host = h.host;
        addUrlSecrets(host, env.secrets);
      }
    }
  }

  const headers: [string, Template][] = [];
  if (env.defaultHeaders !== null) headers.push(...readHeaders(ctx, env.defaultHeaders.node, env.defaultHeaders.field, scope, env.secrets));
  const headersNode = get('headers');
  if (headersNode !== undefined) headers.push(...readHeaders(ctx, headersNode, fieldOf(field, 'headers'), scope, env.secrets));
  const reqEnv: RequestEnv = {
    scope,
    secrets: env.secrets,
    headers: [...new Map(headers)],
    timeoutMs: env.timeoutMs,
    maxRedirects: env.maxRedirects,
    reservedCapture: (n) => reservedCapture(n, env),
  };

  const onStartNode = get('onStart');
  const onStart = onStartNode === undefined ? [] : readSteps(ctx, onStartNode, fieldOf(field, 'onStart'), reqEnv, new Set());
  const onStopNode = get('onStop');
  const onStop = onStopNode === undefined ? [] : readSteps(ctx, onStopNode, fieldOf(field, 'onStop'), reqEnv);

  const tasksNode = get('tasks');
  const tasks: Task[] = [];
  if (tasksNode === undefined || isNull(tasksNode)) {
    bad(ctx, tasksNode ?? map, fieldOf(field, 'tasks'), 'a user class needs at least one task, like `tasks: [ { get: /health } ]`');
  } else {
    const items = asList(ctx, tasksNode, fieldOf(field, 'tasks'), '[ { get: /api/items } ]');
    if (items !== null && items.length === 0) bad(ctx, tasksNode, fieldOf(field, 'tasks'), 'a user class needs at least one task');
    items?.forEach((item, i) => {
      const t = readTask(ctx, item, indexOf(fieldOf(field, 'tasks'), i), i, reqEnv);
      if (t !== null) tasks.push(t);
    });
  }

  if (ctx.problems.count > before || name === null || weight === null || wait === null || (fixedEntry !== undefined && fixedCount === null)) return null;
  return {
    name,
    weight: fixedCount !== null ? 0 : weight,
    fixedCount,
    host,
    wait,
    onStart,
    onStop,
    tasks,
    tags,
    loc: map.loc,
  };
}

/**
 * `tags: [smoke, write]` (or one tag, `tags: smoke`), for `-T/--tags` and `-E/--exclude-tags`.
 * A class's tags are its tasks' too (as a tagged TaskSet's are in Locust).
 */
function readTags(ctx: Ctx, node: YNode, field: string): string[] {
  const items = node.kind === 'seq' ? node.items : [node];
  const tags: string[] = [];
  items.forEach((item, i) => {
    const f = node.kind === 'seq' ? indexOf(field, i) : field;
    const tag = asString(ctx, item, f, { coerce: true });
    if (tag === null) return;
    if (!/^[^\s,]+$/.test(tag)) bad(ctx, item, f, `a tag is one word without spaces or commas, got ${JSON.stringify(tag)}`);
    else if (!tags.includes(tag)) tags.push(tag);
  });
  return tags;
}

/** The scope of `${...}` in a class: its captures from anywhere in the class are run-time values. */
function classScope(map: YMap, env: ClassEnv): TemplateScope {
  const captures = new Set<string>();
  const visitStep = (n: YNode): void => {
    if (n.kind !== 'map') return;
    for (const c of captureNames(entry(n, 'capture')?.value)) captures.add(c);
    const flow = entry(n, 'flow')?.value;
    if (flow?.kind === 'seq') flow.items.forEach(visitStep);
  };
  for (const key of ['onStart', 'onStop', 'tasks']) {
    const list = entry(map, key)?.value;
    if (list?.kind === 'seq') list.items.forEach(visitStep);
  }
  for (const c of [...captures]) if (reservedCapture(c, env) !== null) captures.delete(c);
  return { vars: env.vars, env: env.env, data: env.data, captures, runtime: true };
}

function reservedCapture(name: string, env: ClassEnv): string | null {
  if (!IDENTIFIER.test(name)) return `\`${name}\` cannot name a capture: use letters, digits and _ (it is used as \${${name}})`;
  if ((BUILTINS as readonly string[]).includes(name) || name === 'env') return `\`${name}\` is a built-in variable; choose another name for the capture`;
  if (env.vars.has(name)) return `\`${name}\` is already defined under vars; choose another name for the capture`;
  if (env.data.has(name)) return `\`${name}\` is already a data source; choose another name for the capture`;
  return null;
}

function readTask(ctx: Ctx, node: YNode, field: string, index: number, env: RequestEnv): Task | null {
  if (node.kind !== 'map') {
    bad(ctx, node, field, `a task is a request like { get: /api/items } or a { flow: [...] }, got ${describe(node)}`);
    return null;
  }
  const weightEntry = entry(node, 'weight');
  const weight = weightEntry === undefined ? 1 : asNumber(ctx, weightEntry.value, fieldOf(field, 'weight'), { min: 0, exclusive: true });
  if (entry(node, 'flow') !== undefined) {
    const map = asMap(ctx, node, field, FLOW_TASK_KEYS);
    if (map === null) return null;
    const nameNode = entry(map, 'name')?.value;
    const name = nameNode === undefined ? `flow ${index + 1}` : asString(ctx, nameNode, fieldOf(field, 'name'), { coerce: true });
    const flowNode = entry(map, 'flow')!.value;
    const before = ctx.problems.count;
    const steps = readSteps(ctx, flowNode, fieldOf(field, 'flow'), env);
    const onFailure = readOnFailure(ctx, entry(map, 'onFailure')?.value, fieldOf(field, 'onFailure'));
    if (flowNode.kind === 'seq' && flowNode.items.length === 0) bad(ctx, flowNode, fieldOf(field, 'flow'), 'a flow needs at least one step');
    if (!steps.some((s) => s.kind !== 'think') && ctx.problems.count === before) bad(ctx, flowNode, fieldOf(field, 'flow'), 'a flow needs at least one request or call');
    const tagsNode = entry(map, 'tags')?.value;
    const tags = tagsNode === undefined ? [] : readTags(ctx, tagsNode, fieldOf(field, 'tags'));
    if (ctx.problems.count > before || name === null || weight === null || onFailure === null) return null;
    return { name, weight, steps, tags, loc: node.loc, onFailure };
  }
  if (isCall(node)) {
    const nameNode = entry(node, 'name')?.value;
    const name = nameNode === undefined ? null : asString(ctx, nameNode, fieldOf(field, 'name'), { coerce: true });
    const step = readCallStep(ctx, node, field, env.timeoutMs, CALL_TASK_KEYS);
    const tagsNode = entry(node, 'tags')?.value;
    const tags = tagsNode === undefined ? [] : readTags(ctx, tagsNode, fieldOf(field, 'tags'));
    if (step === null || weight === null || (nameNode !== undefined && name === null)) return null;
    return { name: name ?? step.fn.name, weight, steps: [step], tags, loc: node.loc };
  }
  if (entry(node, 'think') !== undefined && !hasMethod(node)) {
    bad(ctx, node, field, 'a `think:` pause goes inside a flow; between tasks, use the class `wait:`');
    return null;
  }
  const req = readRequest(ctx, node, field, env, REQUEST_TASK_KEYS);
  const tagsNode = entry(node, 'tags')?.value;
  const tags = tagsNode === undefined ? [] : readTags(ctx, tagsNode, fieldOf(field, 'tags'));
  if (req === null || weight === null) return null;
  return { name: req.name, weight, steps: [req], tags, loc: node.loc };
}

/**
 * A list of steps: requests and `think:` pauses (onStart, onStop, a flow). For onStart, `captured`
 * is the set of captures made so far (it grows step by step): inherited headers that use a later
 * capture are left out of a step (the login does not send `Bearer ${token}`), and a step that
 * itself uses a capture no earlier step made is a problem.
 */
function readSteps(ctx: Ctx, node: YNode, field: string, env: RequestEnv, captured: Set<string> | null = null): Step[] {
  const steps: Step[] = [];
  const items = asList(ctx, node, field, '[ { post: /api/login }, { think: 1s } ]');
  items?.forEach((item, i) => {
    const f = indexOf(field, i);
    if (item.kind !== 'map') {
      bad(ctx, item, f, `a step is a request like { get: /api/items } or a pause like { think: 1s }, got ${describe(item)}`);
      return;
    }
    if (isCall(item) && !hasMethod(item)) {
      const step = readCallStep(ctx, item, f, env.timeoutMs, []);
      if (step !== null) steps.push(step);
      return;
    }
    const think = entry(item, 'think');
    if (think !== undefined && !hasMethod(item)) {
      asMap(ctx, item, f, ['think']);
      const wait = readWait(ctx, think.value, fieldOf(f, 'think'));
      if (wait !== null) steps.push({ kind: 'think', wait, loc: item.loc });
      return;
    }
    if (captured === null) {
      const req = readRequest(ctx, item, f, env, []);
      if (req !== null) steps.push(req);
      return;
    }
    const headers = env.headers.filter(([, v]) => [...captureRefs(v)].every((c) => captured.has(c)));
    const req = readRequest(ctx, item, f, { ...env, headers }, []);
    if (req === null) return;
    const early = [...stepCaptureRefs(req)].filter((c) => !captured.has(c));
    if (early.length > 0) {
      bad(ctx, item, f, `uses \${${early[0]}} before it is captured: onStart steps run in order, and no earlier one captures it`);
      return;
    }
    for (const c of req.captures) captured.add(c.name);
    steps.push(req);
  });
  return steps;
}

function captureRefs(t: Template): Set<string> {
  const out = new Set<string>();
  if (typeof t !== 'string') for (const p of t.parts) if (typeof p !== 'string' && p.kind === 'capture') out.add(p.name);
  return out;
}

function jsonCaptureRefs(j: JsonTemplate, out: Set<string>): void {
  if (j.t === 'tpl') for (const c of captureRefs(j.v)) out.add(c);
  else if (j.t === 'arr') for (const x of j.v) jsonCaptureRefs(x, out);
  else if (j.t === 'obj') for (const [, x] of j.v) jsonCaptureRefs(x, out);
}

/** Every capture a request reads (URL, headers, query, body). */
function stepCaptureRefs(r: RequestStep): Set<string> {
  const out = new Set<string>();
  const add = (t: Template): void => captureRefs(t).forEach((c) => out.add(c));
  add(r.url);
  for (const [, v] of [...r.headers, ...r.query]) add(v);
  const b = r.body;
  if (b?.kind === 'json') jsonCaptureRefs(b.value, out);
  else if (b?.kind === 'text') add(b.value);
  else if (b?.kind === 'form') for (const [, v] of b.fields) add(v);
  return out;
}
