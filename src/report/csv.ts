/**
 * Locust-compatible CSV files (see `LOCUST-FORMATS.md`), as strings: the header rows are Locust's,
 * byte for byte; cells follow Locust's types (counts and percentile cells as integers — whole ms,
 * rounded — averages, min/max and rates as Python-style floats). Quoting is RFC 4180 as Python's
 * `csv` module does it (a cell with a comma, quote, CR or LF is quoted, quotes doubled), and every
 * line ends with CRLF, as Python's `csv.writer` (and RFC 4180) end them.
 *
 * Differences from Locust, on purpose: percentiles come from HDR histograms and "Median" equals
 * "50%"; history percentiles are over the recent window, N/A when the window holds no request.
 */
import { PERCENTILE_LABELS, latencySamples } from '../stats/types.js';
import type { EndpointStats, HistoryRow, StatsSnapshot } from '../stats/types.js';
import { int, isoSeconds, pyFloat } from './format.js';

export const CSV_EOL = '\r\n';

const PCT = PERCENTILE_LABELS.join(',');
export const STATS_HEADER =
  'Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,Min Response Time,' +
  `Max Response Time,Average Content Size,Requests/s,Failures/s,${PCT}`;
export const HISTORY_HEADER =
  `Timestamp,User Count,Type,Name,Requests/s,Failures/s,${PCT},Total Request Count,Total Failure Count,` +
  'Total Median Response Time,Total Average Response Time,Total Min Response Time,Total Max Response Time,' +
  'Total Average Content Size';
export const FAILURES_HEADER = 'Method,Name,Error,Occurrences,First Seen,Last Seen';
export const EXCEPTIONS_HEADER = 'Count,Message,Traceback,Nodes';

const NA_PERCENTILES = PERCENTILE_LABELS.map(() => 'N/A');

/** One CSV cell: quoted when it holds a comma, a quote, CR or LF. */
export function csvCell(value: string | number): string {
  const s = typeof value === 'number' ? String(value) : value;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

function line(cells: readonly (string | number)[]): string {
  return cells.map(csvCell).join(',') + CSV_EOL;
}

function percentileCells(values: readonly number[], hasRequests: boolean): string[] {
  return hasRequests ? values.map(int) : NA_PERCENTILES;
}

function statsLine(e: EndpointStats): string {
  const n = latencySamples(e);
  return line([
    e.method,
    e.name,
    int(e.requests),
    int(e.failures),
    int(e.medianMs),
    pyFloat(e.avgMs),
    n > 0 ? pyFloat(e.minMs) : '0',
    n > 0 ? pyFloat(e.maxMs) : '0',
    pyFloat(e.avgBytes),
    pyFloat(e.rps),
    pyFloat(e.failuresPerSec),
    ...percentileCells(e.percentilesMs, n > 0),
  ]);
}

/** `stats.csv`: a row per (method, name) sorted by name then method, then Aggregated with an empty Type. */
export function statsCsv(s: StatsSnapshot): string {
  return STATS_HEADER + CSV_EOL + s.endpoints.map(statsLine).join('') + statsLine(s.total);
}

/** `failures.csv`: a row per (method, name, error), most occurrences first; times in UTC. */
export function failuresCsv(s: StatsSnapshot): string {
  const rows = s.failures.map((f) =>
    line([f.method, f.name, f.error, int(f.occurrences), isoSeconds(f.firstSeen), isoSeconds(f.lastSeen)]),
  );
  return FAILURES_HEADER + CSV_EOL + rows.join('');
}

/** `exceptions.csv`: errors raised inside cicada's own task code. "Nodes" holds where they happened. */
export function exceptionsCsv(s: StatsSnapshot): string {
  const rows = s.exceptions.map((x) => line([int(x.count), x.message, x.traceback, x.context]));
  return EXCEPTIONS_HEADER + CSV_EOL + rows.join('');
}

/** The header line of `stats_history.csv`, CRLF included (written once, then rows are appended). */
export function historyCsvHeader(): string {
  return HISTORY_HEADER + CSV_EOL;
}

/** History rows as CSV lines (CRLF each): Unix-second timestamps, window rates and percentiles, cumulative totals. */
export function historyCsvRows(rows: readonly HistoryRow[]): string {
  let out = '';
  for (const r of rows) {
    const any = r.totalRequests > 0;
    out += line([
      int(r.timestamp),
      int(r.userCount),
      r.method,
      r.name,
      pyFloat(r.rps),
      pyFloat(r.failuresPerSec),
      ...percentileCells(r.percentilesMs, r.windowRequests > 0),
      int(r.totalRequests),
      int(r.totalFailures),
      int(r.totalMedianMs),
      pyFloat(r.totalAvgMs),
      any ? pyFloat(r.totalMinMs) : '0',
      any ? pyFloat(r.totalMaxMs) : '0',
      pyFloat(r.totalAvgBytes),
    ]);
  }
  return out;
}
