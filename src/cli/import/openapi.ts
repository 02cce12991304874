/**
 * An OpenAPI 3 document (JSON or YAML) → imported requests: one per operation, in document order,
 * with path and required query/header parameters filled from their examples (else defaults, enums
 * or a value of the right type), a JSON or form body from the example or built from the schema,
 * and the operation's security turned into credential headers or parameters (then `${ENV}`);
 * cookie-based schemes are left to each user's cookie jar.
 * Named by the path template (`/api/items/{id}` → `/api/items/[id]`), the summary as a comment.
 */
import { parse } from 'yaml';
import type { ImportedBody, ImportedRequest } from './scenario-writer.js';

type Obj = Record<string, unknown>;
const METHODS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options'];

const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The document's operations as requests, or an error message. `host` is used when the document's server URL is relative or missing. */
export function openapiRequests(text: string, host: string | undefined): ImportedRequest[] | string {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (e) {
    return `not JSON or YAML: ${(e as Error).message.split('\n')[0]}`;
  }
  if (!isObj(doc)) return 'not an OpenAPI document (expected a mapping with openapi: 3.x and paths:)';
  if (typeof doc.swagger === 'string') return 'a Swagger 2.0 document: convert it to OpenAPI 3 first (for example with swagger2openapi)';
  if (typeof doc.openapi !== 'string' || !doc.openapi.startsWith('3.')) return 'not an OpenAPI 3 document (no `openapi: 3.x` key)';
  if (!isObj(doc.paths)) return 'the document has no `paths:`';
  const resolve = (v: unknown, depth = 0): unknown => {
    if (!isObj(v) || typeof v.$ref !== 'string' || depth > 20) return v;
    const target = v.$ref.startsWith('#/') ? v.$ref.slice(2).split('/').reduce<unknown>((o, k) => (isObj(o) ? o[k.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined), doc) : undefined;
    return resolve(target, depth + 1);
  };
  const base = serverBase(doc, host);
  if (typeof base !== 'object') return base;
  const schemes = isObj(doc.components) && isObj(doc.components.securitySchemes) ? doc.components.securitySchemes : {};
  const out: ImportedRequest[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    if (!isObj(item)) continue;
    const shared = Array.isArray(item.parameters) ? item.parameters : [];
    for (const [method, op] of Object.entries(item)) {
      if (!METHODS.includes(method) || !isObj(op)) continue;
      const params = [...shared, ...(Array.isArray(op.parameters) ? op.parameters : [])].map((p) => resolve(p)).filter(isObj);
      const headers: [string, string][] = [];
      const secretNames: string[] = [];
      let urlPath = path;
      const query: [string, string][] = [];
      for (const p of params) {
        const name = String(p.name);
        const value = String(exampleOf(p, resolve));
        if (p.in === 'path') urlPath = urlPath.split(`{${name}}`).join(encodeURIComponent(value));
        else if (p.in === 'query' && (p.required === true || p.example !== undefined)) query.push([name, value]);
        else if (p.in === 'header' && p.required === true) headers.push([name, value]);
      }
      const security = (Array.isArray(op.security) ? op.security : Array.isArray(doc.security) ? doc.security : []).filter(isObj)[0];
      for (const schemeName of Object.keys(security ?? {})) {
        const s = resolve(schemes[schemeName]);
        if (!isObj(s)) continue;
        if (s.type === 'http' && String(s.scheme).toLowerCase() === 'bearer') headers.push(['authorization', 'Bearer token']);
        else if (s.type === 'http' && String(s.scheme).toLowerCase() === 'basic') headers.push(['authorization', 'Basic dXNlcjpwYXNz']);
        else if (s.type === 'oauth2' || s.type === 'openIdConnect') headers.push(['authorization', 'Bearer token']);
        else if (s.type === 'apiKey' && typeof s.name === 'string') {
          secretNames.push(s.name);
          if (s.in === 'header') headers.push([s.name, 'key']);
          else if (s.in === 'query') query.push([s.name, 'key']);
          // in: cookie — left to the user's cookie jar, which keeps what the target sets.
        }
      }
      const url = new URL(base.href.replace(/\/$/, '') + urlPath);
      for (const [k, v] of query) url.searchParams.append(k, v);
      const body = requestBody(op.requestBody, resolve);
      const summary = [op.operationId, op.summary].filter((x) => typeof x === 'string').join(': ');
      out.push({
        method,
        url,
        name: new URL(base.href.replace(/\/$/, '') + path.replace(/\{([^}]+)\}/g, '[$1]')).pathname.replace(/%5B/g, '[').replace(/%5D/g, ']'),
        headers,
        body,
        secretNames,
        ...(summary !== '' ? { comment: summary } : {}),
      });
    }
  }
  return out.length > 0 ? out : 'the document has no operations under `paths:`';
}

