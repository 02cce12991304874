/**
 * The typed, validated form of a scenario file. `scenario/` builds it from YAML; everything else
 * reads it and never sees YAML. All durations are milliseconds, all rates per second.
 */
import type { MonitorSpec, MonitorThresholdRef } from './monitor-types.js';

/** Where a value came from in the scenario file (1-based line and column). */
export interface SourceLoc {
  readonly file: string;
  readonly line: number;
  readonly col: number;
}

/** A variable reference inside `${...}`, resolved per virtual user at run time. */
export type VarRef =
  /** A value captured earlier by this user (`capture:` in an earlier step). */
  | { readonly kind: 'capture'; readonly name: string }
  /** A column of the current row of a data feeder (`${slugs.slug}`). */
  | { readonly kind: 'data'; readonly source: string; readonly column: string }
  /**
   * Built-ins: `userId` (1-based, unique within the run), `iteration` (this user's task count,
   * 1-based), `uuid` (random v4), `timestamp` (Unix seconds), `timestampMs`, `isoTime`.
   */
  | { readonly kind: 'builtin'; readonly name: BuiltinName }
  /** `${randomInt(1, 100)}`: inclusive bounds. */
  | { readonly kind: 'randomInt'; readonly min: number; readonly max: number };

export type BuiltinName = 'userId' | 'iteration' | 'uuid' | 'timestamp' | 'timestampMs' | 'isoTime';

/**
 * A string that may contain `${...}`. Environment variables and `vars:` are substituted when the
 * scenario loads, so a template whose `parts` are all strings was collapsed to a plain string:
 * a `Template` that is a `string` is constant and costs nothing per request.
 */
export type Template = string | CompiledTemplate;

export interface CompiledTemplate {
  /** Literal text and references, in order. Never two adjacent strings. */
  readonly parts: readonly (string | VarRef)[];
  /** The text as written in the file, for names and messages. */
  readonly source: string;
}

/** A JSON body whose string leaves may be templates. */
export type JsonTemplate =
  | { readonly t: 'lit'; readonly v: null | boolean | number | string }
  | { readonly t: 'tpl'; readonly v: CompiledTemplate }
  | { readonly t: 'arr'; readonly v: readonly JsonTemplate[] }
  | { readonly t: 'obj'; readonly v: readonly (readonly [string, JsonTemplate])[] };

export type RequestBody =
  /** `json:` with no variables: serialized once at load. */
  | { readonly kind: 'static'; readonly contentType: string; readonly bytes: Uint8Array }
  | { readonly kind: 'json'; readonly value: JsonTemplate }
  | { readonly kind: 'text'; readonly contentType: string; readonly value: Template }
  /** `form:` → application/x-www-form-urlencoded. */
  | { readonly kind: 'form'; readonly fields: readonly (readonly [string, Template])[] };

/**
 * A JSON path subset: `$`, `.key`, `['key']`, `[0]`, `[-1]` (last), `[*]` (in a capture: a random
 * element; in a check: any element). Parsed at load.
 */
export interface JsonPath {
  readonly source: string;
  readonly segments: readonly (string | number | '*')[];
}

export type Check =
  /** Passes when the status is in one of the inclusive ranges. `200` → [[200,200]], `2xx` → [[200,299]]. */
  | { readonly kind: 'status'; readonly ranges: readonly (readonly [number, number])[]; readonly label: string; readonly loc: SourceLoc }
  | { readonly kind: 'json'; readonly path: JsonPath; readonly op: 'exists' | 'absent' | 'equals'; readonly value?: unknown; readonly loc: SourceLoc }
  | { readonly kind: 'bodyContains'; readonly text: string; readonly loc: SourceLoc }
  | { readonly kind: 'header'; readonly name: string; readonly op: 'exists' | 'equals' | 'matches'; readonly value?: string; readonly regex?: RegExp; readonly loc: SourceLoc }
  | { readonly kind: 'maxLatency'; readonly ms: number; readonly loc: SourceLoc };

