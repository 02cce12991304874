/**
 * Numbers at the edge, in the engine: waits of 2^31 ms and more are kept as written (Node would
 * turn them into 1 ms timers and warn), and starting many users yields to the event loop.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Runner } from '../../src/engine/runner.js';
import { RunClock } from '../../src/run/clock.js';
import { startCountingServer } from '../support/counting-server.js';
import { sleep } from '../support/listen.js';
import { RecordingSink } from './recording-sink.js';
import { request, scenario, task, userClass } from './build.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const HOURS_1000 = 1000 * 3_600_000; // 3.6e9 ms > 2^31 − 1

function overflowWarnings(): { count: () => number; stop: () => void } {
  let n = 0;
  const onWarning = (w: Error): void => {
    if (w.name === 'TimeoutOverflowWarning') n++;
  };
  process.on('warning', onWarning);
  return { count: () => n, stop: () => process.off('warning', onWarning) };
}

describe('durations of 2^31 ms and more work as written', () => {
  it('wait: 1000h and think: 1000h: one request per user, no timer overflow', async () => {
    const srv = await startCountingServer();
    cleanups.push(() => srv.close());
    const warnings = overflowWarnings();
    cleanups.push(async () => warnings.stop());
    const sink = new RecordingSink();
    const think = { kind: 'think' as const, wait: { kind: 'constant' as const, ms: HOURS_1000 }, loc: { file: 't', line: 1, col: 1 } };
    const classes = [
      userClass('Waits', [task(request('GET', '/w'))], { wait: { kind: 'constant', ms: HOURS_1000 } }),
      userClass('Thinks', [task([request('GET', '/t'), think, request('GET', '/never')])]),
    ];
    const r = new Runner(scenario(srv.url, classes, { users: 4, runTimeMs: 400 }), { sink, clock: new RunClock() });
    cleanups.push(() => r.stop());
    r.start();
    await r.done;
    await sleep(10); // let a warning emitted on the last tick arrive
    expect(srv.byRoute()).toEqual({ 'GET /w': 2, 'GET /t': 2 });
    expect(warnings.count()).toBe(0);
  });

  it('rate: 1/1000h starts one iteration, then waits', async () => {
    const srv = await startCountingServer();
    cleanups.push(() => srv.close());
    const warnings = overflowWarnings();
    cleanups.push(async () => warnings.stop());
    const sink = new RecordingSink();
    const r = new Runner(
      scenario(srv.url, [userClass('U', [task(request('GET', '/x'))])], { runTimeMs: 400, load: { kind: 'open', rate: 1 / (HOURS_1000 / 1000), maxUsers: 5, stages: null } }),
      { sink, clock: new RunClock() },
    );
    cleanups.push(() => r.stop());
    r.start();
    await r.done;
    expect(srv.total).toBe(1);
    expect(warnings.count()).toBe(0);
  });
});

describe('spawning yields', () => {
  it('starting 60,000 users at once never holds the event loop for more than a moment', async () => {
    const sink = new RecordingSink();
    // Users that only think: no sockets, so the test measures the spawn loop itself.
    const think = { kind: 'think' as const, wait: { kind: 'constant' as const, ms: 60_000 }, loc: { file: 't', line: 1, col: 1 } };
    const r = new Runner(scenario('http://127.0.0.1:9', [userClass('U', [task([think], 1, 'think')])], { users: 60_000, spawnRate: 100_000 }), { sink, tickMs: 1000, clock: new RunClock() });
    cleanups.push(() => r.stop());
    // Something else that wants the event loop: it sees the user count between slices.
    const seen = new Set<number>();
    let probing = true;
    const probe = (): void => {
      seen.add(r.status().users);
      if (probing) setImmediate(probe);
    };
    r.start();
    setImmediate(probe);
    while (r.status().users < 60_000) await sleep(20);
    probing = false;
    await r.stop();
    // With a 1 s tick, 100,000 users a second would be started all at once in one turn of the
    // event loop (seen: 1, then 60,000); in slices of 20 ms, others run between them and see the
    // count grow step by step, however loaded the machine.
    const between = [...seen].filter((n) => n > 1 && n < 60_000);
    expect(between.length).toBeGreaterThanOrEqual(5);
  });
});
