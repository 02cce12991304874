/**
 * Each virtual user's cookie jar against real servers: RFC 6265 scoping (path, host-only, Secure,
 * Domain, deletion) and the bounds that keep a hostile server from growing the Cookie header.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { CookieJar, MAX_COOKIE_BYTES, MAX_COOKIES_PER_DOMAIN } from '../../src/engine/cookies.js';
import { Runner } from '../../src/engine/runner.js';
import { RunClock } from '../../src/run/clock.js';
import { reply, startHostileServer, type HostileServer } from '../support/hostile-server.js';
import { sleep } from '../support/listen.js';
import { RecordingSink } from './recording-sink.js';
import { request, scenario, task, userClass, wait } from './build.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function server(handler: Parameters<typeof startHostileServer>[0], host?: string): Promise<HostileServer> {
  const s = await startHostileServer(handler, host);
  cleanups.push(() => s.close());
  return s;
}

const cookieNames = (header: string | string[] | undefined): string[] =>
  typeof header === 'string' ? header.split('; ').map((c) => c.split('=')[0]!) : [];

describe('cookies are scoped as RFC 6265 says', () => {
  // (`Secure` is not shown here: loopback is a potentially trustworthy origin, so a browser and the
  // jar send Secure cookies to http://127.0.0.1 too.)
  it('path, host-only, Domain and deletion', async () => {
    const other = await server((_req, res) => reply(res, 200, 'other'), '127.0.0.2');
    const home = await server((req, res) => {
      if (req.url === '/set') {
        return reply(res, 200, 'set', {
          'set-cookie': ['plain=1; Path=/', 'deep=1; Path=/private', 'foreign=1; Path=/; Domain=example.com', 'gone=1; Path=/'],
        });
      }
      if (req.url === '/delete') return reply(res, 200, 'deleted', { 'set-cookie': 'gone=; Path=/; Max-Age=0' });
      reply(res, 200, 'ok');
    });
    const steps = [request('GET', '/set'), request('GET', '/public'), request('GET', '/private/x'), request('GET', '/delete'), request('GET', '/after'), request('GET', `${other.origin}/x`)];
    const r = new Runner(scenario(home.url, [userClass('U', [task(steps)], { wait: wait(1) })], { users: 1, runTimeMs: 20_000 }), { sink: new RecordingSink(), clock: new RunClock() });
    cleanups.push(() => r.stop());
    r.start();
    while (other.seen.length < 2) await sleep(10);
    await r.stop();
    const at = (path: string) => home.seen.filter((r) => r.url === path).map((r) => cookieNames(r.headers.cookie).sort());
    expect(at('/public').length).toBeGreaterThan(0);
    for (const names of at('/public')) expect(names).toEqual(['gone', 'plain']);
    for (const names of at('/private/x')) expect(names).toEqual(['deep', 'gone', 'plain']);
    for (const names of at('/after')) expect(names).toEqual(['plain']);
    // Host-only cookies of 127.0.0.1 never go to 127.0.0.2.
    expect(other.seen.length).toBeGreaterThan(0);
    for (const r of other.seen) expect(r.headers.cookie).toBeUndefined();
  });
});

describe('the jar is bounded', () => {
  it(`a server setting a new cookie on every response: the Cookie header keeps at most ${MAX_COOKIES_PER_DOMAIN} (the newest)`, async () => {
    let n = 0;
    const srv = await server((_req, res) => {
      n++;
      reply(res, 200, 'ok', { 'set-cookie': `c${n}=${'v'.repeat(40)}; Path=/` });
    });
    const sink = new RecordingSink();
    const r = new Runner(scenario(srv.url, [userClass('U', [task(request('GET', '/grow'))], { wait: wait(1) })], { users: 1, runTimeMs: 20_000 }), { sink, clock: new RunClock() });
    cleanups.push(() => r.stop());
    r.start();
    while (n < MAX_COOKIES_PER_DOMAIN * 3) await sleep(10);
    await r.stop();
    const last = srv.seen[srv.seen.length - 1]!;
    const names = cookieNames(last.headers.cookie);
    expect(names).toHaveLength(MAX_COOKIES_PER_DOMAIN);
    expect(names).toContain(`c${n - 1}`);
    expect(names).not.toContain('c1');
    const longest = Math.max(...srv.seen.map((r) => String(r.headers.cookie ?? '').length));
    // `cNNN=` + 40 bytes + `; ` per cookie
    expect(longest).toBeLessThanOrEqual(MAX_COOKIES_PER_DOMAIN * 50);
  });

  it(`a cookie over ${MAX_COOKIE_BYTES} bytes is ignored, as browsers do`, () => {
    const jar = new CookieJar();
    jar.set(`big=${'x'.repeat(MAX_COOKIE_BYTES)}; Path=/`, 'http://127.0.0.1:1/');
    jar.set('small=1; Path=/', 'http://127.0.0.1:1/');
    expect(jar.cookieHeader('http://127.0.0.1:1/a')).toBe('small=1');
  });

  it('an empty jar answers without reading the clock or the library', () => {
    const jar = new CookieJar();
    expect(jar.isEmpty).toBe(true);
    expect(jar.cookieHeader('not even a url')).toBeNull();
  });
});
