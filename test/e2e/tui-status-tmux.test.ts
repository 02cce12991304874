/**
 * The status line's hygiene in a real 80×24 terminal: tmux runs `cicada run` against the demo
 * target, a slow endpoint and a dead target (nothing listening), and the test reads the screens
 * with `capture-pane` and types with `send-keys`, as a person would. The three runs go side by side
 * to keep the wall time short.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoTarget, startDemoTarget } from '../../src/demo/server.js';
import { startCountingServer, type CountingServer } from '../support/counting-server.js';
import { closedPort } from '../support/fault-server.js';
import { cicadaCommand, tmuxServer } from '../support/tmux.js';

/** A private tmux server, so the test never touches the user's own sessions. */
const tmux = tmuxServer('status-e2e').run;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One cicada in its own 80×24 tmux window. */
class Pane {
  /** Every screen read, so a test can say something never appeared. */
  readonly seen: string[] = [];
  constructor(readonly name: string) {}
  screen(): string {
    const s = tmux('capture-pane', '-p', '-t', this.name);
    this.seen.push(s);
    return s;
  }
  press(...keys: string[]): void {
    tmux('send-keys', '-t', this.name, ...keys);
  }
  /** Polls until `test` accepts the screen; fails with the last screen after `timeoutMs`. */
  async waitFor(test: (s: string) => boolean, what: string, timeoutMs = 15_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let last = '';
    while (Date.now() < deadline) {
      last = this.screen();
      if (test(last)) return last;
      await sleep(150);
    }
    throw new Error(`${this.name}: timed out waiting for ${what}; the screen was:\n${last}`);
  }
}

const rowsOf = (s: string): string[] => s.split('\n');
const lastLine = (s: string): string => rowsOf(s).filter((l) => l.trim().length > 0).at(-1) ?? '';

