/**
 * A raw TCP client for asserting exactly what a server put on the wire (partial bodies, resets,
 * malformed status lines) where an HTTP client would hide it behind its own error.
 */

import { connect } from 'node:net';
import { LOOPBACK, nowMs } from './listen.js';

export interface RawResult {
  /** Every byte received. */
  readonly data: Buffer;
  /** The socket error code (`ECONNRESET`, `ECONNREFUSED`), or null. */
  readonly errorCode: string | null;
  /** True when the server closed the connection cleanly (FIN). */
  readonly ended: boolean;
  /** True when we gave up after `timeoutMs` and destroyed the socket ourselves. */
  readonly timedOut: boolean;
  /** ms from connect to the end of the exchange. */
  readonly elapsedMs: number;
  /** `performance.now()` when each chunk arrived, for timing checks. */
  readonly chunkTimesMs: readonly number[];
}

/**
 * Sends `GET path` (with `Connection: close`, or `request` verbatim) and collects everything until
 * the connection ends, errors, or `timeoutMs` (default 5 s) passes. Never rejects.
 */
export function rawRequest(port: number, path: string, opts: { timeoutMs?: number; request?: string } = {}): Promise<RawResult> {
  const request = opts.request ?? `GET ${path} HTTP/1.1\r\nHost: ${LOOPBACK}:${port}\r\nConnection: close\r\n\r\n`;
  const startMs = nowMs();
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const chunkTimesMs: number[] = [];
    let errorCode: string | null = null;
    let ended = false;
    let timedOut = false;
    const socket = connect(port, LOOPBACK, () => socket.write(request));
    const timer = setTimeout(() => {
      timedOut = true;
      socket.destroy();
    }, opts.timeoutMs ?? 5000);
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      chunkTimesMs.push(nowMs());
    });
    socket.on('end', () => {
      ended = true;
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      errorCode = err.code ?? err.message;
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ data: Buffer.concat(chunks), errorCode, ended, timedOut, elapsedMs: nowMs() - startMs, chunkTimesMs });
    });
  });
}

/** Splits a raw HTTP/1.1 response into head (before the blank line) and body bytes. */
export function splitResponse(data: Buffer): { readonly head: string; readonly body: Buffer } {
  const end = data.indexOf('\r\n\r\n');
  return end === -1
    ? { head: data.toString('latin1'), body: Buffer.alloc(0) }
    : { head: data.subarray(0, end).toString('latin1'), body: data.subarray(end + 4) };
}
