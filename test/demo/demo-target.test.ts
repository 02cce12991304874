/**
 * The bundled demo target behaves like the API the shipped scenarios are written against: auth,
 * API key, cookie session, rate limit, deterministic 404s, latency spread, and exact counts.
 */

import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoTarget } from '../../src/demo/server.js';
import { startDemoTarget } from '../../src/demo/server.js';
import { nowMs, sleep } from '../support/listen.js';
import { rawRequest } from '../support/raw-request.js';

interface Reply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- parsed JSON under test
}

async function call(
  target: DemoTarget,
  method: 'GET' | 'POST' | 'DELETE' | 'PUT',
  path: string,
  opts: { headers?: Record<string, string>; json?: unknown; body?: string } = {},
): Promise<Reply> {
  const headers: Record<string, string> = { ...opts.headers };
  let body = opts.body;
  if (opts.json !== undefined) {
    body = JSON.stringify(opts.json);
    headers['content-type'] ??= 'application/json';
  }
  const res = await request(`${target.url}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
  const text = await res.body.text();
  return { status: res.statusCode, headers: res.headers, body: text === '' ? null : JSON.parse(text) };
}

async function login(target: DemoTarget, user = 'alice'): Promise<Record<string, string>> {
  const res = await call(target, 'POST', '/api/login', { json: { user, password: 'secret' } });
  expect(res.status).toBe(200);
  return { authorization: `Bearer ${res.body.token as string}` };
}

describe('demo target without latency', () => {
  let target: DemoTarget;
  let auth: Record<string, string>;
  beforeAll(async () => {
    target = await startDemoTarget({ quiet: true, seed: 42, latency: false });
    auth = await login(target);
  });
  afterAll(() => target.close());

  it('GET /health is 200 {"status":"ok"}', async () => {
    expect(await call(target, 'GET', '/health')).toMatchObject({ status: 200, body: { status: 'ok' } });
  });

  it('POST /api/login returns a token, and rejects missing fields and non-JSON', async () => {
    const ok = await call(target, 'POST', '/api/login', { json: { user: 'bob', password: 'pw' } });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ token: expect.any(String), user: 'bob' });
    expect(ok.headers['content-type']).toBe('application/json');

    const missing = await call(target, 'POST', '/api/login', { json: { user: 'bob' } });
    expect(missing).toMatchObject({ status: 400, body: { detail: 'user and password required' } });
    expect((await call(target, 'POST', '/api/login', { json: {} })).status).toBe(400);
    const notJson = await call(target, 'POST', '/api/login', { body: 'user=bob&password=pw', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(notJson.status).toBe(415);
    const badJson = await call(target, 'POST', '/api/login', { body: '{"user":', headers: { 'content-type': 'application/json' } });
    expect(badJson.status).toBe(400);
  });

  it('bearer routes are 401 without a valid token and 200 with one', async () => {
    const unauthenticated = { status: 401, body: { detail: 'Not authenticated' } };
    expect(await call(target, 'GET', '/api/me')).toMatchObject(unauthenticated);
    expect(await call(target, 'GET', '/api/items')).toMatchObject(unauthenticated);
    expect(await call(target, 'GET', '/api/items/1')).toMatchObject(unauthenticated);
    expect(await call(target, 'POST', '/api/items', { json: { name: 'x' } })).toMatchObject(unauthenticated);
    expect(await call(target, 'GET', '/api/me', { headers: { authorization: 'Bearer forged.token' } })).toMatchObject(unauthenticated);
    expect(await call(target, 'GET', '/api/me', { headers: { authorization: 'Basic YWxpY2U6c2VjcmV0' } })).toMatchObject(unauthenticated);

    expect(await call(target, 'GET', '/api/me', { headers: auth })).toMatchObject({ status: 200, body: { user: 'alice' } });
  });

  it('a token from another server (other secret) is rejected', async () => {
    const other = await startDemoTarget({ quiet: true, seed: 7, latency: false });
    try {
      const foreign = await login(other, 'mallory');
      expect((await call(target, 'GET', '/api/me', { headers: foreign })).status).toBe(401);
    } finally {
      await other.close();
    }
  });

  it('GET /api/items?page=N lists 20 items, none of which 404', async () => {
    const page = await call(target, 'GET', '/api/items?page=3', { headers: auth });
    expect(page.status).toBe(200);
    expect(page.body.page).toBe(3);
    expect(page.body.items).toHaveLength(20);
    for (const item of page.body.items) {
      expect(item).toEqual({ id: expect.any(Number), name: expect.any(String), price: expect.any(Number) });
      const one = await call(target, 'GET', `/api/items/${item.id as number}`, { headers: auth });
      expect(one).toMatchObject({ status: 200, body: item });
    }
    const first = await call(target, 'GET', '/api/items', { headers: auth });
    expect(first.body.page).toBe(1);
    const ids = [...first.body.items, ...page.body.items].map((i: { id: number }) => i.id);
    expect(new Set(ids).size).toBe(40);
    expect((await call(target, 'GET', '/api/items?page=0', { headers: auth })).status).toBe(400);
    expect((await call(target, 'GET', '/api/items?page=abc', { headers: auth })).status).toBe(400);
  });

  it('GET /api/items/:id 404s on 3% of ids, always the same ones', async () => {
    const missing: number[] = [];
    for (let id = 1; id <= 1000; id++) {
      const res = await call(target, 'GET', `/api/items/${id}`, { headers: auth });
      if (res.status === 404) {
        expect(res.body).toEqual({ detail: 'Item not found' });
        missing.push(id);
      } else {
        expect(res.status).toBe(200);
        expect(res.body.id).toBe(id);
      }
    }
    expect(missing).toHaveLength(30);

    const other = await startDemoTarget({ quiet: true, seed: 99, latency: false });
    try {
      const otherAuth = await login(other);
      for (const id of missing.slice(0, 5)) expect((await call(other, 'GET', `/api/items/${id}`, { headers: otherAuth })).status).toBe(404);
    } finally {
      await other.close();
    }
    expect((await call(target, 'GET', '/api/items/abc', { headers: auth })).status).toBe(404);
    expect((await call(target, 'GET', '/api/items/0', { headers: auth })).status).toBe(404);
  });

  it('POST /api/items creates an item that can be read back', async () => {
    const created = await call(target, 'POST', '/api/items', { headers: auth, json: { name: 'Widget', price: 9.5 } });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ id: expect.any(Number), name: 'Widget', price: 9.5 });
    expect(created.headers.location).toBe(`/api/items/${created.body.id as number}`);
    expect(await call(target, 'GET', `/api/items/${created.body.id as number}`, { headers: auth })).toMatchObject({ status: 200, body: created.body });
    expect((await call(target, 'POST', '/api/items', { headers: auth, json: { price: 'free' } })).status).toBe(400);
    const notJson = await call(target, 'POST', '/api/items', { headers: { ...auth, 'content-type': 'text/plain' }, body: 'x' });
    expect(notJson.status).toBe(415);
  });

  it('GET /api/reports needs x-api-key: demo-key', async () => {
    expect(await call(target, 'GET', '/api/reports')).toMatchObject({ status: 403, body: { detail: 'Not authenticated: API key required' } });
    expect((await call(target, 'GET', '/api/reports', { headers: { 'x-api-key': 'wrong' } })).status).toBe(403);
    const ok = await call(target, 'GET', '/api/reports', { headers: { 'x-api-key': 'demo-key' } });
    expect(ok.status).toBe(200);
    expect(ok.body.reports.length).toBeGreaterThan(0);
  });

  it('POST /api/cart sets a session cookie that GET /api/cart needs', async () => {
    expect(await call(target, 'GET', '/api/cart')).toMatchObject({ status: 401, body: { detail: 'Not authenticated' } });

    const created = await call(target, 'POST', '/api/cart', { json: { itemId: 1, quantity: 2 } });
    expect(created.status).toBe(201);
    const setCookie = String(created.headers['set-cookie']);
    expect(setCookie).toMatch(/^session=[0-9a-f]+; Path=\/; HttpOnly$/);
    const cookie = setCookie.split(';')[0]!;

    const again = await call(target, 'POST', '/api/cart', { json: { itemId: 2 }, headers: { cookie } });
    expect(again.status).toBe(201);
    expect(String(again.headers['set-cookie']).split(';')[0]).toBe(cookie);

    const cart = await call(target, 'GET', '/api/cart', { headers: { cookie: `theme=dark; ${cookie}` } });
    expect(cart).toMatchObject({ status: 200, body: { items: [{ itemId: 1, quantity: 2 }, { itemId: 2, quantity: 1 }], count: 3 } });
    expect((await call(target, 'GET', '/api/cart', { headers: { cookie: 'session=nope' } })).status).toBe(401);
    expect((await call(target, 'POST', '/api/cart')).status).toBe(201);
  });

  it('GET /api/flaky fails with 500 about 5% of the time', async () => {
    let failures = 0;
    for (let i = 0; i < 1000; i++) {
      const res = await call(target, 'GET', '/api/flaky');
      if (res.status === 500) {
        expect(res.body).toEqual({ detail: 'Internal Server Error' });
        failures++;
      } else expect(res.status).toBe(200);
    }
    expect(failures).toBeGreaterThanOrEqual(25);
    expect(failures).toBeLessThanOrEqual(80);
  });

  it('GET /api/limited answers 429 with Retry-After: 1 above ~50 req/s, then recovers', async () => {
    const t0 = nowMs();
    const burst = await Promise.all(Array.from({ length: 120 }, () => call(target, 'GET', '/api/limited')));
    const burstS = (nowMs() - t0) / 1000;
    const ok = burst.filter((r) => r.status === 200).length;
    const limited = burst.filter((r) => r.status === 429);
    // A bucket of 50 refilled at 50/s: 50, plus what refilled while the burst lasted (a busy machine
    // may spread the 120 requests over a second or more), never more.
    expect(ok).toBeGreaterThanOrEqual(50);
    expect(ok).toBeLessThanOrEqual(50 + Math.floor(50 * burstS) + 1);
    expect(limited.length).toBeGreaterThan(0);
    expect(limited.length).toBe(120 - ok);
    expect(limited[0]!.headers['retry-after']).toBe('1');
    expect(limited[0]!.body).toEqual({ detail: 'Too Many Requests' });
    await sleep(1100);
    expect((await call(target, 'GET', '/api/limited')).status).toBe(200);
  });

  it('everything else is 404 {"detail":"Not Found"}', async () => {
    expect(await call(target, 'GET', '/nope')).toMatchObject({ status: 404, body: { detail: 'Not Found' } });
    expect((await call(target, 'DELETE', '/api/items/1', { headers: auth })).status).toBe(404);
    expect((await call(target, 'PUT', '/health')).status).toBe(404);
    expect((await call(target, 'GET', '/api/items/1/extra', { headers: auth })).status).toBe(404);
  });
});

describe('demo target counts', () => {
  it('/__cicada/counts reports every request per route template, excluding itself', async () => {
    const target = await startDemoTarget({ quiet: true, latency: false });
    try {
      const auth = await login(target);
      for (let i = 1; i <= 5; i++) await call(target, 'GET', `/api/items/${i}`, { headers: auth });
      await call(target, 'GET', '/api/items/6'); // 401 still counts
      await call(target, 'GET', '/health');
      await call(target, 'GET', '/nowhere');
      await call(target, 'POST', '/nowhere');
      const expected = {
        'GET *': 1,
        'GET /api/items/:id': 6,
        'GET /health': 1,
        'POST *': 1,
        'POST /api/login': 1,
        total: 10,
      };
      const res = await call(target, 'GET', '/__cicada/counts');
      expect(res).toMatchObject({ status: 200, body: expected });
      expect((await call(target, 'GET', '/__cicada/counts')).body).toEqual(expected);
      expect(target.counts()).toEqual(expected);

      expect((await call(target, 'DELETE', '/__cicada/counts')).status).toBe(204);
      expect(target.counts()).toEqual({ total: 0 });
    } finally {
      await target.close();
    }
  });

  it('counts a request the client gave up on', async () => {
    const target = await startDemoTarget({ quiet: true });
    try {
      const result = await rawRequest(target.port, '/api/slow', { timeoutMs: 100 });
      expect(result.timedOut).toBe(true);
      expect(target.counts()).toEqual({ 'GET /api/slow': 1, total: 1 });
    } finally {
      await target.close();
    }
  });
});

describe('demo target latency', () => {
  let target: DemoTarget;
  beforeAll(async () => {
    target = await startDemoTarget({ quiet: true, seed: 1 });
  });
  afterAll(() => target.close());

  const timed = async (path: string, headers: Record<string, string> = {}): Promise<number> => {
    const start = nowMs();
    const res = await call(target, 'GET', path, { headers });
    expect(res.status).toBeLessThan(500);
    return nowMs() - start;
  };

  it('GET /api/search takes 50-200 ms and GET /api/slow 0.5-2 s', async () => {
    const searches = await Promise.all(Array.from({ length: 10 }, () => timed('/api/search?q=lantern')));
    for (const ms of searches) {
      expect(ms).toBeGreaterThanOrEqual(49);
      expect(ms).toBeLessThan(300);
    }
    const res = await call(target, 'GET', '/api/search?q=lantern');
    expect(res.body.q).toBe('lantern');
    for (const item of res.body.results) expect(item.name.toLowerCase()).toContain('lantern');
    const slow = await timed('/api/slow');
    expect(slow).toBeGreaterThanOrEqual(499);
    expect(slow).toBeLessThan(2200);
  });

  it('items answer in a few ms and lists in tens of ms, with a spread', async () => {
    const auth = await login(target);
    // One at a time over the agent's warm keep-alive connection, so connects do not count.
    const items: number[] = [];
    for (let i = 1; i <= 60; i++) items.push(await timed(`/api/items/${i}`, auth));
    const lists: number[] = [];
    for (let i = 1; i <= 30; i++) lists.push(await timed(`/api/items?page=${i}`, auth));
    const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    expect(median(items)).toBeLessThan(15);
    expect(median(lists)).toBeGreaterThan(15);
    expect(median(lists)).toBeLessThan(80);
    expect(Math.max(...lists) - Math.min(...lists)).toBeGreaterThan(10);
  });

  it('close() does not wait for pending slow answers and frees the port', async () => {
    const other = await startDemoTarget({ quiet: true });
    const pending = rawRequest(other.port, '/api/slow');
    await sleep(50);
    const start = nowMs();
    await other.close();
    expect(nowMs() - start).toBeLessThan(300);
    expect((await pending).timedOut).toBe(false);
    expect((await rawRequest(other.port, '/health')).errorCode).toBe('ECONNREFUSED');
  });
});
