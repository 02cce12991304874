/**
 * What a run report says, independent of how it is written: the sections of `report.md` and
 * `report.html` as tables of cells and short inline texts. `markdown.ts` and `html.ts` only render
 * this model, so the two files always carry the same numbers. Pure.
 */
import type { ThresholdMetric } from '../scenario/types.js';
import type { ThresholdResult } from '../stats/thresholds.js';
import { formatTarget, formatValue } from '../stats/thresholds.js';
import { IntervalMerger } from '../stats/intervals.js';
import { chartMarkers, type ChartMarker } from '../stats/chart-series.js';
import type { EndpointStats, HistoryRow, StatsSnapshot } from '../stats/types.js';
import { PERCENTILES, latencySamples } from '../stats/types.js';
import { finalRatio } from './class-ratio.js';
import { groupFailures, type FailureGroup } from './failure-kinds.js';
import { fmtBytes, fmtCount, fmtCpu, fmtDuration, fmtMs, fmtNumber, fmtOffset, fmtPercent, fmtPercentOf, fmtRate, fmtStretch, fmtUtc } from '../stats/format.js';
import { leakTable, systemMetricsTable } from './monitors-report.js';
import { responseTimesTable } from './response-times.js';
import { statusCodeSection, type StatusCodeSection } from './status-code-table.js';
import { stabilityByThirds, type Stability } from './stability.js';
import type { RunMeta } from '../run/meta.js';

export type Status = 'pass' | 'fail' | 'pending';

/**
 * Inline content: text, code (a name, a command, an error key), strong text, or a status mark
 * with its word (Markdown writes ✅/❌/⏳ before it; HTML a coloured badge).
 */
export type Inline =
  | string
  | { readonly code: string }
  | { readonly strong: string }
  | { readonly status: Status; readonly text: string; readonly strong?: boolean };
/** A table cell: one inline piece or several. */
export type Cell = Inline | readonly Inline[];

export interface Table {
  readonly head: readonly string[];
  /** `r` for numbers. */
  readonly align: readonly ('l' | 'r')[];
  readonly rows: readonly (readonly Cell[])[];
  /** The last row is a total (Aggregated). */
  readonly totalRow?: boolean;
}

export type Tone = 'good' | 'bad' | 'warn' | 'info';

export interface Callout {
  readonly tone: Tone;
  readonly title: string;
  readonly text: readonly Inline[];
}

export interface ReportModel {
  readonly title: string;
  /** The result in one line: thresholds passed or failed, or no thresholds. */
  readonly headline: { readonly tone: Tone; readonly text: readonly Inline[] };
  /** Scenario, host, start, length, how it ended. */
  readonly subtitle: readonly Inline[];
  readonly inProgress: boolean;
  /** Said above the numbers when the run had not ended: still going, or a snapshot of it; else null. */
  readonly progress: Callout | null;
  readonly config: Table;
  readonly totals: Table;
  readonly slo: Table | null;
  /** The target's series (`monitors:`): the seeds' System metrics and Memory leak detection; null without monitors. */
  readonly system: { readonly metrics: Table; readonly leaks: Table | null } | null;
  /** Locust's "Request Statistics": counts, times, average size and rates per endpoint and Aggregated. */
  readonly endpoints: Table;
  /** Locust's "Response Time Statistics": 50 … 100% per endpoint and Aggregated. */
  readonly responseTimes: Table;
  /** Responses by status code per endpoint and Aggregated; null when the results carry none. */
  readonly statusCodes: StatusCodeSection | null;
  /** Locust's "final ratio": users per class when the run stopped, tasks by weight; null without classes. */
  readonly classes: Table | null;
  readonly failures: {
    readonly total: number;
    readonly groups: Table | null;
    readonly callouts: readonly Callout[];
    readonly details: Table | null;
    /** Failure rows not shown in `details` (they are all in failures.csv). */
    readonly moreRows: number;
  };
  readonly stability: { readonly table: Table | null; readonly verdict: Stability['verdict'] | null; readonly text: string; readonly note: string };
  readonly exceptions: Table | null;
  /** The whole-run thresholds the charts can draw (`chartMarkers`), with how each ended. */
  readonly markers: readonly ReportMarker[];
  /** Things to know about the numbers: dropped iterations, a saturated generator, folded names. */
  readonly notes: readonly Callout[];
  readonly generatedBy: string;
}

