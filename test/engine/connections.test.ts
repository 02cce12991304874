/**
 * Open connections as the engine counts them (undici's connect/disconnect events on each user's
 * dispatchers), checked against the sockets real servers accepted: per origin and in all, while
 * users run, as they ramp down, when they stop, and none for a target that refuses.
 */
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
afterEach(async () => {
  await Promise.all(runners.splice(0).map((r) => r.stop()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function until(cond: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

describe('open connections', () => {
  it('counts each user\'s socket to each origin, drops them as users go, and ends at zero', async () => {
    const main = await startCountingServer({ delayMs: 2 });
    const other = await startCountingServer({ delayMs: 2 });
    servers.push(main, other);
    const cls = userClass('U', [task([request('GET', '/a'), request('GET', `${other.url}/b`)])], { wait: wait(10) });
    const r = new Runner(scenario(main.url, [cls], { users: 6, spawnRate: 1000 }), { sink: new RecordingSink(), clock: new RunClock() });
    runners.push(r);
    r.start();
    // The servers count a socket when its first request arrives, a moment after it opened.
    await until(() => main.connections === 6 && other.connections === 6, 'each server to see 6 connections');
    expect(r.status().connections).toBe(12);
    expect(Object.fromEntries(r.connectionsByOrigin())).toEqual({ [main.url]: 6, [other.url]: 6 });

    r.setUsers(2, 1000);
    await until(() => r.status().connections === 4, '4 connections after ramping down to 2 users');
    expect(Object.fromEntries(r.connectionsByOrigin())).toEqual({ [main.url]: 2, [other.url]: 2 });

    await r.stop();
    await until(() => r.status().connections === 0, 'no connection left after the stop');
    expect(r.connectionsByOrigin().size).toBe(0);
  });

  it('counts nothing for a target where nothing listens (refused connections never open)', async () => {
    const port = await closedPort();
    const sink = new RecordingSink();
    const r = new Runner(scenario(`http://127.0.0.1:${port}`, [userClass('U', [task(request('GET', '/'))], { wait: wait(20) })], { users: 3, spawnRate: 1000 }), { sink, clock: new RunClock() });
    runners.push(r);
    r.start();
    await until(() => (sink.failures()['ECONNREFUSED'] ?? 0) >= 30, '30 refused requests');
    expect(r.status().connections).toBe(0);
  });
});
