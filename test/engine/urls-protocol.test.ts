/**
 * URLs as browsers send them and protocol corners, against real servers on loopback: non-ASCII is
 * percent-encoded, a line break from a data row never reaches the wire (the request is `not sent`),
 * credentials in the host are sent as basic auth, and responses undici refuses (an unsolicited
 * `100 Continue`, a `101` without an upgrade, oversized headers) are each named exactly, once per
 * request.
 */
import { createServer as createNetServer, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Runner } from '../../src/engine/runner.js';
import { RunClock } from '../../src/run/clock.js';
import type { CompiledTemplate, DataSource, RequestStep } from '../../src/scenario/types.js';
import { reply, startHostileServer, type HostileServer } from '../support/hostile-server.js';
import { listen } from '../support/listen.js';
import { RecordingSink } from './recording-sink.js';
import { request, scenario, task, userClass, wait } from './build.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function server(handler: Parameters<typeof startHostileServer>[0] = (_q, res) => reply(res, 200, 'ok')): Promise<HostileServer> {
  const s = await startHostileServer(handler);
  cleanups.push(() => s.close());
  return s;
}

async function run(host: string, steps: RequestStep[], opts: { data?: DataSource[]; ms?: number } = {}): Promise<RecordingSink> {
  const sink = new RecordingSink();
  const r = new Runner(scenario(host, [userClass('U', [task(steps)], { wait: wait(10) })], { users: 1, runTimeMs: opts.ms ?? 200, data: opts.data ?? [] }), { sink, clock: new RunClock() });
  cleanups.push(() => r.stop());
  r.start();
  await r.done;
  return sink;
}

const dataUrl = (source: string, column: string, before: string): CompiledTemplate => ({
  source: `${before}\${${source}.${column}}`,
  parts: [before, { kind: 'data', source, column }],
});

describe('URLs', () => {
  it('non-ASCII paths and queries are percent-encoded as UTF-8, written or from data', async () => {
    const srv = await server();
    const data: DataSource[] = [{ name: 'd', file: null, order: 'sequential', columns: ['w'], rows: [['straße']] }];
    const sink = await run(srv.url, [request('GET', '/ok/ü?q=日本'), request('GET', dataUrl('d', 'w', '/word/'), { name: '/word' })], { data });
    expect(sink.failures()).toEqual({});
    const urls = new Set(srv.seen.map((r) => r.url));
    expect(urls).toEqual(new Set(['/ok/%C3%BC?q=%E6%97%A5%E6%9C%AC', '/word/stra%C3%9Fe']));
  });

  it('a line break from a data row: that request is `not sent`, with a clear key; the others go', async () => {
    const srv = await server();
    const data: DataSource[] = [{ name: 'd', file: null, order: 'sequential', columns: ['v'], rows: [['ok'], ['evil\r\nx-injected: 1']] }];
    const header = request('GET', '/h', { headers: [['x-v', { source: '${d.v}', parts: [{ kind: 'data', source: 'd', column: 'v' }] }]] });
    const sink = await run(srv.url, [header, request('GET', dataUrl('d', 'v', '/p/'), { name: '/p' })], { data, ms: 300 });
    const f = sink.failures();
    expect(f['not sent: line break or control character in header x-v']).toBeGreaterThan(0);
    // (a flow stops at its first failure: the URL case is reached on the rows where the header was fine)
    expect(srv.seen.every((r) => r.headers['x-injected'] === undefined)).toBe(true);
    expect(srv.seen.filter((r) => r.url.startsWith('/h')).length).toBe(sink.count('GET /h') - f['not sent: line break or control character in header x-v']!);

    const srv2 = await server();
    const sink2 = await run(srv2.url, [request('GET', dataUrl('d', 'v', '/p/'), { name: '/p' })], { data, ms: 300 });
    const f2 = sink2.failures();
    expect(f2['not sent: line break or control character in the URL']).toBeGreaterThan(0);
    expect(srv2.seen.every((r) => r.url === '/p/ok')).toBe(true);
    expect(srv2.seen.length + f2['not sent: line break or control character in the URL']!).toBe(sink2.count());
  });

  it('credentials in the host are sent as basic auth on every request, not dropped', async () => {
    const srv = await server();
    const host = srv.url.replace('http://', 'http://admin:p%40ss@');
    const sink = await run(host, [request('GET', '/a'), request('GET', '/b', { headers: [['authorization', 'Bearer mine']] })]);
    expect(sink.failures()).toEqual({});
    const a = srv.seen.filter((r) => r.url === '/a');
    expect(a.length).toBeGreaterThan(0);
    expect(a.every((r) => r.headers.authorization === `Basic ${Buffer.from('admin:p@ss').toString('base64')}`)).toBe(true);
    // A request's own authorization header wins.
    expect(srv.seen.filter((r) => r.url === '/b').every((r) => r.headers.authorization === 'Bearer mine')).toBe(true);
  });
});

/** A raw TCP server answering every request with `response` (bytes as written). */
async function rawServer(response: string): Promise<{ url: string; requests: () => number }> {
  let requests = 0;
  const sockets = new Set<Socket>();
  const srv = createNetServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => {});
    s.on('data', (chunk) => {
      requests += chunk.toString('latin1').split('\r\n\r\n').length - 1;
      s.write(response);
    });
  });
  const port = await listen(srv);
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        srv.close(() => resolve());
      }),
  );
  return { url: `http://127.0.0.1:${port}`, requests: () => requests };
}

describe('protocol corners are named exactly, once per request', () => {
  const ok = 'HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok';
  const cases: readonly [what: string, response: string, key: string][] = [
    ['an unsolicited 100 Continue', `HTTP/1.1 100 Continue\r\n\r\n${ok}`, 'bad response (unexpected 100 Continue, or a response to no request)'],
    ['101 Switching Protocols without an upgrade', `HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: upgrade\r\n\r\n${ok}`, 'bad response (101 Switching Protocols without an upgrade)'],
    ['headers over the limit', `HTTP/1.1 200 OK\r\nx-big: ${'a'.repeat(20_000)}\r\ncontent-length: 2\r\n\r\nok`, 'bad response (Headers Overflow Error)'],
  ];
  it.each(cases)('%s', async (_what, response, key) => {
    const srv = await rawServer(response);
    const sink = await run(srv.url, [request('GET', '/x')], { ms: 300 });
    const n = sink.count();
    expect(n).toBeGreaterThan(0);
    expect(sink.failures()).toEqual({ [key]: n });
    expect(srv.requests()).toBe(n);
  });

  it('103 Early Hints before the response is fine', async () => {
    const srv = await rawServer('HTTP/1.1 103 Early Hints\r\nlink: </a.css>\r\n\r\nHTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok');
    const sink = await run(srv.url, [request('GET', '/x')]);
    expect(sink.count()).toBeGreaterThan(0);
    expect(sink.failures()).toEqual({});
  });
});
