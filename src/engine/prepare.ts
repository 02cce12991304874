/**
 * Everything about a request that does not change between sends, computed once per run: the
 * statistics row, the path and query as one template, a flat header list, the body, checks,
 * captures, and, for a request with nothing to render, the finished dispatch options.
 */
import type { Dispatcher } from 'undici';
import type { RequestStep, Scenario, Step, Task, UserClass, WaitSpec } from '../scenario/types.js';
import type { ResultSink } from './types.js';
import { type Prepared, TemplatePreparer } from './render.js';
import { type PreparedCapture, type PreparedCheck, prepareCapture, prepareCheck } from './checks.js';
import { WeightedPicker } from './weights.js';
import { encodeTargetText } from './targets.js';
import type { ScriptRuntime } from './script-user.js';
import type { VirtualUser } from './user.js';

export interface PreparedRequest {
  readonly step: RequestStep;
  readonly endpointId: number;
  readonly method: string;
  /** Origin of a request to the class host (`http://127.0.0.1:8000`), or null when the URL is absolute. */
  readonly origin: string | null;
  /** The path with the host's base path and the query (or the absolute URL when `origin` is null). */
  readonly target: Prepared;
  /** Header names (lower case) and their templates, in order. */
  readonly headerNames: readonly string[];
  readonly headerValues: readonly Prepared[];
  /** The flat `[name, value, ...]` header list when no header needs rendering. */
  readonly staticHeaders: readonly string[] | null;
  readonly body: Prepared | Uint8Array | null;
  readonly contentType: string | null;
  /** Complete dispatch options when nothing needs rendering (shared by all users; never mutated). */
  readonly staticOptions: Dispatcher.DispatchOptions | null;
  readonly timeoutMs: number;
  readonly maxRedirects: number;
  readonly checks: readonly PreparedCheck[];
  readonly hasStatusCheck: boolean;
  readonly captures: readonly PreparedCapture[];
  readonly needsBody: boolean;
  readonly needsHeaders: boolean;
}

export interface PreparedThink {
  readonly kind: 'think';
  readonly wait: WaitSpec;
}

/** A step run by script code (`call:`, a request with `before:`/`after:`): see script-user.ts. */
export interface PreparedScriptStep {
  readonly kind: 'script';
  readonly name: string;
  /** Starts the step; it ends with `user.scriptStepDone()`. */
  run(user: VirtualUser): void;
}

export type PreparedStep = PreparedRequest | PreparedThink | PreparedScriptStep;

export interface PreparedTask {
  readonly name: string;
  readonly index: number;
  readonly steps: readonly PreparedStep[];
  /** `onFailure: continue`: a failed step does not end the flow. */
  readonly continueOnFailure: boolean;
}

export interface PreparedClass {
  readonly index: number;
  readonly source: UserClass;
  readonly name: string;
  readonly wait: WaitSpec;
  readonly onStart: readonly PreparedStep[];
  readonly onStop: readonly PreparedStep[];
  readonly tasks: readonly PreparedTask[];
  readonly picker: WeightedPicker;
  /** Origin of the class host. */
  readonly origin: string;
  /** The class host's base path, no trailing slash ('' for none). */
  readonly basePath: string;
}

export function isRequest(step: PreparedStep): step is PreparedRequest {
  return (step as PreparedRequest).step !== undefined;
}

export function isScript(step: PreparedStep): step is PreparedScriptStep {
  return (step as PreparedScriptStep).kind === 'script';
}

/**
 * Prepares every class of the scenario. Registers every (method, name) with the sink up front, so
 * the statistics table lists endpoints before their first request.
 * @param redact applied to failure keys fixed at this point (check descriptions can quote values).
 */
export function prepareScenario(scenario: Scenario, sink: ResultSink, redact: (s: string) => string, script: ScriptRuntime | null = null): PreparedClass[] {
  const preparer = new TemplatePreparer(scenario.data);
  return scenario.userClasses.map((cls, index) => {
    const { origin, basePath, auth } = splitHost(cls.host ?? scenario.host);
    const steps = (list: readonly Step[], where: string): PreparedStep[] =>
      list.map((s) => {
        if (s.kind === 'think') return { kind: 'think' as const, wait: s.wait };
        if (s.kind === 'call') return needScript(script).callStep(s, `${cls.name}/${where}`);
        const req = prepareRequest(s, origin, basePath, auth, preparer, sink, redact);
        return s.before == null && s.after == null ? req : needScript(script).hookedStep(req, s, `${cls.name}/${where}`);
      });
    const tasks = cls.tasks.map((t: Task, i) => ({ name: t.name, index: i, steps: steps(t.steps, t.name), continueOnFailure: t.onFailure === 'continue' }));
    return {
      index,
      source: cls,
      name: cls.name,
      wait: cls.wait,
      onStart: steps(cls.onStart, 'onStart'),
      onStop: steps(cls.onStop, 'onStop'),
      tasks,
      picker: new WeightedPicker(cls.tasks.map((t) => t.weight)),
      origin,
      basePath,
    };
  });
}

function needScript(script: ScriptRuntime | null): ScriptRuntime {
  if (script === null) throw new Error('the scenario names script functions: load them with loadScript() and pass them as RunnerOptions.script');
  return script;
}

/**
 * `http://h:1/api/` → origin `http://h:1`, base path `/api` (no trailing slash); credentials in it
 * (`http://user:pw@h:1`) become `auth`, an `Authorization: Basic` value, else null.
 */
