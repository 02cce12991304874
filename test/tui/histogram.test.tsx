/**
 * The Percentiles tab's latency histogram: drawn from a real collector's HDR histogram, its counts
 * add up to the row's requests, it follows the selection (Aggregated included) and fits 80×24.
 */
import { describe, expect, it } from 'vitest';
import { StatsCollector } from '../../src/stats/collector.js';
import { logBins } from '../../src/stats/latency-bins.js';
import { Histogram, bar } from '../../src/tui/Histogram.js';
import { IDLE_GENERATOR, T0, manualClock, runStatus } from '../stats/helpers.js';
import { fixedSession, mountApp } from './fixed-session.js';
import { eventually, expectFits, lines, renderAt, type Rendered } from './render.js';

/** A collector with /fast (1000 × 0.5–1.5 ms) and /slow (100 × 200–700 ms). */
function collector(): StatsCollector {
  const c = new StatsCollector({ clock: manualClock().read });
  const fast = c.endpoint('GET', '/fast');
  const slow = c.endpoint('GET', '/slow');
  for (let i = 0; i < 1000; i++) c.request(fast, 500 + i, 0, 10, null);
  for (let i = 0; i < 100; i++) c.request(slow, 200_000 + i * 5_000, 0, 10, null);
  return c;
}

/** Counts on the histogram's lines (the number before the share). */
function binCounts(text: string): number[] {
  return lines(text)
    .filter((l) => l.includes('│'))
    .map((l) => Number(/│[█▏▎▍▌▋▊▉ ]*\s(\d+)\s+[\d.]+%/.exec(l)?.[1] ?? NaN));
}

describe('Histogram', () => {
  it('one line a bin: range, bar, count and share; the counts add up to the requests', () => {
    const c = collector();
    const snap = c.snapshot(runStatus(), IDLE_GENERATOR, T0 + 10_000);
    const row = snap.endpoints.find((e) => e.name === '/fast')!;
    const bins = logBins(c.rowLatencyBuckets('GET', '/fast')!, 10);
    const r = renderAt(<Histogram row={row} bins={bins} width={80} height={11} />, 80, 24);
    const text = r.text();
    expect(text).toContain('Latency histogram GET /fast');
    expect(text).toContain('1000 responses timed · ms, log-spaced');
    const counts = binCounts(text);
    expect(counts.length).toBe(bins.length);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(1000);
    // 500…1499 µs in 1-1.25-1.5-2… edges: 0.5–0.6 holds 500…599 µs.
    expect(lines(text).find((l) => l.includes('0.5–0.6'))).toMatch(/│█+.*\s100\s+10%/);
    // The median (≈ 1 ms) is marked in its bin.
    expect(lines(text).find((l) => l.includes('◂ p50'))).toMatch(row.medianMs < 1 ? /^\s+0\.8–1 / : /^\s+1–1\.25 /);
    expectFits(r.raw(), 80, 11);
  });

  it('writes the round bin edges exactly: 10–12.5, not 10–13', () => {
    const c = new StatsCollector({ clock: manualClock().read });
    const mid = c.endpoint('GET', '/mid');
    for (let i = 0; i < 500; i++) c.request(mid, 9_000 + i * 10, 0, 10, null);
    const snap = c.snapshot(runStatus(), IDLE_GENERATOR, T0 + 10_000);
    const bins = logBins(c.rowLatencyBuckets('GET', '/mid')!, 10);
    expect(bins.map((b) => b.toUs)).toContain(12_500);
    const text = renderAt(<Histogram row={snap.endpoints[0]!} bins={bins} width={80} height={11} />, 80, 24).text();
    expect(lines(text).some((l) => /^\s*10–12\.5 /.test(l))).toBe(true);
    expect(text).not.toContain('10–13');
  });

  it('the longest bar is the biggest bin; an empty bin has no bar', () => {
    expect(bar(1, 10)).toBe('██████████');
    expect(bar(0.5, 10)).toBe('█████');
    expect(bar(0.01, 10)).toBe('▏');
    expect(bar(0, 10)).toBe('');
    expect(bar(0.55, 10)).toBe('█████▌');
    expect(bar(0.5125, 10)).toBe('█████▏');
  });

  it('says so when the row has no responses yet, or the session gives no histogram', () => {
    const c = new StatsCollector({ clock: manualClock().read });
    c.endpoint('GET', '/never');
    const never = c.snapshot(runStatus(), IDLE_GENERATOR, T0 + 10_000).total;
    expect(renderAt(<Histogram row={never} bins={logBins(c.rowLatencyBuckets('GET', '/never')!, 8)} width={80} height={9} />, 80, 24).text()).toContain('waiting for the first responses');
    expect(renderAt(<Histogram row={never} bins={null} width={80} height={9} />, 80, 24).text()).toContain('no histogram from this session');
  });
});

describe('the histogram in the Percentiles tab', () => {
  function mount(columns: number, rows: number): Rendered {
    const c = collector();
    const session = fixedSession(() => c.snapshot(runStatus(), IDLE_GENERATOR, T0 + 10_000), { latencyBuckets: (method, name) => c.rowLatencyBuckets(method, name) });
    return mountApp(session, columns, rows, { tab: 'percentiles' });
  }

  it('follows the selection at 80×24, down to Aggregated, whose bins hold every request', async () => {
    const r = mount(80, 24);
    await eventually(() => expect(r.text()).toContain('Latency histogram GET /fast'));
    expect(binCounts(r.text()).reduce((a, b) => a + b, 0)).toBe(1000);
    expectFits(r.raw(), 80, 24);
    r.stdin.write('j');
    await eventually(() => expect(r.text()).toContain('Latency histogram GET /slow'));
    expect(binCounts(r.text()).reduce((a, b) => a + b, 0)).toBe(100);
    r.stdin.write('j'); // past the last endpoint: Aggregated, marked in the table
    await eventually(() => expect(r.text()).toContain('Latency histogram Aggregated'));
    expect(lines(r.raw()).find((l) => l.startsWith('›'))).toContain('Aggregated');
    expect(binCounts(r.text()).reduce((a, b) => a + b, 0)).toBe(1100);
    expectFits(r.raw(), 80, 24);
  });

  it('uses the room of a tall terminal for finer bins', async () => {
    const small = mount(80, 24);
    const tall = mount(200, 50);
    small.stdin.write('G');
    tall.stdin.write('G');
    await eventually(() => expect(small.text()).toContain('Latency histogram Aggregated'));
    await eventually(() => expect(tall.text()).toContain('Latency histogram Aggregated'));
    expect(binCounts(small.text()).reduce((a, b) => a + b, 0)).toBe(1100);
    expect(binCounts(tall.text()).reduce((a, b) => a + b, 0)).toBe(1100);
    expect(binCounts(tall.text()).length).toBeGreaterThan(binCounts(small.text()).length);
    expectFits(tall.raw(), 200, 50);
  });
});
