/**
 * The demo target's HTTP plumbing: what a handler answers (`Outcome`), JSON bodies in and out. No
 * routing and no state here.
 */

import type { IncomingMessage } from 'node:http';
import type { LatencyProfile } from './latency.js';
import { LATENCY } from './latency.js';

/** A finished answer, sent after a latency drawn from `latency` (when latency is enabled). */
export interface Outcome {
  readonly status: number;
  /** Serialized JSON, or '' for no body. */
  readonly body: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly latency: LatencyProfile;
}

export function json(
  status: number,
  value: unknown,
  latency: LatencyProfile = LATENCY.none,
  headers?: Readonly<Record<string, string>>,
): Outcome {
  return headers === undefined
    ? { status, body: JSON.stringify(value), latency }
    : { status, body: JSON.stringify(value), latency, headers };
}

export const detail = (status: number, message: string, headers?: Readonly<Record<string, string>>): Outcome =>
  json(status, { detail: message }, LATENCY.none, headers);

/** Largest request body the demo reads; beyond it, 413. */
export const MAX_BODY_BYTES = 1024 * 1024;

export function isJsonContentType(header: string | undefined): boolean {
  if (header === undefined) return false;
  const type = header.split(';', 1)[0]!.trim().toLowerCase();
  return type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
}

/** True when the request announces a body (a non-zero Content-Length or chunked encoding). */
export function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  if (length !== undefined) return length.trim() !== '0';
  return req.headers['transfer-encoding'] !== undefined;
}

/**
 * Reads the whole body, at most MAX_BODY_BYTES. Resolves null when it is larger (the rest is left
 * unread); rejects when the client goes away mid-body.
 */
export function readBody(req: IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    const onData = (chunk: Buffer): void => {
      bytes += chunk.length;
      if (bytes > MAX_BODY_BYTES) {
        req.off('data', onData);
        req.pause();
        resolve(null);
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    req.once('error', reject);
    req.once('aborted', () => reject(new Error('request aborted')));
  });
}

/** A parsed JSON object body, or the error outcome to send instead (415, 400, 413). */
export async function readJsonObject(
  req: IncomingMessage,
): Promise<{ readonly value: Record<string, unknown> } | { readonly error: Outcome }> {
  if (!isJsonContentType(req.headers['content-type'])) {
    return { error: detail(415, 'Content-Type must be application/json') };
  }
  const body = await readBody(req);
  if (body === null) return { error: detail(413, 'Request body too large', { connection: 'close' }) };
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    return { error: detail(400, 'Invalid JSON body') };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { error: detail(400, 'JSON body must be an object') };
  }
  return { value: value as Record<string, unknown> };
}
