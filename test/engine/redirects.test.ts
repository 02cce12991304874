/**
 * Redirects as Locust and `requests` count them, against real misbehaving servers on loopback: a
 * followed chain is one request (latency to the final response, its status and size), methods
 * change as browsers change them, credentials never cross to another origin, odd `Location`s are
 * one failure each, and a user keeps a bounded number of clients.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Runner } from '../../src/engine/runner.js';
import { RunClock } from '../../src/run/clock.js';
import { MAX_OTHER_ORIGINS } from '../../src/engine/user.js';
import type { RequestStep } from '../../src/scenario/types.js';
import { reply, startHostileServer, type HostileServer } from '../support/hostile-server.js';
import { sleep } from '../support/listen.js';
import { RecordingSink } from './recording-sink.js';
import { request, scenario, statusCheck, task, userClass, wait } from './build.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function server(handler: Parameters<typeof startHostileServer>[0], host?: string): Promise<HostileServer> {
  const s = await startHostileServer(handler, host);
  cleanups.push(() => s.close());
  return s;
}

class HopSink extends RecordingSink {
  hops = 0;
  redirected(_id: number, hops: number): void {
    this.hops += hops;
  }
}

async function runFor(host: string, steps: RequestStep[], ms: number, extra: { secretValues?: string[]; secretHeaders?: string[]; users?: number } = {}): Promise<{ sink: HopSink; wallMs: number }> {
  const sink = new HopSink();
  const secrets = extra.secretValues ?? [];
  const r = new Runner(
    scenario(host, [userClass('U', [task(steps)], { wait: wait(5) })], { users: extra.users ?? 1, runTimeMs: ms, secretHeaders: extra.secretHeaders ?? [] }),
    { sink, redact: (t) => secrets.reduce((acc, s) => acc.replaceAll(s, '***'), t), clock: new RunClock() },
  );
  cleanups.push(() => r.stop());
  const t0 = performance.now();
  r.start();
  await r.done;
  return { sink, wallMs: performance.now() - t0 };
}

describe('a followed redirect chain is one request', () => {
  it('named as the request, timed to the final response, with the final status and size', async () => {
    const srv = await server((req, res) => {
      if (req.url === '/a') return reply(res, 302, '', { location: '/b' });
      if (req.url === '/b') return reply(res, 301, 'moved', { location: '/c' });
      setTimeout(() => reply(res, 200, 'final body'), 30);
    });
    const { sink } = await runFor(srv.url, [request('GET', '/a', { checks: [statusCheck(200)] })], 400);
    const chains = sink.count('GET /a');
    expect(chains).toBeGreaterThan(0);
    expect(sink.names).toEqual(['GET /a']);
    expect(sink.failures()).toEqual({});
    // Every chain the server finished is one request of cicada's; the last may be cut by the stop.
    expect(srv.count('/c')).toBeGreaterThanOrEqual(chains);
    expect(srv.count('/a')).toBeLessThanOrEqual(chains + 1);
    for (const r of sink.requests) {
      expect(r.bytes).toBe('final body'.length);
      expect(r.latencyUs).toBeGreaterThanOrEqual(30_000);
    }
    expect(sink.hops).toBe(2 * chains);
  });

  it('a chain longer than the limit is one failure, `too many redirects`', async () => {
    const srv = await server((_req, res) => reply(res, 302, '', { location: '/loop' }));
    const { sink } = await runFor(srv.url, [request('GET', '/loop', { maxRedirects: 3 })], 300);
    const n = sink.count('GET /loop');
    expect(n).toBeGreaterThan(0);
    expect(sink.failures()).toEqual({ 'too many redirects': n });
    // 1 request + 3 followed hops per chain, the 4th redirect is not followed.
    expect(srv.seen.length - 4 * n).toBeGreaterThanOrEqual(0);
    expect(srv.seen.length - 4 * n).toBeLessThan(4);
  });

  it('`redirects: 0` returns the redirect itself', async () => {
    const srv = await server((_req, res) => reply(res, 302, 'see', { location: '/elsewhere' }));
    const { sink } = await runFor(srv.url, [request('GET', '/r', { maxRedirects: 0, checks: [statusCheck(302)] })], 200);
    expect(sink.failures()).toEqual({});
    expect(srv.count('/elsewhere')).toBe(0);
    expect(sink.hops).toBe(0);
  });
});

describe('methods and bodies follow the browser rules', () => {
  const cases: readonly [status: number, method: string, sentMethod: string, keepsBody: boolean][] = [
    [307, 'POST', 'POST', true],
    [308, 'PUT', 'PUT', true],
    [303, 'POST', 'GET', false],
    [303, 'HEAD', 'HEAD', false],
    [301, 'POST', 'GET', false],
    [302, 'POST', 'GET', false],
    [302, 'PUT', 'PUT', true],
  ];
  it.each(cases)('%i after %s → %s (body kept: %s)', async (status, method, sentMethod, keepsBody) => {
    const srv = await server((req, res) => {
      if (req.url === '/from') return reply(res, status, '', { location: '/to' });
      reply(res, 200, method === 'HEAD' ? '' : 'ok');
    });
    const body = { kind: 'text' as const, contentType: 'text/plain', value: 'payload' };
    const { sink } = await runFor(srv.url, [request(method, '/from', { body: method === 'HEAD' ? null : body, maxRedirects: 5 })], 150);
    expect(sink.failures()).toEqual({});
    const landed = srv.seen.filter((r) => r.url === '/to');
    expect(landed.length).toBeGreaterThan(0);
    for (const r of landed) {
      expect(r.method).toBe(sentMethod);
      if (method !== 'HEAD') {
        expect(r.body).toBe(keepsBody ? 'payload' : '');
        expect(r.headers['content-type']).toBe(keepsBody ? 'text/plain' : undefined);
      }
    }
  });
});

describe('credentials stay with their origin', () => {
  it('a redirect to another host drops Authorization, Proxy-Authorization, Cookie, secret headers and secret values', async () => {
    const other = await server((_req, res) => reply(res, 200, 'landed'), '127.0.0.2');
    const home = await server((req, res) => {
      if (req.url === '/login') return reply(res, 200, 'in', { 'set-cookie': 'session=abc123; Path=/' });
      if (req.url === '/same') return reply(res, 302, '', { location: '/echo' });
      if (req.url === '/away') return reply(res, 302, '', { location: `${other.origin}/land` });
      reply(res, 200, 'home');
    });
    const headers: [string, string][] = [
      ['authorization', 'Bearer tok-1234'],
      ['proxy-authorization', 'Basic cHJveHk6cHc='],
      ['x-api-key', 'key-5678'],
      ['x-token', 'custom-secret-header'],
      ['x-mirror', 'carries s3cr3t-value inside'],
      ['cookie', 'manual=1'],
      ['x-trace', 'keep-me'],
    ];
    await runFor(
      home.url,
      [request('GET', '/login'), request('GET', '/same', { headers }), request('GET', '/away', { headers })],
      300,
      { secretValues: ['s3cr3t-value'], secretHeaders: ['x-token'] },
    );
    const landed = other.seen;
    expect(landed.length).toBeGreaterThan(0);
    for (const r of landed) {
      for (const name of ['authorization', 'proxy-authorization', 'x-api-key', 'x-token', 'x-mirror', 'cookie']) expect(r.headers[name], name).toBeUndefined();
      expect(r.headers['x-trace']).toBe('keep-me');
      expect(r.headers.host).toBe(other.origin.slice('http://'.length));
    }
    // A same-origin redirect keeps them all, and the session cookie from the jar.
    const echoed = home.seen.filter((r) => r.url === '/echo');
    expect(echoed.length).toBeGreaterThan(0);
    for (const r of echoed) {
      expect(r.headers.authorization).toBe('Bearer tok-1234');
      expect(r.headers['x-token']).toBe('custom-secret-header');
      expect(r.headers.cookie).toContain('session=abc123');
    }
  });

  it('an https → http downgrade on the same host is another origin too', async () => {
    // Scheme is part of the origin: checked on the pure rule, a loopback TLS target is net's lane.
    const { hopHeaders } = await import('../../src/engine/redirects.js');
    const kept = hopHeaders(['authorization', 'x', 'accept', '*/*'], { dropBody: false, crossOrigin: new URL('https://h/').origin !== new URL('http://h/').origin, isSecretHeader: () => false, isSecretValue: () => false });
    expect(kept).toEqual(['accept', '*/*']);
  });
});

