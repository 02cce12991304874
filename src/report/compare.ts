/**
 * `cicada compare A B`: two runs side by side, per endpoint and for Aggregated, with A as the
 * baseline — requests, throughput, p50/p95/p99 and error rate — and a verdict: a regression is a
 * metric of B worse than A's beyond a tolerance. Pure: loaded runs in, a comparison and its text
 * or JSON out.
 *
 * What counts as a regression, and when a change is too small a sample to call one: the shared
 * core in `stats/comparison.ts` (the TUI's live Δ columns use the same).
 */
import {
  compareEndpoints,
  DEFAULT_TOLERANCE,
  METRIC_NAMES,
  METRICS,
  SIGNIFICANCE_Z,
  type EndpointComparison,
  type MetricChange,
  type Regression,
  type Side,
  type Tolerance,
} from '../stats/comparison.js';
import { fit, textWidth as width, truncate } from '../stats/text-width.js';
import type { StatsSnapshot } from '../stats/types.js';
import { fmtConfigured, fmtCount, fmtDuration, fmtExact, fmtMs, fmtNumber, fmtPercent, fmtRate, fmtSignedPercent, fmtSignedPoints, fmtUtc } from '../stats/format.js';
import type { RunMeta } from '../run/meta.js';
import { actualRunMs } from './report-model.js';

export { DEFAULT_TOLERANCE, METRICS, type EndpointComparison, type Metric, type MetricChange, type Regression, type Side, type Tolerance } from '../stats/comparison.js';

export interface ComparedRun {
  /** How the user named it: the directory or file given on the command line. */
  readonly label: string;
  readonly snapshot: StatsSnapshot;
  readonly meta: RunMeta;
}

export interface Comparison {
  readonly baseline: ComparedRun;
  readonly candidate: ComparedRun;
  readonly tolerance: Tolerance;
  /** Endpoints in both runs (sorted as in B), then added, then removed, then Aggregated. */
  readonly endpoints: readonly EndpointComparison[];
  readonly regressions: readonly Regression[];
  readonly improvements: number;
  readonly verdict: 'regression' | 'ok';
  /** Differences in configuration that make the numbers less comparable. */
  readonly notes: readonly string[];
}

export function compareRuns(baseline: ComparedRun, candidate: ComparedRun, tolerance: Tolerance = DEFAULT_TOLERANCE): Comparison {
  const { endpoints, regressions, improvements } = compareEndpoints(baseline.snapshot, candidate.snapshot, tolerance);
  return {
    baseline,
    candidate,
    tolerance,
    endpoints,
    regressions,
    improvements,
    verdict: regressions.length > 0 ? 'regression' : 'ok',
    notes: configNotes(baseline.meta, candidate.meta),
  };
}

function configNotes(a: RunMeta, b: RunMeta): string[] {
  const notes: string[] = [];
  const diff = (what: string, x: string, y: string): void => {
    if (x !== y) notes.push(`${what} differs: ${x} (A) vs ${y} (B)`);
  };
  diff('scenario', a.scenarioName, b.scenarioName);
  diff('host', a.host, b.host);
  diff('load', a.loadModel, b.loadModel);
  diff('profile', a.profile ?? 'none', b.profile ?? 'none');
  diff('configured run time', a.runTimeMs === null ? 'until stopped' : fmtDuration(a.runTimeMs), b.runTimeMs === null ? 'until stopped' : fmtDuration(b.runTimeMs));
  return notes;
}

// ---------------------------------------------------------------------------------------------
// Text

