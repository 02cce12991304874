/**
 * Two sets of endpoint statistics side by side — a baseline (A) and a candidate (B) — per endpoint
 * and for Aggregated: requests, throughput, p50/p95/p99 and error rate, each change judged against
 * a tolerance *and* against the sample sizes. Pure and cheap (a pass over the endpoints, no
 * histogram): `cicada compare`, the reports' "Against the baseline" section and the TUI's live Δ
 * columns all call this one function, so they never disagree.
 *
 * A change is beyond tolerance (defaults in `DEFAULT_TOLERANCE`) when:
 * - p50, p95, p99: B above A by more than `latency` (10%) *and* by at least `minLatencyDeltaMs`
 *   (1 ms; sub-millisecond jitter is not a regression);
 * - rps: B below A by more than `rps` (10%) — whole-run throughput, so compare runs of the same load;
 * - error rate: B above A by more than `errorRatePoints` percentage points (0.5) — absolute, since
 *   0% → 0.1% is an infinite relative change.
 * The same margins the other way round are improvements.
 *
 * A change beyond tolerance is called a regression or an improvement only when the numbers allow
 * it; otherwise its verdict is `not judged` or `not significant`:
 * - `not judged`: fewer than `minRequests` (20) requests on either side;
 * - `not significant`: the change could be chance, by a test at `SIGNIFICANCE_Z` (3, about 1 in
 *   700 by chance):
 *   - percentiles: B's p95 is clearly above A's when clearly more of B's requests than of A's are
 *     slower than A's p95 (a two-proportion z-test — the test the stability section uses for its
 *     thirds); the shares are read off each side's percentile ladder (min, p50 … p100),
 *     interpolated linearly between rungs. An improvement is the same test the other way round
 *     (more of A's requests than of B's slower than B's p95). A 3-second run's p95 is decided by
 *     its few slowest requests and does not pass;
 *   - error rate: a two-proportion z-test on the failure counts;
 *   - rps: a test on the two request counts as Poisson counts over their durations.
 * Endpoints in only one side are listed as added or removed, never a regression by themselves.
 */
import type { EndpointStats } from './types.js';
import { PERCENTILES } from './types.js';

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

/** How clear a change must be to be called one (z of the two-proportion or Poisson test). */
export const SIGNIFICANCE_Z = 3;

export type Metric = 'rps' | 'p50' | 'p95' | 'p99' | 'errorRate';
export const METRICS: readonly Metric[] = ['rps', 'p50', 'p95', 'p99', 'errorRate'];
export const METRIC_NAMES: Record<Metric, string> = { rps: 'rps', p50: 'p50', p95: 'p95', p99: 'p99', errorRate: 'error rate' };

export interface Side {
  readonly requests: number;
  readonly rps: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  /** failures / requests. */
  readonly errorRate: number;
}

export type MetricVerdict = 'regression' | 'improvement' | 'same' | 'not judged' | 'not significant';

