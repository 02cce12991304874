/**
 * The live run against a baseline (`--baseline`, `baseline:` in a profile, or the run before `n`):
 * the Statistics tab's Δ columns (p50, p95, p99, RPS, fail %), the note under the table (legend,
 * baseline endpoints not seen in this run) and the status bar's verdict so far. The judging is
 * `stats/comparison.ts`, the one `cicada compare` and the reports use; this file only turns its
 * verdicts into cells.
 *
 * Every mark is a character as well as a colour, so it reads under NO_COLOR: `✗` worse beyond
 * tolerance, `✓` better beyond it, `n/s` beyond tolerance but not significant yet (too few
 * requests to tell it from chance: a 3-second run does not flash red), nothing when within
 * tolerance; `new` for an endpoint the baseline does not have.
 */
import { compareEndpoints, DEFAULT_TOLERANCE, endpointKeyOf, type EndpointComparison, type EndpointsComparison, type Metric, type MetricChange } from '../stats/comparison.js';
import type { EndpointStats, StatsSnapshot } from '../stats/types.js';
import type { Column } from './columns.js';
import { oneLine } from './format.js';
import { fmtSignedPercent, fmtSignedPoints } from '../stats/format.js';
import { type Segment, seg } from './Line.js';
import type { BasicColor } from './theme.js';
import type { TuiBaseline } from './types.js';

/** The comparison of a live snapshot with the baseline, and its rows by endpoint key. */
export interface LiveComparison {
  readonly label: string;
  readonly result: EndpointsComparison;
  /** `METHOD name` → row (Aggregated under ` Aggregated`). */
  readonly byKey: ReadonlyMap<string, EndpointComparison>;
  /** Under this many requests nothing is judged. */
  readonly minRequests: number;
}

export function compareLive(baseline: TuiBaseline, snapshot: Pick<StatsSnapshot, 'endpoints' | 'total'>): LiveComparison {
  const result = compareEndpoints(baseline.stats, snapshot);
  const byKey = new Map<string, EndpointComparison>();
  for (const r of result.endpoints) if (r.presence !== 'removed') byKey.set(`${r.method} ${r.name}`, r);
  return { label: baseline.label, result, byKey, minRequests: DEFAULT_TOLERANCE.minRequests };
}

/** A change as a cell: `+18.3%✗`, `-12%✓`, `+3.1%`, `+18% n/s`; error rate in points (`+1.2 pt✗`). */
export function deltaText(metric: Metric, c: MetricChange): string {
  const value = c.change === null ? 'n/a' : metric === 'errorRate' ? fmtSignedPoints(c.change) : fmtSignedPercent(c.change);
  return value + mark(c);
}

function mark(c: MetricChange): string {
  switch (c.verdict) {
    case 'regression':
      return '✗';
    case 'improvement':
      return '✓';
    case 'not significant':
    case 'not judged':
      return ' n/s';
    default:
      return '';
  }
}

export function deltaColor(c: MetricChange): BasicColor | undefined {
  return c.verdict === 'regression' ? 'red' : c.verdict === 'improvement' ? 'green' : c.verdict === 'same' ? undefined : 'gray';
}

const DELTAS: readonly { readonly metric: Metric; readonly header: string; readonly priority: number }[] = [
  { metric: 'p50', header: 'Δp50', priority: 75 },
  { metric: 'p95', header: 'Δp95', priority: 84 },
  { metric: 'p99', header: 'Δp99', priority: 68 },
  { metric: 'rps', header: 'ΔRPS', priority: 72 },
  { metric: 'errorRate', header: 'ΔFail%', priority: 62 },
];

