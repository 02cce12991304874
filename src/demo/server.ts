/**
 * The bundled demo target: an HTTP server that behaves like a small real JSON API (login and bearer
 * tokens, lists and items with a latency spread and occasional 404s, a slow route, a flaky one, a
 * rate-limited one, an API-key route, a cookie session) so a first load test has something to
 * show. Routes and answers live in `routes.ts`; this file owns the listener, the latency timers and
 * the request counts.
 */

import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Outcome } from './http-io.js';
import { createServer } from 'node:http';
import { performance } from 'node:perf_hooks';
import { CartStore } from './carts.js';
import { RequestCounts } from './counts.js';
import { detail, json } from './http-io.js';
import { LATENCY, sampleLatencyMs } from './latency.js';
import { DemoMetrics, METRICS_PATH } from './metrics.js';
import { createRandom } from './random.js';
import { TokenBucket } from './rate-limiter.js';
import type { DemoState } from './routes.js';
import { FIRST_CREATED_ID, NOT_FOUND, RATE_LIMIT_PER_SEC, ROUTE_SUMMARY, matchRoute, unmatchedKey } from './routes.js';
import { TokenSigner } from './tokens.js';
import type { Duplex } from 'node:stream';
import { tcpEcho } from './script-routes.js';

export interface DemoTargetOptions {
  /** 0 (the default) picks a free port; the CLI passes 8089. */
  readonly port?: number;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** When false (the default), the route list is written to stderr once listening. */
  readonly quiet?: boolean;
  /** Seeds latency, flaky failures, tokens and session ids; random when omitted. */
  readonly seed?: number;
  /** When false, every route answers at once (for tests and benchmarks of cicada itself). Default true. */
  readonly latency?: boolean;
}

export interface DemoTarget {
  /** `http://HOST:PORT`, no trailing slash. */
  readonly url: string;
  readonly port: number;
  /** Stops listening, drops open connections and pending answers; resolves when fully closed. */
  close(): Promise<void>;
  /** Requests received per `METHOD path-template`, plus `total`; control routes excluded. */
  counts(): Record<string, number>;
}

/** The port `cicada demo-target` and `node dist/demo/main.js` use when given none. */
export const DEFAULT_DEMO_PORT = 8089;

const COUNTS_PATH = '/__cicada/counts';
const CONTROL_PREFIX = '/__cicada/';

/** Starts the demo target; resolves once it is listening. Rejects on listen errors (EADDRINUSE). */
export async function startDemoTarget(opts: DemoTargetOptions = {}): Promise<DemoTarget> {
  const host = opts.host ?? '127.0.0.1';
  const latencyOn = opts.latency ?? true;
  const seed = opts.seed ?? Math.floor(Math.random() * 0x100000000);
  const random = createRandom(seed);
  const nowMs = (): number => performance.now();
  const state: DemoState = {
    random,
    tokens: new TokenSigner(`cicada-demo-${random.hex(32)}`),
    carts: new CartStore(random),
    limiter: new TokenBucket(RATE_LIMIT_PER_SEC, RATE_LIMIT_PER_SEC, nowMs()),
    created: new Map(),
    nextCreatedId: FIRST_CREATED_ID,
    nowMs,
  };
  const counts = new RequestCounts();
  state.outcome = (key) => counts.outcome(key);
  /** Sockets upgraded to the TCP echo, closed with the server. */
  const upgraded = new Set<Duplex>();
  const metrics = new DemoMetrics();
  const pending = new Set<NodeJS.Timeout>();
  let closing = false;

  const write = (res: ServerResponse, outcome: Outcome): void => {
    if (res.destroyed || res.writableEnded) return;
    const headers: Record<string, string | number> = { ...outcome.headers };
    if (outcome.body !== '') {
      headers['content-type'] = 'application/json';
      headers['content-length'] = Buffer.byteLength(outcome.body);
    } else {
      headers['content-length'] = 0;
    }
    res.writeHead(outcome.status, headers);
    res.end(outcome.body);
  };

  const send = (res: ServerResponse, outcome: Outcome): void => {
    const delayMs = latencyOn ? sampleLatencyMs(outcome.latency, random) : 0;
    if (delayMs <= 0 || closing) {
      write(res, outcome);
      return;
    }
    const timer = setTimeout(() => {
      pending.delete(timer);
      write(res, outcome);
    }, delayMs);
    pending.add(timer);
  };

  const control = (req: IncomingMessage, res: ServerResponse, path: string): void => {
    if (path === COUNTS_PATH && req.method === 'GET') {
      write(res, json(200, counts.snapshot()));
    } else if (path === COUNTS_PATH && req.method === 'DELETE') {
      counts.reset();
      write(res, { status: 204, body: '', latency: LATENCY.none });
    } else {
      write(res, NOT_FOUND);
    }
  };

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    if (path.startsWith(CONTROL_PREFIX)) {
      control(req, res, path);
      return;
    }
    const method = req.method ?? 'GET';
    if (path === METRICS_PATH && method === 'GET') {
      const body = metrics.render();
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8', 'content-length': Buffer.byteLength(body) });
      res.end(body);
      return;
    }
    res.once('close', metrics.begin());
    const route = matchRoute(method, path);
    if (route === null) {
      counts.increment(unmatchedKey(method));
      write(res, NOT_FOUND);
      return;
    }
    counts.increment(route.key);
    const failed = (): void => write(res, detail(500, 'Internal Server Error'));
    try {
      const outcome = route.handler(state, req, route.param, q === -1 ? '' : url.slice(q + 1));
      if (outcome instanceof Promise) outcome.then((o) => send(res, o), failed);
      else send(res, outcome);
    } catch {
      failed();
    }
  };

  const server: Server = createServer(onRequest);
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (closing || !tcpEcho(req, socket, head, (key) => counts.increment(key))) {
      socket.end('HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\nconnection: close\r\n\r\n');
      return;
    }
    upgraded.add(socket);
    socket.once('close', () => upgraded.delete(socket));
  });
  // Idle keep-alive connections live a minute (like common proxies), not Node's 5 s, so users
  // waiting between tasks keep their connection. headersTimeout must exceed it.
  server.keepAliveTimeout = 60_000;
  server.headersTimeout = 65_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('demo target: no TCP address');
  const port = address.port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  if (opts.quiet !== true) process.stderr.write(`cicada demo target on ${url}\n${ROUTE_SUMMARY}\n`);

  let closed: Promise<void> | null = null;
  return {
    url,
    port,
    counts: () => counts.snapshot(),
    close: () => {
      closed ??= new Promise<void>((resolve) => {
        closing = true;
        metrics.close();
        for (const timer of pending) clearTimeout(timer);
        pending.clear();
        server.close(() => resolve());
        server.closeAllConnections();
        for (const socket of upgraded) socket.destroy();
      });
      return closed;
    },
  };
}
