/**
 * A person at the TUI in a real 120×40 terminal (tmux), against a slow endpoint (800 ms), with
 * `--metrics-port 0`: what they look for is on the screen — where Prometheus scrapes (status bar and
 * Logs tab, the URL live), and once they stop the test no run time is "left" and the last line names
 * the results directory, not the snapshot taken earlier. Each step waits for what it asserts.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoTarget, startDemoTarget } from '../../src/demo/server.js';
import { type CountingServer, startCountingServer } from '../support/counting-server.js';
import { cicadaCommand, tmuxServer } from '../support/tmux.js';

const tmux = tmuxServer('walkthrough');
const NAME = 'walk';
const waitFor = (test: (s: string) => boolean, what: string, timeoutMs?: number): Promise<string> => tmux.waitForScreen(NAME, test, what, timeoutMs);
const lineWith = (s: string, start: string): string => s.split('\n').find((l) => l.startsWith(start)) ?? '';

describe('sitting in front of the TUI at 120×40 (tmux, slow endpoint, --metrics-port 0)', () => {
  let slow: CountingServer;
  let dir: string;

  beforeAll(async () => {
    slow = await startCountingServer({ delayMs: 800, body: '{"ok":true}' });
    dir = mkdtempSync(join(tmpdir(), 'cicada-walk-e2e-'));
    writeFileSync(
      join(dir, 'slow.yaml'),
      ['name: slow', `host: ${slow.url}`, 'users: 3', 'spawnRate: 10', 'userClasses:', '  - name: Reader', '    wait: { constant: 100ms }', '    tasks:', '      - get: /slow', ''].join('\n'),
    );
    const command = cicadaCommand({ home: dir, args: `run '${join(dir, 'slow.yaml')}' -t 2m --metrics-port 0 --results-dir '${join(dir, 'results')}'`, exitFile: join(dir, 'exit-code'), holdSec: 60 });
    tmux.start(NAME, 120, 40, command);
  });

  afterAll(async () => {
    tmux.kill();
    await slow?.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  let metricsUrl = '';

  it('shows where the live metrics are served beside the results directory, and that URL answers', async () => {
    const s = await waitFor((x) => /metrics → http:\/\/127\.0\.0\.1:\d+\/metrics/.test(x) && /GET\s+\/slow\s+\d/.test(x), 'the metrics URL and a first /slow row');
    const last = lineWith(s, 'results → ');
    expect(last).toMatch(/^results → \S+\/results\/slow-\d{8}-\d{6}  metrics → http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    metricsUrl = /metrics → (\S+)/.exec(last)![1]!;
    const scraped = await (await fetch(metricsUrl)).text();
    expect(scraped).toMatch(/cicada_requests_total\{method="GET",name="\/slow"\} [1-9]/);
  });

  it('lists the URL in the Logs tab before the test started', async () => {
    tmux.press(NAME, '9');
    const s = await waitFor((x) => x.includes(`Prometheus metrics: ${metricsUrl}`), 'the metrics notice in the Logs tab');
    const rows = s.split('\n');
    const at = rows.findIndex((l) => l.includes('Prometheus metrics:'));
    expect(rows.findIndex((l) => l.includes('test started'))).toBeGreaterThan(at);
  });

  it('after x, says nothing is left of the run time and names the results directory, not the snapshot', async () => {
    tmux.press(NAME, '1');
    tmux.press(NAME, 'e');
    await waitFor((x) => lineWith(x, 'exported → ').includes('/snapshots/'), 'the snapshot on the last status line');
    tmux.press(NAME, 'x');
    const s = await waitFor((x) => x.includes('STOPPED') && x.includes('Test stopped.'), 'the stopped test');
    const first = s.split('\n')[0] ?? '';
    expect(first).toContain('stopped by user');
    expect(first).not.toContain('left');
    expect(first).toMatch(/▕[█░]+▏ \d+%/);
    expect(lineWith(s, 'results → ')).toMatch(/\/results\/slow-\d{8}-\d{6}  metrics → /);
    expect(s).not.toContain('exported →');
    tmux.press(NAME, 'q');
    const code = join(dir, 'exit-code');
    await waitFor(() => existsSync(code), 'cicada to exit');
    expect(readFileSync(code, 'utf8').trim()).toBe('0');
  });
});

/**
 * Every key the help lists, on every tab, at 80×24 and 200×50 side by side, against the demo target
 * with its monitors and threshold: after each tab's keys the screen is still whole — the state on
 * the first line, the tab bar in its place, the footer last — and at the end x, n, Esc and q leave
 * with the run's verdict.
 */
