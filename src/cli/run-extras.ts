/**
 * Locust's extras around a run, kept out of run.ts's main line: `-l/--list` and
 * `--show-task-ratio(-json)` (print and exit), `--json -` (summary.json to stdout, tables and
 * messages to stderr), `--reset-stats` (once the ramp-up is complete), `--autoquit N` (the TUI
 * leaves N s after the run ends) and `--html FILE` (a copy of report.html).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatTaskRatio, taskRatioJson } from '../report/task-ratio.js';
import type { Scenario } from '../scenario/types.js';
import type { Session } from '../run/session.js';
import { writeFileAtomic } from './atomic.js';
import { EXIT, type Output } from './output.js';
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

/** The `--json` file for the results writer: none for `-` (printed at the end instead). */
export function jsonFileOf(ctx: RunContext): string | null {
  return ctx.flags.json === undefined || ctx.flags.json === '-' ? null : ctx.flags.json;
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

/** After the final write: `--html FILE` and `--json -`. */
export function afterRun(ctx: RunContext, session: Session): void {
  const s = session.scenario;
  if (ctx.flags.html !== undefined) {
    const name = ctx.flags.html
      .replace(/\{u\}/g, String(s.users))
      .replace(/\{r\}/g, String(s.spawnRate))
      .replace(/\{t\}/g, String(s.runTimeMs === null ? 0 : Math.round(s.runTimeMs / 1000)));
    try {
      writeFileAtomic(name, readFileSync(join(session.results.dir, 'report.html')));
    } catch (err) {
      ctx.out.error(`--html: could not write ${name}: ${(err as Error).message}`);
    }
  }
  if (ctx.flags.json === '-') {
    try {
      ctx.out.print(readFileSync(join(session.results.dir, 'summary.json'), 'utf8'));
    } catch (err) {
      ctx.out.error(`--json -: could not read summary.json: ${(err as Error).message}`);
    }
  }
}
