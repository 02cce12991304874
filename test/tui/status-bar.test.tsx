import { describe, expect, it } from 'vitest';
import { StatusBar, statusLines } from '../../src/tui/StatusBar.js';
import type { StatusBarProps } from '../../src/tui/StatusBar.js';
import { snapshot } from './fixtures.js';
import { expectFits, lines, renderAt } from './render.js';

const base = (over: Partial<StatusBarProps> = {}, width = 80): StatusBarProps => ({
  snapshot: snapshot(),
  host: 'http://127.0.0.1:8089',
  width,
  resultsDir: '/home/dev/project/results/shop-20231114-221200',
  warning: null,
  lastExport: null,
  thresholds: [],
  ...over,
});

describe('StatusBar', () => {
  for (const [columns, rows] of [
    [80, 24],
    [200, 50],
  ] as const) {
    it(`shows state, users, time, RPS, failures and the results dir at ${columns}×${rows}`, () => {
      const r = renderAt(<StatusBar {...base({}, columns)} />, columns, rows);
      const text = r.text();
      expect(text).toContain('RUNNING');
      expect(text).toContain('users 20/20');
      expect(text).toContain('elapsed 3m05s');
      expect(text).toContain('1m55s left');
      expect(text).toMatch(/RPS 109 /);
      expect(text).toMatch(/fails 3\.\d+%/);
      expect(text).toContain('in flight 7');
      expect(text).toContain('results');
      expect(text).toContain('shop-20231114-221200');
      expectFits(r.raw(), columns, rows);
      r.unmount();
    });
  }

  it('draws a sparkline of the last minute', () => {
    const text = renderAt(<StatusBar {...base({}, 120)} />, 120, 24).text();
    expect(text).toMatch(/[▁▂▃▄▅▆▇█]{20,}/);
  });

  it('shows the host when there is room', () => {
    expect(renderAt(<StatusBar {...base({}, 120)} />, 120, 24).text()).toContain('http://127.0.0.1:8089');
  });

  it('says loudly when the generator is saturated, with lag and CPU', () => {
    const r = renderAt(<StatusBar {...base({ snapshot: snapshot({ saturated: true }) })} />, 80, 24);
    expect(r.text()).toContain('generator saturated: numbers unreliable');
    expect(r.text()).toMatch(/lag 142 ms, CPU 97%/);
    expectFits(r.raw(), 80, 24);
  });

  it('reports generator health quietly when all is well', () => {
    expect(renderAt(<StatusBar {...base({}, 120)} />, 120, 24).text()).toMatch(/generator ok: lag 3 ms, CPU 41%/);
  });

  it('writes lag and CPU in the shared voice: milliseconds as fmtMs, CPU in whole percent rounded', () => {
    const s = snapshot();
    const calm = { ...s, generator: { ...s.generator, eventLoopLagMs: 0.42, cpuPercent: 41.6 } };
    expect(renderAt(<StatusBar {...base({ snapshot: calm }, 120)} />, 120, 24).text()).toMatch(/generator ok: lag 0\.42 ms, CPU 42%/);
  });

  it('with --processes, shows each engine thread with its users and CPU', () => {
    const snap = snapshot();
    const processes = [
      { index: 0, users: 10, cpuPercent: 45.4, eventLoopLagMs: 2, state: 'running' },
      { index: 1, users: 10, cpuPercent: 96, eventLoopLagMs: 3, state: 'running' },
    ];
    const r = renderAt(<StatusBar {...base({ snapshot: { ...snap, generator: { ...snap.generator, processes } } }, 120)} />, 120, 24);
    expect(r.text()).toMatch(/2 engines: #0 10u 45% #1 10u 96%/);
    expectFits(r.raw(), 120, 24);
  });

  it('keeps the same number of lines whether or not there is a warning or saturation', () => {
    const plain = statusLines(base()).length;
    expect(statusLines(base({ warning: 'data "accounts" has 10 rows' })).length).toBe(plain);
    expect(statusLines(base({ snapshot: snapshot({ saturated: true }) })).length).toBe(plain);
  });

  it('shows the latest warning, on one line even when it has newlines', () => {
    const r = renderAt(<StatusBar {...base({ warning: 'first line\nsecond line' }, 120)} />, 120, 24);
    expect(r.text()).toContain('warning: first line second line');
  });

  it('shows the last export path instead of the results dir, keeping its end when cut', () => {
    const dir = '/home/dev/project/results/shop-20231114-221200/snapshots/185s';
    const r = renderAt(<StatusBar {...base({ lastExport: dir }, 50)} />, 50, 24);
    expect(r.text()).toContain('exported →');
    expect(r.text()).toContain('snapshots/185s');
    expectFits(r.raw(), 50, 24);
  });

  it('shows the results directory again once the test has stopped, not the last snapshot', () => {
    const dir = '/home/dev/project/results/shop-20231114-221200/snapshots/185s';
    const snap = snapshot({ run: { state: 'stopped', stopReason: 'stopped by user', remainingMs: 115_000 } });
    const text = renderAt(<StatusBar {...base({ lastExport: dir, snapshot: snap }, 120)} />, 120, 24).text();
    expect(text).toContain('results → /home/dev/project/results/shop-20231114-221200');
    expect(text).not.toContain('snapshots/185s');
  });

  it('says no time is left once the test is stopping or stopped, still showing how far it got', () => {
    expect(renderAt(<StatusBar {...base({}, 120)} />, 120, 24).text()).toContain('1m55s left');
    for (const state of ['stopping', 'stopped'] as const) {
      const snap = snapshot({ run: { state, stopReason: 'stopped by user', remainingMs: 115_000 } });
      const text = renderAt(<StatusBar {...base({ snapshot: snap }, 120)} />, 120, 24).text();
      expect(text, state).not.toContain('left');
      expect(text, state).toContain('elapsed 3m05s');
      expect(text, state).toMatch(/▕█+░+▏ 61%/);
    }
  });

  describe('--metrics-port: where Prometheus scrapes', () => {
    const url = 'http://127.0.0.1:9646/metrics';
    const resultLine = (text: string): string => lines(text).find((l) => l.startsWith('results →') || l.startsWith('exported →')) ?? '';

    it('is on the last line beside the results directory when both fit', () => {
      const r = renderAt(<StatusBar {...base({ metricsUrl: url }, 120)} />, 120, 24);
      expect(resultLine(r.text())).toBe(`results → /home/dev/project/results/shop-20231114-221200  metrics → ${url}`);
      expectFits(r.raw(), 120, 24);
    });

    it('beside the last snapshot too', () => {
      const r = renderAt(<StatusBar {...base({ metricsUrl: url, lastExport: '/r/shop/snapshots/185s' }, 120)} />, 120, 24);
      expect(resultLine(r.text())).toBe(`exported → /r/shop/snapshots/185s  metrics → ${url}`);
    });

    it('stays whole on a wide terminal when the path is long: the path is cut from its start', () => {
      const long = `/home/dev/${'deep/'.repeat(12)}results/shop-20231114-221200`;
      const r = renderAt(<StatusBar {...base({ metricsUrl: url, resultsDir: long }, 100)} />, 100, 24);
      const line = resultLine(r.text());
      expect(line).toMatch(/^results → …/);
      expect(line).toContain('shop-20231114-221200');
      expect(line.endsWith(`metrics → ${url}`)).toBe(true);
      expectFits(r.raw(), 100, 24);
    });

    it('gives way to the results path at 80 columns when both do not fit (the Logs tab has it)', () => {
      const r = renderAt(<StatusBar {...base({ metricsUrl: url }, 80)} />, 80, 24);
      expect(resultLine(r.text())).toBe('results → /home/dev/project/results/shop-20231114-221200');
      expectFits(r.raw(), 80, 24);
    });

    it('is not there without --metrics-port', () => {
      expect(renderAt(<StatusBar {...base({}, 200)} />, 200, 50).text()).not.toContain('metrics →');
    });
  });

  it('shows STOPPED with the stop reason', () => {
    const snap = snapshot({ run: { state: 'stopped', stopReason: 'run time reached', remainingMs: 0 } });
    const text = renderAt(<StatusBar {...base({ snapshot: snap })} />, 80, 24).text();
    expect(text).toContain('STOPPED');
    expect(text).toContain('run time reached');
  });

  it('shows PAUSED and SPAWNING with the spawn rate while ramping', () => {
    expect(renderAt(<StatusBar {...base({ snapshot: snapshot({ run: { state: 'paused' } }) })} />, 80, 24).text()).toContain('PAUSED');
    const ramp = renderAt(<StatusBar {...base({ snapshot: snapshot({ run: { state: 'spawning', users: 12, targetUsers: 30 } }) })} />, 80, 24).text();
    expect(ramp).toContain('SPAWNING');
    expect(ramp).toContain('users 12/30 @5/s');
  });

  it('shows the open model target rate and dropped iterations', () => {
    const snap = snapshot({ run: { targetRate: 200 }, droppedIterations: 37 });
    const text = renderAt(<StatusBar {...base({ snapshot: snap }, 120)} />, 120, 24).text();
    expect(text).toContain('target 200/s');
    expect(text).toContain('dropped 37');
  });

  it('shows thresholds as pending, passing or failing', () => {
    const r = renderAt(
      <StatusBar
        {...base(
          {
            thresholds: [
              { source: 'p95<500ms', status: 'pass', actual: '412 ms' },
              { source: 'error_rate<1%', status: 'fail', actual: '3.2%' },
              { source: 'rps>100', status: 'pending', actual: null },
            ],
          },
          120,
        )}
      />,
      120,
      24,
    );
    const text = r.text();
    expect(text).toContain('thresholds (run) 1 failing, 1 passing:');
    // Failing first, then pending, then passing.
    expect(text).toContain('✗ error_rate<1% (3.2%)  ? rps>100 (pending)  ✓ p95<500ms (412 ms)');
  });

  it('cuts every line to a very narrow terminal', () => {
    const r = renderAt(<StatusBar {...base({ warning: 'x'.repeat(200), snapshot: snapshot({ saturated: true }) }, 30)} />, 30, 24);
    expectFits(r.raw(), 30, 24);
    expect(lines(r.raw()).some((l) => l.endsWith('…'))).toBe(true);
  });
});
