/**
 * From recorded or described requests (a HAR, an OpenAPI document, curl lines) to a runnable,
 * commented scenario: the most common origin becomes `host:`, id-like path segments are grouped
 * into one statistics row (`/api/items/[id]`), secrets (credentials in headers, password and token
 * fields, API keys in queries) become `${ENV}` references listed at the top, values a later
 * request reuses from an earlier response are captured (`capture: { token: { json: $.token } }`)
 * rather than frozen, and browser noise headers are dropped. Pure: text in, text out.
 */
import { Document, isCollection, isMap, isScalar, isSeq, visit, YAMLMap } from 'yaml';
import { SECRET_HEADERS } from '../../scenario/build.js';
import { BUILTINS } from '../../scenario/template.js';
import { SCHEMA_ID } from '../../scenario/schema.js';

export type ImportedBody =
  | { readonly kind: 'json'; readonly value: unknown }
  | { readonly kind: 'form'; readonly fields: readonly (readonly [string, string])[] }
  | { readonly kind: 'text'; readonly text: string };

export interface ImportedRequest {
  /** Upper or lower case; written lower case. */
  readonly method: string;
  readonly url: URL;
  /** Names as recorded (any case). */
  readonly headers: readonly (readonly [string, string])[];
  readonly body: ImportedBody | null;
  /** What the recording got back, when it has it (HAR). */
  readonly response?: { readonly status: number; readonly json?: unknown; readonly setsCookie: boolean };
  /** The statistics row, when the source names it (an OpenAPI path template); else grouped from the path. */
  readonly name?: string;
  /** Header and query parameter names whose values are credentials (OpenAPI apiKey schemes). */
  readonly secretNames?: readonly string[];
  /** Written as a comment above the request. */
  readonly comment?: string;
}

export interface WriteOptions {
  readonly name: string;
  /** The target instead of the most common origin (whose requests are then sent here). */
  readonly host?: string;
  /** What it came from, for the header comment (`a HAR recorded by Chromium`, `openapi.yaml`). */
  readonly source: string;
  /** `flow`: one task replaying the requests in order (a recorded session); `tasks`: one task each. */
  readonly shape: 'flow' | 'tasks';
}

/** Headers a browser or curl adds by itself, which a load test should not freeze. */
const NOISE = new Set([
  'host', 'connection', 'content-length', 'accept-encoding', 'accept-language', 'user-agent', 'origin', 'referer',
  'pragma', 'cache-control', 'upgrade-insecure-requests', 'dnt', 'priority', 'te', 'keep-alive', 'if-none-match', 'if-modified-since',
]);
/** Field and parameter names whose values are credentials. */
const SECRET_NAME = /pass(?:word|wd)?$|secret|token|api[_-]?key|apikey|^auth$|^session(?:id)?$|^sid$|^signature$/i;
const ID_SEGMENT = /^(?:\d+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{16,}|(?=[A-Za-z0-9_-]*\d)[A-Za-z0-9_-]{20,})$/i;
/** Keys of a mapping that is a step (kept in block style). */
const STEP_KEYS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'think', 'flow', 'tasks']);
/** Response values shorter than this are not correlated (too likely to match by chance). */
const MIN_CORRELATED = 8;

/** `/api/items/123/parts/9f86d081884c7d65` → `/api/items/[id]/parts/[id]`. */
export function groupedPath(path: string): string {
  return path
    .split('/')
    .map((s) => (ID_SEGMENT.test(decodeURIComponent(s)) ? '[id]' : s))
    .join('/');
}