describe('every key on every tab (tmux, demo scenario, 80×24 and 200×50)', () => {
  const keys = tmuxServer('allkeys');
  let demo: DemoTarget;
  let dir: string;
  const sizes = [
    { name: 'small', columns: 80, rows: 24 },
    { name: 'large', columns: 200, rows: 50 },
  ] as const;
  const scenario = fileURLToPath(new URL('../../scenarios/demo.yaml', import.meta.url));

  beforeAll(async () => {
    demo = await startDemoTarget({ quiet: true, seed: 7 });
    dir = mkdtempSync(join(tmpdir(), 'cicada-allkeys-e2e-'));
    for (const { name, columns, rows } of sizes) {
      const command = cicadaCommand({ home: dir, args: `run '${scenario}' --host ${demo.url} -t 2m --results-dir '${join(dir, name)}'`, exitFile: `${join(dir, `${name}.code`)}`, holdSec: 60 });
      keys.start(name, columns, rows, command);
    }
  });

  afterAll(async () => {
    keys.kill();
    await demo?.close();
    // A cicada killed with its tmux session may still be writing for a moment.
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true, maxRetries: 30, retryDelay: 100 });
  });

  /** The screen is whole: state first, the tab bar where it was, the footer the last line written. */
  const whole = (s: string, tabBar: number): boolean => {
    const rows = s.split('\n');
    const written = rows.filter((l) => l.trim() !== '');
    return /^ (RUNNING|SPAWNING|PAUSED|RAMPING DOWN) /.test(rows[0] ?? '') && /^ 1 Stat/.test(rows[tabBar] ?? '') && /q quit|snapshot written: /.test(written.at(-1) ?? '');
  };

  it('keeps the screen whole through every listed key on tabs 1–9, then leaves with the verdict', async () => {
    const bars = new Map<string, number>();
    const lastSnapshot = new Map<string, string | null>();
    for (const { name } of sizes) {
      const s = await keys.waitForScreen(name, (x) => /^ RUNNING /.test(x) && /GET\s+\/api\/items\s+\d/.test(x), `${name}: the demo running`, 30_000);
      bars.set(name, s.split('\n').findIndex((l) => /^ 1 Stat/.test(l)));
      expect(bars.get(name), name).toBeGreaterThan(0);
    }
    // The help's keys, in an order that ends where it started (users, step, pause, sort direction).
    const perTab = ['w', 'W', 's', 'S', '+', '-', ']', '[', 'o', 'O', 'O', '>', '<', 'c', 'C', 'Down', 'j', 'PgDn', 'End', 'G', 'Up', 'k', 'PgUp', 'Home', 'g', '?', 'Escape', 'u', 'Escape', 'p', 'p', 'r', 'e'];
    for (let tab = 1; tab <= 9; tab++) {
      for (const { name } of sizes) {
        keys.press(name, String(tab));
        for (const k of perTab) keys.press(name, k);
        // Tab then Shift-Tab, → then ←: back on the same tab.
        for (const k of ['Tab', 'BTab', 'Right', 'Left']) keys.press(name, k);
      }
      for (const { name } of sizes) {
        const bar = bars.get(name)!;
        // Each tab's `e` writes a snapshot of its own: once it is on screen, the keys before it were handled.
        const snapshotOf = (x: string): string | null => /exported → .*snapshots\/(\S+)/.exec(x)?.[1] ?? null;
        const before = lastSnapshot.get(name) ?? null;
        // p twice: running again; the users back at 20 (the state line is polled 4 times a second, so waited for).
        const back = (x: string): boolean => !x.startsWith(' PAUSED') && /users (\d+\/20|\d+ → 20) /.test(x.split('\n')[0] ?? '');
        const s = await keys.waitForScreen(name, (x) => whole(x, bar) && snapshotOf(x) !== null && snapshotOf(x) !== before && back(x), `${name}: whole after tab ${tab}'s keys`, 15_000);
        lastSnapshot.set(name, snapshotOf(s));
        expect(s.split('\n')[bar], `${name} tab ${tab}`).toMatch(/^ 1 Stat/);
      }
    }
    for (const { name } of sizes) {
      keys.press(name, 'x');
      await keys.waitForScreen(name, (x) => x.includes('Test stopped.') && x.includes('n new test'), `${name}: stopped, offering n`);
      keys.press(name, 'n');
      await keys.waitForScreen(name, (x) => x.includes('New test') && x.includes('Esc cancels'), `${name}: the new-test form`);
      keys.press(name, 'Escape');
      await keys.waitForScreen(name, (x) => x.includes('Test stopped.') && !x.includes('New test'), `${name}: the form closed`);
      keys.press(name, 'q');
    }
    for (const { name } of sizes) {
      const code = join(dir, `${name}.code`);
      await keys.waitForScreen(name, () => existsSync(code) && readFileSync(code, 'utf8').trim() !== '', `${name}: cicada to exit`);
      // The demo's only threshold is on its pool (well under 80%): the run passes.
      expect(readFileSync(code, 'utf8').trim(), name).toBe('0');
    }
  });
});
