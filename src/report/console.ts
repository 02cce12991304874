/**
 * The headless console: Locust's tables, as pure string formatters (the caller prints them).
 *
 * Layout follows Locust's `print_stats` / `print_percentile_stats` / `print_error_report`, column for
 * column, with the name column sized from the terminal width as Locust does
 * (`nameWidth = clamp(columns - 80, 24, 80)`), so widths depend only on `columns` and stay the same
 * between frames. Unlike Locust, every table fits `columns`: in a narrower terminal the name column
 * shrinks (to 16) and then the least needed columns go (failures/s, Min, Avg; in the percentile
 * table 99.99%, 99.9%, 66%, 80%, 98%, 75%). Longer names are cut with `…`; control characters are
 * shown as `?`. Trailing spaces are trimmed. Above the stats table, one line adds what Locust lacks:
 * state, elapsed and remaining time, users (current/target), and warnings for a saturated generator.
 *
 * Every latency cell goes through one rounding (`msCell`): whole milliseconds as Locust prints them,
 * rounded (not truncated), and two decimals below a millisecond (`0.42`, as in the TUI). Rounding is
 * monotonic and the snapshot's median and percentiles never exceed its exact max (100% is the max),
 * so no row shows Median > Max or 100% > Max.
 */
import { shownState } from '../stats/run-state.js';
import { fit, textWidth } from '../stats/text-width.js';
import { PERCENTILE_LABELS, latencySamples } from '../stats/types.js';
import type { EndpointStats, StatsSnapshot } from '../stats/types.js';
import { formatTarget, type ThresholdResult } from '../stats/thresholds.js';
import { finalRatio } from './class-ratio.js';
import { fmtCpu, fmtElapsed, fmtMs, fmtRate } from '../stats/format.js';

export interface ConsoleOptions {
  /** Terminal width; default 120. */
  readonly columns?: number;
  /** Rates over the recent window (true, Locust's periodic table) or the whole run (false, its final table). Default: current while the run is not stopped. */
  readonly current?: boolean;
}

const TYPE_WIDTH = 8;

const MIN_NAME = 16;

function columnsOf(o: ConsoleOptions): number {
  return o.columns ?? 120;
}

function statsNameWidth(o: ConsoleOptions): number {
  return Math.max(24, Math.min(columnsOf(o) - 80, 80));
}

/**
 * A latency for a table cell: `0`, `0.42` below a millisecond, else whole milliseconds rounded
 * (`4`, `1285`). The one rounding of every latency cell of the console.
 */
export function msCell(ms: number): string {
  if (!Number.isFinite(ms) || ms <= 0) return '0';
  if (ms < 0.995) return ms.toFixed(2);
  return String(Math.round(ms));
}

/** Left-aligned in `width` display columns (emoji and wide characters count as they show), cut with an ellipsis when longer. */
function left(s: string, width: number): string {
  // eslint-disable-next-line no-control-regex
  return fit(s.replace(/[\u0000-\u001f\u007f]/g, '?'), width);
}

function right(s: string, width: number): string {
  return fit(s, Math.max(width, textWidth(s)), 'right');
}

/** Python's `%d` of a float: truncation toward zero. */
function d(x: number): string {
  return Number.isFinite(x) ? String(Math.trunc(x)) : '0';
}

function f2(x: number): string {
  return (Number.isFinite(x) ? x : 0).toFixed(2);
}

function trimLines(lines: readonly string[]): string {
  return lines.map((l) => l.trimEnd()).join('\n');
}

