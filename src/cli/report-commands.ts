/**
 * `cicada report DIR` writes `report.md` and `report.html` again from a results directory
 * (`summary.json`, and `stats_history.csv` for the whole run's history); `cicada compare A B`
 * compares two runs and exits 1 on a regression. Both exit 2 on bad input: a missing directory,
 * one that is not a cicada results directory, an unreadable or foreign `summary.json`, a bad flag.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { resolveRunRef, runBefore } from './run-refs.js';
import meow from 'meow';
import { comparisonJson, compareRuns, DEFAULT_TOLERANCE, formatComparison, type ComparedRun, type Tolerance } from '../report/compare.js';
import { parseHistoryCsv, parseSummary, ResultsFormatError, type LoadedResults } from '../report/load-results.js';
import { reportFiles } from '../report/reports.js';
import type { HistoryRow } from '../stats/types.js';
import { writeFileAtomic } from './atomic.js';
import { fmtCount, fmtDuration } from '../stats/format.js';
import { EXIT, type Output } from './output.js';

export const reportHelp = `
  Usage
    $ cicada report <results-dir> [--partial]

  Writes report.md and report.html again into a results directory, from its summary.json and
  stats_history.csv (the whole run's history, for the charts). Use it after changing cicada, or
  on results copied from another machine.

  A summary.json written while the run was still going (the run was killed, or its final files
  could not be written) is refused: the reports would show part of the run as if it were all.
  --partial writes them from it anyway, and says what it used. A snapshot's directory
  (<results-dir>/snapshots/<elapsed>/, written by e, SIGUSR1 or --snapshot-every) is the run at
  that moment and is rendered as such.

  Options
    --partial              Accept a summary.json that is not the run's final one

  Example
    $ cicada report results/slo-20261122-164206

  Exit codes
    0 written · 2 the directory is missing, not a cicada results directory, or not final (without --partial)
`;

export const compareHelp = `
  Usage
    $ cicada compare <baseline-dir> <candidate-dir> [options]
    $ cicada compare latest [options]

  Compares two runs per endpoint and for Aggregated — requests, requests/s, p50, p95, p99 and
  error rate — with the first as the baseline, and flags regressions:
    p50/p95/p99   more than --tolerance above the baseline (and at least 1 ms)
    requests/s    more than --tolerance below the baseline
    error rate    more than --error-tolerance percentage points above the baseline
  Rows with fewer than --min-requests requests in either run are shown but not judged.
  Endpoints in only one run are listed as added or removed. Each argument is a results
  directory, a summary.json file, latest (the newest finished run) or a run's name under the
  results directory. A single argument is the candidate, compared with the run before it.

  Options
    --tolerance P          Allowed change of latency and throughput, percent (default 10%)
    --error-tolerance P    Allowed rise of the error rate, percentage points (default 0.5%)
    --min-requests N       Judge only rows with at least N requests in both runs (default 20)
    --results-dir DIR      Where latest and run names are looked up (default: results)
    --json                 Print the comparison as JSON (schema cicada.compare/1)

  Examples
    $ cicada compare results/slo-20261120-101500 results/slo-20261122-164206
    $ cicada compare baseline/summary.json results/latest --tolerance 5% --error-tolerance 0.1% --json

  Exit codes
    0 no regression · 1 a regression beyond tolerance · 2 bad input
`;

export async function reportCommand(argv: readonly string[], out: Output, version: string): Promise<number> {
  const cli = meow(reportHelp, { description: false, importMeta: import.meta, argv: [...argv], version, allowUnknownFlags: false, flags: { partial: { type: 'boolean', default: false } } });
  const [dir, extra] = cli.input;
  if (dir === undefined || extra !== undefined) {
    out.error(dir === undefined ? 'a results directory is required: cicada report results/<run>' : `one results directory at a time (got "${dir}" and "${extra}")`);
    return EXIT.badInput;
  }
  const loaded = loadRun(dir, out, 'dir');
  if (loaded === null) return EXIT.badInput;
  // A snapshot (snapshots/<elapsed>/) is the run at one moment, by design: it is rendered as one.
  if (loaded.meta.endedAt === null && loaded.meta.snapshot !== true) {
    const run = loaded.snapshot.run;
    const what = `${join(loaded.dir, 'summary.json')} is not final: it was written while the run was ${run.state} (${fmtCount(loaded.snapshot.total.requests)} requests, ${fmtDuration(run.elapsedMs)} in)`;
    if (!cli.flags.partial) {
      out.error(`${what}; the run's final files were never written (killed, or the disk was full). Use --partial to write the reports from it anyway`);
      return EXIT.badInput;
    }
    out.warn(`${what}; writing the reports from it as asked (--partial)`);
  }
  const files = reportFiles(loaded.snapshot, loaded.meta, {
    ...(loaded.history !== null ? { history: loaded.history } : {}),
    generatedBy: `cicada ${version}`,
  });
  for (const [name, content] of Object.entries(files)) {
    const path = join(loaded.dir, name);
    try {
      writeFileAtomic(path, content);
    } catch (err) {
      out.error(`could not write ${path}: ${(err as Error).message}`);
      return EXIT.crashed;
    }
    out.print(path);
  }
  return EXIT.ok;
}

export async function compareCommand(argv: readonly string[], out: Output, version: string): Promise<number> {
  const cli = meow(compareHelp, {
    description: false,
    importMeta: import.meta,
    argv: [...argv],
    version,
    allowUnknownFlags: false,
    flags: {
      tolerance: { type: 'string' },
      errorTolerance: { type: 'string' },
      minRequests: { type: 'string' },
      json: { type: 'boolean', default: false },
      resultsDir: { type: 'string', default: 'results' },
    },
  });
  const problems: string[] = [];
  const base = cli.flags.resultsDir;
  // A run named by reference (latest, a run's name) is looked up under --results-dir.
  const ref = (given: string): string => resolveRunRef(given, base) ?? given;
  let [dirA, dirB, extra] = cli.input.map(ref);
  if (dirA !== undefined && dirB === undefined) {
    // One run: it is the candidate, the run before it the baseline.
    const before = existsSync(dirA) ? runBefore(dirA, dirname(resolve(dirA))) : null;
    if (before === null) problems.push(`${cli.input[0]}: ${existsSync(dirA) ? 'no earlier run beside it to compare with' : 'no such run'}; give two: cicada compare <baseline-dir> <candidate-dir>`);
    else [dirA, dirB] = [before, dirA];
  }
  if (problems.length === 0 && (dirA === undefined || dirB === undefined)) problems.push('two runs are required: cicada compare <baseline-dir> <candidate-dir>');
  if (extra !== undefined) problems.push(`compare takes two runs, got ${cli.input.length}: ${cli.input.join(', ')}`);
  const tolerance = toleranceFrom(cli.flags, problems);
  if (problems.length > 0 || dirA === undefined || dirB === undefined) {
    for (const p of problems) out.error(p);
    return EXIT.badInput;
  }
  const a = loadRun(dirA, out, 'dir or file');
  const b = loadRun(dirB, out, 'dir or file');
  if (a === null || b === null) return EXIT.badInput;
  const run = (label: string, l: Loaded): ComparedRun => ({ label, snapshot: l.snapshot, meta: l.meta });
  const comparison = compareRuns(run(dirA, a), run(dirB, b), tolerance);
  out.print(cli.flags.json ? JSON.stringify(comparisonJson(comparison), null, 2) : formatComparison(comparison));
  return comparison.verdict === 'regression' ? EXIT.failed : EXIT.ok;
}

/**
 * `10%` or `10` → 0.1. Percent either way; a bare number is not a fraction (`0.1` means 0.1%).
 */
