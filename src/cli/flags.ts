/**
 * The `run` command's flags: ONE table (`runFlags`) from which come the argv parser's definitions,
 * the `--help` text, the `CICADA_*` environment variable and config-file key of each flag, and the
 * shell completion scripts. A bad flag is a problem naming where it came from (`--users`,
 * `CICADA_USERS`, `cicada.conf:3: users`), reported like a scenario problem (exit 2).
 *
 * To add a flag: one entry in `runFlags` (with `help` and `group`), one field in `RunFlags`.
 */
import type { ScenarioOverrides } from '../scenario/load.js';
import { checkDistributedFlags } from './bus-flags.js';
import { snapshotEveryProblem } from './snapshot-triggers.js';
import { MAX_PROCESSES, overLimit } from '../scenario/limits.js';

export type FlagGroup = 'Load' | 'User classes and tags' | 'Distributed' | 'Output' | 'Logging' | 'Pass / fail' | 'Target' | 'Information';

export interface FlagDef {
  readonly type: 'string' | 'boolean' | 'number';
  readonly shortFlag?: string;
  /** Every occurrence is kept (`--threshold`); otherwise the last one wins, as in Locust. */
  readonly isMultiple?: boolean;
  readonly default?: string | boolean | number;
  /** What the value looks like in `--help` (`N`, `T`, `FILE`). */
  readonly arg?: string;
  /** A flag given bare means this value (`--exit-code-on-error` alone is 1). */
  readonly bareValue?: string;
  /** Values the shell completion offers. */
  readonly choices?: readonly string[];
  /** Completion completes file names for the value. */
  readonly completeFiles?: boolean;
  readonly help?: string;
  readonly group?: FlagGroup;
  /**
   * False for flags that make no sense in a config file or the environment (`--help`); `'env'` for
   * one that may come from the environment but not from a config file (`--config`).
   */
  readonly configurable?: boolean | 'env';
}

