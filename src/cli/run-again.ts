/**
 * The tuning loop in the TUI (issue 16 part 3): after a run stops, `n` starts the same test again —
 * the scenario read again from its file (so an edit to it counts), with the users, rate and host
 * of the form — in a fresh results directory, with the finished run as its baseline. This file
 * builds the TUI's view of a session and the new run's pieces; run.ts owns the sessions.
 */
import { basename } from 'node:path';
import type { ComparedRun } from '../report/compare.js';
import type { Session } from '../run/session.js';
import type { Verdict } from '../run/verdict.js';
import type { LoadedScript } from '../scenario/script.js';
import type { Scenario } from '../scenario/types.js';
import type { StatsSnapshot } from '../stats/types.js';
import type { NewTestDefaults, NewTestSettings, TuiSession } from '../tui/types.js';
import type { RunFlags } from './flags.js';
import type { RunOutputs } from './run-extras.js';

/** A run once its final results are written. */
export interface Finished {
  readonly session: Session;
  readonly final: StatsSnapshot;
  readonly verdict: Verdict;
  readonly baseline: ComparedRun | null;
  /** Why `results/latest` could not be pointed at it, or null. */
  readonly latestProblem: string | null;
  /** Its `--csv`/`--json`/`--html` names. */
  readonly outputs: RunOutputs;
  /** Why its `--html` copy could not be written, or null. */
  readonly outputProblem: string | null;
}

/** What the TUI shows of a session (the parts that do not depend on the run's neighbours). */
export function tuiViewOf(
  s: Session,
): Pick<TuiSession, 'snapshot' | 'monitors' | 'latencyBuckets' | 'runner' | 'exportSnapshot' | 'results' | 'warnings' | 'log' | 'descriptorLimit' | 'scenario' | 'thresholdResults'> {
  return {
    snapshot: () => s.snapshot(),
    monitors: () => s.monitorsView(),
    latencyBuckets: (method, name) => s.collector.rowLatencyBuckets(method, name),
    runner: s.runner,
    exportSnapshot: () => s.exportSnapshot(),
    results: s.results,
    warnings: s.warnings,
    log: () => s.log.entries(),
    descriptorLimit: s.descriptorLimit,
    scenario: s.scenario,
    thresholdResults: () =>
      s.thresholdResults().map((r) => ({
        source: r.threshold.source,
        status: r.passed === null ? ('pending' as const) : r.passed ? ('pass' as const) : ('fail' as const),
        actual: r.actual === null ? null : r.actualText,
        ...(r.threshold.monitor !== undefined ? { monitor: r.threshold.monitor.id } : {}),
      })),
  };
}

export interface AgainOptions {
  readonly flags: RunFlags;
  /** Reads the scenario again with these flags: the scenario, or every problem. */
  readonly load: (flags: RunFlags) => Scenario | readonly string[];
  /** Imports the scenario's script (cached by Node after the first run): it, null, or the problem. */
  readonly script: (s: Scenario) => Promise<LoadedScript | null | string>;
  /** Waits for the session's final results. */
  readonly finished: (s: Session, baseline: ComparedRun | null) => Promise<Finished>;
}

export interface Again {
  /** The form's values for a new test after `s`: the test as it was started. */
  defaults(s: Session): NewTestDefaults;
  /** The scenario, script and baseline of the next run, or the problem as one line. */
  next(
    s: Session,
    baseline: ComparedRun | null,
    settings: NewTestSettings,
    open: (sc: Scenario, bl: ComparedRun, script: LoadedScript | null) => Session | string,
  ): Promise<{ readonly session: Session; readonly baseline: ComparedRun } | string>;
}

export function startAgain(o: AgainOptions): Again {
  const defaults = (s: Session): NewTestDefaults => {
    const sc = s.scenario;
    const load = sc.load;
    return load.kind === 'open'
      ? { users: load.maxUsers, rate: load.rate, host: sc.host, openModel: true }
      : { users: sc.users, rate: sc.spawnRate, host: sc.host, openModel: false };
  };
  return {
    defaults,
    async next(s, baseline, settings, open) {
      const was = defaults(s);
      // Only what the form changed becomes a flag: an untouched form keeps the file's stages.
      const flags: RunFlags = {
        ...o.flags,
        baseline: undefined,
        ...(settings.users !== was.users ? { users: String(settings.users) } : {}),
        ...(settings.rate !== was.rate ? (was.openModel ? { rate: `${settings.rate}/s` } : { spawnRate: String(settings.rate) }) : {}),
        ...(settings.host !== was.host ? { host: settings.host } : {}),
      };
      const scenario = o.load(flags);
      if (!isScenario(scenario)) return scenario.join('; ');
      const script = await o.script(scenario);
      if (typeof script === 'string') return script;
      const done = await o.finished(s, baseline);
      const nextBaseline: ComparedRun = { label: basename(s.results.dir), snapshot: done.final, meta: s.meta() };
      const session = open(scenario, nextBaseline, script);
      return typeof session === 'string' ? session : { session, baseline: nextBaseline };
    },
  };
}

function isScenario(x: Scenario | readonly string[]): x is Scenario {
  return !Array.isArray(x);
}