export type Capture =
  | { readonly name: string; readonly from: 'json'; readonly path: JsonPath; readonly secret: boolean; readonly loc: SourceLoc }
  | { readonly name: string; readonly from: 'header'; readonly header: string; readonly secret: boolean; readonly loc: SourceLoc }
  /** `group` 0 is the whole match. */
  | { readonly name: string; readonly from: 'regex'; readonly regex: RegExp; readonly group: number; readonly secret: boolean; readonly loc: SourceLoc };

export interface RequestStep {
  readonly kind: 'request';
  /** Upper case: GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS. */
  readonly method: string;
  /** A path (`/api/items`, joined to the host) or an absolute `http(s)://` URL. */
  readonly url: Template;
  /** The statistics row name. `name:` when given, else the url as written (with `${...}` kept). */
  readonly name: string;
  /** Lower-case names. Includes the scenario's and class's default headers, overridden per request. */
  readonly headers: readonly (readonly [string, Template])[];
  readonly query: readonly (readonly [string, Template])[];
  readonly body: RequestBody | null;
  readonly timeoutMs: number;
  /** 0 = do not follow redirects. */
  readonly maxRedirects: number;
  readonly checks: readonly Check[];
  readonly captures: readonly Capture[];
  /**
   * True when a check or capture reads the body, so the engine must buffer it
   * (otherwise it only counts bytes).
   */
  readonly needsBody: boolean;
  readonly loc: SourceLoc;
  /** `before: sign`: a script function that may change the rendered request before it is sent. */
  readonly before?: ScriptRef | null;
  /** `after: validate`: a script function that sees the response and may fail or pass it. */
  readonly after?: ScriptRef | null;
}

/** A function of the scenario's `script:` module, named where the YAML names it. */
export interface ScriptRef {
  /** The export's name. */
  readonly name: string;
  /** Where the YAML names it (for "not exported" problems). */
  readonly loc: SourceLoc;
  /** The field path that names it (`userClasses[0].tasks[1].call`). */
  readonly field?: string;
}

/**
 * `call: browse`: a task, flow, onStart or onStop step that runs an exported async function of the
 * script module with the user's API object. Records nothing itself: its requests and `record()`s do.
 */
export interface CallStep {
  readonly kind: 'call';
  readonly fn: ScriptRef;
  /** The whole call, its awaits included, is ended (an exception, the task over) after this long. */
  readonly timeoutMs: number;
  readonly loc: SourceLoc;
}

/** The `script:` module: a TypeScript or JavaScript file beside the scenario. */
export interface ScriptModuleRef {
  /** Absolute path. */
  readonly file: string;
  /** Where `script:` names it. */
  readonly loc: SourceLoc;
}

/** A pause inside a flow: `- think: 2s` or `- think: { between: [1s, 3s] }`. */
export interface ThinkStep {
  readonly kind: 'think';
  readonly wait: WaitSpec;
  readonly loc: SourceLoc;
}

export type Step = RequestStep | ThinkStep | CallStep;

export interface Task {
  /** `name:` of the task, else the single request's name, else `flow N`. */
  readonly name: string;
  readonly weight: number;
  /** One step for a plain request or call; several for a flow. */
  readonly steps: readonly Step[];
  /** `tags:` of the task (its class's are in `UserClass.tags`), for `-T/--tags` and `-E/--exclude-tags`. */
  readonly tags?: readonly string[];
  readonly loc: SourceLoc;
  /**
   * A flow whose step failed (a failed request, an exception in a call): `stop` (default) skips the
   * rest of the flow, `continue` runs the next step (Locust's SequentialTaskSet carries on).
   */
  readonly onFailure?: 'stop' | 'continue';
}

