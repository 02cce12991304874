import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../src/tui/App.js';
import { type LiveState, readLive } from '../../src/tui/live.js';
import { createPollingStore, type PollingStore } from '../../src/tui/store.js';
import type { TuiSession } from '../../src/tui/types.js';
import type { StatsSnapshot } from '../../src/stats/types.js';
import type { Scenario } from '../../src/scenario/types.js';
import { scenarioFixture, snapshot } from './fixtures.js';
import { eventually, expectFits, lines, renderAt, tick, type Rendered } from './render.js';

// eslint-disable-next-line no-control-regex
const COLOR_CODE = /\x1b\[(?:[0-9]+;)*(?:3[0-7]|9[0-7]|4[0-7]|10[0-7]|38|48)(?:;[0-9]+)*m/;

/** A session over fixed snapshots whose runner only records the commands it gets. */
function fakeSession(first: StatsSnapshot, scenario: Scenario = scenarioFixture()) {
  const calls: string[] = [];
  let current = first;
  const warnings: string[] = [];
  const session: TuiSession = {
    snapshot: () => current,
    runner: {
      setUsers: (n: number, rate?: number) => void calls.push(rate === undefined ? `setUsers ${n}` : `setUsers ${n} ${rate}`),
      pause: () => void calls.push('pause'),
      resume: () => void calls.push('resume'),
      resetStats: () => void calls.push('resetStats'),
      stop: (reason?: string) => {
        calls.push(`stop ${reason}`);
        return Promise.resolve();
      },
      status: () => current.run,
      done: Promise.resolve(),
    },
    exportSnapshot: () => {
      calls.push('export');
      return '/home/dev/results/shop-20231114-221200/snapshots/185s';
    },
    results: { dir: '/home/dev/results/shop-20231114-221200' },
    warnings,
    scenario,
  };
  return { session, calls, warnings, set: (s: StatsSnapshot) => (current = s) };
}

let mounted: Rendered[] = [];
let stores: PollingStore<LiveState>[] = [];
afterEach(() => {
  for (const r of mounted) r.unmount();
  for (const s of stores) s.stop();
  mounted = [];
  stores = [];
});

function mount(session: TuiSession, columns: number, rows: number, color = true): { r: Rendered; store: PollingStore<LiveState> } {
  const store = createPollingStore(() => readLive(session), 50);
  const r = renderAt(<App session={session} store={store} />, columns, rows, color);
  mounted.push(r);
  stores.push(store);
  return { r, store };
}

const TAB_MARKERS: Record<string, string> = {
  '1': '# Reqs',
  '2': 'Number of users',
  '3': '99.9%',
  '4': 'HTTP 429',
  '5': 'TypeError',
  '6': 'Class / task',
  '?': 'halve / double the step',
};

describe('App', () => {
  for (const [columns, rows] of [
    [80, 24],
    [200, 50],
  ] as const) {
    it(`every tab fits ${columns}×${rows}: no line wider, no frame taller than the terminal`, async () => {
      const { session } = fakeSession(snapshot({ extraEndpoints: 30, saturated: true }), scenarioFixture({ thresholds: [] }));
      const { r } = mount(session, columns, rows);
      for (const [key, marker] of Object.entries(TAB_MARKERS)) {
        r.stdin.write(key);
        await eventually(() => expect(r.text()).toContain(columns === 80 && key === '1' ? marker : marker.replace('# Reqs', '# Requests')));
        expectFits(r.raw(), columns, rows - 1);
        if (key === '?') r.stdin.write('?');
      }
    });
  }

  it('still fits a tiny 40×12 terminal on every tab, and the help', async () => {
    const { session } = fakeSession(snapshot({ extraEndpoints: 30, saturated: true }));
    const { r } = mount(session, 40, 12);
    for (const key of ['1', '2', '3', '4', '5', '6', '?']) {
      r.stdin.write(key);
      await tick(30);
      expectFits(r.raw(), 40, 11);
    }
  });

  it('at 80×24 shows the status bar, tabs, the table with Aggregated and the key hints', async () => {
    const { session } = fakeSession(snapshot());
    const { r } = mount(session, 80, 24);
    const out = lines(r.raw());
    expect(out[0]).toContain('RUNNING');
    expect(out.join('\n')).toContain('1 Stats');
    expect(out.join('\n')).toMatch(/Aggregated\s+20180/);
    expect(out[out.length - 1]).toContain('w/W +1/+10');
    expect(out.length).toBe(23);
  });

  it('follows a resize', async () => {
    const { session } = fakeSession(snapshot());
    const { r } = mount(session, 200, 50);
    expect(r.text()).toContain('Average size (bytes)');
    r.resize(80, 24);
    await eventually(() => expect(r.text()).not.toContain('Average size (bytes)'));
    expectFits(r.raw(), 80, 23);
    r.resize(120, 40);
    await eventually(() => expect(lines(r.raw()).length).toBe(39));
  });

  it('sends user changes, pause, reset and stop to the runner', async () => {
    const { session, calls } = fakeSession(snapshot());
    const { r } = mount(session, 80, 24);
    for (const key of ['W', 'w', 's', 'S', '+', 'p', 'r', 'x']) {
      r.stdin.write(key);
      await tick(5);
    }
    expect(calls).toEqual(['setUsers 30', 'setUsers 21', 'setUsers 19', 'setUsers 10', 'setUsers 70', 'pause', 'resetStats', 'stop stopped by user']);
  });

  it('u edits the exact user count and spawn rate', async () => {
    const { session, calls } = fakeSession(snapshot());
    const { r } = mount(session, 80, 24);
    r.stdin.write('u');
    await eventually(() => expect(r.text()).toContain('Enter applies'));
    for (const key of ['4', '2', '\t', '8', '\r']) {
      r.stdin.write(key);
      await tick(5);
    }
    await eventually(() => expect(calls).toEqual(['setUsers 42 8']));
    await eventually(() => expect(r.text()).toContain('users → 42 at 8/s'));
  });

  it('e exports a snapshot and shows where', async () => {
    const { session, calls } = fakeSession(snapshot());
    const { r } = mount(session, 120, 30);
    r.stdin.write('e');
    await eventually(() => expect(r.text()).toContain('exported → /home/dev/results/shop-20231114-221200/snapshots/185s'));
    expect(calls).toEqual(['export']);
  });

  it('says when an export fails', async () => {
    const { session } = fakeSession(snapshot());
    session.exportSnapshot = () => {
      throw new Error('ENOSPC: no space left on device');
    };
    const { r } = mount(session, 120, 30);
    r.stdin.write('e');
    await eventually(() => expect(r.text()).toContain('export failed: ENOSPC'));
  });

  it('q asks the runner to stop and leaves at once', async () => {
    const { session, calls } = fakeSession(snapshot());
    const { r } = mount(session, 80, 24);
    r.stdin.write('q');
    await tick(20);
    expect(calls).toEqual(['stop quit']);
    // Unmounted: nothing more is drawn however the store ticks (its interval is 50 ms).
    const frames = r.frames.length;
    await tick(150);
    expect(r.frames.length).toBe(frames);
  });

  it('Ctrl-C quits as an interrupted run (SIGINT outside the TUI)', async () => {
    const { session, calls } = fakeSession(snapshot());
    const { r } = mount(session, 80, 24);
    r.stdin.write('\x03');
    await eventually(() => expect(calls).toEqual(['stop interrupted by SIGINT']));
    const interrupted: string[] = [];
    const { r: r2 } = mount({ ...session, interrupt: () => interrupted.push('interrupt') }, 80, 24);
    r2.stdin.write('\x03');
    await eventually(() => expect(interrupted).toEqual(['interrupt']));
  });

  it('keeps showing a stopped run with its reason and how to quit', async () => {
    const { session, set } = fakeSession(snapshot());
    const { r } = mount(session, 80, 24);
    set(snapshot({ run: { state: 'stopped', stopReason: 'run time reached', remainingMs: 0 } }));
    await eventually(() => expect(r.text()).toContain('STOPPED'));
    expect(r.text()).toContain('run time reached');
    expect(r.text()).toContain('q to quit');
  });

  it('shows the latest warning from the session and the thresholds as pending', async () => {
    const scenario = scenarioFixture({
      thresholds: [{ source: 'p95<500ms', metric: 'p95', endpoint: null, op: '<', value: 500, abortOnFail: false, abortGraceMs: 0, loc: null }],
    });
    const { session, warnings } = fakeSession(snapshot(), scenario);
    const { r } = mount(session, 120, 30);
    expect(r.text()).toContain('? p95<500ms (pending)');
    warnings.push('first', 'data "accounts" has 10 rows for 20 users');
    await eventually(() => expect(r.text()).toContain('warning: data "accounts" has 10 rows for 20 users'));
  });

  it('shows live threshold results when the session evaluates them', async () => {
    const { session } = fakeSession(snapshot());
    session.thresholdResults = () => [{ source: 'p95<500ms', status: 'fail', actual: '3436 ms' }];
    const { r } = mount(session, 120, 30);
    expect(r.text()).toContain('✗ p95<500ms (3436 ms)');
  });

  it('shows the open model target rate', () => {
    const { session } = fakeSession(snapshot({ run: { targetRate: 250 } }), scenarioFixture({ load: { kind: 'open', rate: 250, maxUsers: 100, stages: null } }));
    const { r } = mount(session, 120, 30);
    expect(r.text()).toContain('target 250/s');
  });

  it('selects rows with ↓ and sorts with o, keeping the frame height', async () => {
    const { session } = fakeSession(snapshot({ extraEndpoints: 40 }));
    const { r } = mount(session, 80, 24);
    r.stdin.write('\x1b[B');
    await eventually(() => expect(lines(r.raw()).find((l) => l.startsWith('›'))).toContain('POST /api/cart'));
    r.stdin.write('G'); // the last row: Aggregated, then ↑ to the last endpoint
    await eventually(() => expect(lines(r.raw()).find((l) => l.startsWith('›'))).toContain('Aggregated'));
    r.stdin.write('k');
    await eventually(() => expect(lines(r.raw()).find((l) => l.startsWith('›'))).toContain('/health'));
    expect(r.text()).toMatch(/rows \d+–50 of 50/);
    r.stdin.write('o');
    await eventually(() => expect(r.text()).toContain('sort requests ▼'));
    expect(lines(r.raw()).length).toBe(23);
  });

  it('with NO_COLOR writes no colour code at all (bold and inverse stay)', async () => {
    const { session } = fakeSession(snapshot({ saturated: true }));
    const { r } = mount(session, 120, 40, false);
    for (const key of ['1', '2', '3', '4', '5', '6']) {
      r.stdin.write(key);
      await tick(20);
      expect(r.raw()).not.toMatch(COLOR_CODE);
    }
    expect(r.raw()).toMatch(/\x1b\[7m/);
  });

  it('with colour uses only the 16 basic colours', async () => {
    const { session } = fakeSession(snapshot({ saturated: true }));
    const { r } = mount(session, 120, 40);
    for (const key of ['1', '2', '4']) {
      r.stdin.write(key);
      await tick(20);
      expect(r.raw()).toMatch(COLOR_CODE);
      expect(r.raw()).not.toMatch(/\x1b\[[0-9;]*(38|48);/);
    }
  });
});
