/**
 * A virtual user: an independent client (its own keep-alive connection per origin and its own
 * cookie jar) that runs `onStart`, then loops pick task → run its steps → wait, then `onStop`.
 *
 * It is a callback-driven state machine rather than an async function: a request costs one
 * dispatch and one small handler object, no promise. `advance()` runs steps until one goes
 * asynchronous (a request in flight, a timer, a pause); completions call back into it.
 */
import { performance } from 'node:perf_hooks';
import type { Dispatcher } from 'undici';
import type { WaitSpec } from '../scenario/types.js';
import { Call, type CallOwner } from './call.js';
import { runCaptures, runChecks } from './checks.js';
import { CookieJar } from './cookies.js';
import { errorKey, httpStatusKey, intern } from './failures.js';
import { isRequest, isScript, type PreparedClass, type PreparedRequest, type PreparedStep, type PreparedTask } from './prepare.js';
import type { ScriptDone } from './script-user.js';
import { render, UnsetVariableError, type VarContext } from './render.js';
import type { ResultSink } from './types.js';

/** What a user needs from the runner that owns it. */
export interface UserHost {
  readonly sink: ResultSink;
  readonly paused: boolean;
  /** Park a user that wants to send while paused; `resume()` calls `user.wake()`. */
  park(user: VirtualUser): void;
  /** The user ran onStop (or was cut off) and closed its connections. */
  userFinished(user: VirtualUser): void;
  /** Open model: the user finished its iteration and can take another. */
  userIdle(user: VirtualUser): void;
  /** Counts task iterations for the Ratio view. */
  taskStarted(classIndex: number, taskIndex: number): void;
  inFlightDelta(delta: number): void;
  /** Row for this iteration of data source `source` for this user. */
  pickRow(source: number, userId: number): readonly string[];
  /** Whether rows of `source` are kept for the user's whole life (`unique`). */
  rowIsPerUser(source: number): boolean;
  /** A new connection to `origin` (a Client, or a proxy agent: see dispatcher.ts). */
  connection(origin: string, timeoutMs: number): Dispatcher;
  redact(text: string): string;
  secretCaptured(value: string): void;
  /** A request failed with an error from the HTTP client (not a status or a check), keyed `key`. */
  requestErrored(key: string): void;
  /** A script's `u.stopUser()`: stop this user for good (it is not replaced). */
  retire?(user: VirtualUser): void;
}

/** `wait`: between tasks, on the wait timer. `idle`: open model, waiting to be given an iteration. */
type Phase = 'new' | 'onStart' | 'task' | 'wait' | 'idle' | 'onStop' | 'done';

/** Loop: pick tasks forever. OnDemand (open model): run one iteration when told, then report idle. */
export type UserMode = 'loop' | 'onDemand';

export class VirtualUser implements VarContext, CallOwner {
  iteration = 0;
  private phase: Phase = 'new';
  private steps: readonly PreparedStep[] = [];
  private stepIndex = 0;
  private task: PreparedTask | null = null;
  private taskStartedAt = 0;
  /** Open model: performance.now() when the current iteration was due; 0 = not corrected. */
  private intendedAt = 0;
  private call: Call | null = null;
  private callRequest: PreparedRequest | null = null;
  private redirectHops = 0;
  private timer: NodeJS.Timeout | null = null;
  private stopping = false;
  /** With a stop timeout, a stopping user finishes its current task first. */
  private finishTaskOnStop = false;
  private dispatching = false;
  private deferred: { call: Call; error: Error | null; endedAt: number } | null = null;
  private asyncSinceIteration = true;
  private captures: Map<string, string> | null = null;
  private readonly rows: (readonly string[] | undefined)[] = [];
  private readonly jar = new CookieJar();
  private mainClient: Dispatcher | null = null;
  private otherClients: Map<string, Dispatcher> | null = null;
  private readonly onTimer = (): void => {
    this.timer = null;
    this.advance();
  };
  /** Script state (the user's API object), made by script-user.ts on first use. */
  script: unknown = null;
  /** A script step (`call:`, a hooked request) is running: it, not `advance()`, moves the user on. */
  private scriptBusy = false;
  /** Set while a script's request is in flight: gets its outcome instead of the user moving on. */
  private scriptDone: ScriptDone | null = null;
  /** A script waiting for the run to resume. */
  private onWake: (() => void) | null = null;
  private readonly onDeferred = (): void => {
    const d = this.deferred;
    this.deferred = null;
    if (d !== null) this.completeCall(d.call, d.error, d.endedAt);
  };