/** The comparison as a table for the terminal (plain text, no colour). */
export function formatComparison(c: Comparison): string {
  const out: string[] = [];
  const t = c.tolerance;
  out.push('cicada compare — A is the baseline, B the candidate');
  out.push(`  A  ${runLine(c.baseline)}`);
  out.push(`  B  ${runLine(c.candidate)}`);
  out.push(
    `  Tolerance: latency +${fmtConfigured(t.latency * 100, 'percent')} (and ≥ ${fmtConfigured(t.minLatencyDeltaMs, 'ms')}), rps -${fmtConfigured(t.rps * 100, 'percent')}, ` +
      `error rate +${fmtExact(t.errorRatePoints * 100)} pt; rows under ${fmtCount(t.minRequests)} requests are not judged`,
  );
  for (const n of c.notes) out.push(`  Note: ${n}`);
  out.push('');

  const head = ['Endpoint', 'Requests', 'RPS', 'p50 (ms)', 'p95 (ms)', 'p99 (ms)', 'Error rate'];
  const lines: string[][] = [];
  for (const r of c.endpoints) {
    if (r.presence !== 'both' || r.metrics === null) continue;
    const m = r.metrics;
    const a = r.a!;
    const b = r.b!;
    lines.push([
      r.endpoint,
      `${fmtCount(a.requests)} → ${fmtCount(b.requests)}`,
      `${fmtNumber(a.rps)} → ${fmtNumber(b.rps)}`,
      `${fmtNumber(a.p50)} → ${fmtNumber(b.p50)}`,
      `${fmtNumber(a.p95)} → ${fmtNumber(b.p95)}`,
      `${fmtNumber(a.p99)} → ${fmtNumber(b.p99)}`,
      `${fmtPercent(a.errorRate)} → ${fmtPercent(b.errorRate)}`,
    ]);
    lines.push([
      m.p50.verdict === 'not judged' ? '  (too few requests to judge)' : '',
      a.requests > 0 ? fmtSignedPercent(b.requests / a.requests - 1) : '',
      mark(m.rps, relText(m.rps.change)),
      mark(m.p50, relText(m.p50.change)),
      mark(m.p95, relText(m.p95.change)),
      mark(m.p99, relText(m.p99.change)),
      mark(m.errorRate, fmtSignedPoints(m.errorRate.change ?? 0)),
    ]);
  }
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => width(l[i] ?? ''))));
  widths[0] = Math.min(widths[0]!, 48);
  const fmt = (cells: readonly string[]): string =>
    cells
      .map((cell, i) => (i === 0 ? padEnd(truncate(cell, widths[0]!), widths[0]!) : padStart(cell, widths[i]!)))
      .join('   ')
      .trimEnd();
  out.push(fmt(head));
  out.push(widths.map((w) => '-'.repeat(w)).join('   '));
  lines.forEach((l, i) => {
    if (i > 0 && i % 2 === 0 && i === lines.length - 2) out.push(widths.map((w) => '-'.repeat(w)).join('   '));
    out.push(fmt(l));
  });

  if (c.endpoints.some((r) => r.metrics !== null && METRICS.some((m) => r.metrics![m].verdict === 'not significant'))) {
    out.push('');
    out.push(`? beyond tolerance, but not clearly for the number of requests (could be chance: z < ${SIGNIFICANCE_Z}); not judged`);
  }
  const added = c.endpoints.filter((r) => r.presence === 'added');
  const removed = c.endpoints.filter((r) => r.presence === 'removed');
  if (added.length > 0 || removed.length > 0) out.push('');
  for (const r of added) out.push(`Added in B:    ${r.endpoint} (${fmtCount(r.b!.requests)} requests, p95 ${fmtMs(r.b!.p95)}, ${fmtPercent(r.b!.errorRate)} errors)`);
  for (const r of removed) out.push(`Removed in B:  ${r.endpoint} (${fmtCount(r.a!.requests)} requests in A)`);

  out.push('');
  if (c.regressions.length > 0) {
    out.push(`Regressions (${c.regressions.length}):`);
    const rows = c.regressions.map((g) => [
      g.endpoint,
      METRIC_NAMES[g.metric],
      g.metric === 'errorRate' ? `${fmtPercent(g.a)} → ${fmtPercent(g.b)}` : g.metric === 'rps' ? `${fmtRate(g.a)} → ${fmtRate(g.b)}` : `${fmtMs(g.a)} → ${fmtMs(g.b)}`,
      g.metric === 'errorRate'
        ? `${fmtSignedPoints(g.change ?? 0)} (tolerance +${fmtExact(g.limit * 100)} pt)`
        : `${relText(g.change)} (tolerance ${g.metric === 'rps' ? '-' : '+'}${fmtConfigured(g.limit * 100, 'percent')})`,
    ]);
    const w = [0, 1, 2].map((i) => Math.max(...rows.map((r) => width(r[i]!))));
    for (const r of rows) out.push(`  ✗ ${padEnd(r[0]!, w[0]!)}   ${padEnd(r[1]!, w[1]!)}   ${padEnd(r[2]!, w[2]!)}   ${r[3]!}`);
    out.push('');
    const where = new Set(c.regressions.map((g) => g.endpoint)).size;
    out.push(`Verdict: REGRESSION — ${c.regressions.length} ${c.regressions.length === 1 ? 'metric' : 'metrics'} beyond tolerance on ${where} ${where === 1 ? 'row' : 'rows'}.`);
  } else {
    const better = c.improvements > 0 ? ` (${c.improvements} ${c.improvements === 1 ? 'metric' : 'metrics'} better beyond tolerance)` : '';
    out.push(`Verdict: OK — no regression beyond tolerance${better}.`);
  }
  return `${out.join('\n')}\n`;
}