export interface ReportMarker extends ChartMarker {
  readonly status: Status;
  /** The measured value, as the SLO table writes it. */
  readonly actual: string;
}

/** How to add thresholds, for a report of a scenario that has none. */
export const THRESHOLD_HINT = {
  yaml: 'thresholds:\n  - p95 < 500ms\n  - error_rate < 1%\n  - /api/search: p99 < 800ms',
  cli: "cicada run scenario.yaml --threshold 'p95<500ms' --threshold 'error_rate<1%'",
} as const;

/** The sentence above the final-ratio table in both reports. */
export const FINAL_RATIO_NOTE =
  'Users of each class when the run stopped, and each task’s share by weight: of its class (Ratio) and of all users (Total ratio, the class’s ratio × the task’s), as Locust reports them; Iterations are the task runs actually started.';

/** Failure rows listed in the details table; the rest are in failures.csv. */
export const MAX_FAILURE_ROWS = 50;

const P = (p: number): number => PERCENTILES.indexOf(p as (typeof PERCENTILES)[number]);
const I50 = P(0.5);
const I95 = P(0.95);
const I99 = P(0.99);

export interface ReportOptions {
  /**
   * The full Aggregated history when the caller has it (stats_history.csv read back, or kept by the
   * caller for a long run); default: the snapshot's recent rows.
   */
  readonly history?: readonly HistoryRow[];
  /** Who writes the report, when not the cicada that ran the test (`cicada report`): `cicada 0.2.0`. */
  readonly generatedBy?: string;
  /** Kept between reports of the same run (live reports every few seconds): only makes them cheaper. */
  readonly cache?: ReportCache;
}

export interface ReportCache {
  /** One merged histogram per third of the run. */
  readonly thirds: readonly IntervalMerger[];
}

export function newReportCache(): ReportCache {
  return { thirds: [new IntervalMerger(), new IntervalMerger(), new IntervalMerger()] };
}

/**
 * How long the run offered load: its run clock (pauses and the time after stop left out). Files
 * from a cicada without it (elapsed 0) fall back to end − start.
 */
export function actualRunMs(s: StatsSnapshot, meta: RunMeta): number {
  return s.run.elapsedMs > 0 ? s.run.elapsedMs : (meta.endedAt ?? s.takenAt) - meta.startedAt;
}

export function buildReportModel(s: StatsSnapshot, meta: RunMeta, opts: ReportOptions = {}): ReportModel {
  const history = opts.history ?? s.history;
  const generatedBy = opts.generatedBy ?? `cicada ${meta.cicadaVersion}`;
  const inProgress = meta.endedAt === null;
  const t = s.total;
  const lengthMs = actualRunMs(s, meta);
  const failures = failureSection(s);
  const stability = stabilitySection(s, history, opts.cache);
  return {
    title: `Load test report: ${meta.scenarioName}`,
    headline: headline(meta.thresholdResults, t, inProgress),
    subtitle: [
      { code: meta.scenarioName },
      ' against ',
      { code: meta.host },
      ` · ${fmtUtc(meta.startedAt)} · ${fmtDuration(lengthMs)}`,
      inProgress ? (meta.snapshot === true ? ' · snapshot' : ' · in progress') : meta.stopReason !== null ? ` · ${meta.stopReason}` : '',
    ],
    inProgress,
    progress: inProgress ? progressNote(meta, lengthMs) : null,
    config: configTable(s, meta, lengthMs),
    totals: totalsTable(s),
    slo: meta.thresholdResults.length > 0 ? sloTable(meta.thresholdResults) : null,
    system:
      meta.monitors === undefined || meta.monitors.length === 0
        ? null
        : { metrics: systemMetricsTable(meta.monitors, meta.thresholdResults), leaks: leakTable(meta.monitors) },
    endpoints: endpointsTable(s),
    responseTimes: responseTimesTable(s),
    statusCodes: statusCodeSection(s),
    classes: classesTable(s),
    failures,
    stability,
    exceptions:
      s.exceptions.length === 0
        ? null
        : {
            head: ['Count', 'Message', 'Where'],
            align: ['r', 'l', 'l'],
            rows: s.exceptions.map((x) => [fmtCount(x.count), { code: x.message }, x.contexts.map((c) => ({ code: c }))]),
          },
    markers: meta.thresholdResults.flatMap((r) =>
      chartMarkers([r.threshold]).map((mk) => ({ ...mk, status: statusOf(r).status, actual: actualOf(r) })),
    ),
    notes: notes(s, meta),
    generatedBy,
  };
}

