/**
 * The headless console: Locust's tables, as pure string formatters (the caller prints them).
 *
 * Layout follows Locust's `print_stats` / `print_percentile_stats` / `print_error_report`, column for
 * column, with the name column sized from the terminal width as Locust does
 * (`nameWidth = clamp(columns - 80, 24, 80)`), so widths depend only on `columns` and stay the same
 * between frames. Longer names are cut with `…`; control characters are shown as `?`. Trailing
 * spaces are trimmed. Above the stats table, one line adds what Locust lacks: state, elapsed and
 * remaining time, users (current/target), and warnings for a saturated generator.
 */
import { PERCENTILE_LABELS } from '../stats/types.js';
import type { EndpointStats, StatsSnapshot } from '../stats/types.js';
import { clock } from './format.js';

export interface ConsoleOptions {
  /** Terminal width; default 120. */
  readonly columns?: number;
  /** Rates over the recent window (true, Locust's periodic table) or the whole run (false, its final table). Default: current while the run is not stopped. */
  readonly current?: boolean;
}

const TYPE_WIDTH = 8;

function statsNameWidth(o: ConsoleOptions): number {
  return Math.max(24, Math.min((o.columns ?? 120) - 80, 80));
}

/** Left-aligned in `width`, cut with an ellipsis when longer. */
function left(s: string, width: number): string {
  const chars = Array.from(s.replace(/[\u0000-\u001f\u007f]/g, '?'));
  if (chars.length > width) return `${chars.slice(0, Math.max(0, width - 1)).join('')}…`;
  return chars.join('') + ' '.repeat(width - chars.length);
}