/** What a user does between tasks (Locust's wait_time). */
export type WaitSpec =
  | { readonly kind: 'none' }
  | { readonly kind: 'constant'; readonly ms: number }
  | { readonly kind: 'between'; readonly minMs: number; readonly maxMs: number }
  /** Locust's constant_pacing: each task starts `ms` after the previous one started. */
  | { readonly kind: 'pacing'; readonly ms: number }
  /** Locust's constant_throughput: at most `perSec` tasks per second per user. */
  | { readonly kind: 'throughput'; readonly perSec: number };

export interface UserClass {
  readonly name: string;
  /** Relative weight; 0 when `fixedCount` is set. */
  readonly weight: number;
  /** Exactly this many users of the class, placed before the weighted ones. */
  readonly fixedCount: number | null;
  /** Overrides the scenario host for this class. */
  readonly host: string | null;
  readonly wait: WaitSpec;
  readonly onStart: readonly Step[];
  readonly onStop: readonly Step[];
  readonly tasks: readonly Task[];
  /** `tags:` of the class, which its tasks share. */
  readonly tags?: readonly string[];
  readonly loc: SourceLoc;
}

export type FeederOrder = 'sequential' | 'random' | 'unique';

/** Rows loaded from a CSV file (or given inline) when the scenario loads. */
export interface DataSource {
  readonly name: string;
  /** Path as resolved (relative to the scenario file), or null for inline rows. */
  readonly file: string | null;
  /**
   * sequential: each use takes the next row (shared cursor, wraps);
   * random: a random row per use; unique: one row per user for its whole life (wraps with a warning
   * when users outnumber rows). A "use" is one task iteration: every reference to the source within
   * one iteration sees the same row.
   */
  readonly order: FeederOrder;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

/** One stage of a closed-model load shape: reach `users` at `spawnRate`, then hold until `durationMs` has passed since the stage began. */
export interface UserStage {
  readonly durationMs: number;
  readonly users: number;
  readonly spawnRate: number;
}

/** One stage of an open-model ramp: move linearly from the previous rate to `rate` over `durationMs`. */
export interface RateStage {
  readonly durationMs: number;
  /** Task iterations per second. */
  readonly rate: number;
}

export type LoadModel =
  /** Locust's model: `users` users loop task → wait. `stages` (a load shape) overrides users over time. */
  | { readonly kind: 'closed'; readonly stages: readonly UserStage[] | null }
  /**
   * Arrival rate: `rate` task iterations per second started on schedule, whether or not earlier ones
   * finished, by at most `maxUsers` concurrent users. Latency is timed from the intended start.
   */
  | {
      readonly kind: 'open';
      /** Iterations per second; with `stages`, the rate the first stage ramps from (may be 0). */
      readonly rate: number;
      readonly maxUsers: number;
      readonly stages: readonly RateStage[] | null;
    };

export type ThresholdMetric =
  | 'p50' | 'p75' | 'p90' | 'p95' | 'p99' | 'p99.9' | 'max' | 'avg' | 'min'
  | 'error_rate' | 'rps' | 'checks' | 'requests'
  /** A statistic of a monitor's series: `app_cpu.max < 70%` (see `Threshold.monitor`). */
  | 'monitor';

/**
 * `p95 < 500ms`, `/api/items: p99 < 1s`, `error_rate < 0.5%`, `rps > 100`, `checks > 99%`.
 * Times are stored in ms, ratios as fractions (0.5% → 0.005), rates per second.
 */
export interface Threshold {
  /** The expression as written, for display. */
  readonly source: string;
  readonly metric: ThresholdMetric;
  /** A stats row name (optionally "METHOD name"); null = Aggregated. */
  readonly endpoint: string | null;
  readonly op: '<' | '<=' | '>' | '>=';
  readonly value: number;
  /** Stop the run when this threshold fails... */
  readonly abortOnFail: boolean;
  /** ...but not before this much of the run has passed. */
  readonly abortGraceMs: number;
  /** File position, or null when given by `--threshold`. */
  readonly loc: SourceLoc | null;
  /** For metric `monitor`: which series and statistic; `value` is in the series' unit. */
  readonly monitor?: MonitorThresholdRef;
}

export interface Scenario {
  readonly name: string;
  /** Absolute path of the file, or null when built in code. */
  readonly file: string | null;
  /** Origin with an optional base path, no trailing slash: `http://127.0.0.1:8000`. */
  readonly host: string;
  /**
   * Closed model: total users (with stages, the largest stage's users). Open model: equals
   * `load.maxUsers`.
   */
  readonly users: number;
  /**
   * Users started (or stopped) per second. Default 1 (Locust's); with stages, the first stage's;
   * in the open model, default `maxUsers` (users start as iterations need them).
   */
  readonly spawnRate: number;
  /** null = until stopped. With stages and no `runTime:`, the sum of the stage durations. */
  readonly runTimeMs: number | null;
  /** How long a stopping user may finish its current task before it is cut off. */
  readonly stopTimeoutMs: number;
  /**
   * `-i N`: the run ends after N task iterations in all (every user, every engine): no iteration
   * starts beyond N, the running ones finish. Absent or null: no limit.
   */
  readonly iterations?: number | null;
  readonly load: LoadModel;
  readonly userClasses: readonly UserClass[];
  readonly data: readonly DataSource[];
  readonly thresholds: readonly Threshold[];
  /** The profile selected with `--profile`, if any. */
  readonly profile: string | null;
  /**
   * `baseline:` (top level or the selected profile): the run this one is compared with —
   * `latest`, a run's name under the results directory, or a directory — and where it was
   * written. `--baseline` overrides it.
   */
  readonly baseline?: { readonly ref: string; readonly field: string; readonly at: SourceLoc };
  /** Every profile the file defines (for `--help` and error messages). */
  readonly profiles: readonly string[];
  /**
   * Literal values to redact wherever text leaves the process: values of `${ENV}` references and of
   * `vars` marked secret. Captured values marked secret are redacted at run time by the engine.
   */
  readonly secretValues: readonly string[];
  /** Lower-case header names whose values are always redacted (authorization, cookie, x-api-key, ...). */
  readonly secretHeaders: readonly string[];
  /** `script:`, or null/absent. Its exports are resolved by `loadScript()` (async), not by the loader. */
  readonly script?: ScriptModuleRef | null;
  /** TLS, proxies and HTTP/2 (`tls:`, `proxy:`, `http2:`, `--insecure`, HTTP(S)_PROXY). Absent: plain defaults. */
  readonly network?: NetworkSettings;
  /** Series sampled from the target beside the statistics (`monitors:`, `--monitor`); absent = none. */
  readonly monitors?: readonly MonitorSpec[];
}

/**
 * How users connect. Everything is resolved when the scenario loads (files read, the environment's
 * proxy variables taken), so the engine reads neither files nor the environment.
 */
export interface NetworkSettings {
  /** null: Node's defaults (verify against the system's CAs, no client certificate). */
  readonly tls: TlsSettings | null;
  /** null: connect directly. */
  readonly proxy: ProxySettings | null;
  /** Offer HTTP/2 in TLS (ALPN `h2`); the server may still choose HTTP/1.1. */
  readonly http2: boolean;
}

export interface TlsSettings {
  /** Accept any server certificate (self-signed, expired, wrong name): `tls.insecure` or `--insecure`. */
  readonly insecure: boolean;
  /** PEM text of extra certificate authorities to trust, besides the system's. */
  readonly ca: string | null;
  /** PEM text of the client certificate and its key, for mutual TLS (both or neither). */
  readonly cert: string | null;
  readonly key: string | null;
}

export interface ProxySettings {
  /** Proxy URL for http:// targets, or null for none. */
  readonly http: string | null;
  /** Proxy URL for https:// targets (tunnelled with CONNECT), or null for none. */
  readonly https: string | null;
  /** NO_PROXY's value: hosts (`example.com`, `.example.com`, `host:port`, `*`) reached directly. */
  readonly noProxy: string;
  /** Where the URLs came from, for the start-up line. */
  readonly from: 'scenario' | 'environment';
}