function runLine(r: ComparedRun): string {
  const m = r.meta;
  const length = actualRunMs(r.snapshot, m);
  return `${r.label}   ${m.scenarioName} · ${fmtUtc(m.startedAt)} · ${fmtDuration(length)} · ${fmtCount(r.snapshot.total.requests)} requests`;
}

function relText(change: number | null): string {
  return change === null ? 'new' : fmtSignedPercent(change);
}

function mark(c: MetricChange, text: string): string {
  return c.verdict === 'regression' ? `${text} ✗` : c.verdict === 'improvement' ? `${text} ✓` : c.verdict === 'not significant' ? `${text} ?` : `${text}  `;
}

function padEnd(s: string, w: number): string {
  return fit(s, Math.max(w, width(s)));
}

function padStart(s: string, w: number): string {
  return fit(s, Math.max(w, width(s)), 'right');
}

// ---------------------------------------------------------------------------------------------
// JSON

export const COMPARE_SCHEMA = 'cicada.compare/1';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * The comparison for scripts:
 * ```
 * { schema: "cicada.compare/1", verdict: "regression" | "ok",
 *   baseline: Run, candidate: Run,
 *   tolerance: { latency, rps, errorRatePoints, minRequests, minLatencyDeltaMs },   // fractions; ms
 *   endpoints: [{ endpoint, method, name, presence: "both"|"added"|"removed", a: Side|null, b: Side|null,
 *                 metrics: { rps|p50|p95|p99|errorRate: { a, b, change, verdict } } | null }],   // Aggregated last
 *   regressions: [{ endpoint, metric, a, b, change, limit }], improvements, notes[] }
 * Run = { label, scenario, startedAt (ISO), durationMs, requests }
 * Side = { requests, rps, p50, p95, p99, errorRate }   // ms; errorRate a fraction
 * change: relative (b / a - 1) for rps and latency, absolute (b - a) for errorRate; null when a is 0.
 * verdict (per metric): "regression" | "improvement" | "same" | "not judged" (too few requests) |
 *   "not significant" (beyond tolerance, but not clearly for the sample sizes).
 * ```
 */
export function comparisonJson(c: Comparison): Record<string, Json> {
  const run = (r: ComparedRun): Json => ({
    label: r.label,
    scenario: r.meta.scenarioName,
    startedAt: Number.isFinite(r.meta.startedAt) ? new Date(r.meta.startedAt).toISOString() : null,
    durationMs: actualRunMs(r.snapshot, r.meta),
    requests: r.snapshot.total.requests,
  });
  const sideJson = (s: Side | null): Json =>
    s === null ? null : { requests: s.requests, rps: r6(s.rps), p50: r6(s.p50), p95: r6(s.p95), p99: r6(s.p99), errorRate: r6(s.errorRate) };
  return {
    schema: COMPARE_SCHEMA,
    verdict: c.verdict,
    baseline: run(c.baseline),
    candidate: run(c.candidate),
    tolerance: { ...c.tolerance },
    endpoints: c.endpoints.map((e) => ({
      endpoint: e.endpoint,
      method: e.method,
      name: e.name,
      presence: e.presence,
      a: sideJson(e.a),
      b: sideJson(e.b),
      metrics:
        e.metrics === null
          ? null
          : Object.fromEntries(
              METRICS.map((m) => {
                const x = e.metrics![m];
                return [m, { a: r6(x.a), b: r6(x.b), change: x.change === null ? null : r6(x.change), verdict: x.verdict }];
              }),
            ),
    })),
    regressions: c.regressions.map((g) => ({ endpoint: g.endpoint, metric: g.metric, a: r6(g.a), b: r6(g.b), change: g.change === null ? null : r6(g.change), limit: g.limit })),
    improvements: c.improvements,
    notes: [...c.notes],
  };
}

function r6(x: number): number {
  return Number.isFinite(x) ? Math.round(x * 1e6) / 1e6 : 0;
}
