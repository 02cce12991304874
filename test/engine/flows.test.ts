import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { Runner } from '../../src/engine/runner.js';
import { RunClock } from '../../src/run/clock.js';
import type { CompiledTemplate, DataSource } from '../../src/scenario/types.js';
import { startCountingServer, type CountingServer } from '../support/counting-server.js';
import { listen, sleep } from '../support/listen.js';
import { RecordingSink } from './recording-sink.js';
import { jsonCapture, request, scenario, statusCheck, task, userClass, wait } from './build.js';

const loc = { file: 't', line: 1, col: 1 };
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A tiny API: login returns a token; /me needs it; /go redirects to /me. */
async function apiServer(): Promise<{ url: string; seen: string[] }> {
  const seen: string[] = [];
  const server: Server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url} ${req.headers.authorization ?? '-'}`);
    let body = '';
    req.on('data', (c: Buffer) => (body += c));
    req.on('end', () => {
      if (req.url === '/login') {
        const { user } = JSON.parse(body) as { user: string };
        res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': 'rid-7' });
        res.end(JSON.stringify({ token: `tok-${user}`, items: [{ id: 1 }, { id: 2 }] }));
      } else if (req.url === '/me') {
        const ok = req.headers.authorization?.startsWith('Bearer tok-');
        res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
        res.end(JSON.stringify(ok ? { id: req.headers.authorization!.slice(11), kind: 'user' } : { detail: 'no' }));
      } else if (req.url === '/go') {
        res.writeHead(302, { location: '/me' });
        res.end();
      } else {
        res.writeHead(200);
        res.end(body);
      }
    });
  });
  await listen(server);
  cleanups.push(() => new Promise((r) => server.close(r)));
  server.closeAllConnections?.();
  const addr = server.address() as { port: number };
  return { url: `http://127.0.0.1:${addr.port}`, seen };
}

function run(r: Runner): Promise<void> {
  cleanups.push(() => r.stop());
  r.start();
  return r.done;
}

const tokenHeader: CompiledTemplate = { source: 'Bearer ${token}', parts: ['Bearer ', { kind: 'capture', name: 'token' }] };
const userJson = { kind: 'json' as const, value: { t: 'obj' as const, v: [['user', { t: 'tpl' as const, v: { source: 'u${userId}', parts: ['u', { kind: 'builtin' as const, name: 'userId' as const }] } }] as const] } };

