/**
 * The `run` command's flags (meow definitions), their help text, and their checks. A bad flag is a
 * problem naming the flag, reported like a scenario problem (exit 2).
 */
import { didYouMean } from '../scenario/did-you-mean.js';
import type { ScenarioOverrides } from '../scenario/load.js';
import { checkDistributedFlags } from './bus-flags.js';

export const runFlags = {
  // Strings, checked by the scenario loader, so `-u abc` is quoted back as typed.
  users: { type: 'string', shortFlag: 'u' },
  spawnRate: { type: 'string', shortFlag: 'r' },
  runTime: { type: 'string', shortFlag: 't' },
  host: { type: 'string', shortFlag: 'H' },
  headless: { type: 'boolean', default: false },
  csv: { type: 'string' },
  csvFullHistory: { type: 'boolean', default: false },
  json: { type: 'string' },
  resultsDir: { type: 'string', default: 'results' },
  stopTimeout: { type: 'string' },
  exitCodeOnError: { type: 'number' },
  onlySummary: { type: 'boolean', default: false },
  profile: { type: 'string' },
  threshold: { type: 'string', isMultiple: true },
  rate: { type: 'string' },
  processes: { type: 'string' },
  workers: { type: 'string' },
  bus: { type: 'string' },
  expectWorkers: { type: 'string' },
  expectWorkersMaxWait: { type: 'string' },
  onWorkerLoss: { type: 'string' },
  file: { type: 'string', shortFlag: 'f' },
  insecure: { type: 'boolean', default: false },
} as const;

export const runHelp = `
  Usage
    $ cicada run <scenario.yaml | URL> [options]

  Load
    -u, --users N            Peak number of concurrent users (overrides the file)
    -r, --spawn-rate N       Users started per second (overrides the file)
    -t, --run-time T         Stop after T (30s, 3m, 1h30m; a bare number is seconds)
    -H, --host URL           Target host (overrides the file)
        --rate R             Open model: task iterations per second (100/s), users become a cap
        --profile NAME       Use a named profile from the scenario's profiles:
        --stop-timeout T     Let running tasks finish for up to T when stopping
        --processes N|auto   Run N engine processes (auto = cores - 1)
        --insecure           Accept any TLS certificate (self-signed, expired, wrong name), like curl -k

  Distributed (workers on other machines, joined over NATS: see README "Distributed runs")
        --workers N          Coordinate N workers ('cicada worker --bus URL' on each box); run no users here
        --bus URL            The NATS server coordinator and workers connect to (nats://HOST:4222)
        --expect-workers M   Start once M workers have joined (default: --workers)
        --expect-workers-max-wait T   Give up when they have not joined within T (default: wait)
        --on-worker-loss abort|continue   When a worker falls silent for 3 s: stop the run (default),
                             or go on without it (the report flags the loss and its unreported window)

  Output
        --headless           No terminal UI: print a table every 2 s (also when stdout is not a terminal)
        --only-summary       Headless: print only the final summary
        --results-dir DIR    Where run directories go (default: results)
        --csv PREFIX         Also write Locust's PREFIX_stats.csv, PREFIX_failures.csv, ...
        --csv-full-history   stats_history rows for every endpoint, not only Aggregated
        --json FILE          Also write summary.json to FILE

  Pass / fail
        --threshold EXPR     An SLO, repeatable: 'p95<500ms', 'error_rate<1%', '/api/items: p99<1s'
        --exit-code-on-error N   Exit with N when any request failed (default: failures do not change the exit code)

  Examples
    $ cicada run scenarios/smoke.yaml
    $ cicada run scenarios/smoke.yaml --headless -u 50 -r 10 -t 30s --host http://127.0.0.1:8000 --csv results/smoke
    $ cicada run scenarios/slo.yaml --profile 100rps --threshold 'p95<300ms' --headless
    $ cicada run http://127.0.0.1:8089/health -u 20 -t 10s

  Exit codes
    0 ok · 1 a threshold failed, or failures with --exit-code-on-error · 2 bad input
    3 cicada itself failed (results still written) · 130 Ctrl-C · 143 SIGTERM · 129 SIGHUP
`;

