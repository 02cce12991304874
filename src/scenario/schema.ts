/**
 * The JSON Schema of a scenario file, for editors (`# yaml-language-server: $schema=...`). It is
 * generated from the validator's own key lists — every mapping's `properties` is built by walking
 * the list the validator checks unknown keys against, and a key without a description here (or a
 * description without a key) throws — so the two cannot drift. `scenarios/cicada.schema.json` is
 * this output; a test compares them and runs the shipped scenarios and the bad corpus through it.
 *
 * The schema checks shape (keys, types, enums, simple patterns); the validator checks everything
 * else (variables, data files, JSON paths, regular expressions, conflicting keys) with positions.
 */
import { TOP_KEYS, DEFAULTS_KEYS } from './build.js';
import { CAPTURE_KEYS, CHECK_KEYS } from './checks.js';
import { SOURCE_KEYS } from './feeders.js';
import { MONITOR_KEYS } from './monitors.js';
import { TLS_KEYS } from './network.js';
import { METHODS, REQUEST_KEYS } from './request.js';
import { LOAD_KEYS, RATE_STAGE_KEYS, STAGE_KEYS } from './settings.js';
import { CALL_KEYS, SCRIPT_EXTENSIONS } from './script-steps.js';
import { THRESHOLD_KEYS } from './threshold-list.js';
import { CALL_TASK_KEYS, CLASS_KEYS, FLOW_TASK_KEYS, REQUEST_TASK_KEYS } from './user-class.js';
import { WAIT_KEYS } from './wait.js';

export type Schema = { readonly [key: string]: unknown };

export const SCHEMA_ID = 'https://unpkg.com/cicada-load/scenarios/cicada.schema.json';

/** `properties` for exactly `keys`, in their order, from `defs`; throws when the two differ. */
function props(what: string, keys: readonly string[], defs: Readonly<Record<string, Schema>>): Record<string, Schema> {
  const extra = Object.keys(defs).filter((k) => !keys.includes(k));
  const missing = keys.filter((k) => !(k in defs));
  if (extra.length > 0 || missing.length > 0) {
    throw new Error(`schema for ${what} is out of step with the validator: ${missing.length > 0 ? `no schema for ${missing.join(', ')}` : ''}${extra.length > 0 ? ` schema for unknown ${extra.join(', ')}` : ''}`);
  }
  return Object.fromEntries(keys.map((k) => [k, defs[k]!]));
}

function object(what: string, keys: readonly string[], defs: Readonly<Record<string, Schema>>, extra: Schema = {}): Schema {
  return { type: 'object', properties: props(what, keys, defs), additionalProperties: false, ...extra };
}

const ref = (name: string): Schema => ({ $ref: `#/$defs/${name}` });
/** A number, or the whole value one `${VAR}` read from the environment (`users: ${USERS}`). */
const num = (s: Schema): Schema => ({ anyOf: [s, ref('envRef')] });
const describe = (description: string, s: Schema): Schema => ({ description, ...s });
const listOf = (items: Schema, extra: Schema = {}): Schema => ({ type: 'array', items, ...extra });
const mapOf = (values: Schema, extra: Schema = {}): Schema => ({ type: 'object', additionalProperties: values, ...extra });
const oneKey = (key: string, value: Schema): Schema => ({ type: 'object', properties: { [key]: value }, required: [key], additionalProperties: false });

const DURATION_PATTERN = '^\\s*(?:(?:\\d+(?:\\.\\d+)?|\\.\\d+)|(?:(?:\\d+(?:\\.\\d+)?|\\.\\d+)h)?(?:(?:\\d+(?:\\.\\d+)?|\\.\\d+)m)?(?:(?:\\d+(?:\\.\\d+)?|\\.\\d+)s)?(?:(?:\\d+(?:\\.\\d+)?|\\.\\d+)ms)?)\\s*$';

