/**
 * HTTPS as users meet it: a server with a certificate from a CA the machine does not trust (a
 * test environment's own CA, generated here with openssl), and one that demands a client
 * certificate (mutual TLS). cicada run through its CLI; counts compared with the server's own.
 */
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
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

async function server(o: { mutual?: boolean; http2?: boolean } = {}): Promise<SecureServer> {
  const s = await startSecureServer({
    cert: certs.serverCert.pem,
    key: certs.serverKey.pem,
    ...(o.mutual === true ? { clientCa: certs.ca.pem } : {}),
    ...(o.http2 === true ? { http2: true } : {}),
  });
  servers.push(s);
  return s;
}

const scenario = (host: string, extra = ''): string => `
name: tls
host: ${host}
users: 2
spawnRate: 100
${extra}
userClasses:
  - tasks:
      - get: /secure
`;

/** A working directory with the scenario, and the certificates copied under certs/. */
function dir(yaml: string): string {
  const cwd = workdir({ 's.yaml': yaml });
  mkdirSync(join(cwd, 'certs'));
  for (const p of [certs.ca, certs.strangerCa, certs.clientCert, certs.clientKey, certs.strangerCert, certs.strangerKey]) {
    copyFileSync(p.path, join(cwd, 'certs', basename(p.path)));
  }
  return cwd;
}

function aggregated(cwd: string): { requests: number; failures: number } {
  const [run] = runDirs(cwd);
  const row = statsRow(join(run!, 'stats.csv'), 'Aggregated');
  return { requests: Number(row['Request Count']), failures: Number(row['Failure Count']) };
}

function failuresCsv(cwd: string): string {
  const [run] = runDirs(cwd);
  return readFileSync(join(run!, 'failures.csv'), 'utf8');
}

const RUN = ['run', 's.yaml', '--headless', '--only-summary', '-t', '1s'];

describe('HTTPS with a certificate from a CA the machine does not trust', () => {
  it('is refused by default: every request fails naming the certificate, with a hint, and the server sees none', async () => {
    const srv = await server();
    const cwd = dir(scenario(srv.url));
    const r = await runCli(RUN, { cwd });
    expect(r.code).toBe(1); // every request failed: a run without thresholds fails, as in Locust
    const agg = aggregated(cwd);
    expect(agg.requests).toBeGreaterThan(0);
    expect(agg.failures).toBe(agg.requests);
    expect(srv.total).toBe(0);
    expect(failuresCsv(cwd)).toContain('TLS: unable to verify the first certificate');
    expect(r.stdout + r.stderr).toMatch(/tls: \{ ca: ca\.pem \}.*--insecure/);
  });

  it('--insecure accepts it: every request succeeds and the counts equal the server\'s', async () => {
    const srv = await server();
    const cwd = dir(scenario(srv.url));
    const r = await runCli([...RUN, '--insecure'], { cwd });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('network: TLS certificates are not verified (--insecure)');
    const agg = aggregated(cwd);
    expect(agg.failures).toBe(0);
    expect(agg.requests).toBeGreaterThan(10);
    expect(agg.requests).toBe(srv.total);
  });

  it('--insecure works for a quick URL run too', async () => {
    const srv = await server();
    const cwd = workdir();
    const r = await runCli(['run', `${srv.url}/secure`, '--headless', '--only-summary', '-u', '2', '-t', '1s', '--insecure'], { cwd });
    expect(r.code).toBe(0);
    const agg = aggregated(cwd);
    expect(agg.failures).toBe(0);
    expect(agg.requests).toBe(srv.total);
  });

  it('tls.insecure in the scenario does the same', async () => {
    const srv = await server();
    const cwd = dir(scenario(srv.url, 'tls: { insecure: true }'));
    expect((await runCli(RUN, { cwd })).code).toBe(0);
    const agg = aggregated(cwd);
    expect(agg.failures).toBe(0);
    expect(agg.requests).toBe(srv.total);
  });

  it('tls.ca trusts the CA (path relative to the scenario file), so verification stays on', async () => {
    const srv = await server();
    const cwd = dir(scenario(srv.url, 'tls: { ca: certs/test-ca.pem }'));
    expect((await runCli(RUN, { cwd })).code).toBe(0);
    const agg = aggregated(cwd);
    expect(agg.failures).toBe(0);
    expect(agg.requests).toBeGreaterThan(10);
    expect(agg.requests).toBe(srv.total);
    // Verification stays on: another CA does not vouch for this server.
    const other = dir(scenario(srv.url, 'tls: { ca: certs/stranger-ca.pem }'));
    await runCli(RUN, { cwd: other });
    expect(failuresCsv(other)).toContain('TLS: unable to verify the first certificate');
    expect(srv.total).toBe(agg.requests);
  });
});

