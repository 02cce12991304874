/**
 * Stable, readable failure keys. A key names the kind of failure, never a value that varies per
 * request (so failures group into a handful of rows), and each distinct key is one interned string.
 */
import { formatDuration } from '../scenario/duration.js';

const interned = new Map<string, string>();

/** The one shared instance of `key`, so sinks can compare and map by identity. Bounded by the variety of keys. */
export function intern(key: string): string {
  let k = interned.get(key);
  if (k === undefined) {
    if (interned.size > 10_000) interned.clear();
    interned.set(key, key);
    k = key;
  }
  return k;
}

const httpKeys: string[] = [];
/** `HTTP 503`. */
export function httpStatusKey(status: number): string {
  return (httpKeys[status] ??= intern(`HTTP ${status}`));
}

/** Raised by the engine to abort a request that ran past its timeout. */
export class RequestTimeoutError extends Error {
  readonly key: string;
  constructor(timeoutMs: number) {
    super(`timeout after ${formatDuration(timeoutMs)}`);
    this.name = 'RequestTimeoutError';
    this.key = intern(this.message);
  }
}

/** Raised by the engine to abort requests still in flight when a stop's grace period ends. */
export class StopAbortError extends Error {
  readonly key = intern('aborted: run stopped');
  constructor() {
    super('aborted: run stopped');
    this.name = 'StopAbortError';
  }
}

const networkCodes = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH',
  'ENETUNREACH', 'EADDRNOTAVAIL', 'EMFILE', 'ENFILE', 'ECONNABORTED', 'EPROTO', 'ERR_SSL_WRONG_VERSION_NUMBER',
]);

/** OpenSSL's verdicts on a server certificate, keyed `TLS: <its message>`. */
const certificateCodes = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT', 'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'CERT_UNTRUSTED', 'CERT_REJECTED', 'ERR_TLS_CERT_ALTNAME_INVALID',
]);

const undiciKeys: Record<string, string> = {
  UND_ERR_CONNECT_TIMEOUT: 'connect timeout',
  UND_ERR_SOCKET: 'connection closed by server',
  UND_ERR_CLOSED: 'connection closed',
  UND_ERR_DESTROYED: 'connection closed',
  UND_ERR_RES_CONTENT_LENGTH_MISMATCH: 'response shorter than its content-length',
  UND_ERR_REQ_CONTENT_LENGTH_MISMATCH: 'request body length mismatch',
  UND_ERR_RESPONSE_EXCEEDED_MAX_SIZE: 'response too large',
  UND_ERR_INFO: 'protocol error',
  UND_ERR_NOT_SUPPORTED: 'not supported',
  UND_ERR_INVALID_ARG: 'invalid request',
};

/**
 * The failure key for an error from the HTTP client: the system error code (`ECONNREFUSED`), a
 * phrase for undici's own codes (`connect timeout`), `bad response (HPE_INVALID_CONSTANT)` — or,
 * when undici gives no code, `bad response (Invalid status code)` with llhttp's reason — for a
 * response that is not valid HTTP, else `error: <message>`.
 */
export function errorKey(err: unknown): string {
  if (err instanceof RequestTimeoutError || err instanceof StopAbortError) return err.key;
  const e = err as { code?: unknown; message?: unknown; cause?: unknown } | null;
  const code = typeof e?.code === 'string' ? e.code : undefined;
  if (code !== undefined) {
    if (networkCodes.has(code) || code.startsWith('ERR_SSL_')) return intern(code);
    if (certificateCodes.has(code)) return intern(`TLS: ${typeof e?.message === 'string' ? e.message.split(':')[0]! : code}`);
    if (code.startsWith('HPE_')) return intern(`bad response (${code})`);
    const protocol = protocolKey(code, e?.message);
    if (protocol !== null) return protocol;
    const phrase = undiciKeys[code];
    if (phrase !== undefined) {
      // undici wraps socket errors; the cause usually carries the system code.
      if (code === 'UND_ERR_SOCKET' && e?.cause) {
        const inner = (e.cause as { code?: unknown }).code;
        if (typeof inner === 'string' && networkCodes.has(inner)) return intern(inner);
      }
      return intern(phrase);
    }
    if (code.startsWith('E') && /^E[A-Z]+$/.test(code)) return intern(code);
  }
  if (e?.cause !== undefined && e.cause !== err) return errorKey(e.cause);
  if ((err as { name?: unknown } | null)?.name === 'HTTPParserError') {
    // undici 7 leaves `code` unset on parser errors (it looks the code up by number in a table
    // keyed by name); its message ends with llhttp's fixed reason: `(Invalid status code)`.
    const reason = typeof e?.message === 'string' ? /\(([^()]{1,80})\)$/.exec(e.message)?.[1] : undefined;
    return intern(reason === undefined ? 'bad response' : `bad response (${reason})`);
  }
  const message = typeof e?.message === 'string' ? e.message : String(err);
  return intern(`error: ${message.split('\n')[0]!.slice(0, 200)}`);
}

/**
 * Responses undici refuses at the protocol level, named for what the server did (undici closes
 * the connection on each, so the next request reconnects): an interim `100 Continue` the request
 * did not ask for, a response with no request, a `101 Switching Protocols` without an upgrade,
 * headers over undici's limit (16 KiB by default).
 */
function protocolKey(code: string, message: unknown): string | null {
  if (code === 'UND_ERR_HEADERS_OVERFLOW') return intern('bad response (Headers Overflow Error)');
  if (code !== 'UND_ERR_SOCKET') return null;
  if (message === 'bad response') return intern('bad response (unexpected 100 Continue, or a response to no request)');
  if (message === 'bad upgrade') return intern('bad response (101 Switching Protocols without an upgrade)');
  return null;
}

/**
 * A hint for the person running the test when a failure key has a fix on their side — the load
 * generator itself ran out of something (not the target), or the target's certificate is not
 * trusted — else null. The runner shows each hint once, as a warning.
 */
export function generatorHint(key: string): string | null {
  switch (key) {
    case 'EMFILE':
    case 'ENFILE':
      return (
        `${key}: cicada ran out of file descriptors (each user holds a connection); the requests that could not ` +
        `connect are counted as ${key} failures. Raise the limit before running (ulimit -n 65536) or run fewer users per process`
      );
    case 'EADDRNOTAVAIL':
      return (
        'EADDRNOTAVAIL: no free local port to connect from (connections opened and closed faster than the system ' +
        'frees ports); use keep-alive, fewer users, or a wider net.ipv4.ip_local_port_range'
      );
    default:
      if (key.startsWith('TLS: ')) {
        return `${key}: the target's certificate is not trusted; trust its CA with \`tls: { ca: ca.pem }\` in the scenario, or accept any certificate with --insecure`;
      }
      return null;
  }
}
