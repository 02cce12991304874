/**
 * One HTTP exchange on undici's raw dispatch path: a legacy handler object (no body stream, no
 * promise, no header parsing unless a check or capture asks), which counts every body byte and
 * buffers the body only when the request needs it.
 */
import type { ResponseView } from './checks.js';

/** Bodies are buffered for checks up to this size; beyond it, body checks fail as "too large". */
export const MAX_BUFFERED_BODY_BYTES = 16 * 1024 * 1024;

/** Who gets told when an exchange ends. Called exactly once per call. */
export interface CallOwner {
  callDone(call: Call, error: Error | null): void;
  setCookie(value: string): void;
}

export class Call implements ResponseView {
  /** undici's abort for this request; null until the request reaches a socket. */
  private abortFn: ((err?: Error) => void) | null = null;
  status = 0;
  bytes = 0;
  /** Absolute performance.now() ms at which the engine gives up on this call. */
  readonly deadline: number;
  latencyMs = 0;
  private chunks: Buffer[] | null;
  private bufferedBytes = 0;
  private truncated = false;
  private rawHeaders: Buffer[] | null = null;
  private done = false;
  /** Set when the engine aborted the call (timeout or stop), so the error is keyed by the reason. */
  abortReason: Error | null = null;
  private bodyText: string | null | undefined;
  private bodyJson: { ok: boolean; value: unknown } | undefined;

  constructor(
    private readonly owner: CallOwner,
    /** performance.now() when sent. */
    readonly sentAt: number,
    timeoutMs: number,
    keepBody: boolean,
  ) {
    this.deadline = sentAt + timeoutMs;
    this.chunks = keepBody ? [] : null;
  }

  /** Ends the call with `reason` (a timeout or a stop). Returns false when undici has not started it yet. */
  abort(reason: Error): boolean {
    if (this.done) return true;
    this.abortReason = reason;
    if (this.abortFn === null) return false;
    this.abortFn(reason);
    return true;
  }

  get finished(): boolean {
    return this.done;
  }

  // ---- undici's legacy DispatchHandler ----

  onConnect(abort: (err?: Error) => void): void {
    this.abortFn = abort;
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[], _resume: () => void, _statusText: string): boolean {
    if (statusCode < 200) return true; // 1xx: the real response follows
    this.status = statusCode;
    for (let i = 0; i < rawHeaders.length; i += 2) {
      const name = rawHeaders[i]!;
      if (name.length === 10 && isSetCookie(name)) this.owner.setCookie(rawHeaders[i + 1]!.toString('latin1'));
    }
    this.rawHeaders = rawHeaders; // undici allocated it anyway; read only by checks, captures and redirects
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.bytes += chunk.length;
    if (this.chunks !== null) {
      if (this.bufferedBytes + chunk.length > MAX_BUFFERED_BODY_BYTES) {
        this.truncated = true;
        this.chunks = null;
      } else {
        this.chunks.push(chunk);
        this.bufferedBytes += chunk.length;
      }
    }
    return true;
  }

  onComplete(_trailers: unknown): void {
    if (this.done) return;
    this.done = true;
    this.owner.callDone(this, null);
  }

  onError(err: Error): void {
    if (this.done) return;
    this.done = true;
    this.owner.callDone(this, this.abortReason ?? err);
  }

  // ---- ResponseView ----

  header(name: string): string | undefined {
    const raw = this.rawHeaders;
    if (raw === null) return undefined;
    for (let i = 0; i < raw.length; i += 2) {
      if (raw[i]!.toString('latin1').toLowerCase() === name) return raw[i + 1]!.toString('utf8');
    }
    return undefined;
  }

  text(): string | null {
    if (this.bodyText !== undefined) return this.bodyText;
    this.bodyText = this.truncated || this.chunks === null ? null : Buffer.concat(this.chunks).toString('utf8');
    return this.bodyText;
  }

  json(): { readonly ok: boolean; readonly value: unknown } {
    if (this.bodyJson !== undefined) return this.bodyJson;
    const text = this.text();
    try {
      this.bodyJson = text === null ? { ok: false, value: undefined } : { ok: true, value: JSON.parse(text) };
    } catch {
      this.bodyJson = { ok: false, value: undefined };
    }
    return this.bodyJson;
  }

  /** Every response header, lower-case names, repeated ones joined with `, ` (for script code). */
  headerObject(): Record<string, string> {
    const out: Record<string, string> = {};
    const raw = this.rawHeaders;
    if (raw === null) return out;
    for (let i = 0; i < raw.length; i += 2) {
      const name = raw[i]!.toString('latin1').toLowerCase();
      const value = raw[i + 1]!.toString('utf8');
      out[name] = name in out ? `${out[name]}, ${value}` : value;
    }
    return out;
  }

  /** The `location` header of a redirect, read from the raw headers kept for it. */
  location(): string | undefined {
    return this.header('location');
  }
}

const SET_COOKIE = Buffer.from('set-cookie');
function isSetCookie(name: Buffer): boolean {
  for (let i = 0; i < 10; i++) if ((name[i]! | 0x20) !== SET_COOKIE[i]) return false;
  return true;
}
