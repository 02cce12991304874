/**
 * The sort and column-set keys through the whole app (keys → state → what the tables draw), and the
 * help overlay listing every key at 80×24.
 */
import { describe, expect, it } from 'vitest';
import { KEYMAP } from '../../src/tui/keymap.js';
import type { StatsSnapshot } from '../../src/stats/types.js';
import { fixedSession, mountApp } from './fixed-session.js';
import { snapshot } from './fixtures.js';
import { eventually, expectFits, lines, type Rendered } from './render.js';

const mount = (snap: StatsSnapshot, columns: number, rows: number): Rendered => mountApp(fixedSession(() => snap), columns, rows);

const header = (r: Rendered): string => lines(r.raw()).find((l) => l.includes('Type')) ?? '';

describe('sorting and column sets in the app', () => {
  it('c cycles the column sets at 80×24: latency shows Min and Max, C goes back', async () => {
    const r = mount(snapshot(), 80, 24);
    await eventually(() => expect(r.text()).toContain('columns all (c)'));
    expect(header(r)).not.toContain('Min');
    r.stdin.write('c');
    await eventually(() => expect(r.text()).toContain('columns latency (c)'));
    expect(header(r)).toMatch(/Med\s+95%\s+99%\s+Avg\s+Min\s+Max/);
    r.stdin.write('c');
    await eventually(() => expect(r.text()).toContain('columns throughput (c)'));
    r.stdin.write('C');
    await eventually(() => expect(r.text()).toContain('columns latency (c)'));
    expectFits(r.raw(), 80, 24);
  });

  it('> and < move the sort along the columns on screen; the arrow follows; rows reorder', async () => {
    const r = mount(snapshot(), 80, 24);
    r.stdin.write('c'); // latency: Type Name # Reqs Med 95% 99% Avg Min Max
    await eventually(() => expect(r.text()).toContain('columns latency (c)'));
    r.stdin.write('<');
    await eventually(() => expect(r.text()).toContain('sort type ▲'));
    expect(header(r)).toContain('Type▲Name');
    r.stdin.write('<'); // from the first column round to the last
    await eventually(() => expect(r.text()).toContain('sort max ▼'));
    expect(header(r)).toContain('▼Max');
    // The slowest endpoint is on top.
    expect(lines(r.raw()).find((l) => l.includes('/api/')) ?? '').toContain('/api/slow');
    r.stdin.write('<');
    await eventually(() => expect(r.text()).toContain('sort min ▼'));
    r.stdin.write('O');
    await eventually(() => expect(r.text()).toContain('sort min ▲'));
    expect(header(r)).toContain('▲Min');
    r.stdin.write('>>');
    await eventually(() => expect(r.text()).toContain('sort type ▲'));
  });

  it('the Percentiles tab sorts by its own columns with the same keys', async () => {
    const r = mount(snapshot(), 120, 40);
    r.stdin.write('3');
    await eventually(() => expect(r.text()).toContain('99.9%'));
    r.stdin.write('<');
    await eventually(() => expect(r.text()).toContain('sort: type ▲'));
    r.stdin.write('<');
    await eventually(() => expect(r.text()).toContain('sort: requests ▼'));
    r.stdin.write('<');
    await eventually(() => expect(r.text()).toContain('sort: max ▼'));
    expect(header(r)).toContain('▼100%');
    r.stdin.write('<');
    await eventually(() => expect(r.text()).toContain('sort: p99.99 ▼'));
    expect(header(r)).toContain('▼99.99%');
  });

  it('shows the host the run targets at 80×24, on the status line', async () => {
    const r = mount(snapshot(), 80, 24);
    await eventually(() => expect(lines(r.raw())[0]).toContain('http://127.0.0.1:8089'));
  });

  it('the help lists every key at 80×24', async () => {
    const r = mount(snapshot(), 80, 24);
    r.stdin.write('?');
    await eventually(() => expect(r.text()).toContain('Keys'));
    for (const k of KEYMAP) expect(r.text()).toContain(k.action);
    expect(r.text()).not.toContain('more: enlarge');
    expectFits(r.raw(), 80, 24);
  });
});