describe('mutual TLS: a server that demands a client certificate from its CA', () => {
  it('tls.cert and tls.key are presented (by every engine thread): the server sees cicada-client on every request, counts equal', async () => {
    const srv = await server({ mutual: true });
    const cwd = dir(scenario(srv.url, 'tls: { ca: certs/test-ca.pem, cert: certs/client.pem, key: certs/client.key }'));
    expect((await runCli([...RUN, '--processes', '2'], { cwd })).code).toBe(0);
    const agg = aggregated(cwd);
    expect(agg.failures).toBe(0);
    expect(agg.requests).toBeGreaterThan(10);
    expect(srv.clients).toEqual({ 'cicada-client': agg.requests });
  });

  it('without a client certificate, or with one from another CA, the server refuses every handshake', async () => {
    for (const extra of ['tls: { ca: certs/test-ca.pem }', 'tls: { ca: certs/test-ca.pem, cert: certs/stranger.pem, key: certs/stranger.key }']) {
      const srv = await server({ mutual: true });
      const cwd = dir(scenario(srv.url, extra));
      expect((await runCli(RUN, { cwd })).code).toBe(1); // every request failed
      const agg = aggregated(cwd);
      expect(agg.requests).toBeGreaterThan(0);
      expect(agg.failures).toBe(agg.requests);
      expect(srv.total).toBe(0);
      expect(srv.handshakeErrors).toBeGreaterThan(0);
    }
  });
});

describe('bad TLS settings are problems at load (exit 2, file:line:col, nothing written)', () => {
  it.each([
    ['tls: { ca: certs/missing.pem }', /s\.yaml:6:12: tls\.ca: cannot read certs\/missing\.pem: no such file/],
    ['tls: { ca: s.yaml }', /s\.yaml:6:12: tls\.ca: s\.yaml is not a PEM file/],
    ['tls: { ca: certs/client.key }', /s\.yaml:6:12: tls\.ca: the file holds no certificate/],
    ['tls: { cert: certs/client.pem }', /s\.yaml:6:8: tls\.cert: a client certificate needs its private key/],
    ['tls: { cert: certs/client.pem, key: certs/stranger.key }', /s\.yaml:6:37: tls\.key: this key does not belong to the certificate/],
    ['tls: { key: certs/client.pem, cert: certs/client.pem }', /s\.yaml:6:13: tls\.key: not a private key/],
    ['tls: { insecure: yes }', /s\.yaml:6:18: tls\.insecure: must be true or false, got "yes"/],
    ['tls: { verify: false }', /s\.yaml:6:8: tls\.verify: unknown key `verify`/],
    ['proxy: ftp://proxy:21', /s\.yaml:6:8: proxy: a proxy URL starts with http:\/\/ or https:\/\//],
    ['http2: 1', /s\.yaml:6:8: http2: must be true or false, got 1/],
  ])('%s', async (extra, expected) => {
    const cwd = dir(scenario('https://127.0.0.1:1', extra));
    const r = await runCli(RUN, { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(expected);
    expect(runDirs(cwd)).toEqual([]);
  });
});
