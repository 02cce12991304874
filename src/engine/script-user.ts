/**
 * Script steps: `call: fn` and requests with `before:`/`after:` hooks, and the `User` object
 * (src/api.ts) that script functions receive, one per virtual user.
 *
 * A script step owns the user until it ends (`user.scriptStepDone()`); meanwhile the user's requests
 * go through the user's own client and cookie jar (`user.sendForScript()`), one at a time, and are
 * recorded like YAML requests. Failures never escape: an exception becomes an `exceptions.csv` entry
 * (stack trimmed to the user's own lines) and a failed step; a step that never settles ends after
 * its timeout.
 */
import { formatWithOptions } from 'node:util';
import type { Dispatcher } from 'undici';
import type { AfterHook, BeforeHook, OutgoingRequest, RecordOptions, RequestOptions, Response, TaskFunction, User } from '../api.js';
import { DEFAULT_REDIRECTS } from '../scenario/build.js';
import { parseDuration, formatDuration } from '../scenario/duration.js';
import { isCicadaFile, type LoadedScript, type ScriptFunction } from '../scenario/script.js';
import { scriptChecks } from '../scenario/script-options.js';
import type { Capture, CallStep, Check, RequestStep, Scenario } from '../scenario/types.js';
import type { Call } from './call.js';
import { type PreparedCapture, type PreparedCheck, prepareCapture, prepareCheck } from './checks.js';
import { intern } from './failures.js';
import type { PreparedClass, PreparedRequest, PreparedScriptStep } from './prepare.js';
import { render, UnsetVariableError } from './render.js';
import type { ResultSink } from './types.js';
import type { VirtualUser } from './user.js';

/** How a script request ends: the exchange (null when it was not sent), its failure key, and times in µs. */
export type ScriptDone = (call: Call | null, failure: string | null, latencyUs: number, serviceUs: number) => void;

/** What script steps need from the runner. */
export interface ScriptHost {
  readonly sink: ResultSink;
  /** A line from `u.log()`. */
  log(message: string): void;
  /** `u.stopRun(reason)`. */
  stopRun(reason: string): void;
  /** `u.stopUser()`: the user stops when its step ends and is not replaced. */
  retire(user: VirtualUser): void;
}

/** Thrown by `stopTask()`, `stopUser()`, `stopRun()`, and by the API of a user that was stopped: ends the step quietly. */
class StepEnd extends Error {
  constructor(readonly outcome: 'task' | 'user' | 'run' | 'stopped') {
    super(outcome === 'task' ? 'stopTask()' : outcome === 'user' ? 'stopUser()' : outcome === 'run' ? 'stopRun()' : 'the user was stopped');
    this.name = 'StepEnd';
  }
}

/** Raised (as an exception entry) when a script step runs past its timeout. */
export class ScriptTimeoutError extends Error {
  constructor(what: string, timeoutMs: number) {
    super(`${what} did not finish within ${formatDuration(timeoutMs)} (its timeout): the task was ended`);
    this.name = 'ScriptTimeoutError';
  }
}

const SCRIPT_LOC = { file: 'script', line: 0, col: 0 };

/** Per runner: the loaded functions and everything a script request needs that does not change. */
export class ScriptRuntime {
  private readonly endpoints = new Map<string, Map<string, { id: number; step: RequestStep }>>();
  private readonly dataIndex: ReadonlyMap<string, number>;

  constructor(
    private readonly script: LoadedScript,
    readonly host: ScriptHost,
    readonly scenario: Scenario,
  ) {
    this.dataIndex = new Map(scenario.data.map((d, i) => [d.name, i]));
  }

  /** `call: fn` as a step; `where` names it in exceptions (`Class/task`). */
  callStep(step: CallStep, where: string): PreparedScriptStep {
    const fn = this.fn(step.fn.name) as TaskFunction;
    const what = `call ${step.fn.name}`;
    return { kind: 'script', name: step.fn.name, run: (user) => this.api(user).runStep(what, where, step.timeoutMs, step.timeoutMs, () => fn(this.api(user))) };
  }