function defs(): Record<string, Schema> {
  const wait = describe('What a user does between tasks: none, a duration, { between: [1s, 3s] }, { constant: 1s }, { pacing: 2s } or { throughput: 0.5 }', {
    anyOf: [
      { const: 'none' },
      ref('duration'),
      { ...object('wait', WAIT_KEYS, { between: listOf(ref('duration'), { minItems: 2, maxItems: 2 }), constant: ref('duration'), pacing: ref('duration'), throughput: num({ type: 'number', exclusiveMinimum: 0 }) }), minProperties: 1, maxProperties: 1 },
    ],
  });
  const status = { anyOf: [{ type: 'integer', minimum: 100, maximum: 599 }, { type: 'string', pattern: '^\\s*(?:[1-5]xx|\\d{3}(?:\\s*-\\s*\\d{3})?)\\s*$' }] };
  const check = object('check', CHECK_KEYS, {
    status: describe('A status, a list, a class like "2xx" or a range like "200-299"', { anyOf: [status, listOf(status, { minItems: 1 })] }),
    json: describe('JSON path → exists | absent | { equals: value }', mapOf({ anyOf: [{ enum: ['exists', 'absent'] }, oneKey('equals', {})] })),
    body: object('check.body', ['contains'], { contains: { anyOf: [ref('scalar'), listOf(ref('scalar'))] } }, { required: ['contains'] }),
    header: describe('Header name → exists | { equals: text } | { matches: regex }', mapOf({ anyOf: [{ const: 'exists' }, oneKey('equals', ref('scalar')), oneKey('matches', { type: 'string' })] })),
    maxLatency: ref('duration'),
  });
  const capture = describe('Name → a JSON path (shorthand), or { json | header | regex, group, secret }', mapOf({
    anyOf: [
      { type: 'string' },
      object('capture', CAPTURE_KEYS, { json: { type: 'string' }, header: { type: 'string' }, regex: { type: 'string' }, group: num({ type: 'integer', minimum: 0 }), secret: { type: 'boolean' } }, { minProperties: 1 }),
    ],
  }));
  const method = (m: string): Schema => describe(`${m.toUpperCase()} this URL: a path joined to the host (/api/items) or an absolute http(s):// URL`, ref('text'));
  const requestDefs: Record<string, Schema> = {
    ...Object.fromEntries(METHODS.map((m) => [m, method(m)])),
    name: describe('The statistics row; default: the URL as written', ref('scalar')),
    headers: ref('headers'),
    query: describe('Name → value (a list repeats the parameter)', mapOf({ anyOf: [ref('text'), listOf(ref('text'))] })),
    json: describe('Any value, sent as JSON', {}),
    form: describe('Name → value, sent as application/x-www-form-urlencoded', mapOf(ref('text'))),
    body: describe('Text, sent as is', ref('text')),
    timeout: ref('duration'),
    redirects: num({ type: 'integer', minimum: 0 }),
    check,
    capture,
    before: describe('A function of the script called before the request is sent (it may change it)', ref('function')),
    after: describe('A function of the script called with the response (it may fail it)', ref('function')),
  };
  const hasMethod = { anyOf: METHODS.map((m) => ({ required: [m] })) };
  const request = object('request', REQUEST_KEYS, requestDefs, hasMethod);
  const taskDefs: Record<string, Schema> = { name: ref('scalar'), weight: ref('weight'), tags: ref('tags') };
  const requestTask = object('request task', [...REQUEST_KEYS, ...REQUEST_TASK_KEYS], { ...requestDefs, ...taskDefs, name: requestDefs.name! }, hasMethod);
  const callDefs = { call: describe('A function the script exports, called with the user', ref('function')), timeout: ref('duration') };
  const callStep = object('call step', CALL_KEYS, callDefs, { required: ['call'] });
  const callTask = object('call task', [...CALL_KEYS, ...CALL_TASK_KEYS], { ...callDefs, ...taskDefs }, { required: ['call'] });
  const step = { anyOf: [ref('request'), ref('callStep'), describe('A pause inside a flow', oneKey('think', ref('wait')))] };
  const flowTask = object('flow task', FLOW_TASK_KEYS, {
    name: ref('scalar'),
    weight: ref('weight'),
    flow: listOf(ref('step'), { minItems: 1 }),
    onFailure: describe('After a failed step: stop (skip the rest of the flow, the default) or continue', { enum: ['stop', 'continue'] }),
    tags: ref('tags'),
  }, { required: ['flow'] });
  const userClass = object('user class', CLASS_KEYS, {
    name: ref('scalar'),
    weight: ref('weight'),
    fixedCount: describe('Exactly this many users of the class (instead of weight)', num({ type: 'integer', minimum: 0 })),
    wait: ref('wait'),
    host: describe("This class's own host", ref('host')),
    headers: ref('headers'),
    onStart: describe('Steps run once when a user starts', listOf(ref('step'))),
    onStop: describe('Steps run once when a user stops', listOf(ref('step'))),
    tags: ref('tags'),
    tasks: describe('Weighted tasks: a request, a { flow: [...] } or a { call: fn }', listOf({ anyOf: [ref('requestTask'), ref('flowTask'), ref('callTask')] }, { minItems: 1 })),
  }, { required: ['tasks'] });
  const threshold = describe("'[endpoint:] metric op value', like 'p95 < 500ms' or '/api/items: p99 < 1s'", {
    anyOf: [
      { type: 'string' },
      object('threshold', THRESHOLD_KEYS, { expr: { type: 'string' }, abort: { type: 'boolean' }, grace: ref('duration') }, { required: ['expr'] }),
      { type: 'object', minProperties: 1, maxProperties: 1, additionalProperties: { type: 'string' }, not: { anyOf: THRESHOLD_KEYS.map((k) => ({ required: [k] })) } },
    ],
  });
  const loadDefs: Record<string, Schema> = {
    host: ref('host'),
    users: describe('Concurrent users (closed model)', num({ type: 'integer', minimum: 1 })),
    spawnRate: describe('Users started (or stopped) per second', num({ type: 'number', exclusiveMinimum: 0 })),
    runTime: ref('duration'),
    stopTimeout: ref('duration'),
    rate: describe('Open model: task iterations per second (100/s, 600/m)', ref('rate')),
    maxUsers: describe('Open model: the cap on concurrent users', num({ type: 'integer', minimum: 1 })),
    stages: describe('A closed-model load shape', listOf(object('stage', STAGE_KEYS, { duration: ref('duration'), users: num({ type: 'integer', minimum: 0 }), spawnRate: num({ type: 'number', exclusiveMinimum: 0 }) }, { required: ['duration', 'users'] }), { minItems: 1 })),
    rateStages: describe('An open-model ramp', listOf(object('rate stage', RATE_STAGE_KEYS, { duration: ref('duration'), rate: ref('rate') }, { required: ['duration', 'rate'] }), { minItems: 1 })),
    thresholds: listOf(ref('threshold')),
    baseline: describe('Compare every run with this one, as --baseline: latest, a run name under the results directory, or a directory', { type: 'string', minLength: 1 }),
  };
  return {
    duration: describe('250ms, 30s, 5m, 1h30m; a bare number is seconds', { anyOf: [num({ type: 'number', minimum: 0 }), { type: 'string', pattern: DURATION_PATTERN }] }),
    rate: { anyOf: [num({ type: 'number', minimum: 0 }), { type: 'string', pattern: '^\\s*\\d+(?:\\.\\d+)?\\s*(?:/\\s*\\d*(?:\\.\\d+)?\\s*(?:ms|s|m|h))?\\s*$' }] },
    weight: describe('A share of the users or tasks (default 1)', num({ type: 'number', exclusiveMinimum: 0 })),
    scalar: { type: ['string', 'number', 'boolean'] },
    text: describe('Text; may use ${...} variables', { type: ['string', 'number', 'boolean'] }),
    host: describe('http(s)://host[:port][/base/path]', { type: 'string', pattern: '^(?:https?://|\\$\\{)' }),
    headers: describe('Header name → value; may use ${...}', mapOf(ref('text'), { propertyNames: { pattern: "^[!#$%&'*+.^_`|~0-9A-Za-z-]+$" } })),
    wait,
    function: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
    envRef: describe('The whole value read from the environment: ${USERS} or ${env.USERS}', { type: 'string', pattern: '^\\s*\\$\\{\\s*(?:env\\.)?[A-Za-z_][A-Za-z0-9_]*\\s*\\}\\s*$' }),
    tags: describe('Tags for -T/--tags and -E/--exclude-tags: one, or a list', { anyOf: [ref('scalar'), listOf(ref('scalar'))] }),
    request,
    requestTask,
    flowTask,
    callStep,
    callTask,
    step,
    userClass,
    threshold,
    load: { type: 'object', properties: props('profile', LOAD_KEYS, loadDefs), additionalProperties: false, minProperties: 1 },
    loadDefs: { properties: loadDefs },
  };
}

