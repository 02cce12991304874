/**
 * Following redirects as browsers (the Fetch standard) and Python's `requests` do, as pure
 * functions the virtual user calls for each hop:
 *
 * - 301, 302, 303, 307 and 308 with a `Location` are followed; other 3xx (and a redirect without a
 *   `Location`) are the final response.
 * - 307/308 keep the method and the body; 303 becomes GET (HEAD stays HEAD), and so does a POST
 *   answered by 301/302. A request turned into GET loses its body and the headers describing it.
 * - A hop to another origin (scheme, host or port) carries no credentials: `Authorization`,
 *   `Proxy-Authorization`, `Cookie`, `Host`, every secret header and every header whose value is
 *   secret are dropped for the rest of the chain (the cookie jar adds the new origin's own cookies).
 * - A `Location` that is empty, not a URL, or not http(s) ends the chain as one failure.
 */
import { intern } from './failures.js';

export const TOO_MANY_REDIRECTS = intern('too many redirects');
export const EMPTY_LOCATION = intern('redirect: empty Location');
export const INVALID_LOCATION = intern('redirect: invalid Location');
export const NOT_HTTP_LOCATION = intern('redirect: Location is not http(s)');

/** The statuses that are followed. */
export function isRedirectStatus(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

/** The next URL, or a failure key when `location` cannot be followed. `base` is the URL that answered. */
export function resolveLocation(location: string, base: string): URL | string {
  const trimmed = location.trim();
  if (trimmed === '') return EMPTY_LOCATION;
  let url: URL;
  try {
    url = new URL(trimmed, base);
  } catch {
    return INVALID_LOCATION;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return NOT_HTTP_LOCATION;
  if (url.hostname === '') return INVALID_LOCATION;
  url.hash = '';
  return url;
}

/** The method of the next hop, and whether it keeps the body. */
export function redirectMethod(status: number, method: string): { readonly method: string; readonly keepBody: boolean } {
  if (status === 307 || status === 308) return { method, keepBody: true };
  if ((status === 303 && method !== 'GET' && method !== 'HEAD') || ((status === 301 || status === 302) && method === 'POST')) {
    return { method: 'GET', keepBody: false };
  }
  return { method, keepBody: method !== 'GET' && method !== 'HEAD' };
}

/** Headers that describe a body, dropped with it (Fetch's "request-body-header name"). */
const BODY_HEADERS = new Set(['content-type', 'content-length', 'content-encoding', 'content-language', 'content-location', 'transfer-encoding']);
/** Headers that never cross to another origin, whatever their value. */
const CREDENTIAL_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'host']);

export interface HopHeaderOptions {
  readonly dropBody: boolean;
  /** The chain has left the origin of the first request (this hop or an earlier one). */
  readonly crossOrigin: boolean;
  /** Names of secret headers (lower case), beyond the credential headers. */
  readonly isSecretHeader: (name: string) => boolean;
  /** Whether a value is (or contains) a secret: any header with one stays home too. */
  readonly isSecretValue: (value: string) => boolean;
}

/**
 * The flat `[name, value, ...]` header list of the next hop, from the previous hop's (without the
 * cookie the jar added: the caller adds the jar's cookie for the new URL). Names are lower case.
 */
export function hopHeaders(headers: readonly string[], o: HopHeaderOptions): string[] {
  const out: string[] = [];
  for (let i = 0; i < headers.length; i += 2) {
    const name = headers[i]!;
    const value = headers[i + 1]!;
    if (o.dropBody && BODY_HEADERS.has(name)) continue;
    if (o.crossOrigin && (CREDENTIAL_HEADERS.has(name) || o.isSecretHeader(name) || o.isSecretValue(value))) continue;
    out.push(name, value);
  }
  return out;
}
