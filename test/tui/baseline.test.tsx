/**
 * A run against a baseline, live (issue 16 parts 1 and 5): two runs of a real Runner against a real
 * server whose latency the test changes between them; the second shows Δ columns and the verdict
 * so far against the first, marked with characters as well as colours (NO_COLOR), and nothing is
 * called worse until the requests are enough to tell.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Runner } from '../../src/engine/runner.js';
import { RunClock } from '../../src/run/clock.js';
import { StatsCollector } from '../../src/stats/collector.js';
import { IDLE_GENERATOR } from '../../src/stats/generator.js';
import type { StatsSnapshot } from '../../src/stats/types.js';
import { App } from '../../src/tui/App.js';
import { type LiveState, readLive } from '../../src/tui/live.js';
import { createPollingStore, type PollingStore } from '../../src/tui/store.js';
import type { TuiBaseline, TuiSession } from '../../src/tui/types.js';
import { request, scenario, task, userClass, wait } from '../engine/build.js';
import { type CountingServer, startCountingServer } from '../support/counting-server.js';
import { runStatus } from '../stats/helpers.js';
import { eventually, expectFits, lines, renderAt, type Rendered } from './render.js';

// eslint-disable-next-line no-control-regex
const COLOR_CODE = /\x1b\[(?:[0-9]+;)*(?:3[0-7]|9[0-7])(?:;[0-9]+)*m/;

let server: CountingServer | null = null;
const runners: Runner[] = [];
const views: Rendered[] = [];
const stores: PollingStore<LiveState>[] = [];

afterEach(async () => {
  for (const v of views.splice(0)) v.unmount();
  for (const s of stores.splice(0)) s.stop();
  for (const r of runners.splice(0)) await r.stop('test over');
  await server?.close();
  server = null;
});

/** A started run of 2 users on GET /a and GET /b (only `/a` when `onlyA`), and its session. */
function startRun(url: string, baseline: TuiBaseline | null, onlyA = false): { session: TuiSession; runner: Runner; snapshot: () => StatsSnapshot } {
  const tasks = onlyA ? [task(request('GET', '/a'))] : [task(request('GET', '/a')), task(request('GET', '/b'))];
  const s = scenario(url, [userClass('U', tasks, { wait: wait(5) })], { users: 2, spawnRate: 1000 });
  const collector = new StatsCollector();
  const runner = new Runner(s, { sink: collector, clock: new RunClock(), stopGraceMs: 500 });
  runners.push(runner);
  const snapshot = (): StatsSnapshot => collector.snapshot(runner.status(), IDLE_GENERATOR, Date.now());
  const session: TuiSession = {
    snapshot,
    runner,
    exportSnapshot: () => '/tmp/none',
    results: { dir: '/tmp/results/tune' },
    warnings: [],
    scenario: s,
    baseline,
  };
  runner.start();
  return { session, runner, snapshot };
}

function mount(session: TuiSession, columns: number, rows: number, color: boolean): Rendered {
  const store = createPollingStore(() => readLive(session), 50);
  stores.push(store);
  const view = renderAt(<App session={session} store={store} />, columns, rows, color);
  views.push(view);
  return view;
}

/** Runs the first test until both endpoints have `n` requests, stops it, and returns it as a baseline. */
async function firstRun(url: string, n: number, onlyA = false): Promise<TuiBaseline> {
  const run = startRun(url, null, onlyA);
  await eventually(() => {
    const endpoints = run.snapshot().endpoints;
    expect(endpoints.length).toBe(onlyA ? 1 : 2);
    expect(Math.min(...endpoints.map((e) => e.requests))).toBeGreaterThanOrEqual(n);
  }, 15_000);
  await run.runner.stop('first run over');
  return { label: 'latest = tune-1', stats: run.snapshot() };
}

