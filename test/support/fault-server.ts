/**
 * A target that fails in every way issue 6 lists, one fault per route, plus helpers for a closed
 * port and a server killed and restarted mid-run. Each route counts the requests it saw, so a
 * test can check that cicada's request count equals what the server saw plus the attempts it
 * never saw (refused connections).
 *
 * Routes (query parameters shrink a fault for fast tests):
 * - `GET /ok` — 200 "ok" (to show connections recover).
 * - `GET /reset` — request read, then the connection is reset (RST) without a response.
 * - `GET /reset-mid-body` — status, headers and 1,000 of 10,000 promised bytes, then RST.
 * - `GET /close-mid-body` — the same, but the socket is closed cleanly (FIN) mid-body.
 * - `GET /hang` — never answers; the client must give up. Cleaned up by `close()`.
 * - `GET /trickle?bytes=10&intervalMs=1000` — 200 with the body sent one byte per interval.
 * - `GET /malformed` — `HTTP/1.1 abc` as the status line, written on the raw socket.
 * - `GET /big?mb=100` — a 100 MB body, streamed from one reused 64 KiB chunk with backpressure.
 * - `GET /storm` — always 503 (and every route answers 503 while `setMode('storm')`).
 * - `GET /rate-limited` — 429 with `Retry-After: 2`.
 * - anything else — 404.
 * In mode `reset-on-accept` every new connection is reset as soon as it is accepted (no request
 * is seen).
 */

import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import type { Socket } from 'node:net';
import { LOOPBACK, SocketTracker, closeServer, listen, sleep } from './listen.js';

export const FAULT_ROUTES = [
  '/ok',
  '/reset',
  '/reset-mid-body',
  '/close-mid-body',
  '/hang',
  '/trickle',
  '/malformed',
  '/big',
  '/storm',
  '/rate-limited',
] as const;
export type FaultRoute = (typeof FAULT_ROUTES)[number];

export type FaultMode = 'normal' | 'storm' | 'reset-on-accept';

export interface FaultServer {
  readonly url: string;
  readonly port: number;
  /** Requests seen per route path (unknown paths under their own path), plus `total`. */
  counts(): Record<string, number>;
  /** Requests seen on one route. */
  seen(route: FaultRoute): number;
  /** Connections accepted (reset-on-accept ones included). */
  readonly socketsAccepted: number;
  /** Requests currently held open by `/hang` and `/trickle`. */
  readonly held: number;
  setMode(mode: FaultMode): void;
  close(): Promise<void>;
}

/** Bytes `/reset-mid-body` and `/close-mid-body` promise, and how many they send. */
export const MID_BODY_PROMISED = 10_000;
export const MID_BODY_SENT = 1_000;
export const MALFORMED_RESPONSE = 'HTTP/1.1 abc\r\ncontent-length: 2\r\n\r\nok';
const CHUNK = Buffer.alloc(64 * 1024, 'x');

/** Resets the connection (TCP RST) where Node can, else destroys it. */
function reset(socket: Socket): void {
  if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
  else socket.destroy();
}

function intParam(req: IncomingMessage, name: string, fallback: number): number {
  const value = new URL(req.url ?? '/', 'http://x').searchParams.get(name);
  const n = value === null ? NaN : Number(value);
  return Number.isFinite(n) && n >= 0 ? n : fallback;
}