export interface RunFlags {
  users?: string | undefined;
  spawnRate?: string | undefined;
  runTime?: string | undefined;
  host?: string | undefined;
  headless: boolean;
  csv?: string | undefined;
  csvFullHistory: boolean;
  json?: string | undefined;
  resultsDir: string;
  stopTimeout?: string | undefined;
  exitCodeOnError?: number | undefined;
  onlySummary: boolean;
  profile?: string | undefined;
  threshold: string[];
  rate?: string | undefined;
  processes?: string | undefined;
  workers?: string | undefined;
  bus?: string | undefined;
  expectWorkers?: string | undefined;
  expectWorkersMaxWait?: string | undefined;
  onWorkerLoss?: string | undefined;
  file?: string | undefined;
  insecure?: boolean | undefined;
}

/** Problems with flag values that the scenario loader does not see, as `--flag: message` lines. */
export function checkRunFlags(flags: RunFlags): string[] {
  const problems: string[] = [];
  if (flags.exitCodeOnError !== undefined && !(Number.isInteger(flags.exitCodeOnError) && flags.exitCodeOnError >= 0 && flags.exitCodeOnError <= 255)) {
    problems.push(`--exit-code-on-error: must be a whole number from 0 to 255, got ${String(flags.exitCodeOnError)}`);
  }
  if (flags.processes !== undefined && flags.processes !== 'auto' && !/^[1-9]\d*$/.test(flags.processes)) {
    problems.push(`--processes: must be a whole number >= 1 or "auto", got "${flags.processes}"`);
  }
  problems.push(...checkDistributedFlags(flags));
  if (flags.csv === '') problems.push('--csv: needs a file prefix, like --csv results/smoke');
  if (flags.json === '') problems.push('--json: needs a file name');
  if (flags.resultsDir === '') problems.push('--results-dir: needs a directory');
  return problems;
}

export function overridesFrom(flags: RunFlags): ScenarioOverrides {
  const o: { -readonly [K in keyof ScenarioOverrides]: ScenarioOverrides[K] } = {};
  if (flags.host !== undefined) o.host = flags.host;
  if (flags.users !== undefined) o.users = flags.users;
  if (flags.spawnRate !== undefined) o.spawnRate = flags.spawnRate;
  if (flags.runTime !== undefined) o.runTime = flags.runTime;
  if (flags.stopTimeout !== undefined) o.stopTimeout = flags.stopTimeout;
  if (flags.profile !== undefined) o.profile = flags.profile;
  if (flags.threshold.length > 0) o.thresholds = flags.threshold;
  if (flags.rate !== undefined) o.rate = flags.rate;
  if (flags.insecure === true) o.insecure = true;
  return o;
}

/**
 * `--exit-code-on-error` may be given bare (meaning 1), as Locust users expect; meow needs a value,
 * so a bare one gets `1` inserted.
 */
export function normalizeArgv(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    out.push(a);
    if (a === '--exit-code-on-error' && (i + 1 >= argv.length || !/^-?\d+$/.test(argv[i + 1]!))) out.push('1');
  }
  return out;
}

/** Long names meow accepts besides `runFlags`. */
const BUILTIN_LONG = ['help', 'version'];

/**
 * Flags in `argv` that `run` does not know, as `--flag: unknown flag; did you mean --other?` lines.
 * (meow would print a bare `Unknown flag` list; this names each one like every other problem.)
 * Stops at `--`; negative numbers are values, not flags.
 */
export function unknownRunFlags(argv: readonly string[]): string[] {
  const long = new Set<string>(BUILTIN_LONG);
  const short = new Set<string>();
  const booleans = new Set<string>();
  for (const [key, def] of Object.entries(runFlags)) {
    const kebab = key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
    long.add(kebab);
    if (def.type === 'boolean') booleans.add(kebab);
    if ('shortFlag' in def) short.add(def.shortFlag);
  }
  const problems: string[] = [];
  for (const arg of argv) {
    if (arg === '--') break;
    if (!arg.startsWith('-') || arg === '-' || /^-(?:\d+|\d*\.\d+)(?:e[+-]?\d+)?$/i.test(arg)) continue;
    if (arg.startsWith('--')) {
      const name = arg.slice(2).split('=')[0]!;
      if (long.has(name) || (name.startsWith('no-') && booleans.has(name.slice(3)))) continue;
      const guess = didYouMean(name, long);
      problems.push(`--${name}: unknown flag${guess === null ? '' : `; did you mean --${guess}?`} (cicada run --help lists them)`);
    } else if (!short.has(arg[1]!)) {
      problems.push(`${arg}: unknown flag (cicada run --help lists them)`);
    }
  }
  return problems;
}
