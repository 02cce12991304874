/**
 * A target that fails, one fault per test, through the real Runner and the real StatsCollector.
 * In every case: the run goes on to its end, each failure is counted once under one stable key,
 * connections recover (the same users' next requests succeed), and cicada's request count equals
 * what the server saw plus the attempts it never saw (refused or reset before a request was read).
 *
 * Why the counts can match exactly: each virtual user has its own undici `Client` with
 * `pipelining: 1` and no retry interceptor, so a request written to a socket is never re-sent —
 * when the connection dies under it, that is one failure. undici only re-queues requests it has not
 * written yet (the server never saw them), and it checks an idle keep-alive socket before reusing it.
 */
import { createServer } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { request, scenario, task, userClass, wait } from '../engine/build.js';
import type { RequestStep, Scenario } from '../../src/scenario/types.js';
import {
  MID_BODY_SENT,
  closedPort,
  startFaultServer,
  startRestartableServer,
  type FaultServer,
  type RestartableServer,
} from '../support/fault-server.js';
import { SocketTracker, closeServer, listen, sleep } from '../support/listen.js';
import { endpoint, expectCountedOnce, failuresOf, runLoad, startLoad, until, watchUncaught } from './harness.js';

const cleanups: (() => Promise<void>)[] = [];
let uncaught: ReturnType<typeof watchUncaught>;
beforeEach(() => {
  uncaught = watchUncaught();
});
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((fn) => fn()));
  uncaught.stop();
  // An error escaping to the process is a crash in the CLI (exit 3).
  expect(uncaught.errors).toEqual([]);
});

async function faultServer(): Promise<FaultServer> {
  const s = await startFaultServer();
  cleanups.push(() => s.close());
  return s;
}

const get = (path: string, extra: Partial<RequestStep> = {}): RequestStep => request('GET', path, { name: path.split('?')[0]!, ...extra });

/** Users that alternate at random between the faulty route and `/ok`, so every fault is followed by requests that must work. */
function faultAndOk(host: string, fault: RequestStep, extra: Partial<Scenario> = {}, okWeight = 1): Scenario {
  return scenario(host, [userClass('U', [task(fault), task(get('/ok'), okWeight)])], { users: 4, spawnRate: 1000, runTimeMs: 1000, ...extra });
}

/** The fault's row holds only failures, all under `key`; `/ok` never failed. */
function expectOnlyKey(snap: Awaited<ReturnType<typeof runLoad>>, faultName: string, key: string): void {
  const fault = endpoint(snap, faultName);
  expect(fault.requests).toBeGreaterThan(0);
  expect(failuresOf(snap, faultName)).toEqual({ [key]: fault.requests });
  const ok = endpoint(snap, '/ok');
  expect(ok.requests).toBeGreaterThan(0);
  expect(ok.failures).toBe(0);
  expect(snap.run.stopReason).toBe('run time reached');
  expect(snap.run.inFlight).toBe(0);
  expectCountedOnce(snap);
}