  constructor(
    private readonly host: UserHost,
    readonly cls: PreparedClass,
    /** 1-based, unique within the run. */
    readonly userId: number,
    readonly mode: UserMode,
  ) {}

  get isStopping(): boolean {
    return this.stopping;
  }

  get isDone(): boolean {
    return this.phase === 'done';
  }

  get isIdle(): boolean {
    return this.phase === 'idle';
  }

  start(): void {
    this.enter('onStart', this.cls.onStart);
    this.advance();
  }

  /** Open model: run one task now; `intendedAt` (performance.now ms) is when it was due. */
  runIteration(intendedAt: number): void {
    if (this.phase !== 'idle') throw new Error(`user ${this.userId} is not idle (${this.phase})`);
    this.beginIteration();
    this.intendedAt = intendedAt;
    this.advance();
  }

  /** Continue after a pause. */
  wake(): void {
    const onWake = this.onWake;
    this.onWake = null;
    if (onWake !== null) onWake();
    else if (this.phase !== 'done' && this.call === null && this.timer === null) this.advance();
  }

  // ---- for script steps (script-user.ts) ----

  /** Sends `req` for a script; `done` gets the outcome unrecorded (the script records it). */
  sendForScript(req: PreparedRequest, done: ScriptDone): void {
    this.scriptDone = done;
    if (this.send(req, null)) return;
    this.scriptDone = null;
    done(null, null, 0, 0);
  }

  /** A script waits until the run is resumed. */
  parkScript(resume: () => void): void {
    this.onWake = resume;
    this.host.park(this);
  }

  /** A script step ended: `failed` skips the rest of a flow (unless it continues on failure), `endTask` skips it always. */
  scriptStepDone(outcome: 'ok' | 'failed' | 'endTask'): void {
    if (!this.scriptBusy) return;
    this.scriptBusy = false;
    if (outcome === 'endTask') {
      if (this.phase === 'task') this.stepIndex = this.steps.length;
    } else if (outcome === 'failed') this.abandonSteps();
    this.advance();
  }

  /** The run is paused and this user should wait (not while stopping). */
  get runPaused(): boolean {
    return this.host.paused && this.phase !== 'onStop' && !this.stopping;
  }

  /** True when the current task should end now: a stop without time to finish tasks. */
  get cutShort(): boolean {
    return this.phase === 'done' || (this.stopping && !this.finishTaskOnStop && this.phase !== 'onStop');
  }

  /** Captures and script vars of this user. */
  get vars(): Map<string, string> {
    return (this.captures ??= new Map());
  }

  /** The task being run, or null in onStart/onStop. */
  get currentTask(): PreparedTask | null {
    return this.phase === 'task' ? this.task : null;
  }

