/**
 * The keys against a real Runner, a real StatsCollector and a real local server: what a person
 * presses changes the load the server sees.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Runner } from '../../src/engine/runner.js';
import { RunClock } from '../../src/run/clock.js';
import { StatsCollector } from '../../src/stats/collector.js';
import { IDLE_GENERATOR } from '../../src/stats/generator.js';
import { App } from '../../src/tui/App.js';
import { type LiveState, readLive } from '../../src/tui/live.js';
import { runTui } from '../../src/tui/run-tui.js';
import { createPollingStore, type PollingStore } from '../../src/tui/store.js';
import type { TuiSession } from '../../src/tui/types.js';
import { request, scenario, task, userClass, wait } from '../engine/build.js';
import { type CountingServer, startCountingServer } from '../support/counting-server.js';
import { eventually, renderAt, tick, type Rendered } from './render.js';
import { FakeStdin, FakeStdout } from './streams.js';

let server: CountingServer;
let runner: Runner;
let calls: { resets: number; exports: number };
let session: TuiSession;
let store: PollingStore<LiveState> | null = null;
let view: Rendered | null = null;

beforeEach(async () => {
  server = await startCountingServer({ delayMs: 5 });
  const s = scenario(server.url, [userClass('Pinger', [task(request('GET', '/ping'))], { wait: wait(20) })], { users: 2, spawnRate: 1000 });
  const collector = new StatsCollector();
  calls = { resets: 0, exports: 0 };
  runner = new Runner(s, {
    sink: collector,
    clock: new RunClock(),
    stopGraceMs: 500,
    onResetStats: () => {
      calls.resets++;
      collector.reset();
    },
  });
  session = {
    snapshot: () => collector.snapshot(runner.status(), IDLE_GENERATOR, Date.now()),
    runner,
    exportSnapshot: () => {
      calls.exports++;
      return `/tmp/results/test-run/snapshots/${Math.round(runner.status().elapsedMs / 1000)}s`;
    },
    results: { dir: '/tmp/results/test-run' },
    warnings: [],
    scenario: s,
  };
  runner.start();
});

afterEach(async () => {
  view?.unmount();
  store?.stop();
  view = null;
  store = null;
  await runner.stop('test over');
  await server.close();
});

function mount(): Rendered {
  store = createPollingStore(() => readLive(session), 50);
  view = renderAt(<App session={session} store={store} />, 100, 30);
  return view;
}

describe('keys drive a real runner', () => {
  it('W adds ten users and the server sees them', async () => {
    const r = mount();
    await eventually(() => expect(r.text()).toContain('users 2/2'));
    r.stdin.write('W');
    expect(runner.status().targetUsers).toBe(12);
    await eventually(() => expect(runner.status().users).toBe(12));
    await eventually(() => expect(r.text()).toContain('users 12/12'));
    await eventually(() => expect(server.connections).toBeGreaterThanOrEqual(12));
  });

  it('s and S remove users; + adds the step, which ] doubles', async () => {
    const r = mount();
    r.stdin.write(']');
    await tick(10);
    r.stdin.write('+');
    expect(runner.status().targetUsers).toBe(102);
    r.stdin.write('S');
    expect(runner.status().targetUsers).toBe(92);
    r.stdin.write('s');
    expect(runner.status().targetUsers).toBe(91);
    await eventually(() => expect(r.text()).toContain('users 91/91'), 5000);
  });

  it('keys typed faster than a frame accumulate: five w add five users; S then s from 40 gives 29', async () => {
    const r = mount();
    await eventually(() => expect(r.text()).toContain('users 2/2'));
    // A terminal (tmux send-keys, fast typing over SSH) hands quick presses over as one input.
    r.stdin.write('wwwww');
    expect(runner.status().targetUsers).toBe(7);
    r.stdin.write('w');
    r.stdin.write('w');
    expect(runner.status().targetUsers).toBe(9);
    runner.setUsers(40);
    r.stdin.write('Ss');
    expect(runner.status().targetUsers).toBe(29);
    r.stdin.write('W');
    r.stdin.write('S');
    r.stdin.write('s');
    expect(runner.status().targetUsers).toBe(28);
    await eventually(() => expect(r.text()).toContain('users 28/28'), 5000);
    await eventually(() => expect(server.connections).toBeGreaterThanOrEqual(28));
  });

  it('p pauses: PAUSED shows and the server count stops growing; p again resumes', async () => {
    const r = mount();
    await eventually(() => expect(server.total).toBeGreaterThan(10));
    r.stdin.write('p');
    await eventually(() => expect(r.text()).toContain('PAUSED'));
    expect(runner.status().state).toBe('paused');
    await tick(100); // requests in flight finish
    const frozen = server.total;
    await tick(400);
    expect(server.total).toBe(frozen);
    r.stdin.write('p');
    await eventually(() => expect(r.text()).toMatch(/RUNNING|SPAWNING/));
    await eventually(() => expect(server.total).toBeGreaterThan(frozen + 5));
  });

  it('r resets the statistics', async () => {
    const r = mount();
    await eventually(() => expect(session.snapshot().total.requests).toBeGreaterThan(20));
    r.stdin.write('r');
    expect(calls.resets).toBe(1);
    expect(session.snapshot().total.requests).toBeLessThan(10);
    await eventually(() => expect(r.text()).toContain('statistics reset'));
  });

  it('e exports a snapshot and shows the path', async () => {
    const r = mount();
    r.stdin.write('e');
    expect(calls.exports).toBe(1);
    await eventually(() => expect(r.text()).toMatch(/exported → \/tmp\/results\/test-run\/snapshots\/\d+s/));
  });

  it('x stops the test and keeps the screen, saying q quits', async () => {
    const r = mount();
    r.stdin.write('x');
    await runner.done;
    expect(runner.status().stopReason).toBe('stopped by user');
    await eventually(() => expect(r.text()).toContain('STOPPED'));
    expect(r.text()).toContain('stopped by user');
    await eventually(() => expect(r.text()).toContain('q to quit'));
    const after = server.total;
    await tick(200);
    expect(server.total).toBe(after);
  });

  it('u sets the exact user count and spawn rate', async () => {
    const r = mount();
    r.stdin.write('u');
    for (const key of ['5', '\t', '1', '0', '0', '\r']) {
      r.stdin.write(key);
      await tick(5);
    }
    expect(runner.status().targetUsers).toBe(5);
    expect(runner.status().spawnRate).toBe(100);
    await eventually(() => expect(r.text()).toContain('users 5/5'));
  });
});

describe('runTui', () => {
  it('draws on the alternate screen and resolves when q is pressed, asking the runner to stop', async () => {
    const stdout = new FakeStdout(100, 30);
    const stdin = new FakeStdin();
    const done = runTui(session, { stdout: stdout as unknown as NodeJS.WriteStream, stdin: stdin as unknown as NodeJS.ReadStream, fps: 10 });
    // Under CI=true Ink writes only the last frame, at exit: wait for the keyboard instead.
    await eventually(() => expect(stdin.rawMode).toBe(true));
    expect(stdout.chunks[0]).toContain('\x1b[?1049h');
    stdin.type('q');
    await done;
    expect(stdout.output).toContain('Statistics');
    expect(stdout.chunks[stdout.chunks.length - 1]).toContain('\x1b[?1049l');
    expect(stdin.rawMode).toBe(false);
    await runner.done;
    expect(runner.status().stopReason).toBe('quit');
  });

  it('stays up after the run ends on its own, until q', async () => {
    const stdout = new FakeStdout(100, 30);
    const stdin = new FakeStdin();
    let resolved = false;
    const done = runTui(session, { stdout: stdout as unknown as NodeJS.WriteStream, stdin: stdin as unknown as NodeJS.ReadStream, fps: 10 }).then(() => {
      resolved = true;
    });
    await eventually(() => expect(stdin.rawMode).toBe(true));
    await runner.stop('run time reached');
    await tick(300);
    expect(resolved).toBe(false);
    stdin.type('\x03');
    await done;
    expect(resolved).toBe(true);
    const last = stdout.output.slice(stdout.output.lastIndexOf('STOPPED'));
    expect(last).toContain('run time reached');
  });
});
