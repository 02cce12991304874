/**
 * `cicada compare A B`: two runs side by side, per endpoint and for Aggregated, with A as the
 * baseline — requests, throughput, p50/p95/p99 and error rate — and a verdict: a regression is a
 * metric of B worse than A's beyond a tolerance. Pure: loaded runs in, a comparison and its text
 * or JSON out.
 *
 * What counts as a regression (defaults in `DEFAULT_TOLERANCE`):
 * - p50, p95, p99: B above A by more than `latency` (10%) *and* by at least `minLatencyDeltaMs`
 *   (1 ms; sub-millisecond jitter is not a regression);
 * - rps: B below A by more than `rps` (10%) — whole-run throughput, so compare runs of the same
 *   load (a note says when the configurations differ);
 * - error rate: B above A by more than `errorRatePoints` percentage points (0.5) — absolute, since
 *   0% → 0.1% is an infinite relative change;
 * - rows with fewer than `minRequests` (20) requests in either run are shown but not judged;
 * - endpoints in only one run are listed as added or removed, never a regression by themselves.
 * The same margins the other way round are counted as improvements.
 */
import type { EndpointStats, StatsSnapshot } from '../stats/types.js';
import { PERCENTILES } from '../stats/types.js';
import { count, duration, fixed, msNumber, pct, rateNumber, signedPct, signedPoints, utc } from './human.js';
import type { RunMeta } from '../run/meta.js';
import { actualRunMs } from './report-model.js';

export interface Tolerance {
  /** Allowed relative rise of p50/p95/p99: 0.1 = 10%. */
  readonly latency: number;
  /** Allowed relative drop of requests per second. */
  readonly rps: number;
  /** Allowed absolute rise of the error rate, as a fraction: 0.005 = 0.5 percentage points. */
  readonly errorRatePoints: number;
  /** Rows with fewer requests than this in either run are not judged. */
  readonly minRequests: number;
  /** A latency change smaller than this (ms) is never a regression or an improvement. */
  readonly minLatencyDeltaMs: number;
}

export const DEFAULT_TOLERANCE: Tolerance = { latency: 0.1, rps: 0.1, errorRatePoints: 0.005, minRequests: 20, minLatencyDeltaMs: 1 };

export interface ComparedRun {
  /** How the user named it: the directory or file given on the command line. */
  readonly label: string;
  readonly snapshot: StatsSnapshot;
  readonly meta: RunMeta;
}

export type Metric = 'rps' | 'p50' | 'p95' | 'p99' | 'errorRate';
export const METRICS: readonly Metric[] = ['rps', 'p50', 'p95', 'p99', 'errorRate'];
const METRIC_NAMES: Record<Metric, string> = { rps: 'rps', p50: 'p50', p95: 'p95', p99: 'p99', errorRate: 'error rate' };

export interface Side {
  readonly requests: number;
  readonly rps: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  /** failures / requests. */
  readonly errorRate: number;
}

export interface MetricChange {
  readonly a: number;
  readonly b: number;
  /** Relative (b / a - 1) for rps and latency, absolute (b - a) for the error rate; null when A is 0. */
  readonly change: number | null;
  readonly verdict: 'regression' | 'improvement' | 'same' | 'not judged';
}

export interface EndpointComparison {
  /** `GET /api/items`, or `Aggregated`. */
  readonly endpoint: string;
  readonly method: string;
  readonly name: string;
  readonly presence: 'both' | 'added' | 'removed';
  readonly a: Side | null;
  readonly b: Side | null;
  /** Present when in both runs. */
  readonly metrics: Readonly<Record<Metric, MetricChange>> | null;
}

