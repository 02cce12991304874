import { afterEach, describe, expect, it } from 'vitest';
import { Runner } from '../../src/engine/runner.js';
import { RunClock } from '../../src/run/clock.js';
import { startCountingServer, type CountingServer } from '../support/counting-server.js';
import { closedPort } from '../support/fault-server.js';
import { sleep } from '../support/listen.js';
import { RecordingSink } from './recording-sink.js';
import { request, scenario, task, userClass, wait } from './build.js';

const servers: CountingServer[] = [];
const runners: Runner[] = [];
async function server(opts: Parameters<typeof startCountingServer>[0] = {}): Promise<CountingServer> {
  const s = await startCountingServer(opts);
  servers.push(s);
  return s;
}
function runner(...args: ConstructorParameters<typeof Runner>): Runner {
  const r = new Runner(...args);
  runners.push(r);
  return r;
}
afterEach(async () => {
  await Promise.all(runners.splice(0).map((r) => r.stop()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function until(cond: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await sleep(10);
  }
}

describe('Runner', () => {
  it('counts exactly the requests the server received, and each user has its own connection', async () => {
    const srv = await server({ delayMs: 2 });
    const sink = new RecordingSink();
    const r = runner(scenario(srv.url, [userClass('U', [task(request('GET', '/a'))])], { users: 5, spawnRate: 1000, runTimeMs: 700 }), { sink, clock: new RunClock() });
    r.start();
    await r.done;
    expect(sink.count()).toBeGreaterThan(50);
    expect(sink.count()).toBe(srv.total);
    expect(sink.failures()).toEqual({});
    expect(srv.connections).toBe(5);
    expect(r.status().state).toBe('stopped');
    expect(r.status().stopReason).toBe('run time reached');
    // The run clock stops with the run.
    const elapsed = r.status().elapsedMs;
    expect(elapsed).toBeGreaterThanOrEqual(700);
    await sleep(60);
    expect(r.status().elapsedMs).toBe(elapsed);
    expect(r.status().remainingMs).toBe(0);
  });

  it('ramps users at the spawn rate and stops the most recently started first', async () => {
    const srv = await server({ delayMs: 5 });
    const sink = new RecordingSink();
    const byUser = request('GET', '/', { headers: [['x-user', { source: '${userId}', parts: [{ kind: 'builtin', name: 'userId' }] }]] });
    // 20/s: user k+1 may start 50·k ms after the ramp began, never sooner; a busy machine only makes
    // them later. Every reading of the count is held against that schedule, and the ramp takes ≥ 250 ms.
    const t0 = performance.now();
    let runningAt = 0;
    const r = runner(scenario(srv.url, [userClass('U', [task(byUser)], { wait: wait(20) })], { users: 6, spawnRate: 20 }), {
      sink,
      clock: new RunClock(),
      onStateChange: (state) => {
        if (state === 'running') runningAt = performance.now();
      },
    });
    r.start();
    const ahead: string[] = [];
    await until(() => {
      const { users, state } = r.status();
      const allowed = Math.floor(((performance.now() - t0) / 1000) * 20) + 1;
      if (users > allowed) ahead.push(`${users} users at ${(performance.now() - t0).toFixed(0)} ms`);
      if (users < 6 && state !== 'spawning') ahead.push(`${state} with ${users} users`);
      return users === 6;
    });
    expect(ahead).toEqual([]);
    expect(r.status().state).toBe('running');
    expect(runningAt - t0).toBeGreaterThanOrEqual(250);
    r.setUsers(2, 1000);
    await until(() => r.status().users === 2 && r.status().state === 'running');
    expect(r.status().targetUsers).toBe(2);
    // The stopped users' last requests have ended when their connections have closed.
    await until(() => r.status().connections === 2);
    srv.reset();
    await until(() => srv.total >= 6);
    expect(new Set(srv.recent.map((q) => q.headers['x-user']))).toEqual(new Set(['1', '2']));
    await r.stop();
    expect(r.status().users).toBe(0);
  });

  it('gives each class its weighted share exactly (70/25/4/1 of 200 → 140/50/8/2)', async () => {
    const srv = await server({ delayMs: 0 });
    const sink = new RecordingSink();
    const mk = (name: string, weight: number) => userClass(name, [task(request('GET', `/${name}`))], { weight, wait: wait(1000) });
    const r = runner(scenario(srv.url, [mk('A', 70), mk('B', 25), mk('C', 4), mk('D', 1)], { users: 200, spawnRate: 10_000 }), { sink, clock: new RunClock() });
    r.start();
    await until(() => r.status().users === 200);
    expect(r.status().classes.map((c) => c.users)).toEqual([140, 50, 8, 2]);
    r.setUsers(100);
    await until(() => r.status().users === 100);
    expect(r.status().classes.map((c) => c.users)).toEqual([70, 25, 4, 1]);
  });

  it('fixed counts come first, the rest by weight', async () => {
    const srv = await server();
    const sink = new RecordingSink();
    const r = runner(
      scenario(
        srv.url,
        [
          userClass('W', [task(request('GET', '/w'))], { weight: 1, wait: wait(1000) }),
          userClass('F', [task(request('GET', '/f'))], { weight: 0, fixedCount: 3, wait: wait(1000) }),
        ],
        { users: 10, spawnRate: 10_000 },
      ),
      { sink, clock: new RunClock() },
    );
    r.start();
    await until(() => r.status().users === 10);
    expect(r.status().classes.map((c) => c.users)).toEqual([7, 3]);
  });

  it('pause stops new requests and the run clock; resume continues', async () => {
    const srv = await server({ delayMs: 2 });
    const sink = new RecordingSink();
    const r = runner(scenario(srv.url, [userClass('U', [task(request('GET', '/'))])], { users: 3, spawnRate: 1000, runTimeMs: 60_000 }), { sink, clock: new RunClock() });
    r.start();
    await until(() => srv.total > 20);
    r.pause();
    expect(r.status().state).toBe('paused');
    await until(() => r.status().inFlight === 0); // the requests in flight finish (answered: the server counted them)
    const atPause = srv.total;
    const elapsedAtPause = r.status().elapsedMs;
    await sleep(300);
    expect(srv.total).toBe(atPause);
    expect(r.status().elapsedMs - elapsedAtPause).toBeLessThan(30);
    expect(r.status().inFlight).toBe(0);
    r.resume();
    expect(['running', 'spawning']).toContain(r.status().state);
    await until(() => srv.total > atPause + 20);
    await r.stop();
    expect(sink.count()).toBe(srv.total);
  });

  it('requests still in flight at stop finish within the grace, or are counted as aborted', async () => {
    const srv = await server({ delayMs: (req) => (req.url === '/slow' ? 3000 : 0) });
    const sink = new RecordingSink();
    const r = runner(scenario(srv.url, [userClass('U', [task(request('GET', '/slow'))])], { users: 4, spawnRate: 1000 }), { sink, clock: new RunClock(), stopGraceMs: 200 });
    r.start();
    await until(() => srv.total === 4);
    const t0 = Date.now();
    await r.stop('test');
    expect(Date.now() - t0).toBeLessThan(1500);
    expect(sink.failures()).toEqual({ 'aborted: run stopped': 4 });
    expect(r.status().inFlight).toBe(0);
  });

  it('with a stop timeout, running tasks finish', async () => {
    const srv = await server({ delayMs: 300 });
    const sink = new RecordingSink();
    const r = runner(scenario(srv.url, [userClass('U', [task(request('GET', '/'))])], { users: 3, spawnRate: 1000, stopTimeoutMs: 2000 }), { sink, clock: new RunClock() });
    r.start();
    await until(() => srv.total === 3);
    await r.stop();
    expect(sink.count()).toBe(3);
    expect(sink.failures()).toEqual({});
  });

  it('a refused connection is a failure and the run goes on', async () => {
    const port = await closedPort();
    const sink = new RecordingSink();
    const r = runner(
      scenario(`http://127.0.0.1:${port}`, [userClass('U', [task(request('GET', '/'))], { wait: wait(10) })], { users: 2, spawnRate: 1000, runTimeMs: 300 }),
      { sink, clock: new RunClock() },
    );
    r.start();
    await r.done;
    expect(sink.count()).toBeGreaterThan(4);
    expect(sink.failures()).toEqual({ ECONNREFUSED: sink.count() });
  });

  it('a request over its timeout fails as "timeout after ..." and the user goes on', async () => {
    const srv = await server({ delayMs: (req) => (req.url === '/hang' ? 5000 : 0) });
    const sink = new RecordingSink();
    const r = runner(
      scenario(srv.url, [userClass('U', [task([request('GET', '/hang', { timeoutMs: 200 })]), task(request('GET', '/ok'), 1)])], { users: 1, spawnRate: 1000 }),
      { sink, clock: new RunClock() },
    );
    r.start();
    await until(() => sink.requests.some((q) => q.failure !== null) && sink.count('GET /ok') > 0, 5000);
    const timeouts = sink.requests.filter((q) => q.failure === 'timeout after 200ms');
    expect(timeouts.length).toBeGreaterThan(0);
    for (const t of timeouts) {
      expect(t.latencyUs).toBeGreaterThanOrEqual(190_000);
      expect(t.latencyUs).toBeLessThan(600_000);
    }
  });

  it('a non-2xx is a failure keyed by status unless a status check expects it', async () => {
    const srv = await server({ status: (req) => (req.url === '/missing' ? 404 : 503) });
    const sink = new RecordingSink();
    const r = runner(
      scenario(
        srv.url,
        [
          userClass('U', [
            task(request('GET', '/missing', { checks: [{ kind: 'status', ranges: [[404, 404]], label: '404', loc: { file: 't', line: 1, col: 1 } }] })),
            task(request('GET', '/down')),
          ], { wait: wait(5) }),
        ],
        { users: 2, spawnRate: 1000, runTimeMs: 300 },
      ),
      { sink, clock: new RunClock() },
    );
    r.start();
    await r.done;
    const f = sink.failures();
    expect(Object.keys(f)).toEqual(['HTTP 503']);
    expect(f['HTTP 503']).toBe(sink.count('GET /down'));
    expect(sink.count('GET /missing')).toBeGreaterThan(0);
    expect(sink.checks.every((c) => c.passed)).toBe(true);
  });

  it('each user keeps its cookies', async () => {
    const srv = await server({ headers: { 'set-cookie': 'session=abc; Path=/' } });
    const sink = new RecordingSink();
    const r = runner(scenario(srv.url, [userClass('U', [task(request('GET', '/'))], { wait: wait(5) })], { users: 1, spawnRate: 1000, runTimeMs: 200 }), { sink, clock: new RunClock() });
    r.start();
    await r.done;
    const [first, ...rest] = srv.recent;
    expect(first!.headers.cookie).toBeUndefined();
    expect(rest.length).toBeGreaterThan(0);
    for (const req of rest) expect(req.headers.cookie).toBe('session=abc');
  });
});
