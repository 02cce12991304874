/**
 * Sorting on every column of the Statistics and Percentiles tables (the arrow in the header, the
 * order of the rows) and the named column sets `c` cycles, rendered with fixed data.
 */
import { describe, expect, it } from 'vitest';
import { COLUMN_SETS, columnsOfSet } from '../../src/tui/column-sets.js';
import { PERCENTILE_COLUMNS, PercentilesTable } from '../../src/tui/PercentilesTable.js';
import { sortKeysOnScreen } from '../../src/tui/sort-columns.js';
import { sortEndpoints, sortLabel } from '../../src/tui/sorting.js';
import type { Column } from '../../src/tui/columns.js';
import { STATS_COLUMNS, StatsTable, type StatsTableProps } from '../../src/tui/StatsTable.js';
import type { EndpointStats } from '../../src/stats/types.js';
import { snapshot } from './fixtures.js';
import { expectFits, lines, renderAt } from './render.js';

const snap = snapshot();

function props(over: Partial<StatsTableProps> = {}): StatsTableProps {
  const sortKey = over.sortKey ?? 'name';
  const sortReverse = over.sortReverse ?? false;
  return {
    endpoints: sortEndpoints(snap.endpoints, sortKey, sortReverse),
    total: snap.total,
    selected: 0,
    offset: 0,
    width: 200,
    height: 30,
    sortKey,
    sortReverse,
    ...over,
  };
}

