/**
 * Proxies as a corporate network has them, with Debian's real tinyproxy whose log shows what went
 * through it: `proxy:` in the scenario, HTTP_PROXY / HTTPS_PROXY from the environment, NO_PROXY
 * going around it, and HTTPS tunnelled with CONNECT.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { runCli, runDirs, statsRow, useServers, workdir } from '../cli/cli.js';
import { makeCerts } from '../support/certs.js';
import { type SecureServer, startSecureServer } from '../support/secure-server.js';
import { startTinyproxy, type Tinyproxy } from '../support/tinyproxy.js';

const server = useServers();
let proxy: Tinyproxy;
beforeAll(async () => {
  proxy = await startTinyproxy();
});
afterAll(async () => {
  await proxy.close();
});
const secure: SecureServer[] = [];
afterEach(async () => {
  await Promise.all(secure.splice(0).map((s) => s.close()));
});

const scenario = (host: string, extra = ''): string => `
name: proxied
host: ${host}
users: 2
spawnRate: 100
${extra}
userClasses:
  - wait: 20ms
    tasks:
      - get: /through
`;

const RUN = ['run', 's.yaml', '--headless', '--only-summary', '-t', '1s'];

function requests(cwd: string): { total: number; failures: number } {
  const [run] = runDirs(cwd);
  const agg = statsRow(join(run!, 'stats.csv'), 'Aggregated');
  return { total: Number(agg['Request Count']), failures: Number(agg['Failure Count']) };
}

/** The proxy's log lines for requests to `origin` since `before` lines. */
function through(before: number, needle: string): string[] {
  return proxy.requests().slice(before).filter((l) => l.includes(needle));
}

describe('proxies', () => {
  it('proxy: in the scenario sends every request through it (absolute-form GET), counted once each', async () => {
    const srv = await server();
    const before = proxy.requests().length;
    const cwd = workdir({ 's.yaml': scenario(srv.url, `proxy: ${proxy.url}`) });
    expect((await runCli(RUN, { cwd })).code).toBe(0);
    const got = requests(cwd);
    expect(got.failures).toBe(0);
    expect(got.total).toBeGreaterThan(5);
    expect(got.total).toBe(srv.total);
    const lines = through(before, srv.url);
    expect(lines.length).toBe(srv.total);
    expect(lines[0]).toBe(`GET ${srv.url}/through HTTP/1.1`);
  });

  it('HTTP_PROXY from the environment is honoured; NO_PROXY goes around it', async () => {
    const srv = await server();
    const cwd = workdir({ 's.yaml': scenario(srv.url) });
    let before = proxy.requests().length;
    const r = await runCli(RUN, { cwd, env: { HTTP_PROXY: proxy.url } });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`network: proxy http:// via ${proxy.url} (from the environment)`);
    expect(requests(cwd).total).toBe(srv.total);
    expect(through(before, srv.url).length).toBe(srv.total);

    srv.reset();
    before = proxy.requests().length;
    const direct = workdir({ 's.yaml': scenario(srv.url) });
    expect((await runCli(RUN, { cwd: direct, env: { HTTP_PROXY: proxy.url, NO_PROXY: 'localhost,127.0.0.1' } })).code).toBe(0);
    expect(requests(direct).total).toBe(srv.total);
    expect(srv.total).toBeGreaterThan(5);
    expect(through(before, srv.url)).toEqual([]);
  });

  it('proxy: false ignores the environment', async () => {
    const srv = await server();
    const before = proxy.requests().length;
    const cwd = workdir({ 's.yaml': scenario(srv.url, 'proxy: false') });
    expect((await runCli(RUN, { cwd, env: { http_proxy: proxy.url } })).code).toBe(0);
    expect(requests(cwd).total).toBe(srv.total);
    expect(through(before, srv.url)).toEqual([]);
  });

  it('HTTPS_PROXY tunnels https:// targets with CONNECT (TLS end to end, --insecure for the test CA)', async () => {
    const certs = makeCerts();
    const srv = await startSecureServer({ cert: certs.serverCert.pem, key: certs.serverKey.pem });
    secure.push(srv);
    const before = proxy.requests().length;
    const cwd = workdir({ 's.yaml': scenario(srv.url) });
    expect((await runCli([...RUN, '--insecure'], { cwd, env: { HTTPS_PROXY: proxy.url } })).code).toBe(0);
    const got = requests(cwd);
    expect(got.failures).toBe(0);
    expect(got.total).toBe(srv.total);
    expect(got.total).toBeGreaterThan(5);
    // One tunnel per user connection, kept alive for all of its requests.
    const tunnels = through(before, `127.0.0.1:${srv.port}`);
    expect(tunnels.length).toBeGreaterThanOrEqual(2);
    expect(tunnels.length).toBeLessThan(got.total);
    expect(tunnels.every((l) => l === `CONNECT 127.0.0.1:${srv.port} HTTP/1.1`)).toBe(true);
  });

  it('a malformed HTTP_PROXY is a problem naming the variable (exit 2)', async () => {
    const cwd = workdir({ 's.yaml': scenario('http://127.0.0.1:1') });
    const r = await runCli(RUN, { cwd, env: { HTTP_PROXY: 'proxy.corp:3128' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/HTTP_PROXY: a proxy URL starts with http:\/\/ or https:\/\/, got "proxy\.corp:3128" \(write http:\/\/proxy\.corp:3128\) \(from the environment/);
  });
});