  /** A request with `before:`/`after:` hooks as a step. */
  hookedStep(req: PreparedRequest, step: RequestStep, where: string): PreparedScriptStep {
    const before = step.before == null ? null : (this.fn(step.before.name) as BeforeHook);
    const after = step.after == null ? null : (this.fn(step.after.name) as AfterHook);
    // The hooks and the request each get the request's timeout.
    const bound = req.timeoutMs * 3;
    return { kind: 'script', name: step.name, run: (user) => this.api(user).runStep(`request ${step.name}`, where, bound, req.timeoutMs, () => this.api(user).hooked(req, before, after)) };
  }

  api(user: VirtualUser): ScriptUser {
    return (user.script as ScriptUser | null) ?? (user.script = new ScriptUser(user, this));
  }

  /** The statistics row of (method, name), with a request step describing it. */
  endpoint(method: string, name: string): { id: number; step: RequestStep } {
    let byName = this.endpoints.get(method);
    if (byName === undefined) this.endpoints.set(method, (byName = new Map()));
    let e = byName.get(name);
    if (e === undefined) {
      const step: RequestStep = { kind: 'request', method, url: name, name, headers: [], query: [], body: null, timeoutMs: 0, maxRedirects: 0, checks: [], captures: [], needsBody: true, loc: SCRIPT_LOC };
      e = { id: this.host.sink.endpoint(method, name), step };
      if (byName.size < 10_000) byName.set(name, e);
    }
    return e;
  }

  dataSource(name: string): number {
    const i = this.dataIndex.get(name);
    if (i === undefined) throw new TypeError(`data(${JSON.stringify(name)}): no such data source (the scenario's: ${[...this.dataIndex.keys()].join(', ') || 'none'})`);
    return i;
  }

  private fn(name: string): ScriptFunction {
    const f = this.script.functions.get(name);
    if (f === undefined) throw new Error(`script function ${name} was not resolved by loadScript()`);
    return f;
  }
}

/** One running step: ended once, by settling, an error or its timeout. */
interface Invocation {
  ended: boolean;
  timer: NodeJS.Timeout | null;
}

/** The `User` a script sees, and the engine side of its steps. One per virtual user. */
export class ScriptUser implements User {
  readonly state: Record<string, unknown> = {};
  readonly vars: Record<string, string>;
  private current: Invocation | null = null;
  /** Timeout of requests made from the running step. */
  private requestTimeoutMs = 60_000;
  private inFlight = false;
  /** Requests waiting for the one in flight (a user sends one at a time). */
  private readonly queue: (() => void)[] = [];
  /** A response not yet recorded (`catchResponse`, or the response an `after:` hook decides). */
  private pending: ScriptResponse | null = null;
  /** Called when the request in flight ends (a step that ended waits for it). */
  private onIdle: (() => void) | null = null;

  constructor(
    private readonly user: VirtualUser,
    private readonly rt: ScriptRuntime,
  ) {
    const map = user.vars;
    this.vars = new Proxy({} as Record<string, string>, {
      get: (_t, k) => (typeof k === 'string' ? map.get(k) : undefined),
      set: (_t, k, v) => {
        if (typeof k !== 'string') return false;
        map.set(k, String(v));
        return true;
      },
      has: (_t, k) => typeof k === 'string' && map.has(k),
      deleteProperty: (_t, k) => typeof k === 'string' && map.delete(k),
      ownKeys: () => [...map.keys()],
      getOwnPropertyDescriptor: (_t, k) =>
        typeof k === 'string' && map.has(k) ? { value: map.get(k), writable: true, enumerable: true, configurable: true } : undefined,
    });
  }

  get id(): number {
    return this.user.userId;
  }

  get iteration(): number {
    return this.user.iteration;
  }

  get className(): string {
    return this.user.cls.name;
  }

  get host(): string {
    return this.user.cls.origin + this.user.cls.basePath;
  }

  // ---- steps ----

