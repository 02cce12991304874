/**
 * The Statistics tab's `codes` column set: responses by status class and code, per endpoint and
 * Aggregated, at 80 and 200 columns; sorting by a code; `C` reaching it from the app.
 */
import { describe, expect, it } from 'vitest';
import { sortEndpoints } from '../../src/tui/sorting.js';
import { StatsTable, type StatsTableProps } from '../../src/tui/StatsTable.js';
import type { EndpointStats, StatsSnapshot } from '../../src/stats/types.js';
import { fixedSession, mountApp } from './fixed-session.js';
import { snapshot } from './fixtures.js';
import { eventually, expectFits, lines, renderAt } from './render.js';
import { STATUS_HEADERS, cellsUnder } from '../support/table-cells.js';

/** The shop fixture with the status codes its failures imply (and 6 refused /api/slow requests). */
const CODES: Record<string, Record<string, number>> = {
  'GET /api/cart': { '200': 1204 },
  'POST /api/cart': { '201': 1190 },
  'GET /api/flaky': { '200': 890, '500': 90 },
  'GET /api/items': { '200': 4410 },
  'GET /api/items/[id]': { '200': 5937, '404': 183 },
  'GET /api/limited': { '200': 598, '429': 412 },
  'POST /api/login': { '200': 14, '302': 1 },
  'GET /api/search?q=a-long-query-string-that-gets-cut': { '200': 3300 },
  'GET /api/slow': { '200': 995 },
  'GET /health': { '200': 950 },
};

function withCodes(): StatsSnapshot {
  const base = snapshot();
  const endpoints = base.endpoints.map((e): EndpointStats => ({ ...e, statusCodes: CODES[`${e.method} ${e.name}`] ?? {} }));
  const total: Record<string, number> = {};
  for (const e of endpoints) for (const [c, n] of Object.entries(e.statusCodes ?? {})) total[c] = (total[c] ?? 0) + n;
  return { ...base, endpoints, total: { ...base.total, statusCodes: total } };
}

const snap = withCodes();

function props(over: Partial<StatsTableProps> = {}): StatsTableProps {
  const sortKey = over.sortKey ?? 'name';
  return {
    endpoints: sortEndpoints(snap.endpoints, sortKey, over.sortReverse ?? false),
    total: snap.total,
    selected: 0,
    offset: 0,
    width: 80,
    height: 16,
    sortKey,
    sortReverse: false,
    columnSet: 'codes',
    ...over,
  };
}

/** A row's status-code cells as `{ header: value }`, read back from the screen by column position. */
function cellsOf(out: string[], rowMatch: string): Record<string, string> {
  const row = out.find((l) => l.includes(rowMatch)) as string;
  expect(row, rowMatch).toBeDefined();
  return cellsUnder(out[0] as string, row, STATUS_HEADERS);
}

describe('status codes view', () => {
  it('at 200 columns: every class and code, per endpoint and Aggregated, grouped class then its codes', () => {
    const r = renderAt(<StatsTable {...props({ width: 200, height: 30 })} />, 200, 40);
    const out = lines(r.raw());
    expect(out[0]).toMatch(/Type\s+Name▲\s+# Requests\s+No resp\s+2xx\s+200\s+201\s+3xx\s+302\s+4xx\s+404\s+429\s+5xx\s+500\s*$/);
    expect(cellsOf(out, '/api/limited')).toMatchObject({ '2xx': '598', '200': '598', '4xx': '412', '404': '0', '429': '412', '5xx': '0' });
    expect(cellsOf(out, 'POST /api/cart')).toMatchObject({ '2xx': '1190', '200': '0', '201': '1190' });
    expect(cellsOf(out, 'Aggregated')).toMatchObject({ '2xx': '19488', '200': '18298', '201': '1190', '3xx': '1', '4xx': '595', '404': '183', '429': '412', '5xx': '90', '500': '90' });
    expect(r.text()).toContain('columns codes (c)');
    expectFits(r.raw(), 200, 30);
  });

  it('shows No resp — requests that got no response at all — when there are any', () => {
    // /api/slow: 1001 requests, 995 answered: 6 refused or timed out.
    const r = renderAt(<StatsTable {...props({ width: 120, height: 30 })} />, 120, 40);
    const out = lines(r.raw());
    expect(out[0]).toMatch(/# Requests\s+No resp\s+2xx/);
    expect(cellsOf(out, '/api/slow')['No resp']).toBe('6');
    expect(cellsOf(out, 'Aggregated')['No resp']).toBe('6');
    expect(cellsOf(out, '/health')['No resp']).toBe('0');
  });

  it('at 80 columns: the classes stay, the rarest codes go, and the line under the table lists them for the selected row', () => {
    const r = renderAt(<StatsTable {...props({ selected: 5 })} />, 80, 24);
    const out = lines(r.raw());
    expect(out[0]).toMatch(/No resp\s+2xx.*4xx.*5xx/);
    expect(out[0]).toContain('200'); // the most frequent code
    expect(out[0]).not.toContain('302'); // seen once
    // The selected row (/api/limited) with the codes that did not fit.
    expect(r.text()).toMatch(/GET \/api\/limited.*302 0/);
    expectFits(r.raw(), 80, 16);
  });

  it('sorts by any class or code: most 4xx first', () => {
    const out = lines(renderAt(<StatsTable {...props({ width: 200, height: 30, sortKey: 'code:4xx' })} />, 200, 40).raw());
    expect(out[0]).toContain('▼4xx');
    expect(out[1]).toContain('/api/limited');
    expect(out[2]).toContain('/api/items/[id]');
    expect(out.join('\n')).toContain('sort 4xx ▼');
  });
});

describe('status codes in the app', () => {
  it('C from the default columns opens the codes view at 80×24; > sorts along its columns', async () => {
    const r = mountApp(fixedSession(() => snap), 80, 24);
    r.stdin.write('C');
    await eventually(() => expect(r.text()).toContain('columns codes (c)'));
    const header = lines(r.raw()).find((l) => l.includes('Type')) as string;
    expect(header).toMatch(/2xx.*4xx.*5xx/);
    r.stdin.write('<');
    await eventually(() => expect(r.text()).toContain('sort: type ▲'));
    r.stdin.write('<');
    await eventually(() => expect(r.text()).toMatch(/sort: (500|5xx|4\d\d|4xx) ▼/));
    expectFits(r.raw(), 80, 24);
  });
});
