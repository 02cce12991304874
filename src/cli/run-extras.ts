/**
 * Locust's extras around a run, kept out of run.ts's main line: `-l/--list` and
 * `--show-task-ratio(-json)` (print and exit), `--json -` (summary.json to stdout, tables and
 * messages to stderr), `--reset-stats` (once the ramp-up is complete), `--autoquit N` (the TUI
 * leaves N s after the run ends), `--html FILE` (a copy of report.html), and the names of the
 * `--csv`/`--json`/`--html` files of each run the TUI's `n` starts.
 */
import { readFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { formatTaskRatio, taskRatioJson } from '../report/task-ratio.js';
import type { Scenario } from '../scenario/types.js';
import type { Session } from '../run/session.js';
import { writeFileAtomic } from './atomic.js';
import { EXIT, type Output } from './output.js';
import type { RunFlags } from './flags.js';
import type { RunContext } from './run.js';

/** `-l`, `--show-task-ratio`, `--show-task-ratio-json`: what to print instead of running, or null. */
export function informationOnly(ctx: RunContext, s: Scenario): number | null {
  if (ctx.flags.list === true) {
    ctx.out.print(['Available Users:', ...s.userClasses.map((c) => `    ${c.name}`)].join('\n'));
    return EXIT.ok;
  }
  if (ctx.flags.showTaskRatio === true) {
    ctx.out.print(formatTaskRatio(s));
    return EXIT.ok;
  }
  if (ctx.flags.showTaskRatioJson === true) {
    ctx.out.print(taskRatioJson(s));
    return EXIT.ok;
  }
  return null;
}

/** With `--json -`, stdout carries only the summary: tables go to stderr with the messages. */
export function outputFor(ctx: RunContext): Output {
  return ctx.flags.json === '-' ? { ...ctx.out, print: (t) => ctx.out.info(t) } : ctx.out;
}

/**
 * `--reset-stats` (Locust: "once spawning has been completed"): the first time the run is
 * `running`. `--autoquit N`: `leave()` N seconds after the run ends. Returns a stop function.
 */
export function watchRun(ctx: RunContext, session: Session, leave: () => void): () => void {
  const timers: NodeJS.Timeout[] = [];
  if (ctx.flags.resetStats === true) {
    const poll = setInterval(() => {
      const state = session.runner.status().state;
      if (state === 'running') session.runner.resetStats();
      if (state !== 'spawning' && state !== 'ready') clearInterval(poll);
    }, 50);
    timers.push(poll);
  }
  if (ctx.flags.autoquit !== undefined) {
    const seconds = Number(ctx.flags.autoquit);
    void session.runner.done.then(() => timers.push(setTimeout(leave, seconds * 1000)));
  }
  return () => timers.forEach((t) => clearInterval(t));
}

/**
 * The files a run writes outside its results directory, as asked by `--csv PREFIX`, `--json FILE`
 * and `--html FILE` (null: not asked).
 */
export interface RunOutputs {
  readonly csvPrefix: string | null;
  /** None for `--json -` (printed at the end instead). */
  readonly jsonFile: string | null;
  /** With `{u}`, `{r}`, `{t}` filled in from the run's own scenario. */
  readonly htmlFile: string | null;
}

/**
 * The output names of run `n` of this cicada (the TUI's `n` starts runs 2, 3, …): the first run
 * writes the names given; each later run writes its own beside them, `-N` added before the
 * extension (`report.html` → `report-2.html`, `s.json` → `s-2.json`, `--csv out/x` →
 * `out/x-2_stats.csv`), so no run's files silently replace another's.
 */
export function runOutputs(flags: Pick<RunFlags, 'csv' | 'json' | 'html'>, s: Pick<Scenario, 'users' | 'spawnRate' | 'runTimeMs'>, n: number): RunOutputs {
  const json = flags.json === undefined || flags.json === '-' ? null : flags.json;
  const html = flags.html
    ?.replace(/\{u\}/g, String(s.users))
    .replace(/\{r\}/g, String(s.spawnRate))
    .replace(/\{t\}/g, String(s.runTimeMs === null ? 0 : Math.round(s.runTimeMs / 1000)));
  return {
    csvPrefix: flags.csv === undefined ? null : n === 1 ? flags.csv : `${flags.csv}-${n}`,
    jsonFile: json === null ? null : numbered(json, n),
    htmlFile: html === undefined ? null : numbered(html, n),
  };
}

/** `path` with `-n` before its extension; `path` itself for the first run. */
export function numbered(path: string, n: number): string {
  if (n === 1) return path;
  const ext = extname(basename(path));
  return `${path.slice(0, path.length - ext.length)}-${n}${ext}`;
}

/** The files `outputs` names, for the console: `report-2.html, out/x-2_*.csv, s-2.json`. */
export function outputsText(outputs: RunOutputs): string {
  const names = [outputs.htmlFile, outputs.csvPrefix === null ? null : `${outputs.csvPrefix}_*.csv`, outputs.jsonFile].filter((x): x is string => x !== null);
  return names.join(', ');
}

/** After the run's final write: `--html FILE`, a copy of its report.html. The problem, or null. */
export function writeHtmlCopy(outputs: RunOutputs, runDir: string): string | null {
  if (outputs.htmlFile === null) return null;
  try {
    writeFileAtomic(outputs.htmlFile, readFileSync(join(runDir, 'report.html')));
    return null;
  } catch (err) {
    return `--html: could not write ${outputs.htmlFile}: ${(err as Error).message}`;
  }
}

/**
 * At the end, `--json -`: each run's summary.json on stdout, in the order they ran — one document,
 * or with the TUI's `n` one per run (a stream of JSON documents, as `jq` reads them).
 */
export function printSummaries(ctx: RunContext, runDirs: readonly string[]): void {
  if (ctx.flags.json !== '-') return;
  for (const dir of runDirs) {
    try {
      ctx.out.print(readFileSync(join(dir, 'summary.json'), 'utf8'));
    } catch (err) {
      ctx.out.error(`--json -: could not read summary.json: ${(err as Error).message}`);
    }
  }
  if (runDirs.length > 1) ctx.out.info(`--json -: ${runDirs.length} summaries on stdout, one per run, in the order they ran`);
}