function classesTable(s: StatsSnapshot): Table | null {
  const r = finalRatio(s.run.classes);
  if (r.classes.length === 0) return null;
  const share = (x: number): string => fmtPercent(x);
  const rows: Cell[][] = [];
  for (const c of r.classes) {
    rows.push([{ strong: c.name }, fmtCount(c.users), share(c.ratio), share(c.ratio), '']);
    for (const t of c.tasks) rows.push([['↳ ', { code: t.name }], '', share(t.ratio), share(t.totalRatio), fmtCount(t.runs)]);
  }
  return { head: ['Class / task', 'Users', 'Ratio', 'Total ratio', 'Iterations'], align: ['l', 'r', 'r', 'r', 'r'], rows };
}

/** The run had not ended when these numbers were taken: a live file, or a snapshot that stays as it is. */
function progressNote(meta: RunMeta, lengthMs: number): Callout {
  if (meta.snapshot === true) {
    return {
      tone: 'info',
      title: `A snapshot, ${fmtDuration(lengthMs)} into the run`,
      text: [
        'These are the numbers at that moment, and they stay as they are; the run went on',
        ...(meta.resultsDir !== null ? [': its own results are in ', { code: meta.resultsDir }] : []),
        '.',
      ],
    };
  }
  return { tone: 'info', title: 'The run is still in progress', text: ['These are the numbers so far; the files are rewritten every few seconds and at the end.'] };
}

function headline(results: readonly ThresholdResult[], t: EndpointStats, inProgress: boolean): ReportModel['headline'] {
  const errors = `${fmtCount(t.requests)} requests, ${fmtPercentOf(t.failures, t.requests)} failed, p95 ${fmtMs(t.percentilesMs[I95] ?? 0)}`;
  if (results.length === 0) return { tone: 'info', text: [`No thresholds set · ${errors}.`] };
  const failed = results.filter((r) => r.passed === false);
  const pending = results.filter((r) => r.passed === null);
  if (failed.length > 0) {
    const list: Inline[] = [];
    failed.forEach((r, i) => list.push(i === 0 ? '' : ', ', { code: r.threshold.source }, ` (${actualOf(r)})`));
    return {
      tone: 'bad',
      text: [{ status: 'fail', text: inProgress ? 'Failing so far' : 'Failed', strong: true }, ` — ${failed.length} of ${results.length} thresholds ${inProgress ? 'are failing' : 'failed'}: `, ...list, `. ${errors}.`],
    };
  }
  if (pending.length > 0) {
    return { tone: 'warn', text: [{ status: 'pending', text: 'Pending', strong: true }, ` — ${pending.length} of ${results.length} thresholds have no data yet. ${errors}.`] };
  }
  return {
    tone: 'good',
    text: [{ status: 'pass', text: inProgress ? 'Passing so far' : 'Passed', strong: true }, ` — all ${results.length} thresholds met. ${errors}.`],
  };
}

function configTable(s: StatsSnapshot, meta: RunMeta, lengthMs: number): Table {
  const rows: Cell[][] = [];
  rows.push(['Scenario', meta.scenarioFile === null ? { code: meta.scenarioName } : [{ code: meta.scenarioName }, ' (', { code: meta.scenarioFile }, ')']]);
  rows.push(['Host', { code: meta.host }]);
  rows.push(['Load', meta.loadModel]);
  if (!meta.loadModel.startsWith('open')) rows.push(['Users', `${fmtCount(meta.users)} (spawn rate ${fmtRate(meta.spawnRate)})`]);
  else rows.push(['Users (at most)', fmtCount(meta.users)]);
  rows.push(['Run time', `${meta.runTimeMs === null ? 'until stopped' : fmtDuration(meta.runTimeMs)} configured, ${fmtDuration(lengthMs)} actual`]);
  rows.push(['Profile', meta.profile === null ? '—' : { code: meta.profile }]);
  rows.push(['Started', fmtUtc(meta.startedAt)]);
  rows.push(['Ended', meta.endedAt !== null ? fmtUtc(meta.endedAt) : meta.snapshot === true ? `not yet: snapshot taken ${fmtUtc(s.takenAt)}, the run went on` : `in progress (report taken ${fmtUtc(s.takenAt)})`]);
  if (meta.stopReason !== null) rows.push(['Stopped because', meta.stopReason]);
  if (meta.exitCode !== null) rows.push(['Exit code', String(meta.exitCode)]);
  rows.push(['cicada', meta.cicadaVersion]);
  rows.push(['Command', { code: meta.commandLine }]);
  if (meta.resultsDir !== null) rows.push(['Results', { code: meta.resultsDir }]);
  return { head: ['Setting', 'Value'], align: ['l', 'l'], rows };
}