  /**
   * Runs `body` as the user's current step, bounded by `timeoutMs`; ends the step with the outcome.
   * `requestTimeoutMs` is the default timeout of requests made meanwhile.
   */
  runStep(what: string, where: string, timeoutMs: number, requestTimeoutMs: number, body: () => unknown): void {
    const inv: Invocation = { ended: false, timer: null };
    this.current = inv;
    this.requestTimeoutMs = requestTimeoutMs;
    inv.timer = setTimeout(() => this.end(inv, new ScriptTimeoutError(what, timeoutMs), where), timeoutMs);
    let result: unknown;
    try {
      result = body();
    } catch (err) {
      this.end(inv, err, where);
      return;
    }
    if (result !== null && typeof result === 'object' && typeof (result as PromiseLike<unknown>).then === 'function') {
      (result as PromiseLike<unknown>).then(
        () => this.end(inv, null, where),
        (err: unknown) => this.end(inv, err ?? new Error('rejected without a reason'), where),
      );
    } else {
      this.end(inv, null, where);
    }
  }

  /** Ends `inv` (once): records what needs recording, then moves the user on once no request is in flight. */
  private end(inv: Invocation, err: unknown, where: string): void {
    if (inv.ended) return;
    inv.ended = true;
    if (inv.timer !== null) clearTimeout(inv.timer);
    if (this.current === inv) this.current = null;
    for (const waiting of this.queue.splice(0)) waiting(); // each finds the step over and rejects
    let outcome: 'ok' | 'failed' | 'endTask' = 'ok';
    if (err instanceof StepEnd) {
      outcome = 'endTask';
      if (err.outcome === 'user') this.rt.host.retire(this.user);
    } else if (err instanceof StepFailed) {
      outcome = 'failed';
    } else if (err !== null) {
      outcome = 'failed';
      this.rt.host.sink.exception(userStack(err), where);
    }
    const finish = (): void => {
      this.flush();
      this.user.scriptStepDone(outcome);
    };
    if (!this.inFlight) return finish();
    // The request in flight must end before the user can send anything else: cut it short.
    if (err instanceof ScriptTimeoutError) this.user.abortCall(err);
    this.onIdle = finish;
  }

  /** A YAML request with hooks: before → send → after → record. */
  async hooked(req: PreparedRequest, before: BeforeHook | null, after: AfterHook | null): Promise<void> {
    let toSend = req;
    if (before !== null) {
      let out: OutgoingRequest;
      try {
        out = this.rendered(req);
      } catch (err) {
        if (!(err instanceof UnsetVariableError)) throw err;
        this.rt.host.sink.notSent(req.endpointId, intern(`not sent: ${err.message}`));
        throw new StepFailed();
      }
      await before(this, out);
      toSend = this.fromOutgoing(req, out);
    }
    const res = await this.send(toSend, true);
    if (after === null) {
      this.settle(res);
      return;
    }
    try {
      await after(this, res);
    } catch (err) {
      if (res.decided === undefined) res.decide(intern(`after: ${(err as Error)?.name ?? 'error'} thrown`));
      this.settle(res);
      throw err;
    }
    this.settle(res);
    if (res.error !== null) throw new StepFailed();
  }

  // ---- User ----

  get(url: string, options?: RequestOptions): Promise<Response> {
    return this.request('GET', url, options);
  }
  post(url: string, options?: RequestOptions): Promise<Response> {
    return this.request('POST', url, options);
  }
  put(url: string, options?: RequestOptions): Promise<Response> {
    return this.request('PUT', url, options);
  }
  patch(url: string, options?: RequestOptions): Promise<Response> {
    return this.request('PATCH', url, options);
  }
  delete(url: string, options?: RequestOptions): Promise<Response> {
    return this.request('DELETE', url, options);
  }
  head(url: string, options?: RequestOptions): Promise<Response> {
    return this.request('HEAD', url, options);
  }
  options(url: string, options?: RequestOptions): Promise<Response> {
    return this.request('OPTIONS', url, options);
  }