describe('the status line in an 80×24 terminal (real CLI, tmux)', () => {
  let demo: DemoTarget;
  let slow: CountingServer;
  let deadPort: number;
  let dir: string;

  const start = (name: string, yaml: string, args: string): Pane => {
    writeFileSync(join(dir, `${name}.yaml`), yaml);
    // CI and CONTINUOUS_INTEGRATION make Ink draw only the last frame: the TUI must run without them.
    const command = cicadaCommand({
      home: dir,
      args: `run '${join(dir, `${name}.yaml`)}' ${args} --results-dir '${join(dir, name)}'`,
      exitFile: join(dir, `${name}.code`),
      holdSec: 60,
    });
    tmux('new-session', '-d', '-s', name, '-x', '80', '-y', '24', command);
    return new Pane(name);
  };

  const exitCode = async (name: string): Promise<string> => {
    const file = join(dir, `${name}.code`);
    const deadline = Date.now() + 15_000;
    while (!existsSync(file) && Date.now() < deadline) await sleep(150);
    return readFileSync(file, 'utf8').trim();
  };

  beforeAll(async () => {
    demo = await startDemoTarget({ quiet: true, seed: 11 });
    slow = await startCountingServer({ delayMs: 700 });
    deadPort = await closedPort();
    dir = mkdtempSync(join(tmpdir(), 'cicada-status-e2e-'));
  });

  afterAll(async () => {
    try {
      tmux('kill-server');
    } catch {
      // already gone
    }
    await demo?.close();
    await slow?.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('demo target, slow endpoint and dead target: keys, gauge, connections, warnings with age, natural order, ramping down, Logs, no stale stopping', async () => {
    const demoPane = start(
      'demo',
      [
        'name: hygiene',
        'host: http://127.0.0.1:1',
        'users: 6',
        'spawnRate: 6',
        'runTime: 2m',
        'userClasses:',
        '  - name: Browser',
        '    weight: 99',
        '    wait: { constant: 200ms }',
        '    tasks:',
        '      - get: /health',
        '      - { name: /api/items/10, get: /api/items/10 }',
        '      - { name: /api/items/2, get: /api/items/2 }',
        '  - name: Rare',
        '    weight: 1',
        '    tasks: [ { get: /health } ]',
        '',
      ].join('\n'),
      `--host ${demo.url}`,
    );
    const slowPane = start(
      'slow',
      ['name: slow', 'host: http://127.0.0.1:1', 'users: 8', 'spawnRate: 8', 'userClasses:', '  - name: U', '    tasks: [ { get: /slow } ]', ''].join('\n'),
      `--host ${slow.url}`,
    );
    const deadPane = start(
      'dead',
      ['name: dead', 'host: http://127.0.0.1:1', 'users: 3', 'spawnRate: 3', 'userClasses:', '  - name: U', '    wait: { constant: 50ms }', '    tasks: [ { get: /health } ]', ''].join('\n'),
      `--host http://127.0.0.1:${deadPort}`,
    );

    // --- the dead target: said in words, not only `fails 100%`.
    const dead = await deadPane.waitFor((s) => s.includes('nothing is listening'), 'the dead-target notice');
    expect(dead).toContain(`nothing is listening at 127.0.0.1:${deadPort} — is it running?`);
    expect(dead).toMatch(/fails 100%/);

    // --- the demo target.
    const first = await demoPane.waitFor((s) => /Aggregated\s+[1-9]/.test(s) && s.includes('/api/items/10') && /\/api\/items\/2\s/.test(s), 'the first rows');
    // q quit and ? help at the end of the footer at 80 columns.
    expect(lastLine(first)).toMatch(/q quit {2}\? help\s*$/);
    // A run time: the gauge, with what is left (while spawning, `@6/s` may take its room).
    const gauged = await demoPane.waitFor((s) => s.includes('▕'), 'the run-time gauge');
    expect(gauged).toMatch(/elapsed \d+s ▕[█░]{4,}▏( \d+%)? · 1m\d\ds left  http:\/\/127\.0\.0\.1:\d+/);
    // Open connections against this process's descriptor limit.
    const limit = Number(/^Max open files\s+(\d+)/m.exec(readFileSync('/proc/self/limits', 'utf8'))?.[1]);
    expect(first).toMatch(new RegExp(`conns \\d+/${limit}\\b`));
    // Natural order: /api/items/2 above /api/items/10.
    const names = rowsOf(first).map((l) => /^[› ] GET\s+\/api\/items\/(\d+)/.exec(l)?.[1]).filter((x) => x !== undefined);
    expect(names).toEqual(['2', '10']);
    // Every tab key visible, Logs last.
    expect(rowsOf(first).find((l) => l.includes('1 Stat'))?.trimEnd()).toMatch(/9 Logs?( \(\d+\))?$/);
    // The class that gets no user is a warning, with its age.
    const aged = await demoPane.waitFor((s) => /warning \d+s ago: user class Rare/.test(s), 'the warning with its age');
    expect(aged).toMatch(/warning \d+s ago: user class Rare/);

    // Ramping down reads as such: 6 → 1 at 1 user a second.
    demoPane.press('u');
    await demoPane.waitFor((s) => s.includes('Spawn rate') || s.includes('spawn rate'), 'the user editor');
    demoPane.press('1', 'Tab', '1', 'Enter');
    const ramp = await demoPane.waitFor((s) => s.includes('RAMPING DOWN'), 'RAMPING DOWN');
    expect(ramp).toMatch(/users [2-6] → 1/);
    expect(ramp).not.toContain('SPAWNING');

    // The Logs tab: notices and the warning, with their times.
    demoPane.press('9');
    const logs = await demoPane.waitFor((s) => s.includes('ramping down to 1 user'), 'the Logs tab');
    expect(logs).toMatch(/\d+s\s+\d\d:\d\d:\d\d\s+notice\s+test started: 6 users at 6\/s/);
    expect(logs).toMatch(/warning\s+user class Rare/);
    demoPane.press('1');

    // --- the slow endpoint: requests in flight, no saturation from start-up noise.
    const slowScreen = await slowPane.waitFor((s) => /Aggregated\s+[1-9]/.test(s) && /in flight [1-8]/.test(s), 'slow requests in flight');
    expect(slowScreen).toMatch(/users 8\/8/);
    expect(lastLine(slowScreen)).toMatch(/q quit {2}\? help\s*$/);

    // x stops: STOPPED, and nothing says "stopping" once it has.
    demoPane.press('x');
    const stopped = await demoPane.waitFor((s) => s.includes('STOPPED') && s.includes('Test stopped.'), 'STOPPED');
    await sleep(600);
    const after = demoPane.screen();
    expect(after).toContain('STOPPED');
    expect(after.toLowerCase()).not.toContain('stopping');
    expect(stopped).toContain('q to quit');

    for (const p of [demoPane, slowPane, deadPane]) p.press('q');
    expect(await exitCode('demo')).toMatch(/^[01]$/);
    expect(await exitCode('slow')).toBe('0');
    expect(await exitCode('dead')).toBe('1');
    // Never, on any screen read: SPAWNING n/m with n > m (ramping down says so), or a saturation
    // warning in the first seconds. Saturation needs 3 saturated samples in a row after a 2 s warm-up,
    // so none can show before 5 s; start-up (three cicadas loading at once here) is noise, not
    // saturation. Later, on a machine this busy, a lagging event loop is real and may be reported.
    const early = (s: string): boolean => /elapsed [0-3]s\b/.test(s);
    let earlyScreens = 0;
    for (const s of [...demoPane.seen, ...slowPane.seen, ...deadPane.seen]) {
      for (const m of s.matchAll(/SPAWNING\s+users (\d+)\/(\d+)/g)) expect(Number(m[1])).toBeLessThanOrEqual(Number(m[2]));
      if (!early(s)) continue;
      earlyScreens++;
      expect(s).not.toContain('saturated');
    }
    expect(earlyScreens).toBeGreaterThan(0);
  }, 90_000);
});