function totalsTable(s: StatsSnapshot): Table {
  const t = s.total;
  const p = t.percentilesMs;
  const none = latencySamples(t) === 0;
  const v = (x: number | undefined): string => (none ? '—' : fmtMs(x ?? 0));
  const rows: Cell[][] = [
    ['Total requests', fmtCount(t.requests)],
    ['Successful', `${fmtCount(t.requests - t.failures)} (${fmtPercentOf(t.requests - t.failures, t.requests)})`],
    ['Failed', `${fmtCount(t.failures)} (${fmtPercentOf(t.failures, t.requests)})`],
    ['Throughput', fmtRate(t.rps)],
    ['Median (p50)', v(p[I50])],
    ['Average', v(t.avgMs)],
    ['p95', v(p[I95])],
    ['p99', v(p[I99])],
    ['Min / Max', none ? '—' : `${fmtMs(t.minMs)} / ${fmtMs(t.maxMs)}`],
  ];
  if (t.servicePercentilesMs !== null && !none) {
    const sp = t.servicePercentilesMs;
    rows.push(['Service time p50 / p95 / p99', `${fmtMs(sp[I50] ?? 0)} / ${fmtMs(sp[I95] ?? 0)} / ${fmtMs(sp[I99] ?? 0)} (from the actual send; the rows above count from the intended start)`]);
  }
  const checks = t.checksPassed + t.checksFailed;
  if (checks > 0) rows.push(['Checks passed', `${fmtCount(t.checksPassed)} of ${fmtCount(checks)} (${fmtPercentOf(t.checksPassed, checks)})`]);
  if (s.droppedIterations > 0 || t.servicePercentilesMs !== null) rows.push(['Dropped iterations', fmtCount(s.droppedIterations)]);
  rows.push(['Data received', `${fmtBytes(t.totalBytes)} (${fmtBytes(t.avgBytes)} per response on average)`]);
  return { head: ['Metric', 'Value'], align: ['l', 'r'], rows };
}

/**
 * A threshold's metric as the SLO table's first column says it, in the words a load-test write-up
 * uses ("Median response time", "p95 response time", "Error rate", "Throughput"); the scope is
 * added only for one endpoint (` · GET /items`): a row without one is about all requests.
 */
const METRIC_LABELS: Record<ThresholdMetric, string> = {
  p50: 'Median response time',
  p75: 'p75 response time',
  p90: 'p90 response time',
  p95: 'p95 response time',
  p99: 'p99 response time',
  'p99.9': 'p99.9 response time',
  max: 'Max response time',
  avg: 'Average response time',
  min: 'Min response time',
  error_rate: 'Error rate',
  rps: 'Throughput',
  checks: 'Checks passed',
  requests: 'Requests',
  monitor: 'Monitor',
};

function sloTable(results: readonly ThresholdResult[]): Table {
  return {
    head: ['Metric', 'Target', 'Actual', 'Status'],
    align: ['l', 'l', 'r', 'l'],
    rows: results.map((r) => {
      const th = r.threshold;
      const metric: Inline[] = [METRIC_LABELS[th.metric] ?? th.metric];
      if (th.monitor !== undefined) metric.push(' · ', { code: `${th.monitor.id}.${th.monitor.stat}` });
      else if (th.endpoint !== null) metric.push(' · ', { code: th.endpoint });
      if (th.abortOnFail) metric.push(' (aborts the run)');
      return [metric, formatTarget(th), actualOf(r), statusOf(r)];
    }),
  };
}

/**
 * The measured value as the rest of the report writes numbers: formatted again from the number (a
 * summary.json from an older cicada carries its own wording in `actualText`); monitors keep theirs.
 */
function actualOf(r: ThresholdResult): string {
  return r.threshold.monitor !== undefined || r.actual === null ? r.actualText : formatValue(r.threshold.metric, r.actual, r.threshold.value);
}

function statusOf(r: ThresholdResult): { readonly status: Status; readonly text: string } {
  return r.passed === null ? { status: 'pending', text: 'No data' } : r.passed ? { status: 'pass', text: 'Pass' } : { status: 'fail', text: 'Fail' };
}

