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
  return { host: `${url.origin}${url.pathname.replace(/\/+$/, '')}` };
}

/**
 * null when `url` is acceptable as a request URL: a path starting with `/` or an absolute
 * http(s) URL, without spaces. A URL that starts with a run-time reference is accepted as is.
 */
export function requestUrlProblem(url: Template): string | null {
  const parts = typeof url === 'string' ? [url] : url.parts;
  for (const p of parts) {
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
