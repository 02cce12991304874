/**
 * What may go on the wire as a request target and header value once templates are rendered: text
 * is percent-encoded the way browsers encode a typed URL (UTF-8, spaces, quotes, angle brackets),
 * and a line break or other control character (usually from a data row) means the request is not
 * sent, under one stable failure key, rather than handed to the HTTP client to reject.
 */
import { intern } from './failures.js';

/** Longest timer Node keeps as asked (2^31 − 1 ms ≈ 24.8 days); longer waits are chained. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** A request that cannot be sent as rendered; `key` is its failure key (`not sent: ...`). */
export class NotSentError extends Error {
  readonly key: string;
  constructor(reason: string) {
    super(reason);
    this.name = 'NotSentError';
    this.key = intern(`not sent: ${reason}`);
  }
}

const CONTROL = /[\x00-\x1f\x7f]/;
/** Characters a browser percent-encodes in a path or query it is given (besides controls). */
const NEEDS_ENCODING = /[^\x21-\x7e]|["<>`{}]/;

export const CONTROL_IN_URL = 'line break or control character in the URL';

/** True when `text` has a C0 control character or DEL (CR, LF and NUL among them). */
export function hasControl(text: string): boolean {
  return CONTROL.test(text);
}

/**
 * `target` (a path and query, or an absolute URL) ready for the wire: control characters throw
 * `NotSentError`; non-ASCII text, spaces and `"<>\`{}` are percent-encoded as UTF-8; existing
 * `%XX` escapes are kept.
 */
export function wireTarget(target: string): string {
  if (CONTROL.test(target)) throw new NotSentError(CONTROL_IN_URL);
  return NEEDS_ENCODING.test(target) ? encodeTarget(target) : target;
}

/** `text` with what a browser percent-encodes encoded (controls are left to the loader's checks). */
export function encodeTargetText(text: string): string {
  return NEEDS_ENCODING.test(text) ? encodeTarget(text) : text;
}

/** Percent-encodes what `NEEDS_ENCODING` matches (controls excluded by the caller). */
export function encodeTarget(target: string): string {
  let out = '';
  for (const ch of target) {
    const c = ch.codePointAt(0)!;
    if ((c > 0x20 && c < 0x7f && !'"<>`{}'.includes(ch)) || c < 0x20 || c === 0x7f) out += ch;
    else {
      try {
        out += encodeURIComponent(ch);
      } catch {
        out += '%EF%BF%BD'; // a lone surrogate: U+FFFD, as browsers send it
      }
    }
  }
  return out;
}
