/**
 * What a host and a request URL may look like. Pure; returns error messages, never throws.
 */
import type { Template } from './types.js';

const HOST_EXAMPLE = 'http://127.0.0.1:8089';

/**
 * The host as the engine wants it (origin plus an optional base path, no trailing slash), or an
 * error message. Only http and https; no query or fragment.
 */
export function normalizeHost(text: string): { readonly host: string } | { readonly error: string } {
  const t = text.trim();
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(t)) {
    return { error: `must be an http(s) URL like ${HOST_EXAMPLE}, got ${JSON.stringify(text)}${/^[\w.-]+(:\d+)?(\/.*)?$/.test(t) ? ` (add http://)` : ''}` };
  }
  let url: URL;
  try {
    url = new URL(t);
  } catch {
    return { error: `is not a valid URL: ${JSON.stringify(text)}` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { error: `must use http:// or https://, got ${url.protocol}//` };
  }
  if (url.hostname === '') return { error: `has no host name: ${JSON.stringify(text)}` };
  if (url.search !== '' || url.hash !== '') return { error: `must not have a query or fragment (put them in the request URLs): ${JSON.stringify(text)}` };
  // Credentials stay in the host: every request to it sends them as basic auth (never dropped).
  const userinfo = url.username === '' && url.password === '' ? '' : `${url.username}${url.password === '' ? '' : `:${url.password}`}@`;
  return { host: `${url.protocol}//${userinfo}${url.host}${url.pathname.replace(/\/+$/, '')}` };
}

/**
 * Registers the password in a URL (decoded, and as the `user:password` basic-auth token it is sent
 * as) with `secrets`, so it is redacted wherever it appears. Nothing for a URL without one.
 */
export function addUrlSecrets(text: string, secrets: { add(value: string): void }): void {
  for (const v of urlSecrets(text)) secrets.add(v);
}

/** The secrets of a URL's credentials: its password, and the basic-auth token of user and password. */
export function urlSecrets(text: string): string[] {
  const password = urlPassword(text);
  if (password === null) return [];
  let user = '';
  try {
    user = decodeURIComponent(new URL(text).username);
  } catch {
    // the password was found, so the URL parses; a malformed escape keeps the raw name
  }
  return [password, Buffer.from(`${user}:${password}`).toString('base64')];
}

/** The password (decoded) in a host or URL, or null: a secret to redact wherever it appears. */
export function urlPassword(text: string): string | null {
  try {
    const u = new URL(text);
    if (u.password === '') return null;
    try {
      return decodeURIComponent(u.password);
    } catch {
      return u.password;
    }
  } catch {
    return null;
  }
}

/**
 * null when `url` is acceptable as a request URL: a path starting with `/` or an absolute
 * http(s) URL, without spaces. A URL that starts with a run-time reference is accepted as is.
 */
export function requestUrlProblem(url: Template): string | null {
  const parts = typeof url === 'string' ? [url] : url.parts;
  for (const p of parts) {
    if (typeof p === 'string' && /[\x00-\x08\x0e-\x1f\x7f]/.test(p)) return 'must not contain NUL or other control characters';
    if (typeof p === 'string' && /\s/.test(p)) return 'must not contain spaces or line breaks (encode a space as %20)';
  }
  const first = parts[0];
  if (typeof first !== 'string') return null;
  if (first.startsWith('/')) return null;
  if (/^https?:\/\//i.test(first)) {
    if (typeof url !== 'string') return null;
    try {
      const u = new URL(url);
      return u.hostname === '' ? `has no host name: ${JSON.stringify(url)}` : null;
    } catch {
      return `is not a valid URL: ${JSON.stringify(url)}`;
    }
  }
  if (typeof url !== 'string' && /^https?:?\/?\/?$/i.test(first)) return null;
  return `must be a path starting with / (joined to the host) or an absolute http(s):// URL, got ${JSON.stringify(typeof url === 'string' ? url : url.source)}`;
}