function right(s: string, width: number): string {
  return s.padStart(width);
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
    `State: ${r.state}`,
    `Elapsed: ${clock(r.elapsedMs)}`,
    `Remaining: ${r.remainingMs === null ? 'no limit' : clock(r.remainingMs)}`,
    `Users: ${users}`,
  ];
  if (r.targetRate !== null) parts.push(`Target rate: ${f2(r.targetRate)}/s`);
  if (s.droppedIterations > 0) parts.push(`Dropped iterations: ${s.droppedIterations}`);
  const lines = [parts.join('   ')];
  const engines = formatEngines(s.generator);
  if (engines !== null) lines.push(engines);
  const g = s.generator;
  if (g.saturated) {
    lines.push(
      `WARNING: the load generator is saturated (event-loop lag ${d(g.eventLoopLagMs)} ms, CPU ${d(g.cpuPercent)}%): ` +
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
  return `Engines: ${g.processes.map((p) => `#${p.index + 1} ${p.users} users ${d(p.cpuPercent)}% CPU`).join('   ')}`;
}

function statsRow(e: EndpointStats, nameWidth: number, current: boolean): string {
  const type = left(e.method === '' ? '' : `${e.method} `, TYPE_WIDTH);
  const ratio = e.requests > 0 ? (e.failures / e.requests) * 100 : 0;
  const fails = `${e.failures}(${ratio.toFixed(2)}%)`;
  const rps = current ? e.currentRps : e.rps;
  const fps = current ? e.currentFailuresPerSec : e.failuresPerSec;
  const med = e.requests > 0 ? String(Math.round(e.medianMs)) : '0';
  return (
    `${type} ${left(e.name, nameWidth)} ${right(String(e.requests), 7)} ${right(fails, 12)} |` +
    `${right(d(e.avgMs), 7)} ${right(d(e.minMs), 7)} ${right(d(e.maxMs), 7)}${right(med, 7)} | ` +
    `${right(f2(rps), 7)} ${right(f2(fps), 11)}`
  );
}

/** The run header line(s) and Locust's request statistics table. */
export function formatStatsTable(s: StatsSnapshot, o: ConsoleOptions = {}): string {
  const nameWidth = statsNameWidth(o) - TYPE_WIDTH + 4;
  const current = o.current ?? s.run.state !== 'stopped';
  const header =
    `${left('Type', TYPE_WIDTH)} ${left('Name', nameWidth)} ${right('# reqs', 7)} ${right('# fails', 12)} |` +
    `${right('Avg', 7)} ${right('Min', 7)} ${right('Max', 7)}${right('Med', 7)} | ${right('req/s', 7)} ${right('failures/s', 11)}`;
  const sep = ['-'.repeat(TYPE_WIDTH), '-'.repeat(nameWidth), '-'.repeat(7), '-'.repeat(13), '-'.repeat(7), '-'.repeat(7), '-'.repeat(7), '-'.repeat(7), '-'.repeat(8), '-'.repeat(11)].join('|');
  return trimLines([
    formatRunHeader(s),
    header,
    sep,
    ...s.endpoints.map((e) => statsRow(e, nameWidth, current)),
    sep,
    statsRow(s.total, nameWidth, current),
  ]);
}

/** Locust's "Response time percentiles (approximated)" table (rows with requests only). */
export function formatPercentileTable(s: StatsSnapshot, o: ConsoleOptions = {}): string {
  // Eleven percentile columns and the count take 95 characters; the name gets the rest of the width.
  const nameWidth = Math.max(16, Math.min(statsNameWidth(o), (o.columns ?? 120) - 95));
  const [first, ...rest] = PERCENTILE_LABELS;
  const header = `${left('Type', TYPE_WIDTH)} ${left('Name', nameWidth)} ${right(first, 8)} ${[...rest, '# reqs'].map((h) => right(h, 6)).join(' ')}`;
  const sep = `${'-'.repeat(TYPE_WIDTH)}|${'-'.repeat(nameWidth)}|${'-'.repeat(8)}|${Array.from(PERCENTILE_LABELS, () => '-'.repeat(6)).join('|')}`;
  const row = (e: EndpointStats): string => {
    const [p0, ...ps] = e.percentilesMs.map((v) => String(Math.round(v)));
    return `${left(e.method, TYPE_WIDTH)} ${left(e.name, nameWidth)} ${right(p0 ?? '0', 8)} ${[...ps, String(e.requests)].map((v) => right(v, 6)).join(' ')}`;
  };
  const lines = ['Response time percentiles (approximated)', header, sep, ...s.endpoints.filter((e) => e.requests > 0).map(row), sep];
  if (s.total.requests > 0) lines.push(row(s.total));
  return trimLines(lines);
}

/** Locust's "Error report": occurrences and `METHOD name: error`, most frequent first. */
export function formatErrorReport(s: StatsSnapshot, o: ConsoleOptions = {}): string {
  const sep = `${'-'.repeat(18)}|${'-'.repeat(80 + statsNameWidth(o) - 19)}`;
  const lines = ['Error report', `${left('# occurrences', 18)} Error`, sep];
  for (const f of s.failures) lines.push(`${left(String(f.occurrences), 18)} ${left(`${f.method} ${f.name}: ${f.error}`, 80 + statsNameWidth(o) - 19)}`);
  lines.push(sep);
  return trimLines(lines);
}

/** Errors raised inside cicada's task code, if any (Locust does not print these; an empty string when none). */
export function formatExceptionReport(s: StatsSnapshot, o: ConsoleOptions = {}): string {
  if (s.exceptions.length === 0) return '';
  const width = 80 + statsNameWidth(o) - 19;
  const lines = ['Exceptions (errors in the test itself, not the target)', `${left('# count', 18)} Message (where)`];
  for (const x of s.exceptions) lines.push(`${left(String(x.count), 18)} ${left(`${x.message} (${x.context})`, width)}`);
  return trimLines(lines);
}

/** What is printed at the end: the stats table (whole-run rates), percentiles, errors, exceptions. */
export function formatFinalSummary(s: StatsSnapshot, o: ConsoleOptions = {}): string {
  const parts = [
    formatStatsTable(s, { ...o, current: o.current ?? false }),
    formatPercentileTable(s, o),
    formatErrorReport(s, o),
    formatExceptionReport(s, o),
  ];
  return parts.filter((p) => p !== '').join('\n\n');
}