/** One line of context Locust does not print: state, elapsed/remaining time, users, and warnings. */
export function formatRunHeader(s: StatsSnapshot): string {
  const r = s.run;
  const users = r.users === r.targetUsers ? `${r.users}/${r.targetUsers}` : `${r.users}/${r.targetUsers} (${r.spawnRate}/s)`;
  const parts = [
    `State: ${shownState(r)}`,
    `Elapsed: ${fmtElapsed(r.elapsedMs)}`,
    `Remaining: ${r.remainingMs === null ? 'no limit' : fmtElapsed(r.remainingMs)}`,
    `Users: ${users}`,
  ];
  if (r.targetRate !== null) parts.push(`Target rate: ${fmtRate(r.targetRate)}`);
  if (s.droppedIterations > 0) parts.push(`Dropped iterations: ${s.droppedIterations}`);
  const lines = [parts.join('   ')];
  const engines = formatEngines(s.generator);
  if (engines !== null) lines.push(engines);
  const g = s.generator;
  if (g.saturated) {
    lines.push(
      `WARNING: the load generator is saturated (event-loop lag ${fmtMs(g.eventLoopLagMs)}, CPU ${fmtCpu(g.cpuPercent)}): ` +
        'latencies include cicada’s own delay; use fewer users per process or --processes',
    );
  }
  if (s.overflowNames > 0) {
    lines.push(`WARNING: ${s.overflowNames} request names were grouped under "(other: …)"; give dynamic URLs a name:`);
  }
  return lines.join('\n');
}

/**
 * `--processes`: each engine thread's users and CPU on one line, as in the TUI's status bar, so an
 * uneven or saturated one stands out: `Engines: #1 20 users 45% CPU   #2 20 users 43% CPU`.
 */
export function formatEngines(g: StatsSnapshot['generator']): string | null {
  if (g.processes === undefined || g.processes.length === 0) return null;
  return `Engines: ${g.processes.map((p) => `#${p.index} ${p.users} users ${fmtCpu(p.cpuPercent)} CPU`).join('   ')}`;
}

/** Which optional columns of the stats table are shown, and the name column's width. */
interface StatsLayout {
  readonly nameWidth: number;
  readonly avg: boolean;
  readonly min: boolean;
  readonly fps: boolean;
}

/** Locust's widths at 104 columns or more; below that the name shrinks, then columns go. */
function statsLayout(o: ConsoleOptions): StatsLayout {
  const columns = columnsOf(o);
  const locust = statsNameWidth(o) - TYPE_WIDTH + 4;
  const fixed = (l: Omit<StatsLayout, 'nameWidth'>): number => 56 + (l.avg ? 8 : 0) + (l.min ? 8 : 0) + (l.fps ? 12 : 0);
  const tries: Omit<StatsLayout, 'nameWidth'>[] = [
    { avg: true, min: true, fps: true },
    { avg: true, min: true, fps: false },
    { avg: true, min: false, fps: false },
    { avg: false, min: false, fps: false },
  ];
  for (const t of tries) {
    const room = columns - fixed(t);
    if (room >= MIN_NAME) return { ...t, nameWidth: Math.min(locust, room) };
  }
  return { ...tries[tries.length - 1]!, nameWidth: MIN_NAME };
}

function statsRow(e: EndpointStats, l: StatsLayout, current: boolean): string {
  const type = left(e.method === '' ? '' : `${e.method} `, TYPE_WIDTH);
  const ratio = e.requests > 0 ? (e.failures / e.requests) * 100 : 0;
  const fails = `${e.failures}(${ratio.toFixed(2)}%)`;
  const rps = current ? e.currentRps : e.rps;
  const fps = current ? e.currentFailuresPerSec : e.failuresPerSec;
  const sent = latencySamples(e) > 0;
  const cell = (ms: number): string => right(sent ? msCell(ms) : '0', 7);
  return (
    `${type} ${left(e.name, l.nameWidth)} ${right(String(e.requests), 7)} ${right(fails, 12)} |` +
    `${l.avg ? `${cell(e.avgMs)} ` : ''}${l.min ? `${cell(e.minMs)} ` : ''}${cell(e.maxMs)}${cell(e.medianMs)} | ` +
    `${right(f2(rps), 7)}${l.fps ? ` ${right(f2(fps), 11)}` : ''}`
  );
}

