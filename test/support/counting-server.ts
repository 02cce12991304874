/**
 * A server that counts exactly what it received, for tests that compare cicada's request count
 * with the target's: total, per `METHOD /path` (query stripped), per connection (distinct sockets),
 * arrival timestamps, and the headers and bodies of the last requests. Answers every request with a
 * configurable status, body and delay.
 */

import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { Socket } from 'node:net';
import { SocketTracker, closeServer, listen, nowMs } from './listen.js';

export interface CountingServerOptions {
  /** Delay before answering, ms from the request's arrival (default 0). */
  readonly delayMs?: number | ((req: IncomingMessage) => number);
  /** Response status (default 200). */
  readonly status?: number | ((req: IncomingMessage) => number);
  /** Response body (default "ok"). */
  readonly body?: string;
  /** Extra response headers. */
  readonly headers?: Readonly<Record<string, string>>;
  /** How many of the latest requests keep their headers and body (default 100). */
  readonly keepLast?: number;
  /** How many `received` entries are kept, oldest dropped first (default 1,000,000). Counters stay exact. */
  readonly keepReceived?: number;
  /** The address to listen on (default 127.0.0.1; a test network's bridge address for namespaces). */
  readonly host?: string;
}

export interface ReceivedRequest {
  /** 1-based arrival order. */
  readonly seq: number;
  /** Arrival (headers parsed), `performance.now()` ms of this process. */
  readonly atMs: number;
  readonly method: string;
  /** As sent, query included. */
  readonly url: string;
  /** Without the query. */
  readonly path: string;
  /** 1-based id of the socket it arrived on. */
  readonly connection: number;
}

export interface RecordedRequest extends ReceivedRequest {
  readonly headers: IncomingHttpHeaders;
  /** The whole body as UTF-8. */
  readonly body: string;
}

export interface CountingServer {
  /** `http://127.0.0.1:PORT`. */
  readonly url: string;
  readonly port: number;
  /** Requests received (counted when their headers arrive). */
  readonly total: number;
  /** Responses fully written. */
  readonly responded: number;
  /** Distinct sockets that carried at least one request. */
  readonly connections: number;
  /** Sockets accepted, including ones that never sent a request. */
  readonly socketsAccepted: number;
  /** Received requests, oldest first. */
  readonly received: readonly ReceivedRequest[];
  /** The latest `keepLast` requests with headers and body, oldest first. */
  readonly recent: readonly RecordedRequest[];
  /** Requests per `METHOD /path`. */
  byRoute(): Record<string, number>;
  /** Requests per connection, index = connection id - 1. */
  perConnection(): number[];
  /** Clears every counter and record (open connections keep their ids). */
  reset(): void;
  /** Stops listening, destroys open sockets, cancels pending answers. */
  close(): Promise<void>;
}

const resolveOption = <T>(value: T | ((req: IncomingMessage) => T), req: IncomingMessage): T =>
  typeof value === 'function' ? (value as (req: IncomingMessage) => T)(req) : value;

export async function startCountingServer(opts: CountingServerOptions = {}): Promise<CountingServer> {
  const keepLast = opts.keepLast ?? 100;
  const keepReceived = opts.keepReceived ?? 1_000_000;
  const responseBody = opts.body ?? 'ok';
  const connectionIds = new WeakMap<Socket, number>();
  const pending = new Set<NodeJS.Timeout>();
  let nextConnection = 1;
  let total = 0;
  let responded = 0;
  let byRoute = new Map<string, number>();
  let perConnection: number[] = [];
  let received: ReceivedRequest[] = [];
  let recent: RecordedRequest[] = [];

  const connectionOf = (socket: Socket): number => {
    let id = connectionIds.get(socket);
    if (id === undefined) {
      id = nextConnection++;
      connectionIds.set(socket, id);
    }
    return id;
  };

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    const atMs = nowMs();
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    const connection = connectionOf(req.socket);
    const entry: ReceivedRequest = { seq: ++total, atMs, method, url, path, connection };
    received.push(entry);
    // Trim in batches so the hot path stays O(1) amortized.
    if (received.length > keepReceived + 4096) received.splice(0, received.length - keepReceived);
    const routeKey = `${method} ${path}`;
    byRoute.set(routeKey, (byRoute.get(routeKey) ?? 0) + 1);
    perConnection[connection - 1] = (perConnection[connection - 1] ?? 0) + 1;

    const dueMs = atMs + resolveOption(opts.delayMs ?? 0, req);
    const status = resolveOption(opts.status ?? 200, req);
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (keepLast > 0) {
        recent.push({ ...entry, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        if (recent.length > keepLast) recent.shift();
      }
      const answer = (): void => {
        if (res.destroyed) return;
        res.writeHead(status, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(responseBody), ...opts.headers });
        res.end(responseBody, () => responded++);
      };
      const waitMs = dueMs - nowMs();
      if (waitMs <= 0) {
        answer();
        return;
      }
      const timer = setTimeout(() => {
        pending.delete(timer);
        answer();
      }, waitMs);
      pending.add(timer);
    });
  };

  const server = createServer(onRequest);
  server.keepAliveTimeout = 60_000;
  server.headersTimeout = 65_000;
  const sockets = new SocketTracker(server);
  const port = await listen(server, 0, opts.host);

  return {
    url: `http://${opts.host ?? '127.0.0.1'}:${port}`,
    port,
    get total() {
      return total;
    },
    get responded() {
      return responded;
    },
    get connections() {
      return perConnection.filter((n) => n > 0).length;
    },
    get socketsAccepted() {
      return sockets.accepted;
    },
    get received() {
      return received.length > keepReceived ? received.slice(-keepReceived) : received;
    },
    get recent() {
      return recent;
    },
    byRoute: () => Object.fromEntries([...byRoute].sort(([a], [b]) => (a < b ? -1 : 1))),
    perConnection: () => Array.from(perConnection, (n) => n ?? 0),
    reset: () => {
      total = 0;
      responded = 0;
      byRoute = new Map();
      perConnection = [];
      received = [];
      recent = [];
    },
    close: () => {
      for (const timer of pending) clearTimeout(timer);
      pending.clear();
      return closeServer(server, sockets);
    },
  };
}
