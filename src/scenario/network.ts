/**
 * How users connect: the `tls:`, `proxy:` and `http2:` keys, `--insecure`, and the proxy
 * environment variables (HTTP_PROXY, HTTPS_PROXY, NO_PROXY, or their lower-case forms, which win
 * as in curl and undici). Certificate and key files are read relative to the scenario file through
 * the `readFile` it is given, and checked as PEM here, so a wrong file is a problem at load with
 * its place in the scenario, not a TLS error in the middle of a run.
 */
import { createPrivateKey, type KeyObject, X509Certificate } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import type { Problems } from './errors.js';
import type { ReadFile } from './feeders.js';
import { asBool, asMap, bad, describe, entry, fieldOf, isNull } from './read.js';
import type { Ctx } from './read.js';
import { readTemplate, type Secrets } from './read-template.js';
import { loadTimeScope } from './template.js';
import type { NetworkSettings, ProxySettings, TlsSettings } from './types.js';
import type { YMap, YNode } from './yaml-source.js';

export const TLS_KEYS = ['insecure', 'ca', 'cert', 'key'];

export interface NetworkOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly vars: ReadonlyMap<string, string>;
  readonly secrets: Secrets;
  /** Null when the scenario has no file to be relative to. */
  readonly readFile: ReadFile | null;
  /** `--insecure` was given. */
  readonly insecure: boolean;
}

/** The network settings of the top-level mapping `top` (problems recorded in `ctx`). */
export function readNetwork(ctx: Ctx, top: YMap, o: NetworkOptions): NetworkSettings {
  const http2Node = entry(top, 'http2')?.value;
  const http2 = http2Node === undefined || isNull(http2Node) ? false : (asBool(ctx, http2Node, 'http2') ?? false);
  return { tls: readTls(ctx, entry(top, 'tls')?.value, o), proxy: readProxy(ctx, entry(top, 'proxy')?.value, o), http2 };
}

/** Network settings with no file behind them (a URL run): `--insecure` and the environment's proxies. */
export function networkFromEnvironment(problems: Problems, o: Omit<NetworkOptions, 'readFile' | 'vars'>): NetworkSettings {
  return { tls: o.insecure ? { insecure: true, ca: null, cert: null, key: null } : null, proxy: proxyFromEnv(problems, o.env, o.secrets), http2: false };
}

function readTls(ctx: Ctx, node: YNode | undefined, o: NetworkOptions): TlsSettings | null {
  if (node === undefined || isNull(node)) return o.insecure ? { insecure: true, ca: null, cert: null, key: null } : null;
  const map = asMap(ctx, node, 'tls', TLS_KEYS, '{ ca: certs/ca.pem } or { insecure: true }');
  if (map === null) return null;
  const insecureNode = entry(map, 'insecure')?.value;
  const insecure = o.insecure || (insecureNode !== undefined && !isNull(insecureNode) && asBool(ctx, insecureNode, 'tls.insecure') === true);
  const read = (key: string): { pem: string; node: YNode } | null => {
    const e = entry(map, key);
    if (e === undefined || isNull(e.value)) return null;
    const pem = readPemFile(ctx, e.value, fieldOf('tls', key), o);
    return pem === null ? null : { pem, node: e.value };
  };
  const ca = read('ca');
  const cert = read('cert');
  const key = read('key');
  if (ca !== null) checkCertificates(ctx, ca.node, 'tls.ca', ca.pem);
  const certificate = cert === null ? null : checkCertificates(ctx, cert.node, 'tls.cert', cert.pem);
  const privateKey = key === null ? null : checkKey(ctx, key.node, key.pem);
  const certEntry = entry(map, 'cert');
  const keyEntry = entry(map, 'key');
  if (certEntry !== undefined && keyEntry === undefined) bad(ctx, certEntry.keyLoc, 'tls.cert', 'a client certificate needs its private key: add `key:` (a PEM file)');
  if (keyEntry !== undefined && certEntry === undefined) bad(ctx, keyEntry.keyLoc, 'tls.key', 'a private key needs its certificate: add `cert:` (a PEM file)');
  if (certificate !== null && privateKey !== null && key !== null && !certificate.checkPrivateKey(privateKey)) {
    bad(ctx, key.node, 'tls.key', 'this key does not belong to the certificate in `cert:`');
  }
  return { insecure, ca: ca?.pem ?? null, cert: cert?.pem ?? null, key: key?.pem ?? null };
}

/** The text of the PEM file the node names (relative to the scenario), or null with a problem. */
function readPemFile(ctx: Ctx, node: YNode, field: string, o: NetworkOptions): string | null {
  const rel = readTemplate(ctx, node, field, loadTimeScope(o.env, o.vars), o.secrets, { notSecret: true });
  if (typeof rel !== 'string') return null;
  if (o.readFile === null) {
    bad(ctx, node, field, 'files cannot be read here (the scenario was not loaded from a file)');
    return null;
  }
  const absolute = resolve(join(dirname(ctx.source.file), rel));
  let bytes: Uint8Array;
  try {
    bytes = o.readFile(absolute);
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : String((e as Error).message ?? e);
    bad(ctx, node, field, `cannot read ${rel}: ${why} (looked for ${absolute})`);
    return null;
  }
  const text = Buffer.from(bytes).toString('latin1');
  if (!text.includes('-----BEGIN ')) {
    bad(ctx, node, field, `${rel} is not a PEM file (no -----BEGIN line); convert DER with: openssl x509 -inform der -in FILE -out FILE.pem`);
    return null;
  }
  return text;
}