/** The run header line(s) and Locust's request statistics table. */
export function formatStatsTable(s: StatsSnapshot, o: ConsoleOptions = {}): string {
  const l = statsLayout(o);
  const current = o.current ?? s.run.state !== 'stopped';
  const header =
    `${left('Type', TYPE_WIDTH)} ${left('Name', l.nameWidth)} ${right('# reqs', 7)} ${right('# fails', 12)} |` +
    `${l.avg ? `${right('Avg', 7)} ` : ''}${l.min ? `${right('Min', 7)} ` : ''}${right('Max', 7)}${right('Med', 7)} | ${right('req/s', 7)}${l.fps ? ` ${right('failures/s', 11)}` : ''}`;
  const widths = [TYPE_WIDTH, l.nameWidth, 7, 13, ...(l.avg ? [7] : []), ...(l.min ? [7] : []), 7, 7, 8, ...(l.fps ? [11] : [])];
  const sep = widths.map((w) => '-'.repeat(w)).join('|');
  return trimLines([
    formatRunHeader(s),
    header,
    sep,
    ...s.endpoints.map((e) => statsRow(e, l, current)),
    sep,
    statsRow(s.total, l, current),
  ]);
}

/** Locust's "Response time percentiles (approximated)" table (rows with requests only). */
export function formatPercentileTable(s: StatsSnapshot, o: ConsoleOptions = {}): string {
  // Eleven percentile columns and the count take 95 characters; the name gets the rest of the width,
  // and in a narrow terminal the least telling percentiles go (each takes 7).
  const columns = columnsOf(o);
  const shown = PERCENTILE_LABELS.map((_, i) => i);
  for (const drop of PERCENTILE_DROP_ORDER) {
    if (columns - (95 - 7 * (PERCENTILE_LABELS.length - shown.length)) >= MIN_NAME) break;
    shown.splice(shown.indexOf(PERCENTILE_LABELS.indexOf(drop)), 1);
  }
  const fixedWidth = 95 - 7 * (PERCENTILE_LABELS.length - shown.length);
  const nameWidth = Math.max(MIN_NAME, Math.min(statsNameWidth(o), columns - fixedWidth));
  const labels = shown.map((i) => PERCENTILE_LABELS[i]!);
  const [first, ...rest] = labels;
  const header = `${left('Type', TYPE_WIDTH)} ${left('Name', nameWidth)} ${right(first!, 8)} ${[...rest, '# reqs'].map((h) => right(h, 6)).join(' ')}`;
  const sep = `${'-'.repeat(TYPE_WIDTH)}|${'-'.repeat(nameWidth)}|${'-'.repeat(8)}|${labels.map(() => '-'.repeat(6)).join('|')}`;
  const row = (e: EndpointStats): string => {
    const [p0, ...ps] = shown.map((i) => msCell(e.percentilesMs[i] ?? 0));
    return `${left(e.method, TYPE_WIDTH)} ${left(e.name, nameWidth)} ${right(p0 ?? '0', 8)} ${[...ps, String(latencySamples(e))].map((v) => right(v, 6)).join(' ')}`;
  };
  const lines = ['Response time percentiles (approximated)', header, sep, ...s.endpoints.filter((e) => latencySamples(e) > 0).map(row), sep];
  if (latencySamples(s.total) > 0) lines.push(row(s.total));
  return trimLines(lines);
}

/** Percentile columns a narrow terminal drops, first to last. */
const PERCENTILE_DROP_ORDER = ['99.99%', '99.9%', '66%', '80%', '98%', '75%', '90%'] as const;

/** The width of the message column of the error and exception reports. */
function messageWidth(o: ConsoleOptions): number {
  return Math.max(MIN_NAME, Math.min(80 + statsNameWidth(o) - 19, columnsOf(o) - 19));
}

/** Locust's "Error report": occurrences and `METHOD name: error`, most frequent first. */
export function formatErrorReport(s: StatsSnapshot, o: ConsoleOptions = {}): string {
  const width = messageWidth(o);
  const sep = `${'-'.repeat(18)}|${'-'.repeat(width)}`;
  const lines = ['Error report', `${left('# occurrences', 18)} Error`, sep];
  for (const f of s.failures) lines.push(`${left(String(f.occurrences), 18)} ${left(`${f.method} ${f.name}: ${f.error}`, width)}`);
  lines.push(sep);
  return trimLines(lines);
}

