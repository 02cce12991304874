/**
 * Redaction of secrets from anything that leaves the process (files, console, TUI, logs).
 *
 * `text()` replaces with `***`:
 * - every occurrence of a secret value, and of its URL-encoded form (values are matched longest
 *   first, so a secret containing another is replaced whole);
 * - the value after a secret header name written as `name: value`, `name=value` or `"name":"value"`;
 * - bearer tokens (`Bearer abc…`) and JWTs (`eyJ….eyJ….…`), whoever they belong to;
 * - the password in a URL's credentials (`http://admin:***@host`).
 *
 * `headers()` returns a copy of a header map with the values of secret headers replaced (and the
 * other values passed through `text()`). Secret headers are always `authorization`,
 * `proxy-authorization`, `cookie`, `set-cookie` and `x-api-key`, plus those given; names match
 * case-insensitively. Empty secret values are ignored (they would match everywhere).
 */

export const REDACTED = '***';
export const DEFAULT_SECRET_HEADERS = ['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key'] as const;

export type HeaderValue = string | readonly string[] | undefined;

export interface Redactor {
  text(s: string): string;
  headers<H extends Readonly<Record<string, HeaderValue>>>(h: H): H;
}

const BEARER = /\b(Bearer\s+)[A-Za-z0-9._~+/=-]{4,}/gi;
/** The password in a URL's credentials: `http://admin:pw@host` → `http://admin:***@host`. */
const URL_PASSWORD = /(\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@'"]*:)[^\s/@'"]+@/gi;
const JWT = /\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g;

export function makeRedactor(secretValues: readonly string[], secretHeaders: readonly string[]): Redactor {
  const names = new Set([...DEFAULT_SECRET_HEADERS, ...secretHeaders.map((h) => h.toLowerCase())]);
  const literals = new Set<string>();
  for (const v of secretValues) {
    if (v === '') continue;
    literals.add(v);
    const encoded = safeEncode(v);
    if (encoded !== v) literals.add(encoded);
  }
  const values = literals.size === 0 ? null : new RegExp([...literals].sort((a, b) => b.length - a.length).map(escape).join('|'), 'g');
  const headerValue = new RegExp(`(\\b(?:${[...names].map(escape).join('|')})["']?\\s*[:=]\\s*["']?)(?:Bearer\\s+|Basic\\s+)?[^\\s"',;&]+`, 'gi');

  const text = (s: string): string => {
    let out = values === null ? s : s.replace(values, REDACTED);
    out = out.replace(headerValue, `$1${REDACTED}`);
    out = out.replace(BEARER, `$1${REDACTED}`);
    out = out.replace(URL_PASSWORD, `$1${REDACTED}@`);
    return out.replace(JWT, REDACTED);
  };

  const headers = <H extends Readonly<Record<string, HeaderValue>>>(h: H): H => {
    const out: Record<string, HeaderValue> = {};
    for (const [name, value] of Object.entries(h)) {
      if (value === undefined) out[name] = value;
      else if (names.has(name.toLowerCase())) out[name] = typeof value === 'string' ? REDACTED : value.map(() => REDACTED);
      else out[name] = typeof value === 'string' ? text(value) : value.map(text);
    }
    return out as H;
  };

  return { text, headers };
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function safeEncode(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    return s; // lone surrogates
  }
}