describe('flows', () => {
  it('logs in on start, captures the token and sends it as a bearer header', async () => {
    const api = await apiServer();
    const sink = new RecordingSink();
    const login = request('POST', '/login', { body: userJson, captures: [jsonCapture('token', '$.token')], needsBody: true });
    const me = request('GET', '/me', {
      headers: [['authorization', tokenHeader]],
      checks: [statusCheck(200), { kind: 'json', path: { source: '$.kind', segments: ['kind'] }, op: 'equals', value: 'user', loc }],
      needsBody: true,
    });
    await run(new Runner(scenario(api.url, [userClass('U', [task(me)], { onStart: [login], wait: wait(10) })], { users: 2, spawnRate: 1000, runTimeMs: 300 }), { sink, clock: new RunClock() }));
    expect(sink.failures()).toEqual({});
    expect(sink.count('POST /login')).toBe(2);
    expect(sink.count('GET /me')).toBeGreaterThan(4);
    expect(api.seen.filter((s) => s.startsWith('GET /me')).every((s) => /Bearer tok-u[12]$/.test(s))).toBe(true);
    expect(sink.checks.length).toBe(sink.count('GET /me') * 2);
  });

  it('a capture that finds nothing is a failure, and later requests needing it are not sent', async () => {
    const api = await apiServer();
    const sink = new RecordingSink();
    const login = request('POST', '/login', { body: userJson, captures: [jsonCapture('token', '$.nope')], needsBody: true });
    const me = request('GET', '/me', { headers: [['authorization', tokenHeader]] });
    await run(new Runner(scenario(api.url, [userClass('U', [task(me)], { onStart: [login], wait: wait(20) })], { users: 1, spawnRate: 1000, runTimeMs: 200 }), { sink, clock: new RunClock() }));
    const f = sink.failures();
    expect(f['capture: token not found ($.nope)']).toBe(1);
    expect(f['not sent: ${token} is not set']).toBe(sink.count('GET /me'));
    expect(api.seen.some((s) => s.startsWith('GET /me'))).toBe(false);
  });

  it('an error inside the engine while running a task goes to exceptions, and the user goes on', async () => {
    const srv = await startCountingServer({ body: '{"next":"not a url"}' });
    cleanups.push(() => srv.close());
    const sink = new RecordingSink();
    const start = request('GET', '/start', { captures: [jsonCapture('next', '$.next')], needsBody: true });
    // An absolute URL built from a captured value that is not a URL: building the request throws.
    const broken = request('GET', { source: 'http://${next}/x', parts: ['http://', { kind: 'capture', name: 'next' }, '/x'] }, { name: 'next' });
    const flow = task([start, broken, request('GET', '/never')], 1, 'broken');
    await run(new Runner(scenario(srv.url, [userClass('U', [flow], { wait: wait(5) })], { users: 1, spawnRate: 1000, runTimeMs: 200 }), { sink, clock: new RunClock() }));
    expect(sink.exceptions.length).toBeGreaterThan(2);
    expect(sink.exceptions.every((e) => e.context === 'U/broken')).toBe(true);
    expect(String(sink.exceptions[0]!.error)).toMatch(/Invalid URL/);
    // The user kept going: one /start per iteration, and /never never ran.
    // (the stop may fall between /start and the broken step)
    expect(sink.count('GET /start') - sink.exceptions.length).toBeGreaterThanOrEqual(0);
    expect(sink.count('GET /start') - sink.exceptions.length).toBeLessThanOrEqual(1);
    expect(srv.byRoute()['GET /never']).toBeUndefined();
  });

  it('a flow stops at its first failed step', async () => {
    const srv = await startCountingServer({ status: (req) => (req.url === '/b' ? 500 : 200) });
    cleanups.push(() => srv.close());
    const sink = new RecordingSink();
    const flow = task([request('GET', '/a'), request('GET', '/b'), request('GET', '/c')], 1, 'abc');
    await run(new Runner(scenario(srv.url, [userClass('U', [flow], { wait: wait(5) })], { users: 1, spawnRate: 1000, runTimeMs: 200 }), { sink, clock: new RunClock() }));
    expect(sink.count('GET /a')).toBeGreaterThan(2);
    // (the stop may fall between /a and /b: the flow is cut there)
    expect(sink.count('GET /a') - sink.count('GET /b')).toBeLessThanOrEqual(1);
    expect(sink.count('GET /c')).toBe(0);
    expect(srv.total).toBe(sink.count());
  });

  it('follows redirects with the bearer token (same origin); the chain is one request', async () => {
    const api = await apiServer();
    const sink = new RecordingSink();
    const login = request('POST', '/login', { body: userJson, captures: [jsonCapture('token', '$.token')], needsBody: true });
    const go = request('GET', '/go', { headers: [['authorization', tokenHeader]], checks: [statusCheck(200)] });
    await run(new Runner(scenario(api.url, [userClass('U', [task(go)], { onStart: [login], wait: wait(20) })], { users: 1, spawnRate: 1000, runTimeMs: 200 }), { sink, clock: new RunClock() }));
    expect(sink.failures()).toEqual({});
    const gets = api.seen.filter((s) => s.startsWith('GET'));
    const me = gets.filter((s) => s.startsWith('GET /me'));
    expect(me.length).toBeGreaterThan(0);
    expect(me.every((s) => /Bearer tok-u1$/.test(s))).toBe(true);
    // One request per chain (the stop may cut the last chain after its first hop).
    expect(gets.filter((s) => s.startsWith('GET /go')).length - me.length).toBeLessThanOrEqual(1);
    expect(sink.count('GET /go')).toBe(me.length);
  });

  it('feeds data rows: sequential cycles, unique is fixed per user', async () => {
    const srv = await startCountingServer();
    cleanups.push(() => srv.close());
    const sink = new RecordingSink();
    const data: DataSource[] = [
      { name: 'seq', file: null, order: 'sequential', columns: ['v'], rows: [['a'], ['b'], ['c']] },
      { name: 'acct', file: null, order: 'unique', columns: ['user'], rows: [['alice'], ['bob']] },
    ];
    const url: CompiledTemplate = {
      source: '/x/${seq.v}/${acct.user}/${userId}',
      parts: ['/x/', { kind: 'data', source: 'seq', column: 'v' }, '/', { kind: 'data', source: 'acct', column: 'user' }, '/', { kind: 'builtin', name: 'userId' }],
    };
    await run(new Runner(scenario(srv.url, [userClass('U', [task(request('GET', url, { name: '/x' }))], { wait: wait(5) })], { users: 2, spawnRate: 1000, runTimeMs: 600, data }), { sink, clock: new RunClock() }));
    const paths = srv.received.map((q) => q.path);
    expect(paths.length).toBeGreaterThan(6);
    for (const p of paths) {
      const [, , v, user, id] = p.split('/');
      expect(['a', 'b', 'c']).toContain(v);
      expect(user).toBe(id === '1' ? 'alice' : 'bob');
    }
    const seq = paths.map((p) => p.split('/')[2]);
    expect(seq.slice(0, 3).sort()).toEqual(['a', 'b', 'c']);
    expect(sink.names).toEqual(['GET /x']);
  });
});

