/**
 * cicada's public scripting API: the types a scenario's `script:` module uses.
 *
 * ```ts
 * import type { User } from 'cicada-load';
 * export async function browse(u: User): Promise<void> {
 *   const res = await u.get('/api/items', { check: { status: 200 } });
 *   u.vars.firstId = String(res.json<{ items: { id: number }[] }>().items[0]?.id);
 * }
 * ```
 *
 * Types only: nothing here exists at run time; cicada passes the objects to your functions.
 * The full guide, with examples, is scenarios/README.md ("Scripts").
 */

/** Options of one request made from code. Everything is optional. */
export interface RequestOptions {
  /** The statistics row (default: the URL as given, without `query`). Group ids: `/api/items/[id]`. */
  name?: string;
  /** Header name → value. The user's cookies are added unless you set `cookie` yourself. */
  headers?: Record<string, string>;
  /** Appended to the URL, encoded. */
  query?: Record<string, string | number | boolean | readonly (string | number | boolean)[]>;
  /** Sent as JSON with `content-type: application/json`. */
  json?: unknown;
  /** Sent as `application/x-www-form-urlencoded`. */
  form?: Record<string, string | number | boolean>;
  /** Sent as is (`content-type` from `headers`, else `text/plain; charset=utf-8` for text). */
  body?: string | Uint8Array;
  /** Milliseconds, or a duration like `"30s"`. Default: the calling step's `timeout`. */
  timeout?: number | string;
  /** How many redirects to follow; default 5, 0 = none. */
  redirects?: number;
  /** Checks, exactly as in YAML: `{ status: 200, json: { '$.id': 'exists' } }`. */
  check?: Record<string, unknown>;
  /** Captures, exactly as in YAML: `{ token: '$.token' }`; the values land in `u.vars`. */
  capture?: Record<string, unknown>;
  /**
   * Locust's `catch_response`: the request is recorded only when you call `res.fail(msg)` or
   * `res.pass()` (or `u.fail`/`u.pass`), or else at your next request, `sleep`, `record` or the end
   * of the function, with the outcome the status and checks gave.
   */
  catchResponse?: boolean;
}

/** A response, read as often as you like. The body is kept (up to 16 MiB). */
export interface Response {
  /** 0 when no response arrived (a connection error or timeout: see `error`). */
  readonly status: number;
  /** Lower-case names; repeated headers joined with `, `. */
  readonly headers: Readonly<Record<string, string>>;
  /** Milliseconds from sending to the last byte (in the open model, from when the iteration was due). */
  readonly latency: number;
  /** Body bytes received. */
  readonly bytes: number;
  /** Why the request failed (`HTTP 503`, `ECONNREFUSED`, `check: ...`, your `fail` message), or null. */
  readonly error: string | null;
  /** `error === null`. */
  readonly ok: boolean;
  /** The body as UTF-8 text ('' when there is none). */
  text(): string;
  /** The body parsed as JSON; throws a SyntaxError when it is not JSON. */
  json<T = any>(): T;
  /** Record this request as failed with `message` (its failure key). Needs `catchResponse`, or an `after:` hook. */
  fail(message: string): void;
  /** Record this request as a success whatever its status or checks said. Needs `catchResponse`, or an `after:` hook. */
  pass(): void;
}

/** The request a `before:` hook may change before it is sent. */
export interface OutgoingRequest {
  /** Upper case. */
  method: string;
  /** Absolute URL. */
  url: string;
  /** Lower-case names. Cookies are added after the hook. */
  headers: Record<string, string>;
  body: string | Uint8Array | null;
}

/** What `record()` counts besides a name and a time. */
export interface RecordOptions {
  /** A failure: its text (or an Error's message) is the failure key. */
  error?: string | Error | null;
  /** Response bytes, for the size columns. */
  bytes?: number;
  /** The Type column (Locust's request_type), like `tcp` or `sql`. Default `CUSTOM`. */
  kind?: string;
}

/**
 * One virtual user, handed to every function of the script it runs. The same object for the user's
 * whole life. Requests go out one at a time per user (like one browser tab), on the user's own
 * connections, with its own cookie jar.
 */
export interface User {
  /** 1, 2, 3, … unique in the run (across `--processes` too). */
  readonly id: number;
  /** This user's task count, 1-based (0 in onStart). */
  readonly iteration: number;
  /** The user class's name. */
  readonly className: string;
  /** The class's host (`http://127.0.0.1:8089`, with its base path if any): where `/paths` go. */
  readonly host: string;
  /** Captures and variables of this user, as text: YAML captures are here, and `${name}` in YAML reads what you set. */
  readonly vars: Record<string, string>;
  /** Anything you like, per user (not seen by YAML). */
  readonly state: Record<string, unknown>;

  get(url: string, options?: RequestOptions): Promise<Response>;
  post(url: string, options?: RequestOptions): Promise<Response>;
  put(url: string, options?: RequestOptions): Promise<Response>;
  patch(url: string, options?: RequestOptions): Promise<Response>;
  delete(url: string, options?: RequestOptions): Promise<Response>;
  head(url: string, options?: RequestOptions): Promise<Response>;
  options(url: string, options?: RequestOptions): Promise<Response>;
  /** Any method. A URL starting with `/` is joined to the class's host. */
  request(method: string, url: string, options?: RequestOptions): Promise<Response>;

  /** Fail the response being decided (in an `after:` hook, or the last `catchResponse` request). */
  fail(message: string): void;
  /** Pass the response being decided. */
  pass(): void;
  /** Waits `ms` milliseconds (a think time inside a function). */
  sleep(ms: number): Promise<void>;
  /** The current row of data source `source` as column → value (same row for the whole iteration). */
  data(source: string): Record<string, string>;
  /** Writes a line to the run's log (`script.log` in the results folder) and the TUI's notices. */
  log(...args: unknown[]): void;
  /** Counts a non-HTTP operation as a statistics row (`kind` is its Type). `latencyMs` in milliseconds. */
  record(name: string, latencyMs: number, options?: RecordOptions): void;
  /** Ends the current task now (Locust's `interrupt()`/`RescheduleTask`): the user waits and picks the next. Throws; do not catch it. */
  stopTask(): never;
  /** Stops this user (its onStop runs); it is not replaced. Throws; do not catch it. */
  stopUser(): never;
  /** Stops the whole run with `reason` (shown as the stop reason). Throws; do not catch it. */
  stopRun(reason?: string): never;
}

/** `call: name`: a task, flow, onStart or onStop step. */
export type TaskFunction = (user: User) => void | Promise<void>;
/** `before: name` on a request. */
export type BeforeHook = (user: User, request: OutgoingRequest) => void | Promise<void>;
/** `after: name` on a request: call `response.fail(msg)` or `response.pass()` to decide it. */
export type AfterHook = (user: User, response: Response) => void | Promise<void>;
