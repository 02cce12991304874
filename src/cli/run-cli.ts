/**
 * From `cicada run …` (or `cicada demo …`) to a `RunContext`: flags, config files and `CICADA_*`
 * variables layered (see `config.ts`), `--help` and `--version`, positionals (the scenario, then
 * user class names as in Locust: `cicada run plan.yaml Reader Writer`), and the headless choice.
 */
import { resolveRunFlags } from './config.js';
import { labelOf, renderRunHelp } from './flags.js';
import { checkLogging, loggingOutput } from './logging.js';
import { EXIT, type Output } from './output.js';
import { runCommand, type RunContext } from './run.js';

export interface RunCliOptions {
  readonly argv: readonly string[];
  readonly command: 'run' | 'demo';
  readonly version: string;
  readonly out: Output;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Whether stdout and stdin are a terminal. */
  readonly tty: boolean;
  /** The help text (the demo's has its own usage line). */
  readonly help?: string;
  /** `demo`: the scenario and host are given; every positional is a class name. */
  readonly fixedTarget?: string;
}

/** A `RunContext` to run, or the exit code when the command line already decided (help, bad input). */
export function runContextFrom(o: RunCliOptions): RunContext | number {
  const r = resolveRunFlags({ argv: o.argv, env: o.env, command: o.command });
  if (r.unknown.length > 0) {
    for (const problem of r.unknown) o.out.error(problem);
    return EXIT.badInput;
  }
  if (r.flags.help === true) {
    o.out.print(o.help ?? renderRunHelp());
    return EXIT.ok;
  }
  if (r.flags.version === true) {
    o.out.print(o.version);
    return EXIT.ok;
  }
  const out = loggingOutput(o.out, r.flags.loglevel, r.flags.logfile);
  const logProblems = checkLogging(r.flags.loglevel, r.flags.logfile, (key) => labelOf(key, r.sources));
  for (const w of r.warnings) out.warn(w);
  let target: string | undefined;
  let classes: readonly string[];
  const fileOnCommandLine = r.flags.file !== undefined && r.sources.file === undefined;
  if (o.fixedTarget !== undefined) {
    target = o.fixedTarget;
    classes = r.positionals;
  } else if (fileOnCommandLine || r.positionals.length === 0) {
    target = r.flags.file;
    classes = r.positionals;
  } else {
    // A scenario on the command line wins over one from a config file or CICADA_FILE.
    target = r.positionals[0];
    classes = r.positionals.slice(1);
  }
  return {
    flags: r.flags,
    sources: r.sources,
    problems: [...r.problems, ...logProblems],
    target,
    classes,
    version: o.version,
    argv: [o.command, ...o.argv],
    out: logProblems.length > 0 ? o.out : out,
    tty: o.tty,
    env: o.env,
  };
}

export async function runFromArgv(o: RunCliOptions, adjust?: (ctx: RunContext) => RunContext): Promise<number> {
  const ctx = runContextFrom(o);
  if (typeof ctx === 'number') return ctx;
  return runCommand(adjust === undefined ? ctx : adjust(ctx));
}