/** `${` in recorded text is literal: written `$${`. */
const literal = (s: string): string => s.replace(/\$\{/g, '$${');

/** `x-api-key` → `API_KEY`, `password` → `PASSWORD`, `accessToken` → `ACCESS_TOKEN`. */
export function envName(name: string): string {
  const n = name
    .replace(/^x-/i, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toUpperCase();
  return /^[A-Z_]/.test(n) ? n : `V_${n}`;
}

class EnvList {
  readonly uses = new Map<string, Set<string>>();
  /** `${NAME}` for a secret, remembering where it is used. */
  ref(name: string, where: string): string {
    const n = envName(name);
    let set = this.uses.get(n);
    if (set === undefined) this.uses.set(n, (set = new Set()));
    set.add(where);
    return `\${${n}}`;
  }
}

interface Capture {
  readonly name: string;
  readonly path: string;
}

/** String values of a JSON document by JSONPath (`$.token`, `$.items[0].id`), for correlation. */
function jsonStrings(value: unknown, path = '$', out: [string, string][] = []): [string, string][] {
  if (typeof value === 'string' || typeof value === 'number') {
    const s = String(value);
    if (s.length >= MIN_CORRELATED) out.push([path, s]);
  } else if (Array.isArray(value)) {
    value.slice(0, 50).forEach((v, i) => jsonStrings(v, `${path}[${i}]`, out));
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) jsonStrings(v, /^[A-Za-z_][A-Za-z0-9_]*$/.test(k) ? `${path}.${k}` : `${path}['${k}']`, out);
  }
  return out;
}

function captureName(path: string, taken: Set<string>): string {
  const last = /([A-Za-z_][A-Za-z0-9_]*)[^A-Za-z0-9_]*$/.exec(path.replace(/\[\d+\]/g, ''))?.[1] ?? 'value';
  const reserved = new Set<string>([...BUILTINS, 'env']);
  let name = last;
  for (let i = 2; taken.has(name) || reserved.has(name); i++) name = `${last}${i}`;
  taken.add(name);
  return name;
}

/** The scenario, as commented YAML text. */
export function writeScenario(requests: readonly ImportedRequest[], o: WriteOptions): string {
  if (requests.length === 0) throw new Error(`${o.source}: no HTTP requests to import`);
  const origins = new Map<string, number>();
  for (const r of requests) origins.set(r.url.origin, (origins.get(r.url.origin) ?? 0) + 1);
  // The most common origin is the host; --host retargets it (its requests stay relative paths).
  const hostOrigin = [...origins].sort((a, b) => b[1] - a[1])[0]![0];
  const host = o.host ?? hostOrigin;
  const env = new EnvList();

  // Correlation: a value a response gave that a later request sends is captured, not frozen.
  const known = new Map<string, { source: number; path: string }>();
  const captures = new Map<number, Capture[]>();
  const byValue = new Map<string, string>(); // value → capture name
  const taken = new Set<string>();
  const correlate = (text: string, index: number): string => {
    let out = literal(text);
    for (const [value, info] of known) {
      if (info.source >= index || !text.includes(value)) continue;
      let name = byValue.get(value);
      if (name === undefined) {
        name = captureName(info.path, taken);
        byValue.set(value, name);
        (captures.get(info.source) ?? captures.set(info.source, []).get(info.source)!).push({ name, path: info.path });
      }
      out = out.split(literal(value)).join(`\${${name}}`);
    }
    return out;
  };
  const cookiesSet = (index: number): boolean => requests.slice(0, index).some((r) => r.response?.setsCookie === true);

  const steps = requests.map((r, i) => {
    const method = r.method.toLowerCase();
    const where = `${method.toUpperCase()} ${r.url.pathname}`;
    const url = r.url.origin === hostOrigin ? r.url.pathname : `${r.url.origin}${r.url.pathname}`;
    const step = new Map<string, unknown>();
    step.set(method, correlate(url, i));
    const name = r.name ?? groupedPath(r.url.pathname);
    const urlWritten = step.get(method) as string;
    if (name !== r.url.pathname || urlWritten.includes('${')) step.set('name', r.url.origin === hostOrigin ? name : `${r.url.origin}${name}`);
    const secretName = (n: string): boolean => SECRET_NAME.test(n) || (r.secretNames ?? []).some((x) => x.toLowerCase() === n.toLowerCase());
    const headers = new Map<string, string>();
    for (const [rawName, value] of r.headers) {
      const h = rawName.toLowerCase();
      if (h.startsWith(':') || h.startsWith('sec-') || NOISE.has(h)) continue;
      if (h === 'content-type' && r.body !== null && r.body.kind !== 'text') continue; // json:/form: set it
      if (h === 'accept' && value === '*/*') continue;
      if (h === 'cookie') {
        if (!cookiesSet(i)) headers.set(h, env.ref('cookie', `the cookie header of ${where}`));
        continue; // the user's cookie jar sends what the recording's responses set
      }
      const correlated = correlate(value, i);
      if (correlated !== literal(value)) headers.set(h, correlated);
      else if (SECRET_HEADERS.includes(h) || secretName(h)) headers.set(h, secretHeader(h, value, env, where));
      else headers.set(h, literal(value));
    }
    if (headers.size > 0) step.set('headers', Object.fromEntries(headers));
    const query = new Map<string, string | string[]>();
    for (const [k, v] of r.url.searchParams) {
      const value = secretName(k) ? env.ref(k, `the ${k} query parameter of ${where}`) : correlate(v, i);
      const prev = query.get(k);
      query.set(k, prev === undefined ? value : [...(Array.isArray(prev) ? prev : [prev]), value]);
    }
    if (query.size > 0) step.set('query', Object.fromEntries(query));
    if (r.body !== null) {
      if (r.body.kind === 'json') step.set('json', secretJson(r.body.value, env, where, (s) => correlate(s, i)));
      else if (r.body.kind === 'form') {
        step.set('form', Object.fromEntries(r.body.fields.map(([k, v]) => [k, SECRET_NAME.test(k) ? env.ref(k, `the ${k} field of ${where}`) : correlate(v, i)])));
      } else step.set('body', correlate(r.body.text, i));
    }
    if (r.response?.json !== undefined) for (const [path, value] of jsonStrings(r.response.json)) if (!known.has(value)) known.set(value, { source: i, path });
    return { step, comment: r.comment };
  });
  captures.forEach((list, i) => {
    steps[i]!.step.set('capture', Object.fromEntries(list.map((c) => [c.name, { json: c.path, secret: true }])));
  });

  // Requests up to the last one whose response is captured run once per user (a login); the rest loop.
  const lastSource = Math.max(-1, ...captures.keys());
  const onStart = o.shape === 'flow' ? steps.slice(0, lastSource + 1) : [];
  const rest = o.shape === 'flow' ? steps.slice(lastSource + 1) : steps;
  const doc = new Document({});
  const root = doc.contents as YAMLMap;
  root.set('name', o.name);
  root.set('host', host);
  root.set('users', 1);
  root.set('spawnRate', 1);
  // A recorded session paces like the person who recorded it; API calls from a description loop at once.
  const cls = new Map<string, unknown>(o.shape === 'flow' ? [['name', 'Recorded'], ['wait', { between: ['1s', '3s'] }]] : [['name', 'User']]);
  if (onStart.length > 0) cls.set('onStart', onStart.map((s) => Object.fromEntries(s.step)));
  if (o.shape === 'flow' && rest.length > 0) cls.set('tasks', [{ name: 'recorded session', flow: rest.map((s) => Object.fromEntries(s.step)) }]);
  else if (rest.length > 0) cls.set('tasks', rest.map((s) => Object.fromEntries(s.step)));
  else cls.set('tasks', [Object.fromEntries(onStart.at(-1)!.step)]);
  root.set('userClasses', [Object.fromEntries(cls)]);
  const node = doc.createNode(root.toJSON()) as YAMLMap;
  doc.contents = node;
  // Comments above each request that has one (OpenAPI summaries).
  const tasksNode = ((node.get('userClasses') as { items: YAMLMap[] }).items[0]!).get('tasks');
  if (o.shape === 'tasks' && isSeq(tasksNode)) {
    tasksNode.items.forEach((item, i) => {
      const c = rest[i]?.comment;
      if (c !== undefined && isMap(item)) item.commentBefore = ` ${c.replace(/\s+/g, ' ').slice(0, 200)}`;
    });
  }
  // Small leaf mappings and lists read better on one line: `wait: { between: [1s, 3s] }`.
  for (let pass = 0; pass < 3; pass++) visit(doc, {
    Collection(_, coll) {
      const items = isMap(coll) ? coll.items.map((p) => p.value) : coll.items;
      if (isMap(coll) && coll.items.some((p) => isScalar(p.key) && STEP_KEYS.has(String(p.key.value)))) return;
      if (coll === node || !items.every((v) => isScalar(v) || (isCollection(v) && v.flow === true))) return;
      if (String(coll.toJSON !== undefined ? JSON.stringify(coll.toJSON()) : '').length <= 60) coll.flow = true;
    },
  });
  const envLines = [...env.uses].map(([n, uses]) => `#   ${n}: ${[...uses].slice(0, 3).join('; ')}${uses.size > 3 ? '; …' : ''}`);
  const header = [
    `yaml-language-server: $schema=${SCHEMA_ID}`,
    `Imported by \`cicada import\` from ${o.source}. Review it, then: cicada run THIS_FILE`,
    'Requests with an id in the path share one statistics row (`name: /api/items/[id]`).',
    ...(byValue.size > 0 ? ['Values a later request reused from a response are captured (`capture:`), not frozen.'] : []),
    ...(envLines.length > 0 ? ['Secrets were taken out; set these environment variables before running:', ...envLines.map((l) => l.slice(2))] : []),
  ];
  doc.commentBefore = header.map((l) => ` ${l}`).join('\n');
  return doc.toString({ lineWidth: 0 });
}

function secretHeader(name: string, value: string, env: EnvList, where: string): string {
  const scheme = /^(Bearer|Basic|Token|Digest)\s+\S/i.exec(value)?.[1];
  if (name === 'authorization' && scheme !== undefined) {
    const n = scheme.toLowerCase() === 'basic' ? 'basic_auth' : 'auth_token';
    return `${scheme} ${env.ref(n, `the authorization header of ${where}`)}`;
  }
  return env.ref(name, `the ${name} header of ${where}`);
}

function secretJson(value: unknown, env: EnvList, where: string, text: (s: string) => string, key = ''): unknown {
  if (typeof value === 'string') return key !== '' && SECRET_NAME.test(key) ? env.ref(key, `the ${key} field of ${where}`) : text(value);
  if (Array.isArray(value)) return value.map((v) => secretJson(v, env, where, text));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, secretJson(v, env, where, text, k)]));
  }
  return value;
}