export const runFlags = {
  // Load. Strings, checked by the scenario loader, so `-u abc` is quoted back as typed.
  users: { type: 'string', shortFlag: 'u', arg: 'N', group: 'Load', help: 'Peak number of concurrent users (overrides the file)' },
  spawnRate: { type: 'string', shortFlag: 'r', arg: 'N', group: 'Load', help: 'Users started per second (overrides the file)' },
  runTime: { type: 'string', shortFlag: 't', arg: 'T', group: 'Load', help: 'Stop after T (30s, 3m, 1h30m; a bare number is seconds)' },
  host: { type: 'string', shortFlag: 'H', arg: 'URL', group: 'Load', help: 'Target host (overrides the file)' },
  rate: { type: 'string', arg: 'R', group: 'Load', help: 'Open model: task iterations per second (100/s), users become a cap' },
  profile: { type: 'string', arg: 'NAME', group: 'Load', help: "Use a named profile from the scenario's profiles:" },
  iterations: { type: 'string', shortFlag: 'i', arg: 'N', group: 'Load', help: 'Stop after N task iterations in all (every user and engine); the running ones finish' },
  stopTimeout: { type: 'string', shortFlag: 's', arg: 'T', group: 'Load', help: 'Let running tasks finish for up to T when stopping' },
  processes: { type: 'string', arg: 'N|auto', group: 'Load', help: 'Run N engine processes (auto = cores - 1)' },
  file: { type: 'string', shortFlag: 'f', arg: 'FILE', completeFiles: true, group: 'Load', help: 'The scenario file (instead of the first argument)' },
  insecure: { type: 'boolean', default: false, group: 'Load', help: 'Accept any TLS certificate (self-signed, expired, wrong name), like curl -k' },
  // Distributed (workers on other machines, joined over NATS: see README "Distributed runs")
  workers: { type: 'string', arg: 'N', group: 'Distributed', help: "Coordinate N workers ('cicada worker --bus URL' on each box); run no users here" },
  bus: { type: 'string', arg: 'URL', group: 'Distributed', help: 'The NATS server coordinator and workers connect to (nats://HOST:4222)' },
  expectWorkers: { type: 'string', arg: 'M', group: 'Distributed', help: 'Start once M workers have joined (default: --workers)' },
  expectWorkersMaxWait: { type: 'string', arg: 'T', group: 'Distributed', help: 'Give up when they have not joined within T (default: wait)' },
  onWorkerLoss: { type: 'string', arg: 'abort|continue', choices: ['abort', 'continue'], group: 'Distributed', help: 'When a worker falls silent for 3 s: stop the run (default), or go on without it' },
  // User classes and tags
  tags: { type: 'string', shortFlag: 'T', arg: 'TAG,...', group: 'User classes and tags', help: 'Run only tasks tagged with one of these (untagged tasks are left out)' },
  equalWeights: { type: 'boolean', default: false, group: 'User classes and tags', help: "Give every task weight 1, whatever the scenario says (Locust's --equal-weights)" },
  excludeTags: { type: 'string', shortFlag: 'E', arg: 'TAG,...', group: 'User classes and tags', help: 'Leave out tasks tagged with any of these' },
  // Output
  headless: { type: 'boolean', default: false, group: 'Output', help: 'No terminal UI: print a table every 2 s (also when stdout is not a terminal, or CI is set)' },
  onlySummary: { type: 'boolean', default: false, group: 'Output', help: 'Headless: print only the final summary' },
  resetStats: { type: 'boolean', default: false, group: 'Output', help: 'Reset the statistics once the ramp-up is complete' },
  autoquit: { type: 'string', arg: 'N', group: 'Output', help: 'TUI: quit N seconds after the run ends (default: stay until q)' },
  html: { type: 'string', arg: 'FILE', completeFiles: true, group: 'Output', help: 'Also write report.html to FILE ({u}, {r}, {t}: users, spawn rate, run time in s)' },
  resultsDir: { type: 'string', default: 'results', arg: 'DIR', completeFiles: true, group: 'Output', help: 'Where run directories go (default: results)' },
  csv: { type: 'string', arg: 'PREFIX', completeFiles: true, group: 'Output', help: "Also write Locust's PREFIX_stats.csv, PREFIX_failures.csv, ..." },
  csvFullHistory: { type: 'boolean', default: false, group: 'Output', help: 'stats_history rows for every endpoint, not only Aggregated' },
  baseline: { type: 'string', arg: 'DIR|latest|RUN', completeFiles: true, group: 'Output', help: "Compare with that run: the reports end with the comparison (latest = the newest finished run)" },
  snapshotEvery: { type: 'string', arg: 'T', group: 'Output', help: 'Write a snapshot (as the TUI key e does) every T into snapshots/<elapsed>/; SIGUSR1 writes one any time' },
  json: { type: 'string', arg: 'FILE', completeFiles: true, group: 'Output', help: 'Also write summary.json to FILE (- : to stdout; tables and messages go to stderr)' },
  metricsPort: { type: 'string', arg: 'N', group: 'Output', help: 'Serve live Prometheus metrics at http://127.0.0.1:N/metrics while the run lasts (0: a free port; the URL is printed)' },
  metricsHost: { type: 'string', arg: 'ADDR', group: 'Output', help: 'The address --metrics-port listens on (default 127.0.0.1; 0.0.0.0 for a Prometheus on another machine)' },
  // Logging
  loglevel: { type: 'string', shortFlag: 'L', arg: 'LEVEL', choices: ['DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL'], group: 'Logging', help: "Messages shown: DEBUG, INFO (default), WARNING, ERROR, CRITICAL (Locust's levels)" },
  logfile: { type: 'string', arg: 'FILE', completeFiles: true, group: 'Logging', help: 'Write messages (info, warnings, errors) to FILE instead of stderr' },
  // Pass / fail
  threshold: { type: 'string', isMultiple: true, arg: 'EXPR', group: 'Pass / fail', help: "An SLO, repeatable: 'p95<500ms', 'error_rate<1%', '/api/items: p99<1s'" },
  exitCodeOnError: { type: 'number', arg: '[N]', bareValue: '1', group: 'Pass / fail', help: 'Exit with N (bare: 1) when any request failed. Default, as Locust: 1 without thresholds; with thresholds they alone decide unless this is given. 0: failed requests never fail the run' },
  // Target
  monitor: { type: 'string', isMultiple: true, arg: 'ID=SPEC', group: 'Target', help: "A series read from the target each second, repeatable: ID=http://host:9100/metrics#METRIC{label=\"v\"}, ID=query:http://prometheus:9090#PROMQL, ID=pid:N#cpu|rss|threads|fds, ID=cmd:TEXT#cpu|rss|threads|fds" },
  // Information
  list: { type: 'boolean', shortFlag: 'l', group: 'Information', help: "List the scenario's user classes and exit" },
  showTaskRatio: { type: 'boolean', group: 'Information', help: 'Print the share of each user class and task, and exit' },
  showTaskRatioJson: { type: 'boolean', group: 'Information', help: 'The same as JSON, and exit' },
  config: { type: 'string', arg: 'FILE', completeFiles: true, configurable: 'env', group: 'Information', help: 'Read defaults from FILE too (key = value lines, like ./cicada.conf)' },
  help: { type: 'boolean', shortFlag: 'h', configurable: false, group: 'Information', help: 'Show this help' },
  version: { type: 'boolean', shortFlag: 'V', configurable: false, group: 'Information', help: "Show cicada's version" },
} as const satisfies Record<string, FlagDef>;

