/**
 * HTTP/2 against a real `node:http2` server that speaks nothing else (no HTTP/1.1 fallback): with
 * `http2: true` every request arrives as HTTP/2 and the statistics count exactly what the server
 * received; without it, the server refuses the connection.
 */
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, runDirs, statsRow, workdir } from '../cli/cli.js';
import { makeCerts, type TestCerts } from '../support/certs.js';
import { type SecureServer, startSecureServer } from '../support/secure-server.js';

let certs: TestCerts;
const servers: SecureServer[] = [];
beforeAll(() => {
  certs = makeCerts();
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

const scenario = (host: string, http2: boolean): string => `
name: h2
host: ${host}
users: 3
spawnRate: 100
http2: ${http2}
tls: { ca: ca.pem }
userClasses:
  - tasks:
      - get: /a
        check: { status: 200, json: { $.version: { equals: "2.0" } } }
      - post: /b
        json: { n: 1 }
`;

describe('http2: true', () => {
  it('sends every request as HTTP/2; the statistics equal the server\'s counts per endpoint', async () => {
    const srv = await startSecureServer({ cert: certs.serverCert.pem, key: certs.serverKey.pem, http2: true });
    servers.push(srv);
    const cwd = workdir({ 's.yaml': scenario(srv.url, true) });
    copyFileSync(certs.ca.path, join(cwd, 'ca.pem'));
    const r = await runCli(['run', 's.yaml', '--headless', '--only-summary', '-t', '1s'], { cwd });
    expect(r.code).toBe(0);
    const [run] = runDirs(cwd);
    const stats = join(run!, 'stats.csv');
    const agg = statsRow(stats, 'Aggregated');
    expect(Number(agg['Failure Count'])).toBe(0);
    expect(Number(agg['Request Count'])).toBeGreaterThan(10);
    expect(srv.versions).toEqual({ '2.0': Number(agg['Request Count']) });
    expect(Number(statsRow(stats, '/a')['Request Count']) + Number(statsRow(stats, '/b')['Request Count'])).toBe(srv.total);
    const summary = JSON.parse(readFileSync(join(run!, 'summary.json'), 'utf8')) as { totals: { requests: number } };
    expect(summary.totals.requests).toBe(srv.total);
  });

  it('without it, an HTTP/2-only server refuses the connection (HTTP/1.1 is the default)', async () => {
    const srv = await startSecureServer({ cert: certs.serverCert.pem, key: certs.serverKey.pem, http2: true });
    servers.push(srv);
    const cwd = workdir({ 's.yaml': scenario(srv.url, false) });
    copyFileSync(certs.ca.path, join(cwd, 'ca.pem'));
    await runCli(['run', 's.yaml', '--headless', '--only-summary', '-t', '1s'], { cwd });
    const [run] = runDirs(cwd);
    const agg = statsRow(join(run!, 'stats.csv'), 'Aggregated');
    expect(Number(agg['Request Count'])).toBeGreaterThan(0);
    expect(Number(agg['Failure Count'])).toBe(Number(agg['Request Count']));
    expect(srv.total).toBe(0);
  });
});