describe('odd Locations never break the engine', () => {
  const odd: readonly [what: string, location: string, key: string][] = [
    ['another scheme', 'ftp://127.0.0.1/file', 'redirect: Location is not http(s)'],
    ['javascript:', 'javascript:alert(1)', 'redirect: Location is not http(s)'],
    ['malformed', 'http://[::1', 'redirect: invalid Location'],
    ['empty', '', 'redirect: empty Location'],
    ['blank', '   ', 'redirect: empty Location'],
    ['no host', 'http://', 'redirect: invalid Location'],
  ];
  it.each(odd)('%s: one failure per request, counted once, and the run ends on time', async (_what, location, key) => {
    const srv = await server((_req, res) => reply(res, 302, '', { location }));
    const { sink, wallMs } = await runFor(srv.url, [request('GET', '/odd')], 300, { users: 2 });
    const n = sink.count('GET /odd');
    expect(n).toBeGreaterThan(0);
    expect(sink.failures()).toEqual({ [key]: n });
    expect(srv.seen.length).toBe(n);
    expect(sink.exceptions).toEqual([]);
    expect(wallMs).toBeLessThan(2000);
  });
});

describe('clients per user are bounded', () => {
  it(`redirects to a new origin each time: at most ${MAX_OTHER_ORIGINS} (+1 closing) connections to other origins at once`, async () => {
    const origins: HostileServer[] = [];
    for (let i = 0; i < 8; i++) origins.push(await server((_req, res) => reply(res, 200, 'ok')));
    let next = 0;
    const home = await server((_req, res) => reply(res, 302, '', { location: `${origins[next++ % origins.length]!.origin}/x` }));
    const sink = new HopSink();
    const r = new Runner(scenario(home.url, [userClass('U', [task(request('GET', '/hop'))], { wait: wait(2) })], { users: 1, runTimeMs: 5000 }), { sink, clock: new RunClock() });
    cleanups.push(() => r.stop());
    r.start();
    let peak = 0;
    const until = performance.now() + 700;
    while (performance.now() < until) {
      await sleep(20);
      // A destroyed client's socket may take a moment to close on the server side: allow one.
      peak = Math.max(peak, origins.reduce((s, o) => s + o.openSockets, 0));
    }
    await r.stop();
    expect(sink.count('GET /hop')).toBeGreaterThan(16);
    expect(peak).toBeLessThanOrEqual(MAX_OTHER_ORIGINS + 1);
  });
});