/** The Δ columns for the Statistics table (after Locust's own). */
export function baselineColumns(live: LiveComparison): Column<EndpointStats>[] {
  const row = (e: EndpointStats): EndpointComparison | undefined => live.byKey.get(endpointKeyOf(e));
  return DELTAS.map(({ metric, header, priority }) => ({
    key: `delta-${metric}`,
    header,
    width: 4,
    align: 'right' as const,
    priority,
    cell: (e: EndpointStats) => {
      const r = row(e);
      if (r === undefined || r.metrics === null) return 'new';
      return r.b === null || r.b.requests === 0 ? '-' : deltaText(metric, r.metrics[metric]);
    },
    color: (e: EndpointStats) => {
      const r = row(e);
      return r === undefined || r.metrics === null ? 'cyan' : deltaColor(r.metrics[metric]);
    },
    // Sorting (o, < >): the biggest change first; rows with nothing to compare last.
    sortValue: (e: EndpointStats) => row(e)?.metrics?.[metric].change ?? -Infinity,
  }));
}

/** Under the table: what Δ is against, the marks, and the baseline's endpoints this run has not had. */
export function baselineNote(live: LiveComparison): Segment[] {
  const missing = live.result.endpoints.filter((r) => r.presence === 'removed');
  const out: Segment[] = [];
  // What the user may be waiting for first: legends are cut when the line is too long.
  if (missing.length > 0) out.push(seg('  not in this run yet: ', { color: 'yellow' }), seg(missing.map((r) => oneLine(r.endpoint)).join(', '), { color: 'yellow' }));
  out.push(
    seg(`  Δ vs ${oneLine(live.label)}: `, { dim: true }),
    seg('✗', { color: 'red' }),
    seg(' worse ', { dim: true }),
    seg('✓', { color: 'green' }),
    seg(' better ', { dim: true }),
    seg('n/s', { color: 'gray' }),
    seg(' not significant yet', { dim: true }),
  );
  return out;
}

/**
 * The status bar's verdict so far, most telling first (the line is cut at the terminal's width):
 * `p95 +18.3%✗ vs baseline → 2 worse on 1 row   p50 +12%✗  p99 +9.1%  rps -2%  fail ±0 pt   latest
 * = tune-…`; `OK so far`, `N changes not significant yet`, or `too early to judge` under the
 * minimum requests.
 */
export function baselineStatusLine(live: LiveComparison): Segment[] {
  const total = live.result.endpoints.at(-1);
  const label = seg(`   ${oneLine(live.label)}`, { dim: true });
  if (total === undefined || total.metrics === null || total.b === null || total.b.requests < live.minRequests) {
    return [seg('vs baseline → too early to judge', { color: 'gray' }), label];
  }
  const m = total.metrics;
  const cell = (metric: Metric, name: string): Segment[] => {
    const c = m[metric];
    return [seg(`${name} `, { dim: true }), seg(deltaText(metric, c), { color: deltaColor(c), bold: c.verdict === 'regression' })];
  };
  const out: Segment[] = [...cell('p95', 'p95'), seg(' vs baseline', { dim: true })];
  const worse = live.result.regressions;
  const pending = live.result.endpoints.reduce(
    (n, r) => n + (r.metrics === null ? 0 : Object.values(r.metrics).filter((c) => c.verdict === 'not significant' || c.verdict === 'not judged').length),
    0,
  );
  if (worse.length > 0) {
    const rows = new Set(worse.map((g) => g.endpoint)).size;
    out.push(seg(' → '), seg(`${worse.length} worse on ${rows} row${rows === 1 ? '' : 's'}`, { color: 'red', bold: true }));
  } else if (pending > 0) {
    out.push(seg(` → ${pending} change${pending === 1 ? '' : 's'} not significant yet`, { color: 'gray' }));
  } else {
    const better = live.result.improvements;
    out.push(seg(' → '), seg(better > 0 ? `OK so far, ${better} better` : 'OK so far', { color: 'green' }));
  }
  for (const [metric, name] of [['p50', 'p50'], ['p99', 'p99'], ['rps', 'rps'], ['errorRate', 'fail']] as const) out.push(seg('  '), ...cell(metric, name));
  out.push(label);
  return out;
}
