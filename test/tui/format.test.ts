import { describe, expect, it } from 'vitest';
import { type Column, layoutTable, scrollOffset } from '../../src/tui/columns.js';
import {
  compactAnsi,
  fit,
  oneLine,
  resample,
  sparkline,
  stripSgr,
  textWidth,
  truncate,
  truncateStart,
} from '../../src/tui/format.js';
import { clipSegments, encodeSegments, lineWidth, seg } from '../../src/tui/Line.js';
import { sortEndpoints, sortLabel } from '../../src/tui/sorting.js';
import { snapshot } from './fixtures.js';

describe('formatting', () => {
  it('truncates with an ellipsis by display width, wide characters counting two', () => {
    expect(truncate('/api/items/with/a/long/path', 10)).toBe('/api/item…');
    expect(textWidth('日本語')).toBe(6);
    expect(truncate('日本語テキスト', 7)).toBe('日本語…');
    expect(truncateStart('/results/run/snapshots/62s', 15)).toBe('…/snapshots/62s');
    expect(fit('abc', 6, 'right')).toBe('   abc');
    expect(fit('abcdefgh', 6)).toBe('abcde…');
  });
  it('makes outside text safe for one line', () => {
    expect(oneLine('HTTP 500\n\tbody: \x1b[31mred\x1b[0m')).toBe('HTTP 500 body: [31mred [0m');
  });
  it('draws a sparkline of exactly the width asked, newest on the right', () => {
    expect(sparkline([0, 1, 2, 3, 4, 5, 6, 7], 8)).toBe('▁▂▃▄▅▆▇█');
    expect(sparkline([5, 5], 4)).toBe('  ██');
    expect(sparkline([10, 11, 9, 10], 4)).toBe('▇█▇▇');
    expect(sparkline([0, 0], 3)).toBe(' ▁▁');
    expect(sparkline(Array.from({ length: 60 }, (_, i) => i), 10)).toHaveLength(10);
    expect(resample([1, 2, 3, 4], 2)).toEqual([1.5, 3.5]);
  });
  it('writes each colour change once in a chart line', () => {
    const g = '\x1b[32m';
    const r = '\x1b[0m';
    const line = `  1 ┤${g}╭${r}${g}─${r}${g}╮${r} ${g}╰${r}`;
    expect(compactAnsi(line)).toBe(`  1 ┤${g}╭─╮ ╰${r}`);
    expect(stripSgr(compactAnsi(line))).toBe(stripSgr(line));
  });
});

describe('lines and segments', () => {
  it('clips a styled line to the width, ending with …', () => {
    const segments = [seg('RPS '), seg('123.4', { bold: true }), seg('  fails 2.3%', { color: 'red' })];
    expect(lineWidth(clipSegments(segments, 100))).toBe(21);
    const clipped = clipSegments(segments, 12);
    expect(clipped.map((s) => s.text).join('')).toBe('RPS 123.4  …');
    expect(lineWidth(clipped)).toBe(12);
    expect(clipSegments(segments, 9).map((s) => s.text).join('')).toBe('RPS 1234…'.replace('1234', '123.'));
  });
  it('encodes basic SGR codes, no colour codes when colour is off', () => {
    const segments = [seg('a', { color: 'green', bold: true }), seg('b', { color: 'green', bold: true }), seg('c')];
    expect(encodeSegments(segments, true)).toBe('\x1b[1;32mab\x1b[0mc');
    expect(encodeSegments(segments, false)).toBe('\x1b[1mab\x1b[0mc');
    expect(encodeSegments([seg('x', { color: 'gray', inverse: true })], true)).toBe('\x1b[7;90mx\x1b[0m');
  });
});

describe('column layout', () => {
  type Row = { name: string; a: number; b: number; c: number };
  const columns: Column<Row>[] = [
    { key: 'name', header: 'Name', width: 8, maxWidth: 30, flex: true, align: 'left', priority: 0, cell: (r) => r.name },
    { key: 'a', header: 'Alpha', width: 5, align: 'right', priority: 100, cell: (r) => String(r.a) },
    { key: 'b', header: 'Beta (wide header)', short: 'Beta', width: 5, align: 'right', priority: 50, cell: (r) => String(r.b) },
    { key: 'c', header: 'C', width: 3, align: 'right', priority: 10, cell: (r) => String(r.c) },
  ];
  const rows = [{ name: 'a fairly long endpoint name', a: 1, b: 2, c: 3 }];

  it('keeps every column with full headers when they fit, the name at its natural width', () => {
    const l = layoutTable(columns, rows, 100);
    expect(l.dropped).toEqual([]);
    expect(l.columns.map((c) => c.header)).toEqual(['Name', 'Alpha', 'Beta (wide header)', 'C']);
    expect(l.columns[0]?.width).toBe(27);
  });
  it('switches to short headers, then drops by priority, then shrinks the name', () => {
    expect(layoutTable(columns, rows, 35).columns.map((c) => c.header)).toEqual(['Name', 'Alpha', 'Beta', 'C']);
    const narrow = layoutTable(columns, rows, 24);
    expect(narrow.dropped).toEqual(['c']);
    expect(narrow.width).toBeLessThanOrEqual(24);
    const tiny = layoutTable(columns, rows, 16);
    expect(tiny.dropped).toEqual(['b', 'c']);
    expect(tiny.width).toBeLessThanOrEqual(16);
  });
  it('scrolls only as far as the selection needs', () => {
    expect(scrollOffset(0, 5, 10, 50)).toBe(0);
    expect(scrollOffset(0, 12, 10, 50)).toBe(3);
    expect(scrollOffset(3, 2, 10, 50)).toBe(2);
    expect(scrollOffset(40, 49, 10, 50)).toBe(40);
    expect(scrollOffset(45, 49, 10, 50)).toBe(40);
    expect(scrollOffset(7, 3, 10, 8)).toBe(0);
  });
});

describe('sorting', () => {
  const endpoints = snapshot().endpoints;
  it('sorts numbers largest first and names A→Z; reverse flips', () => {
    expect(sortEndpoints(endpoints, 'requests', false)[0]?.name).toBe('/api/items/[id]');
    expect(sortEndpoints(endpoints, 'requests', true)[0]?.name).toBe('/api/login');
    expect(sortEndpoints(endpoints, 'fails', false)[0]?.name).toBe('/api/limited');
    expect(sortEndpoints(endpoints, 'name', true)[0]?.name).toBe('/health');
    expect(sortLabel('name', false)).toBe('name ▲');
    expect(sortLabel('p95', false)).toBe('p95 ▼');
    // Keys that are not words read as the column's short header, never the internal name.
    expect(sortLabel('fps', false)).toBe('fail/s ▼');
    expect(sortLabel('failPct', true)).toBe('fail % ▲');
    expect(sortLabel('rps', false)).toBe('RPS ▼');
    expect(sortLabel('delta-rps', false)).toBe('ΔRPS ▼');
    expect(sortLabel('delta-errorRate', false)).toBe('ΔFail% ▼');
    expect(sortLabel('code:4xx', false)).toBe('4xx ▼');
  });
  it('breaks ties by name so rows do not jump', () => {
    const zero = sortEndpoints(endpoints, 'fails', false).filter((e) => e.failures === 0).map((e) => `${e.name} ${e.method}`);
    expect(zero).toEqual([...zero].sort());
  });
});