function endpointsTable(s: StatsSnapshot): Table {
  const row = (e: EndpointStats, total: boolean): Cell[] => {
    const none = latencySamples(e) === 0;
    const m = (x: number | undefined): string => (none ? '—' : fmtMs(x ?? 0));
    return [
      total ? '' : e.method,
      total ? { strong: 'Aggregated' } : { code: e.name },
      fmtCount(e.requests),
      fmtCount(e.failures),
      fmtPercentOf(e.failures, e.requests),
      m(e.percentilesMs[I50]),
      m(e.percentilesMs[I95]),
      m(e.percentilesMs[I99]),
      m(e.avgMs),
      m(e.minMs),
      m(e.maxMs),
      e.requests > 0 ? fmtBytes(e.avgBytes) : '—',
      fmtNumber(e.rps),
      fmtNumber(e.failuresPerSec),
    ];
  };
  return {
    head: ['Method', 'Name', 'Requests', 'Fails', 'Fail %', 'Median', 'p95', 'p99', 'Avg', 'Min', 'Max', 'Avg size', 'RPS', 'Failures/s'],
    align: ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
    rows: [...s.endpoints.map((e) => row(e, false)), row(s.total, true)],
    totalRow: true,
  };
}

function failureSection(s: StatsSnapshot): ReportModel['failures'] {
  const groups = groupFailures(s.failures, s.total.requests);
  const total = groups.reduce((n, g) => n + g.occurrences, 0);
  if (groups.length === 0) return { total: 0, groups: null, callouts: [], details: null, moreRows: 0 };
  const callouts: Callout[] = [];
  const rate = groups.find((g) => g.kind === 'rateLimit');
  if (rate !== undefined) {
    callouts.push({
      tone: 'warn',
      title: `Rate limited: ${fmtCount(rate.occurrences)} requests (${fmtPercent(rate.shareOfRequests)} of all) got HTTP 429 Too Many Requests`,
      text: [
        'The target throttled the test on ',
        ...endpointList(rate),
        '. Beyond this rate the numbers measure the rate limiter, not the service: raise the limit for the test clients, spread the load over more client identities, or lower the load.',
      ],
    });
  }
  const auth = groups.find((g) => g.kind === 'auth');
  if (auth !== undefined) {
    callouts.push({
      tone: 'bad',
      title: `Authentication failures: ${fmtCount(auth.occurrences)} requests (${fmtPercent(auth.shareOfRequests)} of all) got HTTP 401/403`,
      text: [
        'Rejected on ',
        ...endpointList(auth),
        '. These fail fast and flatter the response times: check the credentials, tokens or API keys the scenario sends (and that a login step captured its token).',
      ],
    });
  }
  const shown = s.failures.slice(0, MAX_FAILURE_ROWS);
  return {
    total,
    groups: {
      head: ['Kind', 'Failures', 'Of all requests', 'Where', 'Errors'],
      align: ['l', 'r', 'r', 'l', 'l'],
      rows: groups.map((g) => [
        g.label,
        fmtCount(g.occurrences),
        fmtPercent(g.shareOfRequests),
        joinCodes(g.endpoints.map((e) => e.endpoint), 3),
        joinCodes(g.errors.map((e) => e.error), 3),
      ]),
    },
    callouts,
    details: {
      head: ['Method', 'Name', 'Error', 'Occurrences', 'First seen', 'Last seen'],
      align: ['l', 'l', 'l', 'r', 'l', 'l'],
      rows: shown.map((f) => [f.method, { code: f.name }, { code: f.error }, fmtCount(f.occurrences), fmtUtc(f.firstSeen), fmtUtc(f.lastSeen)]),
    },
    moreRows: s.failures.length - shown.length,
  };
}

function endpointList(g: FailureGroup): Inline[] {
  const out: Inline[] = [];
  const top = g.endpoints.slice(0, 4);
  top.forEach((e, i) => out.push(i === 0 ? '' : i === top.length - 1 ? ' and ' : ', ', { code: e.endpoint }, ` (${fmtCount(e.occurrences)})`));
  if (g.endpoints.length > top.length) out.push(` and ${g.endpoints.length - top.length} more endpoints`);
  return out.filter((x) => x !== '');
}

function joinCodes(items: readonly string[], max: number): Inline[] {
  const out: Inline[] = [];
  items.slice(0, max).forEach((x, i) => out.push(...(i > 0 ? [', '] : []), { code: x }));
  if (items.length > max) out.push(`, +${items.length - max} more`);
  return out;
}

