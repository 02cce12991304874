/** The Workers tab and the status bar's `workers 8/8`, drawn with fixed data. */
import { describe, expect, it } from 'vitest';
import { StatusBar } from '../../src/tui/StatusBar.js';
import type { WorkerView } from '../../src/tui/types.js';
import { WorkersTable, workersCount } from '../../src/tui/WorkersTable.js';
import { snapshot } from './fixtures.js';
import { expectFits, lines, renderAt } from './render.js';

const worker = (index: number, over: Partial<WorkerView> = {}): WorkerView => ({
  index,
  host: `load-${index}.example (pid ${1000 + index})`,
  state: 'running',
  users: 25,
  rps: 812.4,
  cpuPercent: 61,
  lastReportAgeMs: 420,
  skewMs: index === 1 ? -3 : 2,
  ...over,
});

describe('WorkersTable', () => {
  it('lists each worker: index, host, state, users, RPS, CPU, last report age and clock skew', () => {
    const rows = [worker(0), worker(1), worker(2, { state: 'gone', users: 0, rps: 0, lastReportAgeMs: 3400 })];
    const r = renderAt(<WorkersTable workers={rows} width={120} height={10} />, 120, 12);
    const out = lines(r.raw());
    expect(out[0]).toMatch(/#\s+Host\s+State\s+Users\s+RPS\s+CPU\s+Last report\s+Clock skew/);
    expect(out[1]).toMatch(/0\s+load-0\.example \(pid 1000\)\s+running\s+25\s+812\s+61%\s+420ms\s+\+2 ms/);
    expect(out[2]).toMatch(/1\s+load-1\.example .*\s+-3 ms/);
    expect(out[3]).toMatch(/2\s+load-2\.example .*gone\s+0\s+0(\.0)?\s+61%\s+3\.4s/);
    expect(r.text()).toContain('2 of 3 running');
    expectFits(r.raw(), 120, 10);
  });

  it('fits 80 columns, dropping the least useful columns first', () => {
    const r = renderAt(<WorkersTable workers={[worker(0), worker(1)]} width={60} height={6} />, 60, 8);
    const header = lines(r.raw())[0]!;
    for (const c of ['#', 'Host', 'State', 'Users', 'RPS']) expect(header).toContain(c);
    expectFits(r.raw(), 60, 6);
  });

  it('says how to distribute a run that has no workers', () => {
    const r = renderAt(<WorkersTable workers={null} width={140} height={5} />, 140, 6);
    expect(r.text()).toContain('This run has no workers');
    expect(r.text()).toContain('--workers N --bus nats://HOST:4222');
  });

  it('wraps that hint at 80 columns rather than cutting the command off', () => {
    const r = renderAt(<WorkersTable workers={null} width={80} height={5} />, 80, 6);
    const text = r.text().split('\n').join(' ');
    expect(text).toContain('--workers N --bus nats://HOST:4222 distributes it.');
    expect(text).not.toContain('…');
    expectFits(r.raw(), 80, 6);
  });
});

describe('status bar with workers', () => {
  const props = (workers: readonly WorkerView[] | null) => ({
    snapshot: snapshot(),
    host: 'http://127.0.0.1:8089',
    width: 100,
    resultsDir: '/tmp/r',
    warning: null,
    lastExport: null,
    thresholds: [],
    workers: workersCount(workers),
  });

  it('shows workers live/total next to the users', () => {
    const all = Array.from({ length: 8 }, (_, i) => worker(i));
    expect(renderAt(<StatusBar {...props(all)} />, 100, 10).text()).toContain('users 20/20  workers 8/8');
    const lost = all.map((w, i) => (i === 5 ? { ...w, state: 'gone' } : w));
    expect(renderAt(<StatusBar {...props(lost)} />, 100, 10).text()).toContain('workers 7/8');
  });

  it('says nothing about workers in a run on one machine', () => {
    expect(renderAt(<StatusBar {...props(null)} />, 100, 10).text()).not.toContain('workers');
  });
});
