import { describe, expect, it } from 'vitest';
import { scrollOffset } from '../../src/tui/columns.js';
import { sortEndpoints } from '../../src/tui/sorting.js';
import { StatsTable, statsVisibleRows } from '../../src/tui/StatsTable.js';
import type { StatsTableProps } from '../../src/tui/StatsTable.js';
import { snapshot } from './fixtures.js';
import { expectFits, lines, renderAt } from './render.js';

function props(over: Partial<StatsTableProps> = {}, snap = snapshot()): StatsTableProps {
  return {
    endpoints: snap.endpoints,
    total: snap.total,
    selected: 0,
    offset: 0,
    width: 80,
    height: 16,
    sortKey: 'name',
    sortReverse: false,
    ...over,
  };
}

describe('StatsTable', () => {
  it('at 80 columns keeps the important columns, drops the rest and cuts long names with …', () => {
    const r = renderAt(<StatsTable {...props()} />, 80, 24);
    const [header, ...rows] = lines(r.raw());
    expect(header).toMatch(/Type\s+Name▲\s+# Reqs\s+# Fails\s+Med\s+95%\s+99%/);
    expect(header).toContain('RPS');
    expect(header).not.toContain('Size');
    expect(header).not.toContain('Min');
    expect(rows.join('\n')).toContain('/api/search?q=a-long');
    expect(rows.join('\n')).toContain('…');
    expectFits(r.raw(), 80, 16);
  });

  it('at 200 columns shows every one of Locust\'s columns with full headers and whole names', () => {
    const r = renderAt(<StatsTable {...props({ width: 200, height: 40 })} />, 200, 50);
    const header = lines(r.raw())[0] as string;
    for (const h of ['Type', 'Name', '# Requests', '# Fails', 'Median (ms)', '95%ile (ms)', '99%ile (ms)', 'Average (ms)', 'Min (ms)', 'Max (ms)', 'Average size (bytes)', 'Current RPS', 'Current Failures/s']) {
      expect(header).toContain(h);
    }
    expect(r.text()).toContain('/api/search?q=a-long-query-string-that-gets-cut');
    expectFits(r.raw(), 200, 40);
  });

  it('lists endpoints by name with Aggregated pinned last, and the numbers in the right columns', () => {
    const out = lines(renderAt(<StatsTable {...props({ width: 200, height: 40 })} />, 200, 50).raw());
    const names = out.slice(1, 11).map((l) => l.slice(2).split(/\s+/)[1]);
    expect(names[0]).toBe('/api/cart');
    expect(names[9]).toBe('/health');
    const aggregated = out[11] as string;
    expect(aggregated).toMatch(/^\s+Aggregated\s+20180\s+692\s/);
    const slow = out.find((l) => l.includes('/api/slow')) as string;
    // Median, 95%, 99% of the fixture's /api/slow: 1136, 1136×(1+10×0.45²)=3436, 1136×(1+10×0.49²)=3864.
    expect(slow).toMatch(/1001\s+0\s+1136\s+3436\s+3864/);
  });

  it('marks the selected row', () => {
    const out = lines(renderAt(<StatsTable {...props({ selected: 3 })} />, 80, 24).raw());
    expect(out[4]).toMatch(/^› GET\s+\/api\/items\s/);
    expect(out.filter((l) => l.startsWith('›'))).toHaveLength(1);
  });

  it('shows the columns it had to drop for the selected row under the table', () => {
    const text = renderAt(<StatsTable {...props({ selected: 3 })} />, 80, 24).text();
    expect(text).toMatch(/GET \/api\/items\s+Min 9\s+Max 126\s+Size 980 B/);
  });

  it('sorts by p95, worst first, and says so', () => {
    const snap = snapshot();
    const sorted = sortEndpoints(snap.endpoints, 'p95', false);
    const out = lines(renderAt(<StatsTable {...props({ endpoints: sorted, sortKey: 'p95' }, snap)} />, 80, 24).raw());
    expect(out[1]).toContain('/api/slow');
    expect(out[2]).toContain('/api/search');
    expect(out[10]).toContain('/health');
    expect(out.join('\n')).toContain('sort p95 ▼');
  });

  it('scrolls when endpoints outnumber the lines, keeping the selection in view', () => {
    const snap = snapshot({ extraEndpoints: 40 });
    const visible = statsVisibleRows(16);
    const selected = 30;
    const offset = scrollOffset(0, selected, visible, snap.endpoints.length);
    const r = renderAt(<StatsTable {...props({ selected, offset }, snap)} />, 80, 24);
    const out = lines(r.raw());
    expect(out.length).toBe(16);
    expect(r.text()).toContain(`rows ${offset + 1}–${offset + visible} of 50`);
    const marked = out.find((l) => l.startsWith('›')) as string;
    expect(marked).toContain(snap.endpoints[selected]?.name);
    expect(out[out.length - 3]).toContain('Aggregated');
    expectFits(r.raw(), 80, 16);
  });

  it("lines the selected Aggregated row's hidden columns up with the left edge (it has no method)", () => {
    const snap = snapshot();
    const r = renderAt(<StatsTable {...props({ selected: snap.endpoints.length }, snap)} />, 80, 24);
    const info = lines(r.text()).find((l) => l.includes('Aggregated') && l.includes('Min '));
    expect(info).toMatch(/^Aggregated  Min /);
    const endpoint = lines(renderAt(<StatsTable {...props({ selected: 0 }, snap)} />, 80, 24).text()).find((l) => l.includes('  Min '));
    expect(endpoint).toMatch(/^GET \/\S+  Min /);
  });

  it('says it is waiting when there are no requests yet', () => {
    const snap = snapshot({ endpoints: [] });
    const text = renderAt(<StatsTable {...props({ selected: -1 }, snap)} />, 80, 24).text();
    expect(text).toContain('waiting for the first requests');
    expect(text).toContain('Aggregated');
  });
});