function stabilitySection(s: StatsSnapshot, history: readonly HistoryRow[], cache: ReportCache | undefined): ReportModel['stability'] {
  const st = stabilityByThirds(s, history, cache?.thirds);
  if (st === null) return { table: null, verdict: null, text: 'No requests were recorded, so there is nothing to compare.', note: '' };
  const m = (v: number | null): string => (v === null ? '—' : fmtMs(v));
  return {
    table: {
      head: ['Part', 'Time', 'Requests', 'RPS', 'Error rate', 'p50', 'p95', 'p99', 'Users'],
      align: ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
      rows: st.thirds.map((t) => [
        t.label,
        `${fmtOffset(t.fromSec)}–${fmtOffset(t.toSec)}`,
        fmtCount(t.requests),
        fmtNumber(t.rps),
        fmtPercent(t.errorRate),
        m(t.p50Ms),
        m(t.p95Ms),
        m(t.p99Ms),
        t.users > 0 ? fmtCount(t.users) : '—',
      ]),
    },
    verdict: st.verdict,
    text: st.text,
    note:
      st.source === 'intervals'
        ? 'Percentiles per third come from merged interval histograms (2 significant digits). Degrading means the last third’s p95 is more than 25% (and 2 ms) above the first’s with clearly more requests slower than it (judged with at least 200 requests in each third), or its error rate clearly more than 1 point higher.'
        : 'These results carry no interval histograms, so percentiles per third are not known; counts and error rates come from the history.',
  };
}

function notes(s: StatsSnapshot, meta: RunMeta): Callout[] {
  const out: Callout[] = [];
  const g = meta.generator;
  const advice: Inline[] = [': response times then include cicada’s own delay. Use ', { code: '--processes' }, ' or a bigger machine.'];
  if (g !== undefined && g.saturatedSeconds > 0) {
    const startSec = s.statsStartedAt / 1000;
    const when = g.episodes.slice(0, 3).map((e) => fmtStretch(e.startedAt / 1000 - startSec, (e.endedAt ?? s.takenAt) / 1000 - startSec));
    const more = g.episodeCount > when.length ? ` and ${g.episodeCount - when.length} more` : '';
    out.push({
      tone: 'warn',
      title: `The load generator was saturated for ${fmtDuration(g.saturatedSeconds * 1000)} of the run`,
      text: [
        `${g.episodeCount === 1 ? 'At' : `${g.episodeCount} episodes, at`} ${when.join(', ')}${more}; peak event-loop lag ${fmtMs(g.peak.eventLoopLagMs)}, CPU ${fmtCpu(g.peak.cpuPercent)} of a core`,
        ...advice,
      ],
    });
  } else if (s.generator.saturated) {
    out.push({
      tone: 'warn',
      title: 'The load generator was saturated',
      text: [`Event-loop lag ${fmtMs(s.generator.eventLoopLagMs)}, CPU ${fmtCpu(s.generator.cpuPercent)} of a core`, ...advice],
    });
  }
  if (s.droppedIterations > 0) {
    out.push({
      tone: 'warn',
      title: `${fmtCount(s.droppedIterations)} iterations could not start`,
      text: ['Every user was busy when they were due (open model): the target rate was not reached. Raise ', { code: 'maxUsers' }, ' or expect the lower rate.'],
    });
  }
  out.push(...workerLossNotes(meta));
  if (s.overflowNames > 0) {
    out.push({
      tone: 'info',
      title: `${fmtCount(s.overflowNames)} request names were grouped`,
      text: ['There were more distinct names than the name cap; give dynamic URLs a ', { code: 'name:' }, ' to group them.'],
    });
  }
  return out;
}

/** A distributed run that lost workers: who, why, and from when its requests went unreported. */
function workerLossNotes(meta: RunMeta): Callout[] {
  const d = meta.distributed;
  if (d === undefined) return [];
  return d.workers
    .filter((w) => w.lost !== null)
    .map((w) => ({
      tone: 'bad' as const,
      title: `Worker ${w.index} (${w.host ?? 'unknown host'}) was lost`,
      text: [
        `${w.lost!.reason}. From ${fmtOffset(w.lost!.unreportedFromMs / 1000)} into the run to its end, its requests are not in these numbers (`,
        { code: `--on-worker-loss ${d.onWorkerLoss}` },
        ').',
      ],
    }));
}
