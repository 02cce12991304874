/**
 * Real TLS targets for the network tests: `node:https` (optionally demanding a client certificate
 * signed by a given CA) and `node:http2` (secure, ALPN h2 only). Each counts what it received —
 * requests, the HTTP version they came in, the client certificate's CN — and failed handshakes.
 */
import { createSecureServer, type Http2ServerRequest, type Http2ServerResponse } from 'node:http2';
import { createServer, type ServerOptions } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { closeServer, listen, SocketTracker } from './listen.js';

export interface SecureServer {
  /** `https://127.0.0.1:PORT`. */
  readonly url: string;
  readonly port: number;
  /** Requests received. */
  readonly total: number;
  /** Requests per HTTP version (`1.1`, `2.0`). */
  readonly versions: Readonly<Record<string, number>>;
  /** Requests per client certificate CN (`-` when none was presented). */
  readonly clients: Readonly<Record<string, number>>;
  /** TLS handshakes that failed (an unknown client CA, a client that refused our certificate). */
  readonly handshakeErrors: number;
  close(): Promise<void>;
}

export interface SecureServerOptions {
  readonly cert: string;
  readonly key: string;
  /** With `requestCert`: the CA client certificates must chain to; others are refused. */
  readonly clientCa?: string;
  /** HTTP/2 only (node:http2, no HTTP/1.1 fallback) instead of node:https. */
  readonly http2?: boolean;
}

export async function startSecureServer(o: SecureServerOptions): Promise<SecureServer> {
  let total = 0;
  let handshakeErrors = 0;
  const versions: Record<string, number> = {};
  const clients: Record<string, number> = {};
  const onRequest = (req: IncomingMessage | Http2ServerRequest, res: ServerResponse | Http2ServerResponse): void => {
    total++;
    versions[req.httpVersion] = (versions[req.httpVersion] ?? 0) + 1;
    const peer = (req.socket as TLSSocket).getPeerCertificate?.();
    const cn = peer !== undefined && peer !== null && 'subject' in peer && peer.subject !== undefined ? String(peer.subject.CN) : '-';
    clients[cn] = (clients[cn] ?? 0) + 1;
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: true, version: req.httpVersion }));
    });
  };
  const tls: ServerOptions = {
    cert: o.cert,
    key: o.key,
    ...(o.clientCa !== undefined ? { ca: o.clientCa, requestCert: true, rejectUnauthorized: true } : {}),
  };
  const server = o.http2 === true ? createSecureServer({ ...tls, allowHTTP1: false }, onRequest) : createServer({ ...tls, keepAliveTimeout: 60_000 }, onRequest);
  server.on('tlsClientError', () => handshakeErrors++);
  const sockets = new SocketTracker(server);
  const port = await listen(server);
  return {
    url: `https://127.0.0.1:${port}`,
    port,
    get total() {
      return total;
    },
    versions,
    clients,
    get handshakeErrors() {
      return handshakeErrors;
    },
    close: () => closeServer(server, sockets),
  };
}