  request(method: string, url: string, options: RequestOptions = {}): Promise<Response> {
    try {
      this.guard();
      this.flush();
      const req = this.prepare(method, url, options);
      return this.send(req, options.catchResponse === true);
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
  }

  fail(message: string): void {
    this.deciding('fail').fail(message);
  }

  pass(): void {
    this.deciding('pass').pass();
  }

  sleep(ms: number): Promise<void> {
    this.flush();
    return new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(ms) || 0)));
  }

  data(source: string): Record<string, string> {
    const index = this.rt.dataSource(source);
    const row = this.user.dataRow(index);
    const columns = this.rt.scenario.data[index]!.columns;
    const out: Record<string, string> = {};
    for (let i = 0; i < columns.length; i++) out[columns[i]!] = row[i] ?? '';
    return out;
  }

  log(...args: unknown[]): void {
    this.rt.host.log(`${this.user.cls.name} ${this.user.userId}: ${formatWithOptions({ breakLength: Infinity }, ...args)}`);
  }

  record(name: string, latencyMs: number, options: RecordOptions = {}): void {
    this.flush();
    const kind = options.kind ?? 'CUSTOM';
    const e = this.rt.endpoint(String(kind), String(name));
    const us = Math.max(0, Math.round(Number(latencyMs) * 1000)) || 0;
    const error = options.error;
    const failure = error === undefined || error === null ? null : intern(error instanceof Error ? error.message || error.name : String(error));
    this.rt.host.sink.request(e.id, us, us, Math.max(0, Math.round(Number(options.bytes ?? 0))) || 0, failure);
  }

  stopTask(): never {
    throw new StepEnd('task');
  }

  stopUser(): never {
    throw new StepEnd('user');
  }

  stopRun(reason = 'stopped by the script'): never {
    this.rt.host.stopRun(String(reason));
    throw new StepEnd('run');
  }

  // ---- internals ----

  /** Script code may not go on once the user is stopped (or its step is over). */
  private guard(): void {
    if (this.user.cutShort) throw new StepEnd('stopped');
  }

  /** Records the response still pending (with the outcome it has so far). */
  private flush(): void {
    const p = this.pending;
    if (p !== null) this.settle(p);
  }

  private settle(res: ScriptResponse): void {
    if (this.pending === res) this.pending = null;
    res.record(this.rt.host.sink);
  }

  private deciding(what: string): ScriptResponse {
    const p = this.pending;
    if (p === null) throw new Error(`${what}() has no response to decide: use it in an \`after:\` hook, or after a request made with { catchResponse: true }`);
    return p;
  }

  /** Sends `req` when the user's previous request is done; resolves with the response (recorded unless `hold`). */
  private send(req: PreparedRequest, hold: boolean): Promise<ScriptResponse> {
    const promise = new Promise<ScriptResponse>((resolve, rejectNow) => {
      // A request the script did not await must not become an unhandled rejection (a crash).
      const reject = (err: Error): void => {
        promise.catch(noop);
        rejectNow(err);
      };
      const inv = this.current;
      const go = (): void => {
        if (inv === null || inv.ended || this.user.cutShort) return reject(new StepEnd('stopped'));
        if (this.user.runPaused) return this.user.parkScript(go);
        this.inFlight = true;
        this.user.sendForScript(req, (call, failure, latencyUs, serviceUs) => {
          this.inFlight = false;
          const res = new ScriptResponse(req, call, failure ?? (call === null ? NOT_SENT : null), latencyUs, serviceUs);
          if (call === null) res.recorded = true; // the engine recorded why it was not sent
          if (hold) this.pending = res;
          else res.record(this.rt.host.sink);
          const idle = this.onIdle;
          if (idle !== null) {
            this.onIdle = null;
            idle();
          } else {
            this.queue.shift()?.();
          }
          // A step that ended meanwhile (its timeout) does not get to go on.
          if (inv.ended) reject(new StepEnd('stopped'));
          else resolve(res);
        });
      };
      if (this.inFlight) this.queue.push(go);
      else go();
    });
    return promise;
  }

  /** A request from script code, prepared (nothing left to render). */
  private prepare(method: string, url: string, o: RequestOptions): PreparedRequest {
    const m = String(method).toUpperCase();
    const name = o.name ?? url;
    const e = this.rt.endpoint(m, name);
    const headers: string[] = [];
    let contentType: string | null = null;
    if (o.headers !== undefined) {
      for (const [k, v] of Object.entries(o.headers)) {
        const lk = k.toLowerCase();
        if (lk === 'content-type') contentType = String(v);
        headers.push(lk, String(v));
      }
    }
    let body: Uint8Array | null = null;
    let type: string | null = null;
    if (o.json !== undefined) {
      body = Buffer.from(JSON.stringify(o.json));
      type = 'application/json';
    } else if (o.form !== undefined) {
      body = Buffer.from(new URLSearchParams(Object.entries(o.form).map(([k, v]): [string, string] => [k, String(v)])).toString());
      type = 'application/x-www-form-urlencoded';
    } else if (o.body !== undefined) {
      body = typeof o.body === 'string' ? Buffer.from(o.body) : o.body;
      type = typeof o.body === 'string' ? 'text/plain; charset=utf-8' : 'application/octet-stream';
    }
    if (type !== null && contentType === null) headers.push('content-type', type);
    let target = url;
    if (o.query !== undefined) {
      const q = new URLSearchParams();
      for (const [k, v] of Object.entries(o.query)) for (const x of Array.isArray(v) ? v : [v]) q.append(k, String(x));
      const qs = q.toString();
      if (qs !== '') target += (url.includes('?') ? '&' : '?') + qs;
    }
    const { origin, path } = this.locate(target);
    const timeoutMs = o.timeout === undefined ? this.requestTimeoutMs : typeof o.timeout === 'number' ? o.timeout : parseDuration(o.timeout);
    if (timeoutMs === null || !(timeoutMs > 0)) throw new TypeError(`timeout: must be milliseconds or a duration like "30s", got ${JSON.stringify(o.timeout)}`);
    const { checks, captures } = o.check === undefined && o.capture === undefined ? NO_CHECKS : preparedChecks(scriptChecks(o.check, o.capture));
    const base = { endpointId: e.id, step: e.step, timeoutMs, maxRedirects: o.redirects ?? DEFAULT_REDIRECTS, checks, captures, hasStatusCheck: checks.some((c) => c.check.kind === 'status') };
    return runtimeRequest(base, m, origin, path, headers, body, contentType ?? type);
  }

  /** `/path` → the class host (and base path); `http(s)://…` → its own origin. */
  private locate(url: string): { origin: string; path: string } {
    const cls: PreparedClass = this.user.cls;
    if (url.startsWith('/')) return { origin: cls.origin, path: cls.basePath + url };
    if (!/^https?:\/\//i.test(url)) throw new TypeError(`url: must start with / (joined to the host) or be an absolute http(s):// URL, got ${JSON.stringify(url)}`);
    const u = new URL(url);
    return { origin: u.origin, path: u.pathname + u.search };
  }

  /** A YAML request as the `before:` hook sees it (templates rendered). */
  private rendered(req: PreparedRequest): OutgoingRequest {
    const path = render(req.target, this.user);
    const headers: Record<string, string> = {};
    for (let i = 0; i < req.headerNames.length; i++) headers[req.headerNames[i]!] = render(req.headerValues[i]!, this.user);
    const body = req.body === null ? null : req.body instanceof Uint8Array ? Buffer.from(req.body).toString('utf8') : render(req.body, this.user);
    return { method: req.method, url: req.origin === null ? path : req.origin + path, headers, body };
  }

  /** The request a `before:` hook returned, with the YAML request's row, checks and captures. */
  private fromOutgoing(req: PreparedRequest, out: OutgoingRequest): PreparedRequest {
    const { origin, path } = this.locate(String(out.url));
    const headers: string[] = [];
    for (const [k, v] of Object.entries(out.headers ?? {})) headers.push(k.toLowerCase(), String(v));
    const body = out.body === null || out.body === undefined ? null : typeof out.body === 'string' ? Buffer.from(out.body) : out.body;
    return runtimeRequest(req, String(out.method).toUpperCase(), origin, path, headers, body, null);
  }
}

