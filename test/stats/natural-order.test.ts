import { describe, expect, it } from 'vitest';
import { StatsCollector } from '../../src/stats/collector.js';
import { naturalCompare } from '../../src/stats/natural-order.js';
import { sortEndpoints } from '../../src/tui/sorting.js';
import { IDLE_GENERATOR, manualClock, runStatus } from './helpers.js';

describe('natural order of names', () => {
  it('compares runs of digits as numbers: /ep/2 before /ep/10, user9 before user10', () => {
    const names = ['/ep/10', '/ep/2', '/ep/1', '/ep/100', '/ep/20', '/ep', '/ep/10/items', '/ep/10a', '/api/v2/x', '/api/v10/x', 'user10', 'user9'];
    expect([...names].sort(naturalCompare)).toEqual([
      '/api/v2/x',
      '/api/v10/x',
      '/ep',
      '/ep/1',
      '/ep/2',
      '/ep/10',
      '/ep/10/items',
      '/ep/10a',
      '/ep/20',
      '/ep/100',
      'user9',
      'user10',
    ]);
  });

  it('is a total, stable order: numbers longer than any integer, leading zeros, equal names', () => {
    expect(naturalCompare('/n/99999999999999999999999', '/n/100000000000000000000000')).toBe(-1);
    expect(naturalCompare('/ep/01', '/ep/1')).toBe(-1);
    expect(naturalCompare('/ep/1', '/ep/01')).toBe(1);
    expect(naturalCompare('/ep/007', '/ep/8')).toBe(-1);
    expect(naturalCompare('/same', '/same')).toBe(0);
    expect(naturalCompare('B', 'a')).toBe(-1); // code points, not the locale
  });

  it('orders the snapshot (every table, CSV and report) and the failures naturally', () => {
    const c = new StatsCollector({ clock: manualClock().read });
    for (const name of ['/ep/10', '/ep/2', '/ep/1']) {
      const id = c.endpoint('GET', name);
      c.request(id, 1_000, 1_000, 0, 'HTTP 500');
    }
    const s = c.snapshot(runStatus(), IDLE_GENERATOR);
    expect(s.endpoints.map((e) => e.name)).toEqual(['/ep/1', '/ep/2', '/ep/10']);
    expect(s.failures.map((f) => f.name)).toEqual(['/ep/1', '/ep/2', '/ep/10']);
    // The TUI's name sort, either way round.
    expect(sortEndpoints([...s.endpoints].reverse(), 'name', false).map((e) => e.name)).toEqual(['/ep/1', '/ep/2', '/ep/10']);
    expect(sortEndpoints(s.endpoints, 'name', true).map((e) => e.name)).toEqual(['/ep/10', '/ep/2', '/ep/1']);
  });
});
