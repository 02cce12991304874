/**
 * Thresholds (SLOs) evaluated against a snapshot: `p95 < 500ms`, `error_rate < 0.5%`, `rps > 100`,
 * `/api/items: p99 < 1s`. Pure: the same snapshot gives the same results. Evaluated live (each
 * second) and once at the end of the run.
 */
import type { MonitorThresholdRef } from '../scenario/monitor-types.js';
import type { Threshold, ThresholdMetric } from '../scenario/types.js';
import { fmtConfigured, fmtCount, fmtInUnit } from './format.js';
import { PERCENTILES, latencySamples, type EndpointStats, type StatsSnapshot } from './types.js';

export interface ThresholdResult {
  readonly threshold: Threshold;
  /** The measured value (ms for times, a fraction for rates, per second for rps); null with no requests yet. */
  readonly actual: number | null;
  /** null: no data yet (live only; at the end, no data is a failure). */
  readonly passed: boolean | null;
  /** The measured value as text, in the threshold's own unit: `412 ms`, `0.31%`, `98.2/s`. */
  readonly actualText: string;
}

const percentileIndex: Partial<Record<ThresholdMetric, number>> = {
  p50: PERCENTILES.indexOf(0.5),
  p75: PERCENTILES.indexOf(0.75),
  p90: PERCENTILES.indexOf(0.9),
  p95: PERCENTILES.indexOf(0.95),
  p99: PERCENTILES.indexOf(0.99),
  'p99.9': PERCENTILES.indexOf(0.999),
};

/** A monitor's statistic so far (`app_cpu.max`), or null with no sample yet: the run layer's monitors answer. */
export type MonitorMeasure = (ref: MonitorThresholdRef) => number | null;

/**
 * @param final at the end of a run a threshold without data fails; live it is pending.
 * @param monitor reads thresholds on monitors (`app_cpu.max < 70%`); without it they have no data.
 */
export function evaluateThresholds(thresholds: readonly Threshold[], snap: StatsSnapshot, final = false, monitor?: MonitorMeasure): ThresholdResult[] {
  return thresholds.map((t) => {
    if (t.monitor !== undefined) {
      const actual = monitor?.(t.monitor) ?? null;
      const passed = actual === null ? (final ? false : null) : compare(actual, t.op, t.value);
      return { threshold: t, actual, passed, actualText: actual === null ? 'no data' : fmtInUnit(actual, t.monitor.unit, t.value) };
    }
    const rows = rowsFor(t.endpoint, snap);
    // Several rows (one name, several methods): the worst of them decides.
    let actual: number | null = null;
    for (const row of rows) {
      const v = measure(t.metric, row);
      if (v === null) continue;
      actual = actual === null ? v : worse(t, actual, v);
    }
    const passed = actual === null ? (final ? false : null) : compare(actual, t.op, t.value);
    return { threshold: t, actual, passed, actualText: formatValue(t.metric, actual, t.value) };
  });
}

/** Thresholds that failed and ask to abort the run, once the run is past their grace period. */
export function abortingThreshold(results: readonly ThresholdResult[], elapsedMs: number): ThresholdResult | null {
  return results.find((r) => r.passed === false && r.threshold.abortOnFail && elapsedMs >= r.threshold.abortGraceMs) ?? null;
}

function rowsFor(endpoint: string | null, snap: StatsSnapshot): EndpointStats[] {
  if (endpoint === null) return [snap.total];
  const space = endpoint.indexOf(' ');
  const method = space > 0 ? endpoint.slice(0, space) : null;
  if (method !== null && /^[A-Z]+$/.test(method)) {
    const name = endpoint.slice(space + 1);
    const exact = snap.endpoints.filter((e) => e.method === method && e.name === name);
    if (exact.length > 0) return exact;
  }
  return snap.endpoints.filter((e) => e.name === endpoint);
}

function measure(metric: ThresholdMetric, e: EndpointStats): number | null {
  if (metric === 'requests') return e.requests;
  if (metric === 'rps') return e.rps;
  if (metric === 'checks') {
    const n = e.checksPassed + e.checksFailed;
    return n === 0 ? null : e.checksPassed / n;
  }
  if (e.requests === 0) return null;
  if (metric === 'error_rate') return e.failures / e.requests;
  // Latencies describe the requests that were sent; none sent is no data.
  if (latencySamples(e) === 0) return null;
  switch (metric) {
    case 'max':
      return e.maxMs;
    case 'min':
      return e.minMs;
    case 'avg':
      return e.avgMs;
    default:
      return e.percentilesMs[percentileIndex[metric]!] ?? null;
  }
}

function compare(actual: number, op: Threshold['op'], target: number): boolean {
  switch (op) {
    case '<':
      return actual < target;
    case '<=':
      return actual <= target;
    case '>':
      return actual > target;
    case '>=':
      return actual >= target;
  }
}

/** For `<` thresholds higher is worse, for `>` lower is worse. */
function worse(t: Threshold, a: number, b: number): number {
  return t.op === '<' || t.op === '<=' ? Math.max(a, b) : Math.min(a, b);
}

/** The unit `stats/format.ts` writes a threshold metric in; ratios (error_rate, checks) are scaled to percent. */
function unitOf(metric: ThresholdMetric): { unit: string; scale: number } {
  if (metric === 'error_rate' || metric === 'checks') return { unit: 'percent', scale: 100 };
  if (metric === 'rps') return { unit: '/s', scale: 1 };
  if (metric === 'requests') return { unit: '', scale: 1 };
  return { unit: 'ms', scale: 1 };
}

/**
 * A threshold metric's value in its own unit, in cicada's one voice (`./format.ts`): `1634 ms`,
 * `0.31%`, `98.2/s`, `15914`. Given the `target` it is judged against, written beside it (at least
 * its precision, never reading as it unless equal): `99.97%` for `checks > 99.95%`, not `99.9%`.
 */
export function formatValue(metric: ThresholdMetric, v: number | null, target?: number): string {
  if (v === null) return 'no data';
  if (metric === 'requests') return fmtCount(v);
  const { unit, scale } = unitOf(metric);
  return fmtInUnit(v * scale, unit, target === undefined ? undefined : target * scale);
}

/** The threshold's target in the same unit as `formatValue`, as precise as it was typed: `500 ms`, `0.05%`, `99.95%`. */
export function formatTarget(t: Threshold): string {
  if (t.monitor !== undefined) return `${t.op} ${fmtConfigured(t.value, t.monitor.unit)}`;
  const { unit, scale } = unitOf(t.metric);
  return `${t.op} ${fmtConfigured(t.value * scale, unit)}`;
}