describe('sorting on every column', () => {
  it('every Statistics column sorts, with ▼/▲ beside its header and rows in that order on screen', () => {
    for (const c of STATS_COLUMNS) {
      const key = c.sortKey ?? c.key;
      const p = props({ sortKey: key });
      const out = lines(renderAt(<StatsTable {...p} />, 200, 40).raw());
      const descending = key !== 'name' && key !== 'type';
      const arrow = descending ? '▼' : '▲';
      // The arrow sits right beside the header text (inside the cell, or in the gap next to it).
      expect(out[0], key).toMatch(new RegExp(`${escape(arrow)}${escape(c.header)}|${escape(c.header)}${escape(arrow)}`));
      expect(out[0]?.split(/[▼▲]/).length, `one arrow for ${key}`).toBe(2);
      expect(out.join('\n')).toContain(`sort ${sortLabel(key, false)}`);
      expect(sortLabel(key, false).endsWith(` ${arrow}`)).toBe(true);
      const values = p.endpoints.map((e) => c.cell(e));
      // The rows on screen are the sorted rows, in that order.
      p.endpoints.forEach((e, i) => expect(out[1 + i], `${key} row ${i}`).toContain(e.method));
      if (descending) {
        const nums = p.endpoints.map((e) => rawValue(key, e));
        for (let i = 1; i < nums.length; i++) expect(nums[i - 1]! >= nums[i]!, `${key}: ${values.join(' ')}`).toBe(true);
      }
    }
  });

  it('O reverses any column: smallest first, ▲', () => {
    const p = props({ sortKey: 'max', sortReverse: true });
    const out = lines(renderAt(<StatsTable {...p} />, 200, 40).raw());
    expect(out[0]).toContain('▲Max (ms)');
    expect(out[1]).toContain('/health');
    expect(out[10]).toContain('/api/slow');
    expect(out.join('\n')).toContain('sort max ▲');
  });

  it('never widens a column for the arrow, at 80 columns either', () => {
    for (const key of ['type', 'name', 'requests', 'fails', 'median', 'p95', 'rps', 'fps']) {
      for (const width of [80, 200]) {
        const plain = lines(renderAt(<StatsTable {...props({ width, sortKey: 'nothing-on-screen' })} />, width, 40).raw());
        const sorted = lines(renderAt(<StatsTable {...props({ width, sortKey: key })} />, width, 40).raw());
        // Same column positions: the header differs only where the arrow replaced a space.
        expect(sorted[0]?.length, key).toBe(plain[0]?.length);
        const diff = [...(sorted[0] as string)].filter((ch, i) => ch !== plain[0]?.[i] && plain[0]?.[i] !== ' ');
        expect(diff.filter((ch) => ch !== '▼' && ch !== '▲'), `${key} at ${width}`).toEqual([]);
        expectFits(renderAt(<StatsTable {...props({ width, sortKey: key })} />, width, 40).raw(), width, 40);
      }
    }
  });

  it("an arrow in the gap before a header is drawn in the sorted column's colour, not the neighbour's", () => {
    const raw = renderAt(<StatsTable {...props({ width: 200, sortKey: 'median' })} />, 200, 40).raw().split('\n')[0] ?? '';
    // `# Fails▼Median (ms)`: the arrow cyan and bold like the underlined cyan header it belongs to.
    const between = /# Fails((?:\x1b\[[\d;]*m)*)▼/.exec(raw)?.[1] ?? '';
    expect(between).toMatch(/\x1b\[(?:[\d;]*;)?36m/);
    // `# Fails` itself is not cyan: the colour starts at the arrow.
    expect(/\x1b\[(?:[\d;]*;)?36m[^\x1b]*# Fails/.test(raw)).toBe(false);
  });

  it('every Percentiles column sorts too; 50% and 100% are the Median and Max of the Statistics tab', () => {
    const keys = PERCENTILE_COLUMNS.map((c) => c.sortKey ?? c.key);
    expect(keys).toEqual(['type', 'name', 'median', 'p66', 'p75', 'p80', 'p90', 'p95', 'p98', 'p99', 'p99.9', 'p99.99', 'max', 'requests']);
    for (const key of keys.filter((k) => k.startsWith('p'))) {
      const sorted = sortEndpoints(snap.endpoints, key, false);
      expect(sorted[0]?.name, key).toBe('/api/slow');
      const out = lines(renderAt(<PercentilesTable endpoints={sorted} total={snap.total} selected={0} offset={0} width={200} height={20} sortKey={key} sortReverse={false} />, 200, 30).raw());
      const label = `${key.slice(1)}%`;
      expect(out[0], key).toContain(`▼${label}`);
      expect(out[1]).toContain('/api/slow');
    }
  });

  it('columns a feature adds (the Δ columns) sort by their own value, largest first', () => {
    const delta: Column<EndpointStats> = { key: 'delta-p95', header: 'Δp95', width: 4, align: 'right', priority: 84, cell: () => '', sortValue: (e) => (e.name === '/health' ? 0.5 : e.name === '/api/cart' ? -0.2 : 0) };
    const down = sortEndpoints(snap.endpoints, 'delta-p95', false, [delta]);
    expect(down[0]?.name).toBe('/health');
    expect(down.at(-1)?.name).toBe('/api/cart');
    expect(sortEndpoints(snap.endpoints, 'delta-p95', true, [delta])[0]?.name).toBe('/api/cart');
    expect(sortLabel('delta-p95', false)).toBe('Δp95 ▼');
    const rows = [...snap.endpoints, snap.total];
    expect(sortKeysOnScreen('stats', 'all', rows, 220, [delta])).toContain('delta-p95');
  });

  it('steps only through the columns on screen', () => {
    const rows = [...snap.endpoints, snap.total];
    expect(sortKeysOnScreen('stats', 'all', rows, 200)).toEqual(STATS_COLUMNS.map((c) => c.key));
    const narrow = sortKeysOnScreen('stats', 'all', rows, 80);
    expect(narrow).not.toContain('min');
    expect(narrow).toContain('p95');
    expect(sortKeysOnScreen('stats', 'latency', rows, 80)).toEqual(['type', 'name', 'requests', 'median', 'p95', 'p99', 'avg', 'min', 'max']);
    expect(sortKeysOnScreen('percentiles', 'all', rows, 200)).toContain('p99.99');
  });
});

describe('column sets', () => {
  it('each named set fits 80 columns whole: nothing of it is dropped for width', () => {
    for (const set of COLUMN_SETS.filter((s) => s !== 'all')) {
      const r = renderAt(<StatsTable {...props({ width: 80, height: 16, columnSet: set })} />, 80, 24);
      const out = lines(r.raw());
      const shown = columnsOfSet(set, STATS_COLUMNS);
      for (const c of shown) expect([c.header, c.short].some((h) => h !== undefined && out[0]?.includes(h)), `${set}: ${c.key}`).toBe(true);
      expect(r.text()).toContain(`columns ${set} (c)`);
      expectFits(r.raw(), 80, 16);
    }
  });

  it('latency shows Min and Max at 80 columns, which all drops there', () => {
    const all = lines(renderAt(<StatsTable {...props({ width: 80, height: 16 })} />, 80, 24).raw())[0];
    const latency = lines(renderAt(<StatsTable {...props({ width: 80, height: 16, columnSet: 'latency' })} />, 80, 24).raw())[0];
    expect(all).not.toContain('Min');
    expect(latency).toMatch(/Med.*95%.*99%.*Avg.*Min.*Max/);
    expect(latency).not.toContain('RPS');
  });

  it('failures adds Fail % (the share of requests that failed)', () => {
    const out = lines(renderAt(<StatsTable {...props({ width: 80, height: 16, columnSet: 'failures', sortKey: 'failPct' })} />, 80, 24).raw());
    expect(out[0]).toMatch(/# Fails\s*▼Fail %/);
    // /api/limited: 412 of 1010 failed.
    expect(out[1]).toMatch(/\/api\/limited\s+1010\s+412\s+40\.8%/);
  });

  it('throughput shows size, RPS and failures/s', () => {
    const out = lines(renderAt(<StatsTable {...props({ width: 80, height: 16, columnSet: 'throughput' })} />, 80, 24).raw());
    expect(out[0]).toMatch(/# Reqs\s+Size\s+RPS\s+Fail\/s/);
    expect(out[0]).not.toContain('Med');
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\%/]/g, '\\$&');
}

function rawValue(key: string, e: EndpointStats): number {
  const i = ['median', 'p95', 'p99'].indexOf(key);
  if (i >= 0) return [e.medianMs, e.percentilesMs[5] ?? 0, e.percentilesMs[7] ?? 0][i] as number;
  const f: Record<string, number> = {
    requests: e.requests,
    fails: e.failures,
    avg: e.avgMs,
    min: e.minMs,
    max: e.maxMs,
    size: e.avgBytes,
    rps: e.currentRps,
    fps: e.currentFailuresPerSec,
  };
  return f[key] as number;
}
