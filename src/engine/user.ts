/**
 * A virtual user: an independent client (its own keep-alive connection per origin and its own
 * cookie jar) that runs `onStart`, then loops pick task → run its steps → wait, then `onStop`.
 *
 * A redirect chain is one request, as Locust and `requests` record it: timed from the first send
 * to the final response, with the final status and body (see `redirects.ts` for what each hop
 * sends). Besides the class's host a user keeps connections to at most `MAX_OTHER_ORIGINS` other
 * origins, closing the least recently used.
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
import { hopHeaders, isRedirectStatus, redirectMethod, resolveLocation, TOO_MANY_REDIRECTS } from './redirects.js';
import type { ScriptDone } from './script-user.js';
import { render, UnsetVariableError, type VarContext } from './render.js';
import { hasControl, MAX_TIMER_MS, NotSentError, wireTarget } from './targets.js';
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
  /** Whether a header (lower-case name) is secret: it never follows a redirect to another origin. */
  isSecretHeader(name: string): boolean;
  secretCaptured(value: string): void;
  /** A request failed with an error from the HTTP client (not a status or a check), keyed `key`. */
  requestErrored(key: string): void;
  /** A script's `u.stopUser()`: stop this user for good (it is not replaced). */
  retire?(user: VirtualUser): void;
  /**
   * Loop mode, before each task iteration: whether the run's budget (`-i N`) allows one more
   * (taken if so). Absent: no limit.
   */
  takeIteration?(): boolean;
}

/** `wait`: between tasks, on the wait timer. `idle`: open model, waiting to be given an iteration. */
type Phase = 'new' | 'onStart' | 'task' | 'wait' | 'idle' | 'onStop' | 'done';

/** Loop: pick tasks forever. OnDemand (open model): run one iteration when told, then report idle. */
export type UserMode = 'loop' | 'onDemand';