export type RunFlagKey = keyof typeof runFlags;

export interface RunFlags {
  users?: string | undefined;
  spawnRate?: string | undefined;
  runTime?: string | undefined;
  host?: string | undefined;
  headless: boolean;
  csv?: string | undefined;
  csvFullHistory: boolean;
  json?: string | undefined;
  snapshotEvery?: string | undefined;
  baseline?: string | undefined;
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
  tags?: string | undefined;
  excludeTags?: string | undefined;
  equalWeights?: boolean | undefined;
  resetStats?: boolean | undefined;
  autoquit?: string | undefined;
  iterations?: string | undefined;
  metricsPort?: string | undefined;
  metricsHost?: string | undefined;
  html?: string | undefined;
  list?: boolean | undefined;
  loglevel?: string | undefined;
  logfile?: string | undefined;
  showTaskRatio?: boolean | undefined;
  showTaskRatioJson?: boolean | undefined;
  config?: string | undefined;
  help?: boolean | undefined;
  version?: boolean | undefined;
  /** `--monitor ID=SPEC`, repeatable. */
  monitor?: string[] | undefined;
}

/**
 * Where each flag's value came from, for messages: `--users`, `CICADA_USERS`,
 * `cicada.conf:3: users`. A key that is absent came from the command line (or a default).
 */
export type FlagSources = Partial<Record<string, string>>;

/** `-T a,b` or `-T 'a b'`: the tags of a tag option; undefined when not given. */
export function tagList(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return value.split(/[\s,]+/).filter((t) => t !== '');
}

export const ALL_FLAGS: Readonly<Record<string, FlagDef>> = runFlags;