/** The step failed (an `after:` hook failed its response): no exception to record. */
class StepFailed extends Error {}

const NO_CHECKS: { checks: readonly PreparedCheck[]; captures: readonly PreparedCapture[] } = { checks: [], captures: [] };
const NOT_SENT = 'not sent';
const noop = (): void => {};

const prepared = new WeakMap<object, { checks: readonly PreparedCheck[]; captures: readonly PreparedCapture[] }>();
/** Checks and captures ready to run (read once per distinct option text: `scriptChecks` caches). */
function preparedChecks(read: { readonly checks: readonly Check[]; readonly captures: readonly Capture[] }): { checks: readonly PreparedCheck[]; captures: readonly PreparedCapture[] } {
  let p = prepared.get(read);
  if (p === undefined) prepared.set(read, (p = { checks: read.checks.map(prepareCheck), captures: read.captures.map(prepareCapture) }));
  return p;
}

/** What a script request shares with the request it stands for (its row, checks, captures, limits). */
type RequestBase = Pick<PreparedRequest, 'endpointId' | 'step' | 'timeoutMs' | 'maxRedirects' | 'checks' | 'captures' | 'hasStatusCheck'>;

/** A request with nothing left to render. */
function runtimeRequest(base: RequestBase, method: string, origin: string, path: string, headers: string[], body: Uint8Array | null, contentType: string | null): PreparedRequest {
  return {
    step: base.step,
    endpointId: base.endpointId,
    method,
    origin,
    target: path,
    headerNames: [],
    headerValues: [],
    staticHeaders: headers,
    body,
    contentType,
    staticOptions: { method: method as Dispatcher.HttpMethod, path, headers, body },
    timeoutMs: base.timeoutMs,
    maxRedirects: base.maxRedirects,
    checks: base.checks,
    hasStatusCheck: base.hasStatusCheck,
    captures: base.captures,
    needsBody: true,
    needsHeaders: true,
  };
}

