import { describe, expect, it } from 'vitest';
import { axisMax, chartSeries, fitAxis, niceMax } from '../../src/tui/chart-data.js';
import { Charts, plotRows } from '../../src/tui/Charts.js';
import { history } from './fixtures.js';
import { expectFits, lines, renderAt } from './render.js';

// eslint-disable-next-line no-control-regex
const COLOR_CODE = /\x1b\[[0-9;]*(3[0-7]|9[0-7])m/;

describe('Charts', () => {
  for (const [columns, rows] of [
    [80, 16],
    [200, 42],
  ] as const) {
    it(`draws Locust's three charts sized to ${columns}×${rows}`, () => {
      const r = renderAt(<Charts history={history(185)} width={columns} height={rows} />, columns, rows + 8);
      const text = r.text();
      expect(text).toContain('Total requests per second');
      expect(text).toContain('RPS');
      expect(text).toContain('Failures/s');
      expect(text).toContain('Response times (ms)');
      expect(text).toContain('Median');
      expect(text).toContain('95th percentile');
      expect(text).toContain('Number of users');
      // asciichart's axis and line characters.
      expect(text).toMatch(/┤/);
      expect(text).toMatch(/[╭╮╰╯─]/);
      expect(lines(r.raw()).length).toBe(rows);
      expect(plotRows(rows).reduce((a, b) => a + b, 3)).toBe(rows);
      expectFits(r.raw(), columns, rows);
    });
  }

  it('uses the whole width: one point a second while it fits, longer spans averaged', () => {
    const wide = chartSeries(history(185), 191);
    expect(wide.rps).toHaveLength(185);
    expect(wide.bucketSeconds).toBe(1);
    const narrow = chartSeries(history(600), 71);
    expect(narrow.rps.length).toBeLessThanOrEqual(71);
    expect(narrow.bucketSeconds).toBe(9);
    expect(narrow.spanSeconds).toBeGreaterThan(590);
  });

  it('labels the span and shows the users ramp up to 20', () => {
    const text = renderAt(<Charts history={history(185)} width={200} height={42} />, 200, 50).text();
    expect(text).toContain('last 3m05s');
    expect(text).toContain('Users 20');
    const users = text.split('Number of users')[1]!.split('\n').slice(1).filter((l) => /[┼┤]/.test(l));
    const labels = users.map((l) => Number(l.trim().split(' ')[0]));
    // Whole, evenly spaced labels from the top down to 0.
    const step = labels[0]! - labels[1]!;
    expect(Number.isInteger(step)).toBe(true);
    labels.forEach((v, i) => expect(v).toBe(labels[0]! - i * step));
    expect(labels[labels.length - 1]).toBe(0);
    expect(labels[0]).toBeGreaterThanOrEqual(20);
  });

  it('colours each series with a basic colour, and none with colour off', () => {
    const colored = renderAt(<Charts history={history(60)} width={100} height={30} />, 100, 40).raw();
    expect(colored).toMatch(/\x1b\[32m/); // RPS green
    expect(colored).toMatch(/\x1b\[35m/); // p95 magenta
    const plain = renderAt(<Charts history={history(60)} width={100} height={30} />, 100, 40, false).raw();
    expect(plain).not.toMatch(COLOR_CODE);
    expect(plain).toContain('Number of users');
  });

  it('shows as many charts as fit a short terminal, and asks for room when none does', () => {
    expect(plotRows(8)).toEqual([3, 3]);
    expect(plotRows(16)).toEqual([5, 4, 4]);
    const two = renderAt(<Charts history={history(60)} width={80} height={8} />, 80, 24);
    expect(two.text()).toContain('Response times');
    expect(two.text()).not.toContain('Number of users');
    expectFits(two.raw(), 80, 8);
    expect(renderAt(<Charts history={history(60)} width={80} height={2} />, 80, 24).text()).toContain('Enlarge the terminal');
  });

  it('waits for two seconds of history before drawing', () => {
    expect(renderAt(<Charts history={history(1)} width={80} height={16} />, 80, 24).text()).toContain('Collecting history');
  });

  it('picks round axis maxima', () => {
    expect(niceMax(0)).toBe(1);
    expect(niceMax(7.2)).toBe(10);
    expect(niceMax(118)).toBe(200);
    expect(niceMax(2400)).toBe(2500);
    // Round steps per row: 131.5 RPS over 8 rows → 20 a row; 20 users over 8 rows → 3 a row.
    expect(axisMax(131.5, 8)).toBe(160);
    expect(axisMax(20, 8, 1, true)).toBe(24);
    expect(axisMax(0, 4)).toBe(1);
    // 16 RPS in up to 13 rows: 10 rows of 2 waste less than 13 rows of 2.
    expect(fitAxis(16, 13)).toEqual({ intervals: 10, max: 20 });
    expect(fitAxis(20, 13, 1, true)).toEqual({ intervals: 10, max: 20 });
    expect(fitAxis(131.5, 8)).toEqual({ intervals: 7, max: 140 });
  });
});