/** Origins besides the class's host a user keeps a client for (redirects, absolute URLs). */
export const MAX_OTHER_ORIGINS = 4;

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
  /** The origin and dispatch options of the call in flight (a redirect's hop after the first). */
  private callOrigin = '';
  private callOptions: Dispatcher.DispatchOptions | null = null;
  /** Whether the call's headers end with a `cookie` pair taken from the jar. */
  private jarCookieSent = false;
  /** The redirect chain of the request in flight: its start, hops so far, first origin, whether it left it. */
  private chainStartedAt = 0;
  private chainHops = 0;
  private chainOrigin = '';
  private chainCrossed = false;
  private timer: NodeJS.Timeout | null = null;
  /** performance.now() to wake at when a wait is longer than one timer can hold (else 0). */
  private wakeAt = 0;
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
  /** Clients for other origins, least recently used first. */
  private otherClients: Map<string, Dispatcher> | null = null;
  private readonly onTimer = (): void => {
    this.timer = null;
    if (this.wakeAt !== 0) {
      const left = this.wakeAt - performance.now();
      if (left > 0) {
        this.timer = setTimeout(this.onTimer, Math.min(left, MAX_TIMER_MS));
        return;
      }
      this.wakeAt = 0;
    }
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
    if (this.send(req)) return;
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
      this.wakeAt = 0;
    }
    if (this.call === null && this.timer === null) this.advance();
  }

  /** Abort the request in flight with `reason` (a timeout or the end of a stop's grace). */
  abortCall(reason: Error): void {
    const call = this.call;
    if (call === null || call.finished) return;
    if (!call.abort(reason)) {
      // Not on a socket yet (still connecting): only closing the client ends it.
      const client = this.clientFor(this.callOrigin, false);
      client?.destroy(reason).catch(() => {});
      this.forgetClient(this.callOrigin);
    }
  }

  /** Hard stop: abort the call in flight, skip onStop, close connections. */
  kill(reason: Error): void {
    this.stopping = true;
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
      this.wakeAt = 0;
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
    const path = this.callOptions?.path;
    if (path !== undefined) this.jar.set(value, this.callOrigin + path);
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

  /**
   * Records the finished call (`end`: performance.now() when it ended) and moves the user on, or
   * sends the next hop of a redirect chain.
   */
  private completeCall(call: Call, error: Error | null, end: number): void {
    this.host.inFlightDelta(-1);
    const req = this.callRequest!;
    this.call = null;
    this.callRequest = null;
    const serviceMs = end - this.chainStartedAt;
    const latencyMs = this.intendedAt > 0 ? end - this.intendedAt : serviceMs;
    call.latencyMs = latencyMs;
    const sink = this.host.sink;
    let failure: string | null = null;
    let location: string | undefined;
    try {
      if (error !== null) {
        failure = errorKey(error);
        this.host.requestErrored(failure);
      } else if (req.maxRedirects > 0 && isRedirectStatus(call.status) && (location = call.location()) !== undefined) {
        if (this.chainHops >= req.maxRedirects) failure = TOO_MANY_REDIRECTS;
        else {
          const next = resolveLocation(location, this.callOrigin + (this.callOptions?.path ?? '/'));
          if (typeof next === 'string') failure = next;
          else {
            this.followRedirect(req, call.status, next);
            return;
          }
        }
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
    this.intendedAt = 0;
    if (this.chainHops > 0) sink.redirected?.(req.endpointId, this.chainHops);
    this.chainHops = 0;
    this.callOptions = null;
    const scriptDone = this.scriptDone;
    if (scriptDone !== null) {
      this.scriptDone = null;
      scriptDone(call, failure, Math.round(latencyMs * 1000), Math.round(serviceMs * 1000));
      return;
    }
    // The final response's status (a followed redirect chain is one request, as Locust records it).
    if (error === null) sink.status?.(req.endpointId, call.status);
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

  /**
   * Loop mode: whether the run's iteration budget (`-i`) gives this user another iteration. When it
   * does not, the user stops for good (its class is not topped up again) and runs its onStop.
   */
  private mayIterate(): boolean {
    if (this.host.takeIteration === undefined || this.host.takeIteration()) return true;
    // Marked stopping first, so the host's retire() does not re-enter this state machine.
    this.stopping = true;
    this.finishTaskOnStop = true;
    this.host.retire?.(this);
    return false;
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
        if (this.send(step)) return;
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
          if (!this.mayIterate()) {
            this.enter('onStop', this.cls.onStop);
            continue;
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
          // The next iteration is taken from the budget before the wait, so no user waits for one
          // it will not get.
          if (!this.mayIterate()) {
            this.enter('onStop', this.cls.onStop);
            continue;
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
    // Node turns a longer delay into 1 ms (with a warning): chain timers instead.
    if (ms > MAX_TIMER_MS) this.wakeAt = performance.now() + ms;
    this.timer = setTimeout(this.onTimer, Math.min(ms, MAX_TIMER_MS));
  }

  /**
   * Sends `req`. Returns false when it could not be sent (a variable is unset, a rendered value has
   * a line break, or rendering threw): that is recorded here and the flow ends.
   */
  private send(req: PreparedRequest): boolean {
    let origin: string;
    let options: Dispatcher.DispatchOptions;
    try {
      [origin, options] = this.buildRequest(req);
    } catch (err) {
      if (err instanceof UnsetVariableError) {
        this.host.sink.notSent(req.endpointId, intern(`not sent: ${err.message}`));
      } else if (err instanceof NotSentError) {
        this.host.sink.notSent(req.endpointId, err.key);
      } else {
        this.host.sink.exception(err, this.where());
      }
      return false;
    }
    const now = performance.now();
    this.chainStartedAt = now;
    this.chainHops = 0;
    this.chainOrigin = origin;
    this.chainCrossed = false;
    this.dispatch(req, origin, options, req.timeoutMs, now);
    return true;
  }

  /** Puts one exchange on the wire; any error (even creating the client) ends it as one failure. */
  private dispatch(req: PreparedRequest, origin: string, options: Dispatcher.DispatchOptions, timeoutMs: number, now: number): void {
    const call = new Call(this, now, timeoutMs, req.needsBody);
    this.call = call;
    this.callRequest = req;
    this.callOrigin = origin;
    this.callOptions = options;
    this.asyncSinceIteration = true;
    this.host.inFlightDelta(1);
    this.dispatching = true;
    try {
      this.clientFor(origin, true)!.dispatch(options, call as unknown as Dispatcher.DispatchHandler);
    } catch (err) {
      call.onError(err as Error);
    } finally {
      this.dispatching = false;
    }
  }

  /** The origin and dispatch options of `req` for this user now. */
  private buildRequest(req: PreparedRequest): [string, Dispatcher.DispatchOptions] {
    const jarEmpty = this.jar.isEmpty;
    this.jarCookieSent = false;
    if (req.staticOptions !== null && jarEmpty) return [req.origin!, req.staticOptions];
    let origin = req.origin;
    let path = typeof req.target === 'string' ? req.target : wireTarget(render(req.target, this));
    if (origin === null) {
      const url = new URL(path);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new NotSentError('the URL is not http(s)');
      origin = url.origin;
      path = url.pathname + url.search;
    }
    let headers: string[];
    if (req.staticHeaders !== null) {
      headers = req.staticHeaders as string[];
    } else {
      headers = [];
      for (let i = 0; i < req.headerNames.length; i++) {
        const value = render(req.headerValues[i]!, this);
        if (typeof req.headerValues[i] !== 'string' && hasControl(value)) throw new NotSentError(`line break or control character in header ${req.headerNames[i]!}`);
        headers.push(req.headerNames[i]!, value);
      }
    }
    const cookie = jarEmpty ? null : this.jar.cookieHeader(origin + path);
    if (cookie !== null) {
      headers = headers === req.staticHeaders ? [...headers, 'cookie', cookie] : (headers.push('cookie', cookie), headers);
      this.jarCookieSent = true;
    }
    const body = req.body === null || req.body instanceof Uint8Array ? req.body : Buffer.from(render(req.body, this));
    return [origin, { method: req.method as Dispatcher.HttpMethod, path, headers, body }];
  }

  /** Sends the next hop of a redirect chain to `next` (see `redirects.ts`). */
  private followRedirect(req: PreparedRequest, status: number, next: URL): void {
    const prev = this.callOptions!;
    const { method, keepBody } = redirectMethod(status, prev.method);
    const origin = next.origin;
    if (origin !== this.chainOrigin) this.chainCrossed = true;
    const prevHeaders = prev.headers as string[];
    const headers = hopHeaders(this.jarCookieSent ? prevHeaders.slice(0, -2) : prevHeaders, {
      dropBody: !keepBody,
      crossOrigin: this.chainCrossed,
      isSecretHeader: (name) => this.host.isSecretHeader(name),
      isSecretValue: (value) => this.host.redact(value) !== value,
    });
    const path = next.pathname + next.search;
    this.jarCookieSent = false;
    const cookie = this.jar.isEmpty ? null : this.jar.cookieHeader(origin + path);
    if (cookie !== null) {
      headers.push('cookie', cookie);
      this.jarCookieSent = true;
    }
    this.chainHops++;
    const now = performance.now();
    const timeoutMs = Math.max(0, this.chainStartedAt + req.timeoutMs - now);
    this.dispatch(req, origin, { method: method as Dispatcher.HttpMethod, path, headers, body: keepBody ? (prev.body ?? null) : null }, timeoutMs, now);
  }

  private clientFor(origin: string, create: boolean): Dispatcher | null {
    if (origin === this.cls.origin) {
      if (this.mainClient === null && create) this.mainClient = this.host.connection(origin, this.maxTimeout());
      return this.mainClient;
    }
    const others = (this.otherClients ??= new Map());
    let c = others.get(origin);
    if (c !== undefined) {
      if (create) {
        others.delete(origin); // most recently used last
        others.set(origin, c);
      }
      return c;
    }
    if (!create) return null;
    c = this.host.connection(origin, this.maxTimeout());
    others.set(origin, c);
    if (others.size > MAX_OTHER_ORIGINS) {
      const [oldest, client] = others.entries().next().value as [string, Dispatcher];
      others.delete(oldest);
      client.destroy().catch(() => {});
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