/** `runTime` → `run-time`. */
export function kebab(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** `runTime` → `CICADA_RUN_TIME`. */
export function envName(key: string): string {
  return `CICADA_${kebab(key).replace(/-/g, '_').toUpperCase()}`;
}

/** How a flag is named in a message when it came from the command line: `--run-time`. */
export function flagName(key: string): string {
  return `--${kebab(key)}`;
}

/** The label of `key` for messages: its source when known, else `--flag`. */
export function labelOf(key: string, sources: FlagSources = {}): string {
  return sources[key] ?? flagName(key);
}

/** Problems with flag values that the scenario loader does not see, as `label: message` lines. */
export function checkRunFlags(flags: RunFlags, sources: FlagSources = {}): string[] {
  const problems: string[] = [];
  const at = (key: string): string => labelOf(key, sources);
  if (flags.exitCodeOnError !== undefined && !(Number.isInteger(flags.exitCodeOnError) && flags.exitCodeOnError >= 0 && flags.exitCodeOnError <= 255)) {
    problems.push(`${at('exitCodeOnError')}: must be a whole number from 0 to 255, got ${String(flags.exitCodeOnError)}`);
  }
  if (flags.processes !== undefined && flags.processes !== 'auto' && !/^[1-9]\d*$/.test(flags.processes)) {
    problems.push(`${at('processes')}: must be a whole number >= 1 or "auto", got "${flags.processes}"`);
  } else if (flags.processes !== undefined && flags.processes !== 'auto' && Number(flags.processes) > MAX_PROCESSES) {
    problems.push(`${at('processes')}: ${overLimit('engine threads', MAX_PROCESSES)}, got "${flags.processes}"`);
  }
  problems.push(...checkDistributedFlags(flags));
  if (flags.csv === '') problems.push(`${at('csv')}: needs a file prefix, like --csv results/smoke`);
  if (flags.json === '') problems.push(`${at('json')}: needs a file name (or - for stdout)`);
  const every = snapshotEveryProblem(flags.snapshotEvery, at('snapshotEvery'));
  if (every !== null) problems.push(every);
  if (flags.resultsDir === '') problems.push(`${at('resultsDir')}: needs a directory`);
  if (flags.html === '') problems.push(`${at('html')}: needs a file name`);
  if (flags.autoquit !== undefined && !/^\d+$/.test(flags.autoquit)) problems.push(`${at('autoquit')}: must be a whole number of seconds >= 0, got "${flags.autoquit}"`);
  if (flags.iterations !== undefined && !(/^[1-9]\d*$/.test(flags.iterations) && Number(flags.iterations) <= Number.MAX_SAFE_INTEGER)) {
    problems.push(`${at('iterations')}: must be a whole number >= 1, got "${flags.iterations}"`);
  }
  if (flags.metricsPort !== undefined && !(/^\d+$/.test(flags.metricsPort) && Number(flags.metricsPort) <= 65535)) {
    problems.push(`${at('metricsPort')}: must be a port number from 0 to 65535 (0: a free one), got "${flags.metricsPort}"`);
  }
  if (flags.metricsHost !== undefined && flags.metricsHost.trim() === '') problems.push(`${at('metricsHost')}: needs an address, like 127.0.0.1 or 0.0.0.0`);
  if (flags.metricsHost !== undefined && flags.metricsPort === undefined) problems.push(`${at('metricsHost')}: only with --metrics-port`);
  return problems;
}

export function overridesFrom(flags: RunFlags, sources: FlagSources = {}): ScenarioOverrides {
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
  const labels: Partial<Record<keyof ScenarioOverrides, string>> = {};
  for (const [k, flag] of [['host', 'host'], ['users', 'users'], ['spawnRate', 'spawnRate'], ['runTime', 'runTime'], ['stopTimeout', 'stopTimeout'], ['profile', 'profile'], ['thresholds', 'threshold'], ['rate', 'rate'], ['monitors', 'monitor']] as const) {
    const source = sources[flag];
    if (source !== undefined) labels[k] = source;
  }
  if (Object.keys(labels).length > 0) o.sources = labels;
  if (flags.monitor !== undefined && flags.monitor.length > 0) o.monitors = flags.monitor;
  return o;
}

const GROUP_ORDER: readonly FlagGroup[] = ['Load', 'User classes and tags', 'Distributed', 'Output', 'Logging', 'Pass / fail', 'Target', 'Information'];

/** The left column of a flag's help line: `-u, --users N`. */
function flagColumn(key: string, def: FlagDef): string {
  const short = def.shortFlag !== undefined ? `-${def.shortFlag}, ` : '    ';
  return `${short}--${kebab(key)}${def.arg !== undefined ? ` ${def.arg}` : ''}`;
}

/** `cicada run --help`, from the table. */
export function renderRunHelp(flags: Readonly<Record<string, FlagDef>> = ALL_FLAGS): string {
  const entries = Object.entries(flags);
  const width = Math.max(...entries.map(([k, d]) => flagColumn(k, d).length)) + 2;
  const sections: string[] = [];
  const groups = [...GROUP_ORDER, ...new Set(entries.map(([, d]) => d.group).filter((g): g is FlagGroup => g !== undefined && !GROUP_ORDER.includes(g)))];
  for (const group of [...groups, undefined]) {
    const lines = entries
      .filter(([, d]) => d.group === group)
      .map(([k, d]) => `    ${flagColumn(k, d).padEnd(width)}${d.help ?? ''}`.trimEnd());
    if (lines.length > 0) sections.push(`  ${group ?? 'Other'}\n${lines.join('\n')}`);
  }
  return `
  Usage
    $ cicada run <scenario.yaml | URL> [UserClass ...] [options]

${sections.join('\n\n')}

  Defaults without typing them
    Every option can also come from an environment variable, CICADA_ and its name in capitals
    (CICADA_RUN_TIME=30s, CICADA_HEADLESS=true), or from a config file line (run-time = 30s) in
    ~/.cicada.conf, ./cicada.conf or --config FILE (later files win). Precedence:
      command-line flags > CICADA_* variables > config files (--config > ./cicada.conf > ~/.cicada.conf) > the scenario
    A flag given twice takes its last value (--threshold adds up).

  Examples
    $ cicada run scenarios/smoke.yaml
    $ cicada run scenarios/smoke.yaml --headless -u 50 -r 10 -t 30s --host http://127.0.0.1:8000 --csv results/smoke
    $ cicada run scenarios/slo.yaml --profile 100rps --threshold 'p95<300ms' --headless
    $ cicada run http://127.0.0.1:8089/health -u 20 -t 10s

  Exit codes
    0 passed · 1 a threshold failed, or a request failed (see --exit-code-on-error) · 2 bad input
    3 cicada itself failed (results still written) · 130 Ctrl-C (also in the TUI) · 143 SIGTERM · 129 SIGHUP
    The final summary ends with the thresholds and PASSED or FAILED: <what set the exit code>.
`;
}

export const runHelp = renderRunHelp();