/** A response handed to script code; recorded exactly once. */
class ScriptResponse implements Response {
  recorded = false;
  /** The script's decision: a failure key, null for pass, undefined for none. */
  decided: string | null | undefined = undefined;
  private headerObject: Record<string, string> | null = null;

  constructor(
    private readonly req: PreparedRequest,
    private readonly call: Call | null,
    private readonly failure: string | null,
    private readonly latencyUs: number,
    private readonly serviceUs: number,
  ) {}

  get status(): number {
    return this.call?.status ?? 0;
  }

  get headers(): Readonly<Record<string, string>> {
    return (this.headerObject ??= this.call?.headerObject() ?? {});
  }

  get latency(): number {
    return this.latencyUs / 1000;
  }

  get bytes(): number {
    return this.call?.bytes ?? 0;
  }

  get error(): string | null {
    return this.decided !== undefined ? this.decided : this.failure;
  }

  get ok(): boolean {
    return this.error === null;
  }

  text(): string {
    return this.call?.text() ?? '';
  }

  json<T = any>(): T {
    return JSON.parse(this.text()) as T;
  }

  fail(message: string): void {
    this.decide(intern(String(message)));
  }

  pass(): void {
    this.decide(null);
  }

  decide(failure: string | null): void {
    if (this.recorded) throw new Error('this response was already recorded: decide it before your next request, or pass { catchResponse: true }');
    this.decided = failure;
  }

  record(sink: ResultSink): void {
    if (this.recorded) return;
    this.recorded = true;
    if (this.call !== null && this.call.status > 0) sink.status?.(this.req.endpointId, this.call.status);
    sink.request(this.req.endpointId, this.latencyUs, this.serviceUs, this.call?.bytes ?? 0, this.error);
  }
}

/** The error with its stack cut to the user's frames (source-mapped: the user's own file:line:col). */
function userStack(err: unknown): unknown {
  if (!(err instanceof Error) || typeof err.stack !== 'string') return err;
  const lines = err.stack.split('\n');
  const firstFrame = lines.findIndex((l) => /^\s+at /.test(l));
  if (firstFrame === -1) return err;
  const frames = lines.slice(firstFrame).filter((l) => !ownFrame(l));
  if (frames.length === 0) return err;
  const copy = new Error(err.message);
  copy.name = err.name;
  copy.stack = [...lines.slice(0, firstFrame), ...frames].join('\n');
  return copy;
}

/** A frame in cicada's code, node's internals or a dependency. */
function ownFrame(line: string): boolean {
  if (line.includes('node:') || line.includes('/node_modules/')) return true;
  const m = /((?:file:\/\/)?\/[^():\s]+):\d+:\d+\)?$/.exec(line);
  return m !== null && isCicadaFile(m[1]!);
}