function text(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

export async function startFaultServer(): Promise<FaultServer> {
  const counts = new Map<string, number>();
  let total = 0;
  let mode: FaultMode = 'normal';
  const held = new Set<ServerResponse>();
  const timers = new Set<NodeJS.Timeout>();

  const later = (ms: number, fn: () => void): void => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, ms);
    timers.add(timer);
  };

  const hold = (res: ServerResponse): void => {
    held.add(res);
    res.once('close', () => held.delete(res));
  };

  const midBody = (res: ServerResponse, cut: (socket: Socket) => void): void => {
    const socket = res.socket;
    if (socket === null) return;
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': MID_BODY_PROMISED });
    // Let the client read the partial body before the connection goes.
    res.write(CHUNK.subarray(0, MID_BODY_SENT), () => later(50, () => cut(socket)));
  };

  const trickle = (req: IncomingMessage, res: ServerResponse): void => {
    const bytes = intParam(req, 'bytes', 10);
    const intervalMs = intParam(req, 'intervalMs', 1000);
    hold(res);
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': bytes });
    let sent = 0;
    const interval = setInterval(() => {
      if (res.destroyed || sent >= bytes) {
        clearInterval(interval);
        return;
      }
      sent++;
      if (sent < bytes) res.write('x');
      else {
        res.end('x');
        clearInterval(interval);
      }
    }, intervalMs);
    res.once('close', () => clearInterval(interval));
  };

  const big = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    let remaining = Math.round(intParam(req, 'mb', 100) * 1024 * 1024);
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': remaining });
    while (remaining > 0 && !res.destroyed) {
      const chunk = remaining >= CHUNK.length ? CHUNK : CHUNK.subarray(0, remaining);
      remaining -= chunk.length;
      if (!res.write(chunk)) {
        await new Promise<void>((resolve) => {
          const done = (): void => {
            res.off('drain', done);
            res.off('close', done);
            resolve();
          };
          res.once('drain', done);
          res.once('close', done);
        });
      }
    }
    if (!res.destroyed) res.end();
  };

  const onRequest: RequestListener = (req, res) => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    counts.set(path, (counts.get(path) ?? 0) + 1);
    total++;
    if (mode === 'storm') {
      text(res, 503, 'Service Unavailable');
      return;
    }
    switch (path) {
      case '/ok':
        return text(res, 200, 'ok');
      case '/reset':
        return reset(req.socket);
      case '/reset-mid-body':
        return midBody(res, reset);
      case '/close-mid-body':
        return midBody(res, (socket) => socket.destroy());
      case '/hang':
        return hold(res);
      case '/trickle':
        return trickle(req, res);
      case '/malformed':
        req.socket.end(MALFORMED_RESPONSE);
        return;
      case '/big':
        void big(req, res);
        return;
      case '/storm':
        return text(res, 503, 'Service Unavailable');
      case '/rate-limited':
        return text(res, 429, 'Too Many Requests', { 'retry-after': '2' });
      default:
        return text(res, 404, 'Not Found');
    }
  };

  const server = createServer(onRequest);
  server.keepAliveTimeout = 60_000;
  server.headersTimeout = 65_000;
  const sockets = new SocketTracker(server);
  server.on('connection', (socket: Socket) => {
    if (mode === 'reset-on-accept') reset(socket);
  });
  const port = await listen(server);

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    counts: () => ({ ...Object.fromEntries([...counts].sort(([a], [b]) => (a < b ? -1 : 1))), total }),
    seen: (route) => counts.get(route) ?? 0,
    get socketsAccepted() {
      return sockets.accepted;
    },
    get held() {
      return held.size;
    },
    setMode: (next) => {
      mode = next;
    },
    close: () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      return closeServer(server, sockets);
    },
  };
}

/**
 * A port on 127.0.0.1 with nothing listening (bound to port 0, then closed), for refused
 * connections. Another process could take it in between; on loopback in tests that is rare.
 */
export async function closedPort(): Promise<number> {
  const server = createNetServer();
  const port = await listen(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface RestartableServer {
  readonly url: string;
  /** Fixed for the server's life: `restart()` listens on it again. */
  readonly port: number;
  readonly running: boolean;
  /** Requests seen over every life of the server. */
  readonly total: number;
  /** Times it started listening (1 after start). */
  readonly starts: number;
  /** Stops listening and destroys every connection, like a killed process. */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  restart(): Promise<void>;
  /** Same as `stop()`, for symmetry with the other servers; safe to call twice. */
  close(): Promise<void>;
}

/** A server for "killed and restarted mid-run"; answers `handler` (default: 200 "ok"). */
export async function startRestartableServer(opts: { handler?: RequestListener } = {}): Promise<RestartableServer> {
  let total = 0;
  let starts = 0;
  const handler: RequestListener = opts.handler ?? ((_req, res) => text(res, 200, 'ok'));
  const server = createServer((req, res) => {
    total++;
    handler(req, res);
  });
  server.keepAliveTimeout = 60_000;
  server.headersTimeout = 65_000;
  const sockets = new SocketTracker(server);
  const port = await listen(server);
  starts++;

  const stop = (): Promise<void> => closeServer(server, sockets);
  return {
    url: `http://${LOOPBACK}:${port}`,
    port,
    get running() {
      return server.listening;
    },
    get total() {
      return total;
    },
    get starts() {
      return starts;
    },
    stop,
    close: stop,
    restart: async () => {
      if (server.listening) return;
      // The port was just released; retry briefly in case the kernel has not let go of it.
      for (let attempt = 0; ; attempt++) {
        try {
          await listen(server, port);
          starts++;
          return;
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt >= 50) throw err;
          await sleep(20);
        }
      }
    },
  };
}