export function parsePercent(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*%?\s*$/.exec(text);
  if (m === null) return null;
  const v = Number(m[1]) / 100;
  return Number.isFinite(v) ? v : null;
}

function toleranceFrom(flags: { tolerance?: string | undefined; errorTolerance?: string | undefined; minRequests?: string | undefined }, problems: string[]): Tolerance {
  let t: Tolerance = DEFAULT_TOLERANCE;
  if (flags.tolerance !== undefined) {
    const v = parsePercent(flags.tolerance);
    if (v === null || v > 10) problems.push(`--tolerance: expected a percentage like 10%, got "${flags.tolerance}"`);
    else t = { ...t, latency: v, rps: v };
  }
  if (flags.errorTolerance !== undefined) {
    const v = parsePercent(flags.errorTolerance);
    if (v === null || v > 1) problems.push(`--error-tolerance: expected percentage points like 0.5%, got "${flags.errorTolerance}"`);
    else t = { ...t, errorRatePoints: v };
  }
  if (flags.minRequests !== undefined) {
    if (!/^\d+$/.test(flags.minRequests.trim())) problems.push(`--min-requests: expected a whole number, got "${flags.minRequests}"`);
    else t = { ...t, minRequests: Number(flags.minRequests) };
  }
  return t;
}

export interface Loaded extends LoadedResults {
  /** The results directory (absolute). */
  readonly dir: string;
  /** From stats_history.csv, or null when there is none. */
  readonly history: HistoryRow[] | null;
}