/** Errors raised inside cicada's task code, if any (Locust does not print these; an empty string when none). */
export function formatExceptionReport(s: StatsSnapshot, o: ConsoleOptions = {}): string {
  if (s.exceptions.length === 0) return '';
  const width = messageWidth(o);
  const lines = ['Exceptions (errors in the test itself, not the target)', `${left('# count', 18)} Message (where)`];
  for (const x of s.exceptions) lines.push(`${left(String(x.count), 18)} ${left(`${x.message} (${x.context})`, width)}`);
  return trimLines(lines);
}

/**
 * Locust's final ratio (`--show-task-ratio`'s layout with the user counts): users per class when
 * the run stopped and its share, then each task's share of its class and of all users (by weight).
 * An empty string without classes.
 */
export function formatClassRatio(s: StatsSnapshot, o: ConsoleOptions = {}): string {
  const r = finalRatio(s.run.classes);
  if (r.classes.length === 0) return '';
  // Locust's ratio table, column for column: one decimal always ('70.0%'), as --show-task-ratio.
  const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
  const longest = Math.max(...r.classes.flatMap((c) => [c.name.length, ...c.tasks.map((t) => t.name.length + 2)]));
  const nameWidth = Math.max(MIN_NAME, Math.min(longest, 60, columnsOf(o) - 33));
  const lines = [
    `Final ratio: ${r.users} users (tasks by weight: % of their class, % of all)`,
    `${right('Users', 7)} ${right('Ratio', 7)} ${right('Total', 7)}  ${left('Class / task', nameWidth)} ${right('Runs', 7)}`,
    `${'-'.repeat(7)}|${'-'.repeat(7)}|${'-'.repeat(7)}|${'-'.repeat(nameWidth + 1)}|${'-'.repeat(7)}`,
  ];
  for (const c of r.classes) {
    lines.push(`${right(String(c.users), 7)} ${right(pct(c.ratio), 7)} ${right(pct(c.ratio), 7)}  ${left(c.name, nameWidth)}`);
    for (const t of c.tasks) {
      lines.push(`${right('', 7)} ${right(pct(t.ratio), 7)} ${right(pct(t.totalRatio), 7)}    ${left(t.name, nameWidth - 2)} ${right(String(t.runs), 7)}`);
    }
  }
  return trimLines(lines);
}

/**
 * The end of every final summary (headless, `--only-summary`, after the TUI): each threshold with
 * ✓/✗, its target and the actual value, then the verdict line (`PASSED` or `FAILED: <reasons>`).
 */
export function formatVerdict(thresholds: readonly ThresholdResult[], verdictLine: string, o: ConsoleOptions = {}): string {
  const lines: string[] = [];
  if (thresholds.length > 0) {
    const width = Math.max(MIN_NAME, Math.min(50, columnsOf(o) - 36, Math.max(...thresholds.map((t) => t.threshold.source.length))));
    lines.push('', 'Thresholds');
    for (const t of thresholds) {
      const mark = t.passed === true ? '✓' : '✗';
      lines.push(`  ${mark} ${left(t.threshold.source, width)}  target ${left(formatTarget(t.threshold), 12)}  actual ${t.actualText}`);
    }
    lines.push('');
  }
  lines.push(verdictLine);
  return trimLines(lines);
}

/** What is printed at the end: the stats table (whole-run rates), percentiles, errors, exceptions, class ratio. */
export function formatFinalSummary(s: StatsSnapshot, o: ConsoleOptions = {}): string {
  const parts = [
    formatStatsTable(s, { ...o, current: o.current ?? false }),
    formatPercentileTable(s, o),
    formatErrorReport(s, o),
    formatExceptionReport(s, o),
    formatClassRatio(s, o),
  ];
  return parts.filter((p) => p !== '').join('\n\n');
}