export interface MetricChange {
  readonly a: number;
  readonly b: number;
  /** Relative (b / a - 1) for rps and latency, absolute (b - a) for the error rate; null when A is 0. */
  readonly change: number | null;
  /**
   * `same`: within tolerance; `not judged`: too few requests on a side; `not significant`: beyond
   * tolerance, but not clearly for the sample sizes.
   */
  readonly verdict: MetricVerdict;
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

/** What is compared: a snapshot's endpoints and its Aggregated row. */
export interface ComparedStats {
  readonly endpoints: readonly EndpointStats[];
  readonly total: EndpointStats;
}

export interface EndpointsComparison {
  /** Endpoints in both (in B's order), then added, then removed, then Aggregated. */
  readonly endpoints: readonly EndpointComparison[];
  readonly regressions: readonly Regression[];
  readonly improvements: number;
}

const I50 = PERCENTILES.indexOf(0.5);
const I95 = PERCENTILES.indexOf(0.95);
const I99 = PERCENTILES.indexOf(0.99);

/** `METHOD name`: how the same endpoint is found on both sides. */
export function endpointKeyOf(e: Pick<EndpointStats, 'method' | 'name'>): string {
  return `${e.method} ${e.name}`;
}

export function compareEndpoints(baseline: ComparedStats, candidate: ComparedStats, tolerance: Tolerance = DEFAULT_TOLERANCE): EndpointsComparison {
  const inA = new Map(baseline.endpoints.map((e) => [endpointKeyOf(e), e]));
  const inB = new Set(candidate.endpoints.map(endpointKeyOf));
  const rows: EndpointComparison[] = [];
  for (const e of candidate.endpoints) {
    const a = inA.get(endpointKeyOf(e));
    if (a !== undefined) rows.push(compareEndpoint(a, e, tolerance));
  }
  for (const e of candidate.endpoints) if (!inA.has(endpointKeyOf(e))) rows.push(only(e, 'added'));
  for (const e of baseline.endpoints) if (!inB.has(endpointKeyOf(e))) rows.push(only(e, 'removed'));
  rows.push(compareEndpoint(baseline.total, candidate.total, tolerance));

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
  return { endpoints: rows, regressions, improvements };
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

/** One endpoint (or Aggregated) of A against the same of B. */
export function compareEndpoint(ea: EndpointStats, eb: EndpointStats, t: Tolerance = DEFAULT_TOLERANCE): EndpointComparison {
  const a = side(ea);
  const b = side(eb);
  const judged = a.requests >= t.minRequests && b.requests >= t.minRequests;
  const rel = (x: number, y: number): number | null => (x > 0 ? y / x - 1 : y > 0 ? null : 0);
  const decide = (worse: boolean, better: boolean, clearlyWorse: () => boolean, clearlyBetter: () => boolean): MetricVerdict => {
    if (!worse && !better) return 'same';
    if (!judged) return 'not judged';
    if (worse) return clearlyWorse() ? 'regression' : 'not significant';
    return clearlyBetter() ? 'improvement' : 'not significant';
  };
  const latency = (x: number, y: number): MetricChange => {
    const verdict = decide(
      y - x >= t.minLatencyDeltaMs && y > x * (1 + t.latency),
      x - y >= t.minLatencyDeltaMs && y < x * (1 - t.latency),
      // More of B than of A slower than A's percentile...
      () => clearlyMoreShare(shareAbove(ea, x), a.requests, shareAbove(eb, x), b.requests),
      // ... or more of A than of B slower than B's.
      () => clearlyMoreShare(shareAbove(eb, y), b.requests, shareAbove(ea, y), a.requests),
    );
    return { a: x, b: y, change: rel(x, y), verdict };
  };
  const errDelta = b.errorRate - a.errorRate;
  const eps = 1e-12;
  const fa = ea.failures;
  const fb = eb.failures;
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
        change: rel(a.rps, b.rps),
        verdict: decide(
          b.rps < a.rps * (1 - t.rps),
          b.rps > a.rps * (1 + t.rps),
          () => clearlyFasterRate(b, a),
          () => clearlyFasterRate(a, b),
        ),
      },
      p50: latency(a.p50, b.p50),
      p95: latency(a.p95, b.p95),
      p99: latency(a.p99, b.p99),
      errorRate: {
        a: a.errorRate,
        b: b.errorRate,
        change: errDelta,
        verdict: decide(
          errDelta > t.errorRatePoints + eps,
          -errDelta > t.errorRatePoints + eps,
          () => clearlyMoreCount(fa, a.requests, fb, b.requests),
          () => clearlyMoreCount(fb, b.requests, fa, a.requests),
        ),
      },
    },
  };
}

/**
 * The share of `e`'s requests slower than `ms`, estimated from its percentile ladder (min, then
 * `PERCENTILES`), linear between rungs: 0 at or above the max, 1 below the min.
 */
export function shareAbove(e: Pick<EndpointStats, 'minMs' | 'percentilesMs'>, ms: number): number {
  const qs: number[] = [0, ...PERCENTILES];
  const vs: number[] = [e.minMs, ...e.percentilesMs];
  if (ms < (vs[0] ?? 0)) return 1;
  // The last rung at or below `ms`.
  let i = 0;
  for (let k = 0; k < vs.length; k++) if ((vs[k] ?? Infinity) <= ms) i = k;
  if (i >= vs.length - 1) return 0;
  const [q0, q1, v0, v1] = [qs[i]!, qs[i + 1]!, vs[i]!, vs[i + 1]!];
  const below = v1 > v0 ? q0 + ((q1 - q0) * (ms - v0)) / (v1 - v0) : q0;
  return Math.max(0, Math.min(1, 1 - below));
}

/** A share `p2` of `n2` requests is clearly above a share `p1` of `n1` (two-proportion z-test). */
function clearlyMoreShare(p1: number, n1: number, p2: number, n2: number): boolean {
  return clearlyMoreCount(p1 * n1, n1, p2 * n2, n2);
}

/**
 * `k2` of `n2` is clearly a larger share than `k1` of `n1`: two-proportion z-test, z ≥ `z`, with
 * Yates' continuity correction (half a request on each side), without which one failure in 25
 * requests against none in thousands would count as clear.
 */
export function clearlyMoreCount(k1: number, n1: number, k2: number, n2: number, z: number = SIGNIFICANCE_Z): boolean {
  if (n1 <= 0 || n2 <= 0 || !(k2 / n2 > k1 / n1)) return false;
  const pooled = (k1 + k2) / (n1 + n2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  const diff = k2 / n2 - k1 / n1 - 0.5 * (1 / n1 + 1 / n2);
  return diff > 0 && (se === 0 || diff / se >= z);
}

/**
 * `fast`'s throughput is clearly above `slow`'s: each side's requests as a Poisson count over its
 * duration (requests / rps), z = (r1 - r2) / √(r1/t1 + r2/t2) ≥ `SIGNIFICANCE_Z`.
 */
function clearlyFasterRate(slow: Side, fast: Side): boolean {
  if (!(fast.rps > slow.rps) || fast.requests <= 0) return false;
  if (slow.rps <= 0 || slow.requests <= 0) return true;
  const tFast = fast.requests / fast.rps;
  const tSlow = slow.requests / slow.rps;
  const se = Math.sqrt(fast.rps / tFast + slow.rps / tSlow);
  return se === 0 || (fast.rps - slow.rps) / se >= SIGNIFICANCE_Z;
}