/** Reads a results directory (or, with `accept` = `dir or file`, a summary.json); null after reporting the problem. */
export function loadRun(given: string, out: Output, accept: 'dir' | 'dir or file'): Loaded | null {
  const path = resolve(given);
  if (!existsSync(path)) {
    out.error(`${given}: no such ${accept === 'dir' ? 'directory' : 'directory or file'}`);
    return null;
  }
  let dir = path;
  let summaryPath = join(path, 'summary.json');
  if (!statSync(path).isDirectory()) {
    if (accept === 'dir') {
      out.error(`${given} is a file; give the results directory that holds it`);
      return null;
    }
    dir = resolve(path, '..');
    summaryPath = path;
  } else if (!existsSync(summaryPath)) {
    const newest = newestRun(path);
    out.error(
      `${given} is not a cicada results directory (it has no summary.json)` +
        (newest !== null ? `; it holds runs — the newest is ${join(given, newest)}` : ''),
    );
    return null;
  }
  let loaded: LoadedResults;
  try {
    loaded = parseSummary(readFileSync(summaryPath, 'utf8'), summaryPath === join(dir, 'summary.json') ? join(given, 'summary.json') : given);
  } catch (err) {
    if (err instanceof ResultsFormatError) {
      out.error(err.message);
      return null;
    }
    out.error(`cannot read ${summaryPath}: ${(err as Error).message}`);
    return null;
  }
  let history: HistoryRow[] | null = null;
  const historyPath = join(dir, 'stats_history.csv');
  if (summaryPath === join(dir, 'summary.json') && existsSync(historyPath)) {
    try {
      history = parseHistoryCsv(readFileSync(historyPath, 'utf8'), join(given, 'stats_history.csv'));
    } catch (err) {
      out.warn(`${(err as Error).message}; the charts use the history in summary.json`);
    }
  }
  return { ...loaded, dir, history };
}

/** The newest subdirectory holding a summary.json, by name (they end in a timestamp), or null. */
function newestRun(dir: string): string | null {
  try {
    const runs = readdirSync(dir, { withFileTypes: true })
      .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, 'summary.json')))
      .map((d) => d.name)
      .sort((x, y) => (stamp(x) < stamp(y) ? -1 : stamp(x) > stamp(y) ? 1 : 0));
    return runs.at(-1) ?? null;
  } catch {
    return null;
  }
}

function stamp(name: string): string {
  return /(\d{8}-\d{6})(?:-\d+)?$/.exec(basename(name))?.[1] ?? name;
}
