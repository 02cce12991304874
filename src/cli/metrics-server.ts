/**
 * `--metrics-port N`: the live statistics for Prometheus (and so Grafana) at
 * `http://HOST:N/metrics` while the run lasts — the exposition is `report/prometheus.ts`'s, built
 * from a fresh snapshot at each scrape. Listens on 127.0.0.1 unless `--metrics-host` says otherwise;
 * port 0 takes a free one (the URL is printed either way).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface MetricsServer {
  /** `http://127.0.0.1:9646/metrics`. */
  readonly url: string;
  close(): Promise<void>;
}

export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** Starts listening; rejects with the listen error (a port in use, a host not on this machine). */
export function startMetricsServer(o: { readonly port: number; readonly host: string; readonly text: () => string }): Promise<MetricsServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('GET /metrics\n');
      return;
    }
    if (path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('cicada serves its live statistics at /metrics\n');
      return;
    }
    let body: string;
    try {
      body = o.text();
    } catch (err) {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(`${(err as Error).message}\n`);
      return;
    }
    res.writeHead(200, { 'content-type': METRICS_CONTENT_TYPE, 'content-length': Buffer.byteLength(body) });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  // Keep-alive scrapers must not hold the process open after the run.
  server.keepAliveTimeout = 5_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => {
      server.off('error', reject);
      server.unref();
      const a = server.address() as AddressInfo;
      const host = a.address.includes(':') ? `[${a.address}]` : a.address;
      resolve({
        url: `http://${host}:${a.port}/metrics`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
