/**
 * The test servers do what they claim: counts are exact, each fault really happens on the wire,
 * and close() leaves nothing behind (the port is free again).
 */

import { createServer } from 'node:net';
import { Client, errors, request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { startCountingServer } from '../support/counting-server.js';
import {
  MALFORMED_RESPONSE,
  MID_BODY_PROMISED,
  MID_BODY_SENT,
  closedPort,
  startFaultServer,
  startRestartableServer,
} from '../support/fault-server.js';
import { listen, nowMs, sleep } from '../support/listen.js';
import { rawRequest, splitResponse } from '../support/raw-request.js';
import { startStallServer } from '../support/stall-server.js';

/** Everything a test opened, closed after it whatever happened. */
const cleanups: (() => Promise<void>)[] = [];
const track = <T extends { close(): Promise<void> }>(thing: T): T => {
  cleanups.push(() => thing.close());
  return thing;
};
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((fn) => fn()));
});

/** True when something accepts connections on the port. */
async function isListening(port: number): Promise<boolean> {
  const result = await rawRequest(port, '/', { timeoutMs: 1000 });
  return result.errorCode !== 'ECONNREFUSED';
}

/** The port can be bound again (by a throwaway server, closed at once). */
async function canBind(port: number): Promise<boolean> {
  const server = createServer();
  try {
    await listen(server, port);
    return true;
  } catch {
    return false;
  } finally {
    if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

async function get(url: string): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  const res = await request(url);
  return { status: res.statusCode, headers: res.headers, body: await res.body.text() };
}

describe('counting server', () => {
  it('counts every request exactly, per route and per connection', async () => {
    const server = track(await startCountingServer());
    const clients = [track(new Client(server.url)), track(new Client(server.url))];
    for (let i = 0; i < 5; i++) {
      for (const client of clients) {
        const res = await client.request({ method: 'GET', path: `/a?i=${i}` });
        await res.body.dump();
      }
    }
    const res = await clients[0]!.request({ method: 'POST', path: '/b', body: 'hello', headers: { 'x-test': 'yes' } });
    expect(res.statusCode).toBe(200);
    expect(await res.body.text()).toBe('ok');

    expect(server.total).toBe(11);
    expect(server.responded).toBe(11);
    expect(server.byRoute()).toEqual({ 'GET /a': 10, 'POST /b': 1 });
    expect(server.connections).toBe(2);
    expect(server.socketsAccepted).toBe(2);
    expect(server.perConnection()).toEqual([6, 5]);
    expect(server.received.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    const times = server.received.map((r) => r.atMs);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    const last = server.recent.at(-1)!;
    expect(last).toMatchObject({ method: 'POST', path: '/b', url: '/b', body: 'hello', connection: 1 });
    expect(last.headers['x-test']).toBe('yes');

    server.reset();
    expect(server.total).toBe(0);
    expect(server.byRoute()).toEqual({});
    expect(server.received).toEqual([]);
  });

  it('keeps only the last N requests with headers and bodies', async () => {
    const server = track(await startCountingServer({ keepLast: 3 }));
    for (let i = 0; i < 5; i++) await (await request(`${server.url}/r${i}`)).body.dump();
    expect(server.recent.map((r) => r.path)).toEqual(['/r2', '/r3', '/r4']);
    expect(server.received).toHaveLength(5);
  });

  it('answers with the configured status, body, headers and delay', async () => {
    const server = track(
      await startCountingServer({
        status: (req) => (req.url === '/missing' ? 404 : 201),
        body: '{"x":1}',
        headers: { 'content-type': 'application/json' },
        delayMs: (req) => (req.url === '/slow' ? 150 : 0),
      }),
    );
    const fast = await get(`${server.url}/fast`);
    expect(fast).toMatchObject({ status: 201, body: '{"x":1}' });
    expect(fast.headers['content-type']).toBe('application/json');
    expect((await get(`${server.url}/missing`)).status).toBe(404);
    const start = nowMs();
    expect((await get(`${server.url}/slow`)).status).toBe(201);
    expect(nowMs() - start).toBeGreaterThanOrEqual(140);
  });

  it('releases its port on close, even with a request still waiting', async () => {
    const server = await startCountingServer({ delayMs: 10_000 });
    const waiting = rawRequest(server.port, '/', { timeoutMs: 5000 });
    await sleep(50);
    expect(server.total).toBe(1);
    const start = nowMs();
    await server.close();
    const result = await waiting;
    expect(result.timedOut).toBe(false);
    expect(nowMs() - start).toBeLessThan(1000);
    expect(await isListening(server.port)).toBe(false);
    expect(await canBind(server.port)).toBe(true);
  });
});

describe('fault server', () => {
  it('/ok answers normally', async () => {
    const server = track(await startFaultServer());
    expect(await get(`${server.url}/ok`)).toMatchObject({ status: 200, body: 'ok' });
  });

  it('/reset reads the request, then resets the connection without a response', async () => {
    const server = track(await startFaultServer());
    const result = await rawRequest(server.port, '/reset');
    expect(result.errorCode).toBe('ECONNRESET');
    expect(result.data.length).toBe(0);
    expect(server.seen('/reset')).toBe(1);
    await expect(request(`${server.url}/reset`)).rejects.toMatchObject({ code: 'ECONNRESET' });
  });

  it('/reset-mid-body sends headers and part of the body, then resets', async () => {
    const server = track(await startFaultServer());
    const result = await rawRequest(server.port, '/reset-mid-body');
    const { head, body } = splitResponse(result.data);
    expect(head).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(head).toContain(`content-length: ${MID_BODY_PROMISED}`);
    expect(body.length).toBe(MID_BODY_SENT);
    expect(result.errorCode).toBe('ECONNRESET');

    const res = await request(`${server.url}/reset-mid-body`);
    expect(res.statusCode).toBe(200);
    await expect(res.body.arrayBuffer()).rejects.toThrow();
  });

  it('/close-mid-body sends part of the body, then closes cleanly', async () => {
    const server = track(await startFaultServer());
    const result = await rawRequest(server.port, '/close-mid-body');
    expect(splitResponse(result.data).body.length).toBe(MID_BODY_SENT);
    expect(result.errorCode).toBeNull();
    expect(result.ended).toBe(true);
  });

  it('/hang never answers, and close() frees the held request', async () => {
    const server = await startFaultServer();
    const hanging = rawRequest(server.port, '/hang', { timeoutMs: 10_000 });
    await sleep(300);
    expect(server.held).toBe(1);
    expect(server.seen('/hang')).toBe(1);

    const client = new Client(server.url, { headersTimeout: 200 });
    await expect(client.request({ method: 'GET', path: '/hang' })).rejects.toBeInstanceOf(errors.HeadersTimeoutError);
    await client.close();

    await server.close();
    const result = await hanging;
    expect(result.timedOut).toBe(false);
    expect(result.data.length).toBe(0);
    expect(await canBind(server.port)).toBe(true);
  });

  it('/trickle sends one byte per interval (1 byte/s by default)', async () => {
    const server = track(await startFaultServer());
    const fast = await rawRequest(server.port, '/trickle?bytes=4&intervalMs=100');
    expect(splitResponse(fast.data).body.toString()).toBe('xxxx');
    expect(fast.elapsedMs).toBeGreaterThanOrEqual(380);

    const slow = await rawRequest(server.port, '/trickle', { timeoutMs: 2500 });
    expect(slow.timedOut).toBe(true);
    const { head, body } = splitResponse(slow.data);
    expect(head).toContain('content-length: 10');
    expect(body.length).toBeGreaterThanOrEqual(1);
    expect(body.length).toBeLessThanOrEqual(3);
  });

  it('/malformed writes an invalid status line', async () => {
    const server = track(await startFaultServer());
    const result = await rawRequest(server.port, '/malformed');
    expect(result.data.toString('latin1')).toBe(MALFORMED_RESPONSE);
    await expect(request(`${server.url}/malformed`)).rejects.toThrow();
    expect(server.seen('/malformed')).toBe(2);
  });

  it('/big streams 100 MB without buffering it', async () => {
    const server = track(await startFaultServer());
    const res = await request(`${server.url}/big`);
    expect(res.headers['content-length']).toBe(String(100 * 1024 * 1024));
    let bytes = 0;
    for await (const chunk of res.body) bytes += (chunk as Buffer).length;
    expect(bytes).toBe(100 * 1024 * 1024);
    const small = await request(`${server.url}/big?mb=0.5`);
    expect((await small.body.arrayBuffer()).byteLength).toBe(512 * 1024);
  });

  it('/big stops writing when the client goes away', async () => {
    const server = track(await startFaultServer());
    const result = await rawRequest(server.port, '/big', { timeoutMs: 100 });
    expect(result.timedOut).toBe(true);
    expect(result.data.length).toBeLessThan(100 * 1024 * 1024);
    expect(await get(`${server.url}/ok`)).toMatchObject({ status: 200 });
  });

  it('/storm is always 503, and storm mode makes every route 503 until turned off', async () => {
    const server = track(await startFaultServer());
    for (let i = 0; i < 3; i++) expect((await get(`${server.url}/storm`)).status).toBe(503);
    server.setMode('storm');
    expect((await get(`${server.url}/ok`)).status).toBe(503);
    server.setMode('normal');
    expect((await get(`${server.url}/ok`)).status).toBe(200);
  });

  it('/rate-limited is 429 with Retry-After: 2', async () => {
    const server = track(await startFaultServer());
    const res = await get(`${server.url}/rate-limited`);
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBe('2');
  });

  it('reset-on-accept resets new connections before any request is read', async () => {
    const server = track(await startFaultServer());
    server.setMode('reset-on-accept');
    const result = await rawRequest(server.port, '/ok');
    expect(result.errorCode).toBe('ECONNRESET');
    expect(server.counts()).toEqual({ total: 0 });
    expect(server.socketsAccepted).toBe(1);
  });

  it('counts requests per route exactly', async () => {
    const server = track(await startFaultServer());
    for (let i = 0; i < 3; i++) await get(`${server.url}/ok`);
    await get(`${server.url}/storm`);
    await get(`${server.url}/nowhere?x=1`);
    await rawRequest(server.port, '/reset');
    expect(server.counts()).toEqual({ '/nowhere': 1, '/ok': 3, '/reset': 1, '/storm': 1, total: 6 });
  });

  it('closedPort() gives a port that refuses connections', async () => {
    const port = await closedPort();
    const result = await rawRequest(port, '/');
    expect(result.errorCode).toBe('ECONNREFUSED');
    await expect(request(`http://127.0.0.1:${port}/`)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});

describe('restartable server', () => {
  it('stops (connections refused, keep-alive sockets dropped) and restarts on the same port', async () => {
    const server = track(await startRestartableServer());
    const client = track(new Client(server.url));
    const first = await client.request({ method: 'GET', path: '/' });
    expect(await first.body.text()).toBe('ok');

    await server.stop();
    expect(server.running).toBe(false);
    expect((await rawRequest(server.port, '/')).errorCode).toBe('ECONNREFUSED');
    await expect(client.request({ method: 'GET', path: '/' })).rejects.toThrow();

    await server.restart();
    expect(server.running).toBe(true);
    expect(server.starts).toBe(2);
    const again = await client.request({ method: 'GET', path: '/' });
    expect(await again.body.text()).toBe('ok');
    expect(server.total).toBe(2);

    await server.close();
    expect(await canBind(server.port)).toBe(true);
  });
});

describe('stall server', () => {
  it('without stalls answers after the fixed delay', async () => {
    const server = track(await startStallServer({ delayMs: 50, stall: false }));
    for (let i = 0; i < 3; i++) {
      const start = nowMs();
      await get(`${server.url}/`);
      const tookMs = nowMs() - start;
      expect(tookMs).toBeGreaterThanOrEqual(49);
      expect(tookMs).toBeLessThan(250);
    }
    expect(server.stallWindows()).toEqual([]);
  });

  it('holds every answer due during a stall until the stall ends', async () => {
    const server = track(await startStallServer({ delayMs: 20, stallEveryMs: 600, stallMs: 300, firstStallAtMs: 200 }));
    const timed = async (): Promise<{ startMs: number; endMs: number }> => {
      const startMs = nowMs();
      const res = await request(`${server.url}/`);
      await res.body.dump();
      return { startMs, endMs: nowMs() };
    };

    const before = await timed();
    expect(before.endMs - before.startMs).toBeLessThan(180);

    await sleep(server.startedAtMs + 250 - nowMs()); // 50 ms into the first stall
    const during = await Promise.all([timed(), timed()]);
    const [window] = server.stallWindows();
    expect(window).toEqual({ startMs: server.startedAtMs + 200, endMs: server.startedAtMs + 500 });
    for (const r of during) expect(r.endMs).toBeGreaterThanOrEqual(window!.endMs - 1);

    await sleep(server.startedAtMs + 560 - nowMs()); // between stalls
    const after = await timed();
    expect(after.endMs - after.startMs).toBeLessThan(180);
    expect(server.stallWindows(server.startedAtMs + 1000)).toHaveLength(2);
    expect(server.total).toBe(4);
  });

  it('stalls 1 s in every 5 s by default, first from 4 s', async () => {
    const server = track(await startStallServer());
    expect(server.stallWindows(server.startedAtMs + 9500)).toEqual([
      { startMs: server.startedAtMs + 4000, endMs: server.startedAtMs + 5000 },
      { startMs: server.startedAtMs + 9000, endMs: server.startedAtMs + 10000 },
    ]);
    const start = nowMs();
    await get(`${server.url}/`);
    expect(nowMs() - start).toBeLessThan(500);
  });
});