export interface Regression {
  readonly endpoint: string;
  readonly metric: Metric;
  readonly a: number;
  readonly b: number;
  readonly change: number | null;
  /** The tolerance that was exceeded (a fraction; points for the error rate). */
  readonly limit: number;
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

const I50 = PERCENTILES.indexOf(0.5);
const I95 = PERCENTILES.indexOf(0.95);
const I99 = PERCENTILES.indexOf(0.99);

export function compareRuns(baseline: ComparedRun, candidate: ComparedRun, tolerance: Tolerance = DEFAULT_TOLERANCE): Comparison {
  const key = (e: EndpointStats): string => `${e.method} ${e.name}`;
  const inA = new Map(baseline.snapshot.endpoints.map((e) => [key(e), e]));
  const inB = new Map(candidate.snapshot.endpoints.map((e) => [key(e), e]));
  const rows: EndpointComparison[] = [];
  for (const e of candidate.snapshot.endpoints) {
    const a = inA.get(key(e));
    if (a !== undefined) rows.push(both(a, e, tolerance));
  }
  for (const e of candidate.snapshot.endpoints) if (!inA.has(key(e))) rows.push(only(e, 'added'));
  for (const e of baseline.snapshot.endpoints) if (!inB.has(key(e))) rows.push(only(e, 'removed'));
  rows.push(both(baseline.snapshot.total, candidate.snapshot.total, tolerance));

  const regressions: Regression[] = [];
  let improvements = 0;
  for (const r of rows) {
    if (r.metrics === null) continue;
    for (const m of METRICS) {
      const c = r.metrics[m];
      if (c.verdict === 'improvement') improvements++;
      if (c.verdict !== 'regression') continue;
      regressions.push({
        endpoint: r.endpoint,
        metric: m,
        a: c.a,
        b: c.b,
        change: c.change,
        limit: m === 'errorRate' ? tolerance.errorRatePoints : m === 'rps' ? tolerance.rps : tolerance.latency,
      });
    }
  }
  return {
    baseline,
    candidate,
    tolerance,
    endpoints: rows,
    regressions,
    improvements,
    verdict: regressions.length > 0 ? 'regression' : 'ok',
    notes: configNotes(baseline.meta, candidate.meta),
  };
}

function side(e: EndpointStats): Side {
  return {
    requests: e.requests,
    rps: e.rps,
    p50: e.percentilesMs[I50] ?? 0,
    p95: e.percentilesMs[I95] ?? 0,
    p99: e.percentilesMs[I99] ?? 0,
    errorRate: e.requests > 0 ? e.failures / e.requests : 0,
  };
}

function endpointName(e: EndpointStats): string {
  return e.method === '' ? e.name : `${e.method} ${e.name}`;
}

function only(e: EndpointStats, presence: 'added' | 'removed'): EndpointComparison {
  const s = side(e);
  return { endpoint: endpointName(e), method: e.method, name: e.name, presence, a: presence === 'removed' ? s : null, b: presence === 'added' ? s : null, metrics: null };
}

function both(ea: EndpointStats, eb: EndpointStats, t: Tolerance): EndpointComparison {
  const a = side(ea);
  const b = side(eb);
  const judged = a.requests >= t.minRequests && b.requests >= t.minRequests;
  const rel = (x: number, y: number): number | null => (x > 0 ? y / x - 1 : y > 0 ? null : 0);
  const latency = (x: number, y: number): MetricChange => {
    const change = rel(x, y);
    let verdict: MetricChange['verdict'] = 'same';
    if (!judged) verdict = 'not judged';
    else if (y - x >= t.minLatencyDeltaMs && y > x * (1 + t.latency)) verdict = 'regression';
    else if (x - y >= t.minLatencyDeltaMs && y < x * (1 - t.latency)) verdict = 'improvement';
    return { a: x, b: y, change, verdict };
  };
  const rpsChange = rel(a.rps, b.rps);
  const errDelta = b.errorRate - a.errorRate;
  const eps = 1e-12;
  return {
    endpoint: endpointName(eb),
    method: eb.method,
    name: eb.name,
    presence: 'both',
    a,
    b,
    metrics: {
      rps: {
        a: a.rps,
        b: b.rps,
        change: rpsChange,
        verdict: !judged ? 'not judged' : b.rps < a.rps * (1 - t.rps) ? 'regression' : b.rps > a.rps * (1 + t.rps) ? 'improvement' : 'same',
      },
      p50: latency(a.p50, b.p50),
      p95: latency(a.p95, b.p95),
      p99: latency(a.p99, b.p99),
      errorRate: {
        a: a.errorRate,
        b: b.errorRate,
        change: errDelta,
        verdict: !judged ? 'not judged' : errDelta > t.errorRatePoints + eps ? 'regression' : -errDelta > t.errorRatePoints + eps ? 'improvement' : 'same',
      },
    },
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
  diff('configured run time', a.runTimeMs === null ? 'until stopped' : duration(a.runTimeMs), b.runTimeMs === null ? 'until stopped' : duration(b.runTimeMs));
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
    `  Tolerance: latency +${short(t.latency * 100)}% (and ≥ ${short(t.minLatencyDeltaMs)} ms), rps -${short(t.rps * 100)}%, ` +
      `error rate +${short(t.errorRatePoints * 100)} pt; rows under ${t.minRequests} requests are not judged`,
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
      `${count(a.requests)} → ${count(b.requests)}`,
      `${rateNumber(a.rps)} → ${rateNumber(b.rps)}`,
      `${msNumber(a.p50)} → ${msNumber(b.p50)}`,
      `${msNumber(a.p95)} → ${msNumber(b.p95)}`,
      `${msNumber(a.p99)} → ${msNumber(b.p99)}`,
      `${pct(a.errorRate)} → ${pct(b.errorRate)}`,
    ]);
    lines.push([
      m.p50.verdict === 'not judged' ? '  (too few requests to judge)' : '',
      a.requests > 0 ? signedPct(b.requests / a.requests - 1) : '',
      mark(m.rps, relText(m.rps.change)),
      mark(m.p50, relText(m.p50.change)),
      mark(m.p95, relText(m.p95.change)),
      mark(m.p99, relText(m.p99.change)),
      mark(m.errorRate, signedPoints(m.errorRate.change ?? 0)),
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

  const added = c.endpoints.filter((r) => r.presence === 'added');
  const removed = c.endpoints.filter((r) => r.presence === 'removed');
  if (added.length > 0 || removed.length > 0) out.push('');
  for (const r of added) out.push(`Added in B:    ${r.endpoint} (${count(r.b!.requests)} requests, p95 ${msNumber(r.b!.p95)} ms, ${pct(r.b!.errorRate)} errors)`);
  for (const r of removed) out.push(`Removed in B:  ${r.endpoint} (${count(r.a!.requests)} requests in A)`);

  out.push('');
  if (c.regressions.length > 0) {
    out.push(`Regressions (${c.regressions.length}):`);
    const rows = c.regressions.map((g) => [
      g.endpoint,
      METRIC_NAMES[g.metric],
      g.metric === 'errorRate' ? `${pct(g.a)} → ${pct(g.b)}` : g.metric === 'rps' ? `${rateNumber(g.a)}/s → ${rateNumber(g.b)}/s` : `${msNumber(g.a)} ms → ${msNumber(g.b)} ms`,
      g.metric === 'errorRate'
        ? `${signedPoints(g.change ?? 0)} (tolerance +${short(g.limit * 100)} pt)`
        : `${relText(g.change)} (tolerance ${g.metric === 'rps' ? '-' : '+'}${short(g.limit * 100)}%)`,
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

/** A number with at most two decimals and no trailing zeros: `10`, `0.5`. */
function short(x: number): string {
  return String(Number(x.toFixed(2)));
}

function runLine(r: ComparedRun): string {
  const m = r.meta;
  const length = actualRunMs(r.snapshot, m);
  return `${r.label}   ${m.scenarioName} · ${utc(m.startedAt)} · ${duration(length)} · ${count(r.snapshot.total.requests)} requests`;
}

function relText(change: number | null): string {
  return change === null ? 'new' : signedPct(change);
}

function mark(c: MetricChange, text: string): string {
  return c.verdict === 'regression' ? `${text} ✗` : c.verdict === 'improvement' ? `${text} ✓` : `${text}  `;
}

function width(s: string): number {
  return [...s].length;
}

function padEnd(s: string, w: number): string {
  return s + ' '.repeat(Math.max(0, w - width(s)));
}

function padStart(s: string, w: number): string {
  return ' '.repeat(Math.max(0, w - width(s))) + s;
}

function truncate(s: string, w: number): string {
  const chars = [...s];
  return chars.length <= w ? s : `${chars.slice(0, w - 1).join('')}…`;
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
 * verdict (per metric): "regression" | "improvement" | "same" | "not judged".
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
