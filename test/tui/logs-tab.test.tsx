/**
 * The Logs tab (9): every warning and notice with its time on the run clock and the wall clock,
 * newest last, scrollable, the selected entry's whole text below — as a real session's log fills.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { RunLog } from '../../src/run/run-log.js';
import { App } from '../../src/tui/App.js';
import { type LiveState, readLive } from '../../src/tui/live.js';
import { LogsTab, clockTime } from '../../src/tui/LogsTab.js';
import { wrap } from '../../src/tui/format.js';
import { createPollingStore, type PollingStore } from '../../src/tui/store.js';
import type { TuiSession } from '../../src/tui/types.js';
import { NOW, scenarioFixture, snapshot } from './fixtures.js';
import { eventually, expectFits, lines, renderAt, type Rendered } from './render.js';

/** A log whose clocks the test sets: entry i at NOW + i s on the wall, i s on the run clock. */
function filledLog(n: number): RunLog {
  let i = 0;
  const log = new RunLog({ now: () => NOW + i * 1000, elapsedMs: () => i * 1000 });
  for (; i < n; i++) log.add(i % 5 === 4 ? 'warning' : 'notice', i % 5 === 4 ? `warning number ${i}` : `notice number ${i}`);
  return log;
}

let mounted: Rendered[] = [];
let stores: PollingStore<LiveState>[] = [];
afterEach(() => {
  for (const r of mounted) r.unmount();
  for (const s of stores) s.stop();
  mounted = [];
  stores = [];
});

function session(log: RunLog): TuiSession {
  const snap = snapshot();
  return {
    snapshot: () => snap,
    runner: {
      setUsers: () => undefined,
      pause: () => undefined,
      resume: () => undefined,
      resetStats: () => undefined,
      stop: () => Promise.resolve(),
      status: () => snap.run,
      done: Promise.resolve(),
    },
    exportSnapshot: () => '/tmp/x',
    results: { dir: '/tmp/results/shop' },
    warnings: [],
    log: () => log.entries(),
    scenario: scenarioFixture(),
  };
}

describe('RunLog', () => {
  it('keeps every entry with both clocks, newest last, and the same array until the next entry', () => {
    const log = filledLog(3);
    const entries = log.entries();
    expect(entries.map((e) => [e.at - NOW, e.elapsedMs, e.level, e.text])).toEqual([
      [0, 0, 'notice', 'notice number 0'],
      [1000, 1000, 'notice', 'notice number 1'],
      [2000, 2000, 'notice', 'notice number 2'],
    ]);
    expect(log.entries()).toBe(entries);
    log.add('warning', 'w');
    expect(log.entries()).not.toBe(entries);
  });

  it('is bounded: the first entries and the most recent ones, with the count left out between', () => {
    const log = new RunLog({ elapsedMs: () => 0, keep: 3 });
    for (let i = 0; i < 20; i++) log.add('notice', `n${i}`);
    expect(log.entries().map((e) => e.text)).toEqual(['n0', 'n1', 'n2', 'n17', 'n18', 'n19']);
    expect(log.omitted).toBe(14);
  });
});

describe('LogsTab', () => {
  it('lists entries with run time, wall time, level and message; follows the newest', () => {
    const entries = filledLog(40).entries();
    const r = renderAt(<LogsTab entries={entries} selected={null} offset={40 - 11} width={80} height={16} />, 80, 24);
    const out = lines(r.raw());
    expect(out[0]).toMatch(/Run time\s+Time\s+Level\s+Message/);
    // The newest entry is on screen, selected, with both clocks.
    const last = out.find((l) => l.includes('warning number 39')) as string;
    expect(last.startsWith('› ')).toBe(true);
    expect(last).toContain('39s');
    expect(last).toContain(clockTime(NOW + 39_000));
    expect(r.text()).toContain('warning number 34');
    expect(r.text()).toContain('notice number 30');
    expect(r.text()).not.toContain('notice number 28');
    expect(r.text()).toContain('40 entries, 8 warnings · rows 30–40 of 40 · following the newest');
    expectFits(r.raw(), 80, 16);
  });

  it('shows the selected entry whole, wrapped under the list', () => {
    const log = new RunLog({ now: () => NOW, elapsedMs: () => 62_000 });
    const long = 'the load generator is saturated (CPU 99% of a core): latencies now include time queued inside cicada and the request rate is capped by it — use fewer users, or --processes';
    log.add('warning', long);
    const r = renderAt(<LogsTab entries={log.entries()} selected={0} offset={0} width={80} height={16} />, 80, 24);
    const text = r.text();
    expect(text).toContain('1m02s');
    expect(text).toContain('use fewer users, or --processes');
    expectFits(r.raw(), 80, 16);
    expect(wrap('aaa bbb ccc ddd', 8, 3)).toEqual(['aaa bbb', 'ccc ddd']);
    expect(wrap('x'.repeat(30), 8, 2)).toEqual(['x'.repeat(8), `${'x'.repeat(7)}…`]);
  });

  it('says so when nothing is logged yet', () => {
    expect(renderAt(<LogsTab entries={[]} selected={null} offset={0} width={80} height={10} />, 80, 24).text()).toContain('Nothing logged yet');
  });
});

describe('the Logs tab in the app', () => {
  it('is tab 9, last in the bar; ↑/k scroll back, End follows the newest again; new entries appear as they come', async () => {
    const log = filledLog(30);
    // The app's clock: long after the old warnings (they have left the status bar).
    let appNow = NOW + 100_000;
    const store = createPollingStore(() => readLive(session(log)), 40);
    const r = renderAt(<App session={session(log)} store={store} now={() => appNow} />, 80, 24);
    mounted.push(r);
    stores.push(store);
    const tabs = lines(r.raw()).find((l) => l.includes('1 St')) as string;
    expect(tabs.trimEnd()).toMatch(/9 Logs \(6\)$/);
    r.stdin.write('9');
    await eventually(() => expect(r.text()).toContain('following the newest'));
    expect(r.text()).toContain('warning number 29');
    expectFits(r.raw(), 80, 23);
    for (let i = 0; i < 25; i++) r.stdin.write('k');
    // 25 up from the newest (29): entry 4 selected, in view.
    await eventually(() => expect(lines(r.raw()).find((l) => l.startsWith('› '))).toContain('warning number 4'));
    expect(r.text()).not.toContain('warning number 29');
    expect(r.text()).toContain('G follows the newest');
    r.stdin.write('G');
    await eventually(() => expect(r.text()).toContain('warning number 29'));
    appNow = NOW + 32_000; // the new warning is logged at NOW + 30 s
    log.add('warning', 'a brand new warning');
    await eventually(() => expect(r.text()).toContain('a brand new warning'));
    // And the status bar shows it, with its age.
    await eventually(() => expect(r.text()).toContain('warning 2s ago: a brand new warning'));
  });
});