describe('faulty targets', () => {
  it('port closed: every attempt is one ECONNREFUSED, and the run goes on to its end', async () => {
    const port = await closedPort();
    const t0 = Date.now();
    const snap = await runLoad(scenario(`http://127.0.0.1:${port}`, [userClass('U', [task(get('/ok'))], { wait: wait(5) })], { users: 4, runTimeMs: 800 }));
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(snap.total.requests).toBeGreaterThan(20);
    expect(failuresOf(snap)).toEqual({ ECONNREFUSED: snap.total.requests });
    expect(snap.run.stopReason).toBe('run time reached');
    expectCountedOnce(snap);
  });

  it('accept then reset: each reset connection is one ECONNRESET the server never saw as a request; connections recover', async () => {
    const srv = await faultServer();
    srv.setMode('reset-on-accept');
    // No wait between tasks: a user sends its next request from inside the failed one's callback.
    const run = startLoad(scenario(srv.url, [userClass('U', [task(get('/ok'))])], { users: 4, runTimeMs: 1200 }));
    await until(() => run.snapshot().total.failures >= 20);
    srv.setMode('normal');
    await run.runner.done;
    const snap = run.snapshot();
    const resets = failuresOf(snap).ECONNRESET ?? 0;
    expect(resets).toBeGreaterThanOrEqual(20);
    expect(failuresOf(snap)).toEqual({ ECONNRESET: resets });
    // Every attempt reached the server as a connection; the ones reset never carried a request.
    expect(resets).toBeLessThanOrEqual(srv.socketsAccepted);
    expect(snap.total.requests).toBe(srv.counts().total! + resets);
    expect(endpoint(snap, '/ok').requests - resets).toBeGreaterThan(20); // recovered
    expectCountedOnce(snap);
  });

  it('reset after the request was read (on a reused keep-alive socket): ECONNRESET, never re-sent', async () => {
    const srv = await faultServer();
    const snap = await runLoad(faultAndOk(srv.url, get('/reset')));
    expectOnlyKey(snap, '/reset', 'ECONNRESET');
    expect(snap.total.requests).toBe(srv.counts().total);
    expect(endpoint(snap, '/reset').requests).toBe(srv.seen('/reset'));
    // One new connection per reset (plus the first of each user): nothing reconnects and re-sends behind our back.
    expect(srv.socketsAccepted).toBeLessThanOrEqual(srv.seen('/reset') + 4);
  });

  it('reset mid-body: ECONNRESET, and the bytes that did arrive are counted', async () => {
    const srv = await faultServer();
    const snap = await runLoad(faultAndOk(srv.url, get('/reset-mid-body')));
    expectOnlyKey(snap, '/reset-mid-body', 'ECONNRESET');
    expect(snap.total.requests).toBe(srv.counts().total);
    const row = endpoint(snap, '/reset-mid-body');
    expect(row.totalBytes).toBe(row.requests * MID_BODY_SENT);
  });

  it('connection closed mid-body: "connection closed by server"', async () => {
    const srv = await faultServer();
    const snap = await runLoad(faultAndOk(srv.url, get('/close-mid-body')));
    expectOnlyKey(snap, '/close-mid-body', 'connection closed by server');
    expect(snap.total.requests).toBe(srv.counts().total);
  });

  it('hang: "timeout after 300ms" at the timeout, the connection is dropped and the next request works', async () => {
    const srv = await faultServer();
    const snap = await runLoad(faultAndOk(srv.url, get('/hang', { timeoutMs: 300 }), { runTimeMs: 1200 }), { stopGraceMs: 1000 });
    expectOnlyKey(snap, '/hang', 'timeout after 300ms');
    expect(snap.total.requests).toBe(srv.counts().total);
    const row = endpoint(snap, '/hang');
    expect(row.minMs).toBeGreaterThanOrEqual(300);
    expect(row.maxMs).toBeLessThan(300 + 250); // the runner's tick enforces it (50 ms), plus a slow CI
    await until(() => srv.held === 0, 2000, 'the server sees the timed-out requests closed');
  });

  it('a body trickling at 1 byte/s: the whole-request timeout ends it (no idle timeout would), the byte counted', async () => {
    const srv = await faultServer();
    const trickle = get('/trickle?bytes=10&intervalMs=1000', { timeoutMs: 1500 });
    // Each trickle holds its user for 1.5 s of the 2 s run, so at even odds all three users could pick it
    // twice and never reach /ok (1 run in 64); at 1:20 that is one in 85 million.
    const snap = await runLoad(faultAndOk(srv.url, trickle, { users: 3, runTimeMs: 2000 }, 20), { stopGraceMs: 2000 });
    expectOnlyKey(snap, '/trickle', 'timeout after 1.5s');
    expect(snap.total.requests).toBe(srv.counts().total);
    const row = endpoint(snap, '/trickle');
    expect(row.totalBytes).toBe(row.requests); // one byte arrived before each timeout
    expect(row.minMs).toBeGreaterThanOrEqual(1500);
  });

  it('a malformed status line: "bad response (...)", one stable key', async () => {
    const srv = await faultServer();
    const snap = await runLoad(faultAndOk(srv.url, get('/malformed')));
    const keys = Object.keys(failuresOf(snap, '/malformed'));
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(/^bad response \((HPE_INVALID_STATUS|Invalid status code)\)$/);
    expectOnlyKey(snap, '/malformed', keys[0]!);
    expect(snap.total.requests).toBe(srv.counts().total);
  });

  it('a 5xx storm: "HTTP 503" while it lasts, keep-alive connections kept, and requests succeed again after', async () => {
    const srv = await faultServer();
    const run = startLoad(scenario(srv.url, [userClass('U', [task(get('/ok'))], { wait: wait(2) })], { users: 4, runTimeMs: 1500 }));
    await until(() => run.snapshot().total.requests >= 50);
    srv.setMode('storm');
    await until(() => run.snapshot().total.failures >= 100);
    srv.setMode('normal');
    const afterStorm = run.snapshot();
    await run.runner.done;
    const snap = run.snapshot();
    expect(failuresOf(snap)).toEqual({ 'HTTP 503': snap.total.failures });
    expect(snap.total.failures - afterStorm.total.failures).toBeLessThanOrEqual(4); // at most the requests in flight at the switch
    expect(snap.total.requests - afterStorm.total.requests).toBeGreaterThan(50);
    expect(snap.total.requests).toBe(srv.counts().total);
    expect(srv.socketsAccepted).toBe(4);
    expectCountedOnce(snap);
  });

  it('429 with Retry-After: "HTTP 429", not retried (a load tester reports back-pressure, it does not obey it)', async () => {
    const srv = await faultServer();
    const snap = await runLoad(faultAndOk(srv.url, get('/rate-limited'), { runTimeMs: 800 }));
    expectOnlyKey(snap, '/rate-limited', 'HTTP 429');
    expect(snap.total.requests).toBe(srv.counts().total);
    expect(endpoint(snap, '/rate-limited').requests).toBe(srv.seen('/rate-limited'));
    // Users carried on at once rather than waiting the 2 s the server asked for.
    expect(endpoint(snap, '/rate-limited').requests).toBeGreaterThan(40);
  });

  it('server killed and restarted mid-run: refused while down, connections recover when it is back', async () => {
    const srv: RestartableServer = await startRestartableServer();
    cleanups.push(() => srv.close());
    const users = 4;
    const run = startLoad(scenario(srv.url, [userClass('U', [task(get('/ok'))], { wait: wait(10) })], { users, runTimeMs: 2000 }));
    await until(() => run.snapshot().total.requests >= 40);
    await srv.stop();
    await until(() => (failuresOf(run.snapshot()).ECONNREFUSED ?? 0) >= 20);
    await srv.restart();
    await sleep(300);
    const recovered = run.snapshot();
    await run.runner.done;
    const snap = run.snapshot();
    const failures = failuresOf(snap);
    const refused = failures.ECONNREFUSED ?? 0;
    // Requests in flight when the server died fail as a reset or a close; nothing else fails.
    const cutOff = snap.total.failures - refused;
    expect(Object.keys(failures).filter((k) => k !== 'ECONNREFUSED' && k !== 'ECONNRESET' && k !== 'connection closed by server')).toEqual([]);
    expect(cutOff).toBeLessThanOrEqual(users);
    // No failure since it came back, and plenty of successes.
    expect(snap.total.failures).toBe(recovered.total.failures);
    expect(snap.total.requests - recovered.total.requests).toBeGreaterThan(40);
    // cicada's count = what the server saw + refused attempts + (at most) requests cut off on the
    // wire before the server read them.
    const unseen = snap.total.requests - srv.total - refused;
    expect(unseen).toBeGreaterThanOrEqual(0);
    expect(unseen).toBeLessThanOrEqual(cutOff);
    expectCountedOnce(snap);
  });

  it('keep-alive connections the server closes while idle are replaced without a failure or a lost count', async () => {
    // Like nginx's keepalive_timeout shorter than the users' wait: every request finds its socket closed.
    let seen = 0;
    const server = createServer((_req, res) => {
      seen++;
      res.writeHead(200, { 'content-length': 2 }).end('ok');
    });
    server.keepAliveTimeout = 30;
    const sockets = new SocketTracker(server);
    const port = await listen(server);
    cleanups.push(() => closeServer(server, sockets));
    const snap = await runLoad(
      scenario(`http://127.0.0.1:${port}`, [userClass('U', [task(get('/ok'))], { wait: { kind: 'between', minMs: 20, maxMs: 80 } })], {
        users: 4,
        runTimeMs: 1500,
      }),
    );
    expect(snap.total.requests).toBeGreaterThan(40);
    expect(sockets.accepted).toBeGreaterThan(10); // the server really did close them
    expect(snap.total.requests).toBe(seen + snap.total.failures);
    expect(snap.total.failures).toBeLessThanOrEqual(2);
    expectCountedOnce(snap);
  });
});