function serverBase(doc: Obj, host: string | undefined): URL | string {
  const server = Array.isArray(doc.servers) ? doc.servers.filter(isObj)[0] : undefined;
  let url = typeof server?.url === 'string' ? server.url : '';
  if (isObj(server?.variables)) {
    for (const [k, v] of Object.entries(server.variables)) url = url.split(`{${k}}`).join(isObj(v) ? String(v.default ?? '') : '');
  }
  if (host !== undefined) {
    const rel = /^[a-z]+:\/\//i.test(url) ? new URL(url).pathname : url;
    return new URL(host.replace(/\/$/, '') + (rel.startsWith('/') ? rel : `/${rel}`));
  }
  if (!/^https?:\/\//i.test(url)) return `the document's server URL ${JSON.stringify(url || '(none)')} is not absolute: give the target with --host http://host:port`;
  return new URL(url);
}

function requestBody(rb: unknown, resolve: (v: unknown) => unknown): ImportedBody | null {
  const body = resolve(rb);
  if (!isObj(body) || !isObj(body.content)) return null;
  for (const [type, media] of Object.entries(body.content)) {
    if (!isObj(media)) continue;
    const value = exampleOf(media, resolve);
    if (type.includes('json')) return { kind: 'json', value };
    if (type.includes('x-www-form-urlencoded') && isObj(value)) return { kind: 'form', fields: Object.entries(value).map(([k, v]) => [k, String(v)] as const) };
    if (type.startsWith('text/')) return { kind: 'text', text: String(value) };
  }
  return null;
}

/** A parameter's or media type's example: `example`, the first of `examples`, else built from its schema. */
function exampleOf(o: Obj, resolve: (v: unknown) => unknown): unknown {
  if (o.example !== undefined) return o.example;
  if (isObj(o.examples)) {
    const first = resolve(Object.values(o.examples)[0]);
    if (isObj(first) && first.value !== undefined) return first.value;
  }
  return fromSchema(resolve(o.schema), resolve, 0);
}

function fromSchema(s: unknown, resolve: (v: unknown) => unknown, depth: number): unknown {
  if (!isObj(s) || depth > 8) return 'example';
  if (s.example !== undefined) return s.example;
  if (Array.isArray(s.examples) && s.examples.length > 0) return s.examples[0];
  if (s.default !== undefined) return s.default;
  if (Array.isArray(s.enum) && s.enum.length > 0) return s.enum[0];
  if (s.const !== undefined) return s.const;
  for (const k of ['allOf', 'oneOf', 'anyOf']) {
    const list = s[k];
    if (Array.isArray(list) && list.length > 0) {
      if (k !== 'allOf') return fromSchema(resolve(list[0]), resolve, depth + 1);
      return Object.assign({}, ...list.map((x) => fromSchema(resolve(x), resolve, depth + 1)).filter(isObj)) as unknown;
    }
  }
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
  switch (type) {
    case 'integer':
      return typeof s.minimum === 'number' ? Math.ceil(s.minimum) : 1;
    case 'number':
      return typeof s.minimum === 'number' ? s.minimum : 1;
    case 'boolean':
      return true;
    case 'array':
      return [fromSchema(resolve(s.items), resolve, depth + 1)];
    case 'string':
      switch (s.format) {
        case 'email':
          return 'user@example.com';
        case 'uuid':
          return '3fa85f64-5717-4562-b3fc-2c963f66afa6';
        case 'date-time':
          return '2026-01-01T00:00:00Z';
        case 'date':
          return '2026-01-01';
        case 'uri':
          return 'https://example.com/';
        default:
          return 'example';
      }
    default:
      if (isObj(s.properties)) {
        return Object.fromEntries(Object.entries(s.properties).map(([k, v]) => [k, fromSchema(resolve(v), resolve, depth + 1)]));
      }
      return type === undefined ? {} : 'example';
  }
}
