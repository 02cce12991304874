/**
 * A target that misbehaves on purpose in the ways issue 13 lists: redirect chains and loops,
 * `Location`s that are empty, malformed or not http(s), redirects to other origins, cookies set on
 * every response. Each test gives it a handler; the server records every request it saw — method,
 * path, headers and body — and its open connections, so a test can check what reached it.
 *
 * `host` may be any loopback address (`127.0.0.2` is another origin than `127.0.0.1` on Linux).
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import { SocketTracker, closeServer } from './listen.js';

export interface SeenRequest {
  readonly method: string;
  /** Path and query as sent. */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export type HostileHandler = (req: SeenRequest, res: ServerResponse, server: HostileServer) => void;

export interface HostileServer {
  readonly url: string;
  readonly origin: string;
  readonly port: number;
  readonly seen: SeenRequest[];
  /** Connections open now. */
  readonly openSockets: number;
  /** Requests seen whose path (without query) is `path`. */
  count(path: string): number;
  close(): Promise<void>;
}

export async function startHostileServer(handler: HostileHandler, host = '127.0.0.1'): Promise<HostileServer> {
  const seen: SeenRequest[] = [];
  let self: HostileServer;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r: SeenRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      seen.push(r);
      handler(r, res, self);
    });
  });
  server.keepAliveTimeout = 60_000;
  const sockets = new SocketTracker(server);
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve((server.address() as { port: number }).port));
  });
  const origin = `http://${host}:${port}`;
  self = {
    url: origin,
    origin,
    port,
    seen,
    get openSockets() {
      return sockets.open;
    },
    count: (path) => seen.filter((r) => r.url.split('?')[0] === path).length,
    close: () => closeServer(server, sockets),
  };
  return self;
}

/** Answers `status` with `headers` and `body` (content-length set). */
export function reply(res: ServerResponse, status: number, body = '', headers: Record<string, string | string[]> = {}): void {
  res.writeHead(status, { 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
}
