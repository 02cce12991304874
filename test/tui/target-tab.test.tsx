/**
 * The Target tab and the status bar's pinned line, rendered with fixed series (recorded through
 * the real MonitorSeries): values in their units, thresholds ✓/✗ per series, gaps marked (never
 * drawn as 0), a chart per series as room allows, and every frame within the terminal.
 */
import { describe, expect, it } from 'vitest';
import { StatusBar, statusLines } from '../../src/tui/StatusBar.js';
import { TargetTab } from '../../src/tui/TargetTab.js';
import type { ThresholdView } from '../../src/tui/types.js';
import { demoMonitors, series, spec } from '../run/monitor-fixtures.js';
import { snapshot } from './fixtures.js';
import { expectFits, lines, renderAt } from './render.js';

const THRESHOLDS: ThresholdView[] = [
  { source: 'app_cpu.max < 25%', status: 'fail', actual: '30%', monitor: 'app_cpu' },
  { source: 'db_pool.avg < 80%', status: 'pass', actual: '34.5%', monitor: 'db_pool' },
  { source: 'p95 < 500ms', status: 'pass', actual: '120 ms' },
];

describe('Target tab', () => {
  it('lists each series: component, metric, now, min, max, avg, its thresholds ✓/✗', () => {
    const text = renderAt(<TargetTab monitors={demoMonitors(300)} thresholds={THRESHOLDS} width={120} height={36} />, 120, 40).text();
    const rows = lines(text);
    expect(rows[0]).toMatch(/^Component\s+Metric\s+Now\s+Min\s+Max\s+Avg\s+Thresholds$/);
    expect(rows[1]).toMatch(/^Application\s+CPU\s+\d+(\.\d+)?%\s+10(\.\d+)?%\s+30%\s+\d+(\.\d+)?%\s+✗ app_cpu\.max < 25%$/);
    expect(rows[2]).toMatch(/^Application\s+Memory \(RSS\)\s+199 MB\s+80 MB\s+199 MB\s+140 MB$/);
    expect(rows[3]).toMatch(/^Database\s+Connection pool\s+39%\s+30%\s+39%\s+34\.5%\s+✓ db_pool\.avg < 80%$/);
    // One chart per series, titled with its name and latest value.
    for (const title of [/^CPU \d/, /^Memory \(RSS\) 199 MB/, /^Connection pool 39%/, /^Heap 70 MB/]) expect(rows.some((l) => title.test(l))).toBe(true);
    // The CPU gap (four failed samples) is marked under its chart.
    expect(rows.find((l) => l.includes('✗✗✗✗'))).toBeDefined();
    expectFits(text, 120, 40);
  });

  it('a series whose latest sample failed shows "gap" and the reason, in red', () => {
    const [cpu] = demoMonitors(300);
    const failing = { ...cpu!, last: null, failing: 'connection refused' };
    const r = renderAt(<TargetTab monitors={[failing]} thresholds={[]} width={100} height={20} />, 100, 24);
    expect(lines(r.text())[1]).toMatch(/^Application\s+CPU\s+gap\s+.*connection refused$/);
    expect(r.raw()).toMatch(/\x1b\[31m[^\n]*connection refused/);
  });

  it('fits small terminals: fewer charts and a note saying so', () => {
    for (const [w, h] of [[80, 24], [60, 14], [40, 12]] as const) {
      const r = renderAt(<TargetTab monitors={demoMonitors(300)} thresholds={THRESHOLDS} width={w} height={h - 6} />, w, h);
      expectFits(r.text(), w, h);
    }
    const text = renderAt(<TargetTab monitors={demoMonitors(300)} thresholds={THRESHOLDS} width={80} height={14} />, 80, 24).text();
    expect(text).toMatch(/\d more charts?: enlarge the terminal/);
  });

  it('at 80 columns drops whole columns (Component, then Min) rather than cutting values, a unit word included', () => {
    const inFlight = series(spec({ id: 'in_flight', name: 'Requests in flight', unit: 'requests' }), Array.from({ length: 60 }, (_, i) => (i * 7) % 6));
    const monitors = [...demoMonitors(300), inFlight.summary(300)];
    const r = renderAt(<TargetTab monitors={monitors} thresholds={THRESHOLDS} width={80} height={40} />, 80, 44);
    const rows = lines(r.text());
    expect(rows[0]).toMatch(/^Metric\s+Now\s+Max\s+Avg\s+Thresholds$/);
    expect(rows[3]).toMatch(/^Connection pool\s+39%\s+39%\s+34\.5%\s+✓ db_pool\.avg < 80%$/);
    const flight = rows.find((l) => l.startsWith('Requests in flight')) ?? '';
    // Every cell whole: numbers with their unit word, nothing cut with …
    expect(flight).toMatch(/^Requests in flight\s+\d+ requests\s+5 requests\s+[\d.]+ requests$/);
    for (const row of rows.slice(0, monitors.length + 1)) expect(row).not.toContain('…');
    expectFits(r.text(), 80, 44);
    // Wide enough, every column is back.
    expect(lines(renderAt(<TargetTab monitors={monitors} thresholds={THRESHOLDS} width={200} height={40} />, 200, 44).text())[0]).toMatch(/^Component\s+Metric\s+Now\s+Min\s+Max\s+Avg\s+Thresholds$/);
  });

  it("sizes each chart's axis labels to their text: a unit word is never cut", () => {
    const inFlight = series(spec({ id: 'in_flight', name: 'Requests in flight', unit: 'requests' }), Array.from({ length: 60 }, (_, i) => (i * 7) % 6));
    const text = renderAt(<TargetTab monitors={[inFlight.summary(300)]} thresholds={[]} width={80} height={16} />, 80, 20).text();
    const axis = lines(text).filter((l) => /[┤┼]/.test(l));
    expect(axis.length).toBeGreaterThanOrEqual(3);
    for (const l of axis) expect(l).toMatch(/^\s*\d+ requests[┤┼]/);
    expectFits(text, 80, 20);
    // Several charts share one axis width, so their plots line up.
    const all = renderAt(<TargetTab monitors={[...demoMonitors(300), inFlight.summary(300)]} thresholds={[]} width={120} height={60} />, 120, 64).text();
    const columns = new Set(lines(all).filter((l) => /^\s*[\d.]+ ?\S*[┤┼]/.test(l)).map((l) => l.search(/[┤┼]/)));
    expect(columns.size).toBe(1);
    expect(lines(all).filter((l) => l.includes('requests┤') || l.includes('requests┼')).length).toBeGreaterThan(0);
  });

  it('says how to add monitors when the run has none', () => {
    expect(renderAt(<TargetTab monitors={[]} thresholds={[]} width={100} height={10} />, 100, 12).text()).toContain('No monitors of the target in this run.');
    // At 80 columns the hint wraps: the --monitor syntax and where to read more stay whole.
    const r = renderAt(<TargetTab monitors={[]} thresholds={[]} width={80} height={10} />, 80, 12);
    const text = r.text().split('\n').join(' ');
    expect(text).toContain('--monitor ID=http://host:9100/metrics#METRIC; see scenarios/README.md, "Monitors".');
    expect(text).not.toContain('…');
    expectFits(r.raw(), 80, 12);
  });
});

describe('status bar: the pinned series', () => {
  const base = { snapshot: snapshot(), host: 'http://127.0.0.1:8089', resultsDir: '/r', warning: null, lastExport: null, thresholds: THRESHOLDS };

  it('one line with each pinned series, its value and ✓/✗ from its thresholds; unpinned ones are left out', () => {
    const text = renderAt(<StatusBar {...base} width={120} monitors={demoMonitors(300)} />, 120, 24).text();
    const line = lines(text).find((l) => l.startsWith('target'));
    expect(line).toMatch(/^target  CPU \d+(\.\d+)?% ✗  Memory \(RSS\) 199 MB$/);
    expect(statusLines({ ...base, width: 120, monitors: demoMonitors(300) }).length).toBe(statusLines({ ...base, width: 120 }).length + 1);
  });

  it('no line without pinned series', () => {
    const unpinned = demoMonitors(300).map((m) => ({ ...m, pin: false }));
    expect(statusLines({ ...base, width: 120, monitors: unpinned }).length).toBe(statusLines({ ...base, width: 120 }).length);
  });
});