export function splitHost(host: string): { origin: string; basePath: string; auth: string | null } {
  const u = new URL(host);
  return { origin: u.origin, basePath: u.pathname.replace(/\/+$/, ''), auth: basicAuthOf(u) };
}

/** The `Authorization: Basic` value for the credentials in a URL, or null when it has none. */
export function basicAuthOf(u: URL): string | null {
  if (u.username === '' && u.password === '') return null;
  const decode = (s: string): string => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  return `Basic ${Buffer.from(`${decode(u.username)}:${decode(u.password)}`).toString('base64')}`;
}

function prepareRequest(
  step: RequestStep,
  classOrigin: string,
  basePath: string,
  classAuth: string | null,
  preparer: TemplatePreparer,
  sink: ResultSink,
  redact: (s: string) => string,
): PreparedRequest {
  const urlSource = typeof step.url === 'string' ? step.url : step.url.source;
  const absolute = /^https?:\/\//i.test(urlSource);
  let origin: string | null = classOrigin;
  let auth = absolute ? null : classAuth;
  let url = preparer.template(step.url);
  if (absolute && typeof url === 'string') {
    // A constant absolute URL: split it now, so it is sent like a path (its credentials as basic auth).
    const u = new URL(url);
    origin = u.origin;
    auth = basicAuthOf(u);
    url = u.pathname + u.search;
  } else if (absolute) {
    origin = null;
  } else {
    url = concat(basePath, url);
  }
  // Text a browser would percent-encode in a typed URL (non-ASCII as UTF-8, spaces, quotes): now
  // for literal text, when sent for rendered values (targets.ts).
  let target: Prepared = typeof url === 'string' ? encodeTargetText(url) : { ...url, parts: url.parts.map((p) => (typeof p === 'string' ? encodeTargetText(p) : p)) };
  step.query.forEach(([key, value], i) => {
    const sep = i === 0 ? (urlSource.includes('?') ? '&' : '?') : '&';
    target = concat(concat(target, `${sep}${encodeURIComponent(key)}=`), preparer.uriComponent(value));
  });

  const headerNames: string[] = [];
  const headerValues: Prepared[] = [];
  for (const [name, value] of step.headers) {
    headerNames.push(name.toLowerCase());
    headerValues.push(preparer.template(value));
  }
  if (auth !== null && !headerNames.includes('authorization')) {
    headerNames.push('authorization');
    headerValues.push(auth);
  }
  let body: Prepared | Uint8Array | null = null;
  let contentType: string | null = null;
  const b = step.body;
  if (b !== null) {
    switch (b.kind) {
      case 'static':
        body = b.bytes;
        contentType = b.contentType;
        break;
      case 'json':
        body = preparer.json(b.value);
        contentType = 'application/json';
        break;
      case 'text':
        body = preparer.template(b.value);
        contentType = b.contentType;
        break;
      case 'form': {
        let form: Prepared = '';
        b.fields.forEach(([key, value], i) => {
          form = concat(concat(form, `${i > 0 ? '&' : ''}${encodeURIComponent(key)}=`), preparer.uriComponent(value));
        });
        body = form;
        contentType = 'application/x-www-form-urlencoded';
        break;
      }
    }
    if (typeof body === 'string') body = Buffer.from(body);
  }
  if (contentType !== null && !headerNames.includes('content-type')) {
    headerNames.push('content-type');
    headerValues.push(contentType);
  }
  const staticHeaders = headerValues.every((v) => typeof v === 'string')
    ? headerNames.flatMap((n, i) => [n, headerValues[i] as string])
    : null;
  const method = step.method.toUpperCase();
  const staticOptions: Dispatcher.DispatchOptions | null =
    origin !== null && typeof target === 'string' && staticHeaders !== null && (body === null || body instanceof Uint8Array)
      ? { method: method as Dispatcher.HttpMethod, path: target, headers: staticHeaders as string[], body: body ?? null }
      : null;
  const checks = step.checks.map((c) => {
    const pc = prepareCheck(c);
    return { ...pc, key: redact(pc.key) };
  });
  const captures = step.captures.map(prepareCapture);
  return {
    step,
    endpointId: sink.endpoint(method, step.name),
    method,
    origin,
    target,
    headerNames,
    headerValues,
    staticHeaders,
    body,
    contentType,
    staticOptions,
    timeoutMs: step.timeoutMs,
    maxRedirects: step.maxRedirects,
    checks,
    hasStatusCheck: step.checks.some((c) => c.kind === 'status'),
    captures,
    needsBody: step.needsBody,
    needsHeaders: step.checks.some((c) => c.kind === 'header') || step.captures.some((c) => c.from === 'header'),
  };
}

/** Joins two prepared templates into one. */
function concat(a: Prepared, b: Prepared): Prepared {
  if (typeof a === 'string' && typeof b === 'string') return a + b;
  const pa = typeof a === 'string' ? (a === '' ? [] : [a]) : a.parts;
  const pb = typeof b === 'string' ? (b === '' ? [] : [b]) : b.parts;
  const parts = [...pa];
  for (const p of pb) {
    const last = parts.length - 1;
    if (typeof p === 'string' && last >= 0 && typeof parts[last] === 'string') parts[last] = (parts[last] as string) + p;
    else parts.push(p);
  }
  return { parts, source: (typeof a === 'string' ? a : a.source) + (typeof b === 'string' ? b : b.source) };
}