describe('open model', () => {
  it('starts iterations at the target rate, whatever the latency', async () => {
    const srv = await startCountingServer({ delayMs: 50 });
    cleanups.push(() => srv.close());
    const sink = new RecordingSink();
    const s = scenario(srv.url, [userClass('U', [task(request('GET', '/'))])], {
      users: 40,
      runTimeMs: 2000,
      load: { kind: 'open', rate: 200, maxUsers: 40, stages: null },
    });
    await run(new Runner(s, { sink, clock: new RunClock() }));
    // 2 s at 200/s = 400 iterations; allow for the start and the stop.
    expect(srv.total).toBeGreaterThanOrEqual(390);
    expect(srv.total).toBeLessThanOrEqual(402);
    expect(sink.count()).toBe(srv.total);
    expect(sink.droppedCount).toBe(0);
  });

  it('counts latency from the intended start when users are all busy', async () => {
    const srv = await startCountingServer({ delayMs: 100 });
    cleanups.push(() => srv.close());
    const sink = new RecordingSink();
    // 100/s with 2 users of 100 ms each can serve only 20/s: the backlog grows, latency shows it.
    const s = scenario(srv.url, [userClass('U', [task(request('GET', '/'))])], {
      users: 2,
      runTimeMs: 1000,
      load: { kind: 'open', rate: 100, maxUsers: 2, stages: null },
    });
    await run(new Runner(s, { sink, clock: new RunClock() }));
    const ok = sink.requests.filter((q) => q.failure === null);
    const maxLatency = Math.max(...ok.map((q) => q.latencyUs));
    const maxService = Math.max(...ok.map((q) => q.serviceUs));
    expect(maxService).toBeLessThan(200_000);
    expect(maxLatency).toBeGreaterThan(500_000);
    expect(sink.droppedCount).toBeGreaterThan(0);
  });

  it('ramps the rate through stages and stops after the last', async () => {
    const srv = await startCountingServer();
    cleanups.push(() => srv.close());
    const sink = new RecordingSink();
    const s = scenario(srv.url, [userClass('U', [task(request('GET', '/'))])], {
      users: 20,
      load: { kind: 'open', rate: 0, maxUsers: 20, stages: [{ durationMs: 1000, rate: 200 }, { durationMs: 500, rate: 200 }] },
    });
    const r = new Runner(s, { sink, clock: new RunClock() });
    await run(r);
    expect(r.status().stopReason).toBe('load shape finished');
    // ∫ rate: 1 s ramp 0→200 (100) + 0.5 s at 200 (100) = 200
    expect(srv.total).toBeGreaterThan(170);
    expect(srv.total).toBeLessThan(230);
  });

  it('ramps up from a standstill as the rate\'s integral says (the first gap is not 1 / a rate near 0)', async () => {
    const srv = await startCountingServer();
    cleanups.push(() => srv.close());
    const sink = new RecordingSink();
    // 0 → 40/s over 1.5 s: ∫ rate = 30 iterations, the first at √(2 / (40/1.5 s²)) ≈ 0.27 s.
    const s = scenario(srv.url, [userClass('U', [task(request('GET', '/'))])], {
      users: 10,
      load: { kind: 'open', rate: 0, maxUsers: 10, stages: [{ durationMs: 1500, rate: 40 }] },
    });
    const r = new Runner(s, { sink, clock: new RunClock() });
    await run(r);
    expect(r.status().stopReason).toBe('load shape finished');
    expect(srv.total).toBeGreaterThanOrEqual(29);
    expect(srv.total).toBeLessThanOrEqual(30);
    expect(sink.droppedCount).toBe(0);
  });
});

describe('load shapes (closed model)', () => {
  it('follows user stages and stops after the last', async () => {
    const srv = await startCountingServer();
    cleanups.push(() => srv.close());
    const sink = new RecordingSink();
    const s = scenario(srv.url, [userClass('U', [task(request('GET', '/'))], { wait: wait(50) })], {
      load: { kind: 'closed', stages: [{ durationMs: 1000, users: 2, spawnRate: 100 }, { durationMs: 500, users: 5, spawnRate: 100 }] },
    });
    const r = new Runner(s, { sink, clock: new RunClock() });
    cleanups.push(() => r.stop());
    // Every reading of users is paired with the run clock of the same status: a busy machine may
    // make the readings late, never the stages early.
    const seen: { elapsedMs: number; users: number }[] = [];
    const look = (): number => {
      const { elapsedMs, users } = r.status();
      seen.push({ elapsedMs, users });
      return users;
    };
    r.start();
    while (look() < 2) await sleep(5);
    expect(seen.at(-1)!.elapsedMs).toBeLessThan(1000); // the first stage's 2 users, within it
    let stopped = false;
    void r.done.then(() => (stopped = true));
    while (!stopped) {
      look();
      await sleep(5);
    }
    expect(r.status().stopReason).toBe('load shape finished');
    expect(r.status().elapsedMs).toBeGreaterThanOrEqual(1500);
    expect(seen.filter((o) => o.elapsedMs < 1000 && o.users > 2)).toEqual([]);
    expect(Math.max(...seen.map((o) => o.users))).toBeLessThanOrEqual(5);
    expect(srv.connections).toBe(5); // the second stage's 5 users, each with its connection
  });
});