/** The JSON Schema (draft 2020-12) of a scenario file. */
export function scenarioSchema(): Schema {
  const d = defs();
  const loadDefs = (d.loadDefs as { properties: Record<string, Schema> }).properties;
  delete d.loadDefs;
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: SCHEMA_ID,
    title: 'cicada scenario',
    description: 'A cicada load test (https://www.npmjs.com/package/cicada-load). Reference: scenarios/README.md in the package.',
    ...object('the top level', TOP_KEYS, {
      name: describe('Names the results directory (default: the file name)', ref('scalar')),
      ...loadDefs,
      defaults: object('defaults', DEFAULTS_KEYS, { timeout: ref('duration'), headers: ref('headers'), redirects: num({ type: 'integer', minimum: 0 }) }),
      vars: describe('Constants used as ${name}; secret: lists vars to redact', mapOf(ref('text'), { properties: { secret: listOf({ type: 'string' }) } })),
      secretHeaders: describe('More header names to redact', listOf({ type: 'string' })),
      userClasses: listOf(ref('userClass'), { minItems: 1 }),
      data: describe('Data feeders: name → { csv: file | rows: [...], order }', mapOf(object('data source', SOURCE_KEYS, {
        csv: describe('A CSV file (header row first), relative to the scenario', { type: 'string' }),
        rows: listOf(mapOf(ref('scalar')), { minItems: 1 }),
        order: { enum: ['sequential', 'random', 'unique'] },
      }))),
      profiles: describe('Named presets chosen with --profile', mapOf(ref('load'))),
      tls: object('tls', TLS_KEYS, {
        insecure: describe('Accept any certificate (like curl -k)', { type: 'boolean' }),
        ca: describe('A PEM file of CAs to trust besides the system ones', ref('text')),
        cert: describe('Mutual TLS: the client certificate (PEM)', ref('text')),
        key: describe('Mutual TLS: its private key (PEM, unencrypted)', ref('text')),
      }),
      proxy: describe('A proxy for every request (http://host:port), or false for none; default: HTTP_PROXY / HTTPS_PROXY / NO_PROXY', { anyOf: [{ type: 'string', pattern: '^(?:https?://|\\$\\{)' }, { const: false }] }),
      http2: describe('Offer HTTP/2 to https:// targets', { type: 'boolean' }),
      script: describe('A TypeScript or JavaScript module (relative to the scenario) whose exported functions call:, before: and after: name', { type: 'string', pattern: `\\.(?:${SCRIPT_EXTENSIONS.map((e) => e.slice(1)).join('|')})$` }),
      monitors: describe("The target's own health, sampled each second: id → { prometheus: URL, metric } | { query: PROMQL, server: URL } | { process: PID or text }", mapOf(
        object('monitor', MONITOR_KEYS, {
          prometheus: describe('A Prometheus text exposition: an http(s):// URL, or a path on the host (/metrics)', { type: 'string', pattern: '^(?:https?://|/)' }),
          query: describe('PromQL, evaluated by the Prometheus server at server:', { type: 'string', minLength: 1 }),
          process: describe('A local process: its pid, or text found in its command line', { anyOf: [{ type: 'integer', minimum: 1 }, { type: 'string', minLength: 1 }] }),
          metric: describe('prometheus: a metric name with optional {label="value"} matchers; process: cpu, rss, threads or fds', { type: 'string', minLength: 1 }),
          rate: describe('prometheus: read as a rate per second (default: for counters)', { type: 'boolean' }),
          server: describe('query: the Prometheus server, http(s)://host:port', { type: 'string', pattern: '^https?://' }),
          children: describe('process: sum its descendants too (default true)', { type: 'boolean' }),
          name: describe('Shown in the TUI and the reports (default: the id)', { type: 'string' }),
          component: describe("The reports' Component column", { type: 'string' }),
          unit: describe('percent, bytes, bytes/s, seconds, ms, /s, or a word shown after the value', { type: 'string' }),
          scale: describe('Multiplies every value', { type: 'number' }),
          every: describe('Sampling period, whole seconds (default 1s)', ref('duration')),
          timeout: describe('A sample taking longer is a gap (default 900ms)', ref('duration')),
          pin: describe("On the TUI's status bar", { type: 'boolean' }),
          leak: describe('A leak verdict in the reports (default: for series in bytes)', { type: 'boolean' }),
          warmup: describe('Left out of the leak fit at the start (default: the first 10% of the run)', ref('duration')),
        }),
        { propertyNames: { pattern: '^[A-Za-z_][A-Za-z0-9_-]*$' } },
      )),
    }, { required: ['userClasses'] }),
    $defs: d,
  };
}

/** The schema as the committed file holds it. */
export function schemaJson(): string {
  return `${JSON.stringify(scenarioSchema(), null, 2)}\n`;
}