describe('the Statistics tab against a baseline', () => {
  it('shows a slower server as worse p95 on every row and in the status bar, readable without colour', async () => {
    let delayMs = 1;
    server = await startCountingServer({ delayMs: () => delayMs });
    const baseline = await firstRun(server.url, 150);

    delayMs = 25; // the change being tuned: the service got slower
    const second = startRun(server.url, baseline);
    const view = mount(second.session, 120, 30, false);

    // The first frame, before any answer: nothing is called worse yet.
    expect(view.text()).toMatch(/vs baseline → too early to judge\s+latest = tune-1/);

    await eventually(() => {
      const text = view.text();
      const header = lines(text).find((l) => l.includes('Δp95'))!;
      expect(header).toMatch(/Δp50.*Δp95|Δp95.*Δp50/);
      const row = lines(text).find((l) => /^[›\s]+GET\s+\/a\b/.test(l))!;
      expect(row).toMatch(/\+[\d.]+%✗/);
      expect(lines(text).find((l) => /^[›\s]+Aggregated\b/.test(l))).toMatch(/\+[\d.]+%✗/);
      expect(text).toMatch(/p95 \+[\d.]+%✗ vs baseline → \d+ worse on \d rows .*latest = tune-1/);
    }, 15_000);
    const frame = view.raw();
    expect(frame).not.toMatch(COLOR_CODE);
    expect(view.text()).toContain('Δ vs latest = tune-1: ✗ worse ✓ better n/s not significant yet');
    expectFits(frame, 120, 30);
  }, 40_000);

  it('in colour, worse is red; endpoints on one side only are shown as such', async () => {
    let delayMs = 1;
    server = await startCountingServer({ delayMs: () => delayMs });
    const baseline = await firstRun(server.url, 60, true); // only GET /a

    delayMs = 20;
    // Hide /a from the baseline's point of view: rename it, so this run has /a and /b new and /gone missing.
    const renamed: TuiBaseline = {
      label: baseline.label,
      stats: { ...baseline.stats, endpoints: [...baseline.stats.endpoints, { ...baseline.stats.endpoints[0]!, name: '/gone' }] },
    };
    const second = startRun(server.url, renamed);
    const view = mount(second.session, 140, 30, true);
    await eventually(() => {
      const text = view.text();
      expect(lines(text).find((l) => /^[›\s]+GET\s+\/b\b/.test(l))).toMatch(/new\s+new/);
      expect(text).toContain('not in this run yet: GET /gone');
      expect(lines(text).find((l) => /^[›\s]+GET\s+\/a\b/.test(l))).toMatch(/✗/);
    }, 15_000);
    expect(view.raw()).toMatch(/\x1b\[31m[^\x1b]*\+[\d.]+%✗/);
  }, 40_000);
});

describe('gating: a short run does not flash red', () => {
  /** A stopped run of `n` requests on GET /a over `seconds`: the slowest `slow` of them at 100 ms, the rest 10–19 ms. */
  function fixedRun(n: number, slow: number, seconds: number): StatsSnapshot {
    const clock = { now: 1_700_000_000_000 };
    const c = new StatsCollector({ clock: () => clock.now });
    const id = c.endpoint('GET', '/a');
    for (let i = 0; i < n; i++) c.request(id, (i < n - slow ? 10 + (i % 10) : 100 + (i % 10)) * 1000, 0, 10, null);
    return c.snapshot(runStatus({ state: 'running' }), IDLE_GENERATOR, clock.now + seconds * 1000);
  }

  it('a p95 far above the baseline\'s in 40 requests is marked n/s, not worse; the same share over 4,000 is worse', () => {
    const baseline: TuiBaseline = { label: 'results/before', stats: fixedRun(2000, 80, 60) }; // 4% slow
    const view = (snap: StatsSnapshot): Rendered => {
      const session: TuiSession = {
        snapshot: () => snap,
        runner: { setUsers: () => undefined, pause: () => undefined, resume: () => undefined, resetStats: () => undefined, stop: async () => undefined, status: () => snap.run, done: Promise.resolve() },
        exportSnapshot: () => '/tmp/none',
        results: { dir: '/tmp/results/tune' },
        warnings: [],
        scenario: scenario('http://127.0.0.1:1', [userClass('U', [task(request('GET', '/a'))])]),
        baseline,
      };
      return mount(session, 120, 24, false);
    };
    const short = view(fixedRun(40, 3, 1.2)); // the baseline's rate; 7.5% slow: p95 jumps from the fast hump to the slow one
    const row = lines(short.text()).find((l) => /^[›\s]+GET\s+\/a\b/.test(l))!;
    expect(row).toMatch(/\+[\d.]+% n\/s/);
    expect(row).not.toContain('✗');
    expect(short.text()).toMatch(/p95 \+[\d.]+% n\/s vs baseline → \d+ changes? not significant yet/);

    const long = view(fixedRun(4000, 300, 120));
    expect(lines(long.text()).find((l) => /^[›\s]+GET\s+\/a\b/.test(l))).toMatch(/\+[\d.]+%✗/);
    expect(long.text()).toMatch(/p95 \+[\d.]+%✗ vs baseline → \d+ worse on 2 rows/);
  });
});