/** The first certificate of a PEM bundle, or null with a problem when none parses. */
function checkCertificates(ctx: Ctx, node: YNode, field: string, pem: string): X509Certificate | null {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) {
    bad(ctx, node, field, 'the file holds no certificate (no -----BEGIN CERTIFICATE----- block)');
    return null;
  }
  try {
    const certs = blocks.map((b) => new X509Certificate(b));
    return certs[0]!;
  } catch (e) {
    bad(ctx, node, field, `a certificate in the file does not parse: ${(e as Error).message}`);
    return null;
  }
}

function checkKey(ctx: Ctx, node: YNode, pem: string): KeyObject | null {
  try {
    return createPrivateKey(pem);
  } catch (e) {
    const message = (e as Error).message;
    const encrypted = /passphrase|encrypted|bad decrypt/i.test(message) || pem.includes('ENCRYPTED');
    bad(ctx, node, 'tls.key', encrypted ? 'the key is encrypted; decrypt it first (openssl pkey -in key.pem -out plain.pem)' : `not a private key: ${message}`);
    return null;
  }
}

function readProxy(ctx: Ctx, node: YNode | undefined, o: NetworkOptions): ProxySettings | null {
  if (node === undefined || isNull(node)) return proxyFromEnv(ctx.problems, o.env, o.secrets);
  if (node.kind === 'scalar' && node.value === false) return null;
  if (node.kind !== 'scalar' || typeof node.value !== 'string') {
    bad(ctx, node, 'proxy', `must be a proxy URL (like http://proxy.example:3128) or false, got ${describe(node)}`);
    return null;
  }
  const t = readTemplate(ctx, node, 'proxy', loadTimeScope(o.env, o.vars), o.secrets);
  if (typeof t !== 'string') return null;
  const error = proxyUrlProblem(t);
  if (error !== null) {
    bad(ctx, node, 'proxy', error);
    return null;
  }
  addCredentials(t, o.secrets);
  return { http: t, https: t, noProxy: '', from: 'scenario' };
}

function proxyFromEnv(problems: Problems, env: Readonly<Record<string, string | undefined>>, secrets: Secrets): ProxySettings | null {
  const pick = (lower: string, upper: string): { name: string; value: string } | null => {
    const value = env[lower] ?? env[upper];
    if (value === undefined || value === '') return null;
    return { name: env[lower] !== undefined ? lower : upper, value };
  };
  const http = pick('http_proxy', 'HTTP_PROXY');
  const https = pick('https_proxy', 'HTTPS_PROXY');
  if (http === null && https === null) return null;
  for (const p of [http, https]) {
    if (p === null) continue;
    const error = proxyUrlProblem(p.value);
    if (error !== null) {
      problems.flag(p.name, `${error} (from the environment; unset it or fix it)`);
      return null;
    }
    addCredentials(p.value, secrets);
  }
  return { http: http?.value ?? null, https: https?.value ?? null, noProxy: env.no_proxy ?? env.NO_PROXY ?? '', from: 'environment' };
}

function proxyUrlProblem(text: string): string | null {
  if (!text.includes('://')) return `a proxy URL starts with http:// or https://, got ${JSON.stringify(text)} (write http://${text})`;
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    return `not a URL: ${JSON.stringify(text)}; a proxy is written http://host:port`;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return `a proxy URL starts with http:// or https://, got ${JSON.stringify(text)}`;
  return null;
}

/** `http://user:pass@proxy:3128`: the password (and user:pass) are redacted wherever text leaves. */
function addCredentials(url: string, secrets: Secrets): void {
  const u = new URL(url);
  if (u.password === '') return;
  secrets.add(u.password);
  secrets.add(decodeURIComponent(u.password));
  secrets.add(`${u.username}:${u.password}`);
}

/** One line saying how users connect when it is not plain and direct (for the start of a headless run), else null. */
export function describeNetwork(n: NetworkSettings | undefined): string | null {
  if (n === undefined) return null;
  const parts: string[] = [];
  const p = n.proxy;
  if (p !== null) {
    const hide = (url: string): string => url.replace(/\/\/[^@/]*@/, '//***@');
    const urls = p.http === p.https ? `${hide(p.http!)}` : [p.http !== null ? `http:// via ${hide(p.http)}` : null, p.https !== null ? `https:// via ${hide(p.https)}` : null].filter((x) => x !== null).join(', ');
    const from = p.from === 'environment' ? ` (from the environment${p.noProxy !== '' ? `; NO_PROXY=${p.noProxy}` : ''})` : ' (proxy: in the scenario)';
    parts.push(`proxy ${urls}${from}`);
  }
  if (n.tls?.insecure === true) parts.push('TLS certificates are not verified (--insecure)');
  if (n.http2) parts.push('HTTP/2 offered');
  return parts.length === 0 ? null : `network: ${parts.join('; ')}`;
}