  /**
   * Stop this user. With `finishTask`, a task in progress runs to its end first; otherwise the
   * request in flight (if any) may finish, and nothing more of the task is started. Then onStop.
   */
  stop(finishTask: boolean): void {
    if (this.stopping || this.phase === 'done') return;
    this.stopping = true;
    this.finishTaskOnStop = finishTask;
    if (this.timer !== null && (this.phase === 'wait' || !finishTask)) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.call === null && this.timer === null) this.advance();
  }

  /** Abort the request in flight with `reason` (a timeout or the end of a stop's grace). */
  abortCall(reason: Error): void {
    const call = this.call;
    if (call === null || call.finished) return;
    if (!call.abort(reason)) {
      // Not on a socket yet (still connecting): only closing the client ends it.
      const client = this.clientFor(this.callRequest?.origin ?? this.cls.origin, false);
      client?.destroy(reason).catch(() => {});
      this.forgetClient(this.callRequest?.origin ?? this.cls.origin);
    }
  }

  /** Hard stop: abort the call in flight, skip onStop, close connections. */
  kill(reason: Error): void {
    this.stopping = true;
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    this.phase = 'onStop';
    this.steps = [];
    this.stepIndex = 0;
    if (this.call !== null) this.abortCall(reason);
    else this.finish();
  }

  /** The timeout of the request in flight (for its failure key). */
  get callTimeoutMs(): number {
    return this.callRequest?.timeoutMs ?? 0;
  }

  /** performance.now() ms by which the request in flight must end, or Infinity. */
  get callDeadline(): number {
    return this.call === null ? Infinity : this.call.deadline;
  }

  // ---- VarContext ----

  capture(name: string): string | undefined {
    return this.captures?.get(name);
  }

  dataRow(source: number): readonly string[] {
    let row = this.rows[source];
    if (row === undefined) this.rows[source] = row = this.host.pickRow(source, this.userId);
    return row;
  }

  // ---- CallOwner ----

  setCookie(value: string): void {
    this.jar.set(value);
  }

  callDone(call: Call, error: Error | null): void {
    if (this.dispatching || error !== null) {
      // Continue on a later tick when undici reported synchronously from inside dispatch() (so a
      // failing user cannot recurse without bound) and after every error: undici reports some
      // (a connection reset while connecting) from inside its own cleanup of the client's queue,
      // and dispatching the next request from there breaks its invariants (an AssertionError
      // thrown from a socket event: a crash).
      this.deferred = { call, error, endedAt: performance.now() };
      setImmediate(this.onDeferred);
      return;
    }
    this.completeCall(call, null, performance.now());
  }

  /** Records the finished call (`end`: performance.now() when it ended) and moves the user on. */
  private completeCall(call: Call, error: Error | null, end: number): void {
    this.host.inFlightDelta(-1);
    const req = this.callRequest!;
    this.call = null;
    this.callRequest = null;
    const serviceMs = end - call.sentAt;
    const latencyMs = this.intendedAt > 0 ? end - this.intendedAt : serviceMs;
    this.intendedAt = 0;
    call.latencyMs = latencyMs;
    const sink = this.host.sink;
    let failure: string | null = null;
    try {
      if (error !== null) {
        failure = errorKey(error);
        this.host.requestErrored(failure);
      } else if (call.status >= 300 && call.status < 400 && this.redirectHops < req.maxRedirects && this.followRedirect(call, req, latencyMs, serviceMs)) {
        return;
      } else {
        if (!req.hasStatusCheck && call.status >= 400) failure = httpStatusKey(call.status);
        if (failure === null && req.checks.length > 0) {
          failure = runChecks(req.checks, call, sink, req.endpointId);
        }
        if (failure === null && req.captures.length > 0) {
          failure = runCaptures(req.captures, call, (name, value, secret) => {
            (this.captures ??= new Map()).set(name, value);
            if (secret) this.host.secretCaptured(value);
          });
        }
      }
    } catch (err) {
      this.host.sink.exception(err, this.where());
      failure = intern('error in checks');
    }
    this.redirectHops = 0;
    const scriptDone = this.scriptDone;
    if (scriptDone !== null) {
      this.scriptDone = null;
      scriptDone(call, failure, Math.round(latencyMs * 1000), Math.round(serviceMs * 1000));
      return;
    }
    sink.request(req.endpointId, Math.round(latencyMs * 1000), Math.round(serviceMs * 1000), call.bytes, failure);
    if (failure !== null) this.abandonSteps();
    this.advance();
  }

  // ---- the state machine ----

  private enter(phase: Phase, steps: readonly PreparedStep[]): void {
    this.phase = phase;
    this.steps = steps;
    this.stepIndex = 0;
  }

  private beginIteration(): void {
    const task = this.cls.tasks[this.cls.picker.pick()]!;
    this.task = task;
    this.iteration++;
    for (let i = 0; i < this.rows.length; i++) if (!this.host.rowIsPerUser(i)) this.rows[i] = undefined;
    this.host.taskStarted(this.cls.index, task.index);
    this.taskStartedAt = performance.now();
    this.asyncSinceIteration = false;
    this.enter('task', task.steps);
  }

  /** After a failed step, the rest of the flow is skipped (like a user who hits an error page). */
  private abandonSteps(): void {
    if (this.phase === 'task' && this.task?.continueOnFailure === true) return;
    if (this.phase === 'task' || this.phase === 'onStart') this.stepIndex = this.steps.length;
  }

  private advance(): void {
    for (;;) {
      if (this.phase === 'done' || this.scriptBusy) return;
      if (this.phase === 'idle') {
        if (!this.stopping) return;
        this.enter('onStop', this.cls.onStop);
      }
      if (this.stepIndex < this.steps.length) {
        if (this.stopping && !this.finishTaskOnStop && this.phase !== 'onStop') {
          this.stepIndex = this.steps.length;
          continue;
        }
        const step = this.steps[this.stepIndex]!;
        if (isScript(step)) {
          if (this.host.paused && this.phase !== 'onStop' && !this.stopping) {
            this.host.park(this);
            return;
          }
          this.stepIndex++;
          this.scriptBusy = true;
          step.run(this);
          return;
        }
        if (!isRequest(step)) {
          this.stepIndex++;
          const ms = waitMs(step.wait, this.taskStartedAt);
          if (ms > 0) return this.sleep(ms);
          continue;
        }
        if (this.host.paused && this.phase !== 'onStop' && !this.stopping) {
          this.host.park(this);
          return;
        }
        this.stepIndex++;
        if (this.send(step, null)) return;
        this.abandonSteps();
        continue;
      }
      // The current list of steps is done.
      switch (this.phase) {
        case 'new':
        case 'onStart':
          if (this.stopping) return this.finish(); // never started: nothing to clean up on the server
          if (this.mode === 'onDemand') {
            this.phase = 'idle';
            this.host.userIdle(this);
            return;
          }
          this.beginIteration();
          continue;
        case 'task': {
          if (this.stopping) {
            this.enter('onStop', this.cls.onStop);
            continue;
          }
          if (this.mode === 'onDemand') {
            this.phase = 'idle';
            this.host.userIdle(this);
            return;
          }
          const ms = waitMs(this.cls.wait, this.taskStartedAt);
          if (ms > 0 || !this.asyncSinceIteration) {
            // (an iteration with nothing asynchronous in it also yields, so it cannot starve I/O)
            this.enter('wait', []);
            return this.sleep(ms);
          }
          this.beginIteration();
          continue;
        }
        case 'wait':
          if (this.stopping) {
            this.enter('onStop', this.cls.onStop);
            continue;
          }
          this.beginIteration();
          continue;
        case 'onStop':
          return this.finish();
      }
    }
  }

  private sleep(ms: number): void {
    this.asyncSinceIteration = true;
    this.timer = setTimeout(this.onTimer, ms);
  }

  /**
   * Sends `req` (or, for a redirect, `redirectUrl`). Returns false when it could not be sent
   * (a variable is unset, or rendering threw): that is recorded here and the flow ends.
   */
  private send(req: PreparedRequest, redirectUrl: URL | null): boolean {
    let options: Dispatcher.DispatchOptions;
    let origin: string;
    try {
      if (redirectUrl !== null) {
        origin = redirectUrl.origin;
        options = this.redirectOptions(req, redirectUrl);
      } else {
        origin = req.origin ?? '';
        options = this.buildOptions(req);
        if (req.origin === null) {
          const url = new URL(options.path);
          origin = url.origin;
          options.path = url.pathname + url.search;
        }
      }
    } catch (err) {
      if (err instanceof UnsetVariableError) {
        this.host.sink.notSent(req.endpointId, intern(`not sent: ${err.message}`));
      } else {
        this.host.sink.exception(err, this.where());
      }
      return false;
    }
    const call = new Call(this, performance.now(), req.timeoutMs, req.needsBody);
    this.call = call;
    this.callRequest = req;
    this.asyncSinceIteration = true;
    this.host.inFlightDelta(1);
    const client = this.clientFor(origin, true)!;
    this.dispatching = true;
    try {
      client.dispatch(options, call as unknown as Dispatcher.DispatchHandler);
    } catch (err) {
      call.onError(err as Error);
    } finally {
      this.dispatching = false;
    }
    return true;
  }

  private buildOptions(req: PreparedRequest): Dispatcher.DispatchOptions {
    const cookie = this.jar.cookieHeader();
    if (req.staticOptions !== null && cookie === null) return req.staticOptions;
    let headers: string[];
    if (req.staticHeaders !== null) {
      headers = cookie === null ? (req.staticHeaders as string[]) : [...req.staticHeaders, 'cookie', cookie];
    } else {
      headers = [];
      for (let i = 0; i < req.headerNames.length; i++) headers.push(req.headerNames[i]!, render(req.headerValues[i]!, this));
      if (cookie !== null) headers.push('cookie', cookie);
    }
    const body = req.body === null || req.body instanceof Uint8Array ? req.body : Buffer.from(render(req.body, this));
    return { method: req.method as Dispatcher.HttpMethod, path: render(req.target, this), headers, body };
  }

  private redirectOptions(req: PreparedRequest, url: URL): Dispatcher.DispatchOptions {
    const cookie = this.jar.cookieHeader();
    const headers: string[] = [];
    for (let i = 0; i < req.headerNames.length; i++) {
      const name = req.headerNames[i]!;
      if (name === 'content-type' || name === 'content-length') continue;
      headers.push(name, render(req.headerValues[i]!, this));
    }
    if (cookie !== null) headers.push('cookie', cookie);
    const keepMethod = req.method === 'GET' || req.method === 'HEAD';
    return { method: keepMethod ? (req.method as Dispatcher.HttpMethod) : 'GET', path: url.pathname + url.search, headers, body: null };
  }

  /** Records the redirect hop as its own request (the server saw it) and sends the next one. */
  private followRedirect(call: Call, req: PreparedRequest, latencyMs: number, serviceMs: number): boolean {
    const location = call.location();
    if (location === undefined) return false;
    let next: URL;
    try {
      next = new URL(location, `${req.origin ?? this.cls.origin}${typeof req.target === 'string' ? req.target : '/'}`);
    } catch {
      return false;
    }
    this.redirectHops++;
    this.host.sink.request(req.endpointId, Math.round(latencyMs * 1000), Math.round(serviceMs * 1000), call.bytes, null);
    // Every hop is re-sent as GET (or HEAD), without a body: what browsers do for 301-303.
    if (!this.send(req, next)) {
      this.redirectHops = 0;
      this.abandonSteps();
      this.advance();
    }
    return true;
  }

  private clientFor(origin: string, create: boolean): Dispatcher | null {
    if (origin === this.cls.origin) {
      if (this.mainClient === null && create) this.mainClient = this.host.connection(origin, this.maxTimeout());
      return this.mainClient;
    }
    let c = this.otherClients?.get(origin) ?? null;
    if (c === null && create) {
      c = this.host.connection(origin, this.maxTimeout());
      (this.otherClients ??= new Map()).set(origin, c);
    }
    return c;
  }

  private forgetClient(origin: string): void {
    if (origin === this.cls.origin) this.mainClient = null;
    else this.otherClients?.delete(origin);
  }

  private maxTimeout(): number {
    return this.callRequest?.timeoutMs ?? 60_000;
  }

  private finish(): void {
    if (this.phase === 'done') return;
    this.phase = 'done';
    this.mainClient?.destroy().catch(() => {});
    this.mainClient = null;
    if (this.otherClients !== null) for (const c of this.otherClients.values()) c.destroy().catch(() => {});
    this.otherClients = null;
    this.host.userFinished(this);
  }

  private where(): string {
    return `${this.cls.name}/${this.phase === 'task' ? (this.task?.name ?? '?') : this.phase}`;
  }
}

/** How long to wait now, per the wait spec, given when the current task started (performance.now ms). */
export function waitMs(wait: WaitSpec, taskStartedAt: number): number {
  switch (wait.kind) {
    case 'none':
      return 0;
    case 'constant':
      return wait.ms;
    case 'between':
      return wait.minMs + Math.random() * (wait.maxMs - wait.minMs);
    case 'pacing':
      return Math.max(0, wait.ms - (performance.now() - taskStartedAt));
    case 'throughput':
      return Math.max(0, 1000 / wait.perSec - (performance.now() - taskStartedAt));
  }
}
