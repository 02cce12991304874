/**
 * Monitor series with fixed samples for the TUI and report tests, recorded through the real
 * `MonitorSeries` (so statistics, gaps, history and leak verdicts are the code's own).
 */
import { MonitorSeries } from '../../src/run/monitors/series.js';
import type { MonitorSummary } from '../../src/run/monitors/types.js';
import type { MonitorSpec } from '../../src/scenario/monitor-types.js';

/** 2023-11-14T22:15:00Z, as in the TUI fixtures. */
export const T0 = 1_700_000_000;

export function spec(over: Partial<MonitorSpec> & Pick<MonitorSpec, 'id'>): MonitorSpec {
  return {
    name: over.id,
    component: 'Application',
    source: { kind: 'scrape', url: 'http://127.0.0.1:8089/metrics', selector: { name: over.id, matchers: [], text: over.id }, rate: null },
    unit: '',
    scale: 1,
    everyMs: 1000,
    timeoutMs: 900,
    pin: false,
    leak: null,
    warmupMs: null,
    loc: null,
    ...over,
  };
}

/** A series from values a second apart from `T0` (null: a gap with `reason`). */
export function series(s: MonitorSpec, values: readonly (number | null)[], reason = 'connection refused'): MonitorSeries {
  const out = new MonitorSeries(s);
  values.forEach((v, i) => {
    out.record(T0 + i, v, v === null ? reason : null);
    out.failing = v === null ? reason : null;
  });
  return out;
}

/** The demo-like set: CPU (pinned, with a gap), memory growing 1 MB a second (a leak), a pool in percent, memory that levels off. */
export function demoMonitors(recent = 0): MonitorSummary[] {
  const n = 120;
  const cpu = Array.from({ length: n }, (_, i) => (i >= 100 && i < 104 ? null : 20 + 10 * Math.sin(i / 7)));
  const rss = Array.from({ length: n }, (_, i) => 80 * 1024 * 1024 + i * 1024 * 1024 + ((i * 7919) % 13) * 20_000);
  const pool = Array.from({ length: n }, (_, i) => 30 + (i % 10));
  const heap = Array.from({ length: n }, (_, i) => (40 + 30 * (1 - Math.exp(-i / 15))) * 1024 * 1024);
  return [
    series(spec({ id: 'app_cpu', name: 'CPU', unit: 'percent', pin: true }), cpu),
    series(spec({ id: 'app_rss', name: 'Memory (RSS)', unit: 'bytes', pin: true }), rss),
    series(spec({ id: 'db_pool', name: 'Connection pool', component: 'Database', unit: 'percent' }), pool),
    series(spec({ id: 'heap', name: 'Heap', unit: 'bytes' }), heap),
  ].map((s) => s.summary(recent));
}
