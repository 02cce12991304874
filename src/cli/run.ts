/**
 * `cicada run`: load the scenario, start a session, show it (TUI on a terminal, else the headless
 * console), and end it however it ends — run time, `q`, Ctrl-C, SIGTERM, SIGHUP, a threshold abort
 * or a crash — always writing the final results first. Owns signals and the exit code.
 */
import { loadScenarioFile, scenarioFromUrl } from '../scenario/load.js';
import { ScenarioError } from '../scenario/errors.js';
import type { Scenario } from '../scenario/types.js';
import { type LoadedScript, userFrame } from '../scenario/script.js';
import { formatFinalSummary, formatStatsTable, formatVerdict } from '../report/console.js';
import { formatMonitorTable } from '../report/monitors-console.js';
import { descriptorLimit, realProc } from './proc-reader.js';
import { describeNetwork } from '../scenario/network.js';
import { selectScenario } from '../scenario/select.js';
import { checkRunFlags, type FlagSources, labelOf, overridesFrom, type RunFlags, tagList } from './flags.js';
import { Secrets } from '../run/secrets.js';
import type { Session } from '../run/session.js';
import { runVerdict } from '../run/verdict.js';
import { resolveProcesses } from './processes.js';
import { takeEarlySignal } from './early-signals.js';
import { outputTargetProblems } from './output-targets.js';
import type { ClusterRunner } from '../run/cluster.js';
import { type Output, EXIT } from './output.js';
import { startSnapshotTriggers } from './snapshot-triggers.js';
import { type Finished, startAgain, tuiViewOf } from './run-again.js';
import type { TuiSession } from '../tui/types.js';
import { markLatest, resolveRunRef } from './run-refs.js';
import { loadRun } from './report-commands.js';
import { compareRuns, type ComparedRun } from '../report/compare.js';
import { baselineVerdict } from '../report/baseline-section.js';
import { basename, dirname, join } from 'node:path';
import { realpathSync } from 'node:fs';
import { parseDuration } from '../scenario/duration.js';
import { informationOnly, outputFor, outputsText, printSummaries, runOutputs, watchRun, writeHtmlCopy, type RunOutputs } from './run-extras.js';
import { startHeadlessKeys } from './headless-keys.js';
import { type MetricsServer, startMetricsServer } from './metrics-server.js';
import { prometheusText } from '../report/prometheus.js';

export interface RunContext {
  readonly flags: RunFlags;
  /** Where flag values came from when not the command line (`CICADA_USERS`, `cicada.conf:3: users`). */
  readonly sources?: FlagSources;
  /** Problems already found with the settings (config files, environment), reported with the rest. */
  readonly problems?: readonly string[];
  readonly target: string | undefined;
  /** User classes chosen by name on the command line (all when empty). */
  readonly classes?: readonly string[];
  readonly version: string;
  readonly argv: readonly string[];
  readonly out: Output;
  /** Whether stdout and stdin are a terminal (the TUI is used only then, without --headless or CI). */
  readonly tty: boolean;
  readonly env: Record<string, string | undefined>;
}

/** Loads the scenario from a file or URL, or reports every problem (exit 2). */
export function loadForRun(ctx: RunContext): Scenario | number {
  const flagProblems = [...(ctx.problems ?? []), ...checkRunFlags(ctx.flags, ctx.sources)];
  const target = ctx.target;
  if (target === undefined) flagProblems.push('a scenario file or URL is required: cicada run scenarios/smoke.yaml');
  if (flagProblems.length > 0) {
    for (const p of flagProblems) ctx.out.error(p);
    return EXIT.badInput;
  }
  const options = { env: ctx.env, overrides: overridesFrom(ctx.flags, ctx.sources) };
  try {
    // The path as typed, so problems read `scenarios/x.yaml:3:5`, as the user knows the file.
    const loaded = /^https?:\/\//i.test(target!) ? scenarioFromUrl(target!, options) : loadScenarioFile(target!, options);
    const selected = selectScenario(loaded, {
      classes: ctx.classes ?? [],
      tags: tagList(ctx.flags.tags),
      excludeTags: tagList(ctx.flags.excludeTags),
      tagsLabel: labelOf('tags', ctx.sources),
      excludeTagsLabel: labelOf('excludeTags', ctx.sources),
      equalWeights: ctx.flags.equalWeights === true,
    });
    if (selected.problems.length > 0) {
      for (const p of selected.problems) ctx.out.error(p);
      return EXIT.badInput;
    }
    for (const w of selected.warnings) ctx.out.warn(w);
    const scenario = ctx.flags.iterations === undefined ? selected.scenario : { ...selected.scenario, iterations: Number(ctx.flags.iterations) };
    const outputProblems = outputTargetProblems(ctx.flags.json, ctx.flags.csv, [scenario.file, ...scenario.data.map((d) => d.file)]);
    for (const p of outputProblems) ctx.out.error(p);
    return outputProblems.length > 0 ? EXIT.badInput : scenario;
  } catch (err) {
    if (err instanceof ScenarioError) {
      ctx.out.error(err.message);
      return EXIT.badInput;
    }
    throw err;
  }
}

/**
 * `--baseline DIR|latest|RUN`, else the scenario's `baseline:`: the run this one is compared with,
 * loaded before the run starts (`latest` is then the newest finished run). 'bad' after reporting
 * why it cannot be used. A scenario's `baseline: latest` before any run has finished is no
 * baseline yet (a note), so a profile written for tuning works from its first run.
 */
function loadBaseline(ctx: RunContext, scenario: Scenario): ComparedRun | null | 'bad' {
  const fromFile = ctx.flags.baseline === undefined ? (scenario.baseline ?? null) : null;
  const given = ctx.flags.baseline ?? fromFile?.ref;
  if (given === undefined) return null;
  const where = fromFile === null ? '--baseline' : `${fromFile.at.file}:${fromFile.at.line}:${fromFile.at.col}: ${fromFile.field}`;
  let path = resolveRunRef(given, ctx.flags.resultsDir);
  // A directory in the file is relative to the file, as its other paths are.
  if (path === null && fromFile !== null && scenario.file !== null && given !== 'latest') path = resolveRunRef(join(dirname(scenario.file), given), ctx.flags.resultsDir);
  if (path === null) {
    if (fromFile !== null && given === 'latest') {
      ctx.out.info(`${where}: no finished run under ${ctx.flags.resultsDir}/ yet: this run has no baseline`);
      return null;
    }
    ctx.out.error(`${where}: ${given === 'latest' ? `no finished run under ${ctx.flags.resultsDir}/ yet (${ctx.flags.resultsDir}/latest)` : `no such run: ${given}`}`);
    return 'bad';
  }
  const loaded = loadRun(path, { ...ctx.out, error: (t) => ctx.out.error(`${where}: ${t}`) }, 'dir or file');
  if (loaded === null) return 'bad';
  return { label: given === 'latest' ? `latest = ${basename(realpathSync(loaded.dir))}` : given, snapshot: loaded.snapshot, meta: loaded.meta };
}

/** True when the error was raised in the user's script (a stack frame in their files). */
function scriptCaused(reason: unknown): boolean {
  return reason instanceof Error && typeof reason.stack === 'string' && userFrame(reason.stack) !== null;
}

/** Imports the scenario's `script:` module and resolves its functions, or reports why not (exit 2). */
async function loadScriptForRun(ctx: RunContext, scenario: Scenario): Promise<LoadedScript | null | number> {
  if (scenario.script == null) return null;
  const { loadScript } = await import('../scenario/script.js');
  try {
    return await loadScript(scenario);
  } catch (err) {
    if (err instanceof ScenarioError) {
      ctx.out.error(err.message);
      return EXIT.badInput;
    }
    throw err;
  }
}

export async function runCommand(given: RunContext): Promise<number> {
  const ctx: RunContext = { ...given, out: outputFor(given) };
  // Signals are ours from the first moment (see early-signals.ts); before the session exists one
  // only ends the command, with nothing written.
  let current: Session | null = null;
  let interrupted: { reason: string; signal: NodeJS.Signals; code: number } | null = null;
  /** Takes the TUI down when a signal ends the run (the terminal may be gone: nobody will press q). */
  const leaveTui = new AbortController();
  let forced = false;
  const useTui = ctx.tty && !ctx.flags.headless && !inCi(ctx.env);
  const onSignal = (signal: NodeJS.Signals): void => {
    if (interrupted !== null) {
      if (signal === 'SIGINT' && !forced && current !== null) {
        // A second Ctrl-C: requests in flight are aborted and counted now, and the final results
        // written as usual; should the engine not end within a moment, write what there is and leave.
        forced = true;
        const s = current;
        ctx.out.info('\nSIGINT again: stopping now (requests in flight count as aborted)');
        s.runner.abortInFlight();
        setTimeout(() => {
          s.finishNow(EXIT.sigint);
          ctx.out.info(`stopped at once; results in ${s.results.dir}`);
          process.exit(EXIT.sigint);
        }, FORCED_EXIT_MS).unref();
      }
      return;
    }
    const code = signal === 'SIGINT' ? EXIT.sigint : signal === 'SIGHUP' ? EXIT.sighup : EXIT.sigterm;
    interrupted = { reason: `interrupted by ${signal}`, signal, code };
    if (current === null) return;
    if (!useTui) ctx.out.info(`\n${signal}: stopping (requests in flight get a moment to finish; Ctrl-C again to stop at once)`);
    void current.runner.stop(interrupted.reason);
    leaveTui.abort();
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const s of signals) process.on(s, onSignal);
  const early = takeEarlySignal();
  if (early !== null) onSignal(early);
  /** `--metrics-port`: serves the live statistics while the command lasts. */
  let metrics: MetricsServer | null = null;
  try {
    return await runWithSignals();
  } finally {
    for (const s of signals) process.off(s, onSignal);
    await (metrics as MetricsServer | null)?.close();
  }

  async function runWithSignals(): Promise<number> {
  const scenario = loadForRun(ctx);
  if (typeof scenario === 'number') return scenario;
  const info = informationOnly(ctx, scenario);
  if (info !== null) return info;
  const script = await loadScriptForRun(ctx, scenario);
  if (typeof script === 'number') return script;
  const network = describeNetwork(scenario.network);
  if (network !== null && !useTui) ctx.out.info(network);
  // The engine, statistics and reports load only once the input is good: bad input fails fast.
  const [{ Session: SessionImpl }, { resultsFiles }] = await Promise.all([import('../run/session.js'), import('./results-files.js')]);
  if (interrupted !== null) {
    ctx.out.info(`${(interrupted as { reason: string }).reason} before the run started: nothing was run or written`);
    return (interrupted as { code: number }).code;
  }
  if (ctx.flags.metricsPort !== undefined) {
    const port = Number(ctx.flags.metricsPort);
    const host = ctx.flags.metricsHost ?? '127.0.0.1';
    try {
      metrics = await startMetricsServer({ port, host, text: () => (current === null ? '# the run has not started yet\n' : prometheusText(current.snapshot())) });
    } catch (err) {
      ctx.out.error(`--metrics-port: cannot listen on ${host}:${port}: ${(err as Error).message}`);
      return EXIT.badInput;
    }
    ctx.out.info(`metrics: ${metrics.url}`);
  }
  // --workers N --bus URL: wait for the workers first; the session then coordinates them.
  const distributed = ctx.flags.workers === undefined ? null : await (await import('./distributed.js')).startDistributedRun(ctx, scenario);
  if (typeof distributed === 'number') return distributed;
  const baseline = loadBaseline(ctx, scenario);
  if (baseline === 'bad') return EXIT.badInput;
  const processes = boundedProcesses(resolveProcesses(ctx.flags.processes), scenario, (m) => ctx.out.warn(m));
  let secrets = new Secrets(scenario.secretValues, scenario.secretHeaders);
  /** Each session's `--csv`/`--json`/`--html` names; their number is the run's (1, then 2, 3 … with `n`). */
  const outputsOf = new Map<Session, RunOutputs>();
  /** A session of `sc` in a fresh results directory (or the reason it cannot have one). */
  const openSession = (sc: Scenario, bl: ComparedRun | null, scr: LoadedScript | null): Session | string => {
    const runSecrets = new Secrets(sc.secretValues, sc.secretHeaders);
    const outputs = runOutputs(ctx.flags, sc, outputsOf.size + 1);
    // The first run's names were checked with the scenario; a later run's numbered ones are new.
    const outputProblems = outputsOf.size === 0 ? [] : outputTargetProblems(outputs.jsonFile ?? undefined, outputs.csvPrefix ?? undefined, [sc.file, ...sc.data.map((d) => d.file)]);
    if (outputProblems.length > 0) return outputProblems.join('; ');
    try {
      const results = resultsFiles({
        baseline: bl,
        baseDir: ctx.flags.resultsDir,
        scenarioName: sc.name,
        csvPrefix: outputs.csvPrefix,
        jsonFile: outputs.jsonFile,
      });
      const opened = new SessionImpl({
        scenario: sc,
        results: distributed === null ? results : distributed.results(results),
        ...(distributed === null ? {} : { transport: distributed.transport, planHash: distributed.transport.planHash }),
        fullHistory: ctx.flags.csvFullHistory,
        commandLine: ['cicada', ...ctx.argv].map(shellQuote).join(' '),
        version: ctx.version,
        secrets: runSecrets,
        processes,
        script: scr,
        onWarning: (m) => (useTui ? undefined : ctx.out.warn(m)),
        proc: realProc,
        // Engine threads share this process's descriptors; workers elsewhere have their own limits.
        descriptorLimit: distributed === null ? descriptorLimit() : null,
      });
      secrets = runSecrets;
      // The TUI's Logs tab says where Prometheus scrapes (the line printed before it is hidden).
      const url = (metrics as MetricsServer | null)?.url;
      if (url !== undefined) opened.log.add('notice', `Prometheus metrics: ${url}`);
      outputsOf.set(opened, outputs);
      return opened;
    } catch (err) {
      return `cannot create the results directory under ${ctx.flags.resultsDir}: ${(err as Error).message}`;
    }
  };
  const first = openSession(scenario, baseline, script);
  if (typeof first === 'string') {
    ctx.out.error(first);
    return EXIT.badInput;
  }
  let session: Session = first;
  let runBaseline: ComparedRun | null = baseline;
  current = session;
  if (interrupted !== null) void session.runner.stop((interrupted as { reason: string }).reason);
  const onCrash = (err: unknown): void => {
    try {
      session.finishNow(EXIT.crashed);
    } finally {
      ctx.out.error(secrets.redact(`cicada failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`));
      ctx.out.error(`results so far are in ${session.results.dir}`);
      process.exit(EXIT.crashed);
    }
  };
  // A promise the script made and never awaited that rejects is the script's error, counted like
  // any exception in it, not a crash of cicada.
  const onRejection = (reason: unknown): void => {
    if (script !== null && scriptCaused(reason)) session.collector.exception(reason, 'script: a promise nobody awaited was rejected');
    else onCrash(reason);
  };
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onRejection);
  // A terminal that goes away (a dropped SSH session, a closed tmux window) shows up as EIO on
  // stdin or stdout, sometimes before the SIGHUP: that is a hangup, not a crash. Kept after the run,
  // when the final summary is printed to a terminal that may be gone.
  const onTtyError = (err: NodeJS.ErrnoException): void => {
    if (TTY_GONE.has(err.code ?? '')) onSignal('SIGHUP');
    else onCrash(err);
  };
  if (useTui) {
    process.stdin.on('error', onTtyError);
    process.stdout.on('error', onTtyError);
  }

  let stopSnapshots = (): void => {};
  try {
    // Loading React and Ink blocks the event loop for a moment: do it before the first request.
    const tui = useTui ? await import('../tui/run-tui.js') : null;
    if (tui !== null) await tui.preloadTui();
    session.start();
    const snapshots = startSnapshotTriggers({
      everyMs: ctx.flags.snapshotEvery === undefined ? null : parseDuration(ctx.flags.snapshotEvery),
      clockMs: () => session.runner.status().elapsedMs,
      write: () => session.exportSnapshot(),
      // The TUI owns the screen: it shows the latest snapshot's directory in its status bar.
      say: (t) => (useTui ? undefined : ctx.out.info(t)),
      fail: (t) => (useTui ? undefined : ctx.out.warn(t)),
    });
    stopSnapshots = () => snapshots.stop();
    let unwatch = watchRun(ctx, session, () => leaveTui.abort());
    if (distributed !== null) distributed.attach(session.runner as ClusterRunner);
    /** Ends `s` once its runner is done: the verdict, the final write, `results/latest`. Once per session. */
    const finishing = new Map<Session, Promise<Finished>>();
    const finishOf = (s: Session, bl: ComparedRun | null): Promise<Finished> => {
      let p = finishing.get(s);
      if (p === undefined) {
        p = (async (): Promise<Finished> => {
          await s.runner.done;
          const stopped = interrupted as { reason: string; signal: NodeJS.Signals; code: number } | null;
          const reason = stopped?.reason ?? s.runner.status().stopReason ?? 'stopped';
          const snap = s.snapshot();
          const verdict = runVerdict({
            thresholds: s.finalThresholds(snap),
            requests: snap.total.requests,
            failures: snap.total.failures,
            exceptions: snap.exceptions.reduce((n, x) => n + x.count, 0),
            exitCodeOnError: ctx.flags.exitCodeOnError,
            interrupted: stopped === null ? null : { signal: stopped.signal, code: stopped.code },
            // A worker lost under --on-worker-loss abort fails the run.
            aborted: distributed?.abortedBy ?? null,
          });
          const final = await s.finish(reason, verdict.code);
          const outputs = outputsOf.get(s)!;
          return { session: s, final, verdict, baseline: bl, latestProblem: markLatest(s.results.dir), outputs, outputProblem: writeHtmlCopy(outputs, s.results.dir) };
        })();
        finishing.set(s, p);
      }
      return p;
    };
    /** Runs before the current one, started again with `n` (their summaries are printed shorter). */
    const earlier: Finished[] = [];
    if (tui !== null) {
      const { runTui } = tui;
      const again =
        distributed === null
          ? startAgain({
              flags: ctx.flags,
              load: (flags) => {
                const problems: string[] = [];
                const quiet: Output = { print: () => undefined, info: () => undefined, warn: () => undefined, error: (t) => void problems.push(t) };
                const loaded = loadForRun({ ...ctx, flags, out: quiet });
                return typeof loaded === 'number' ? problems : loaded;
              },
              script: async (sc) => {
                const problems: string[] = [];
                const quiet: Output = { print: () => undefined, info: () => undefined, warn: () => undefined, error: (t) => void problems.push(t) };
                const loaded = await loadScriptForRun({ ...ctx, out: quiet }, sc);
                return typeof loaded === 'number' ? problems.join('; ') : loaded;
              },
              finished: (s, bl) => finishOf(s, bl),
            })
          : null;
      const tuiSession = (s: Session, bl: ComparedRun | null): TuiSession => ({
        ...tuiViewOf(s),
        ...(distributed === null ? {} : { workers: () => distributed.views() }),
        metricsUrl: (metrics as MetricsServer | null)?.url ?? null,
        baseline: bl === null ? null : { label: bl.label, stats: bl.snapshot, history: bl.snapshot.history, sinceMs: bl.snapshot.statsStartedAt },
        ...(again === null
          ? {}
          : {
              newTest: {
                defaults: () => again.defaults(s),
                start: async (settings) => {
                  const next = await again.next(s, bl, settings, openSession);
                  if (typeof next === 'string') return next;
                  earlier.push(await finishOf(s, bl));
                  unwatch();
                  session = next.session;
                  runBaseline = next.baseline;
                  current = session;
                  if (interrupted !== null) void session.runner.stop((interrupted as { reason: string }).reason);
                  session.start();
                  unwatch = watchRun(ctx, session, () => leaveTui.abort());
                  void finishOf(session, runBaseline).catch(() => undefined);
                  return tuiSession(session, runBaseline);
                },
              },
            }),
        // Ctrl-C in the TUI (raw mode: no SIGINT reaches the process) ends the run as SIGINT does.
        interrupt: () => onSignal('SIGINT'),
      });
      // Each run's results are written as soon as it stops, while the screen stays up for `n`.
      if (again !== null) void finishOf(session, runBaseline).catch(() => undefined);
      await runTui(tuiSession(session, runBaseline), { signal: leaveTui.signal });
    } else {
      // Locust's w/W/s/S (and the run keys) when a person's terminal is on stdin.
      if (process.stdin.isTTY === true) process.stdin.on('error', onTtyError);
      const stopKeys = startHeadlessKeys({
        input: process.stdin,
        runner: session.runner,
        say: (t) => ctx.out.info(t),
        exportSnapshot: () => session.exportSnapshot(),
        interrupt: () => onSignal('SIGINT'),
      });
      try {
        await headless(session, ctx);
        await session.runner.done;
      } finally {
        stopKeys();
      }
    }
    const { final, verdict } = await finishOf(session, runBaseline);
    const code = verdict.code;
    stopSnapshots();
    if (distributed !== null) {
      distributed.detach();
      ctx.out.info(distributed.finalLine());
    }
    unwatch();
    earlier.forEach((f, i) => {
      ctx.out.info(`Run ${i + 1}: ${f.session.results.dir} — ${f.verdict.line}`);
      if (outputsText(f.outputs) !== '') ctx.out.info(`  also written: ${outputsText(f.outputs)}`);
      if (f.baseline !== null) ctx.out.info(`  ${baselineVerdict(compareRuns(f.baseline, { label: 'this run', snapshot: f.final, meta: f.session.meta() }))}`);
      if (f.latestProblem !== null) ctx.out.warn(f.latestProblem);
      if (f.outputProblem !== null) ctx.out.error(f.outputProblem);
    });
    if (earlier.length > 0) ctx.out.info(`Run ${earlier.length + 1} (the last):`);
    ctx.out.print(formatFinalSummary(final, consoleWidth()));
    const target = formatMonitorTable(session.monitorsView(), session.finalThresholds(final), consoleWidth().columns);
    if (target !== '') ctx.out.print(`\n${target}`);
    ctx.out.print(formatVerdict(session.finalThresholds(final), verdict.line, consoleWidth()));
    ctx.out.info(`Results: ${session.results.dir}`);
    const last = await finishOf(session, runBaseline);
    // With runs before it, say which of the numbered --csv/--json/--html files are this one's.
    if (earlier.length > 0 && outputsText(last.outputs) !== '') ctx.out.info(`  also written: ${outputsText(last.outputs)}`);
    if (last.latestProblem !== null) ctx.out.warn(last.latestProblem);
    if (last.outputProblem !== null) ctx.out.error(last.outputProblem);
    if (runBaseline !== null) ctx.out.info(baselineVerdict(compareRuns(runBaseline, { label: 'this run', snapshot: final, meta: session.meta() })));
    printSummaries(given, [...earlier.map((f) => f.session.results.dir), session.results.dir]);
    const unwritten = session.unwrittenFinal;
    if (unwritten.length > 0) {
      // The run's record is incomplete: that is cicada failing, whatever the run's verdict (a
      // signal's code is kept, so the interruption still shows).
      ctx.out.error(`the final results could not all be written (${unwritten.join(', ')}); the files left there are not the final state`);
      if (code === EXIT.ok || code === EXIT.failed || code === (ctx.flags.exitCodeOnError ?? -1)) return EXIT.crashed;
    }
    if (useTui && code === EXIT.sighup) hangUp();
    return code;
  } finally {
    stopSnapshots();
    process.off('uncaughtException', onCrash);
    process.off('unhandledRejection', onRejection);
  }
  }
}

/** How long a second Ctrl-C waits for the engine to report its aborted requests before leaving. */
const FORCED_EXIT_MS = 3000;

/** `--processes` for this scenario: never more engine threads than users at the peak (a warning says so). */
function boundedProcesses(requested: number, scenario: Scenario, warn: (message: string) => void): number {
  const load = scenario.load;
  const peak =
    load.kind === 'open' ? load.maxUsers : load.stages !== null && load.stages.length > 0 ? Math.max(1, ...load.stages.map((s) => s.users)) : scenario.users;
  if (requested <= peak) return requested;
  warn(`--processes ${requested} with at most ${peak} user${peak === 1 ? '' : 's'}: running ${peak} engine thread${peak === 1 ? '' : 's'}`);
  return peak;
}

/**
 * A CI job (CI or CONTINUOUS_INTEGRATION set, and not to 0 or false): Ink draws nothing there, so a
 * run with a terminal attached would look hung until q. It runs headless instead.
 */
export function inCi(env: Readonly<Record<string, string | undefined>>): boolean {
  const set = (v: string | undefined): boolean => v !== undefined && v !== '0' && v !== 'false';
  return set(env.CI) || set(env.CONTINUOUS_INTEGRATION);
}

/** Errors of a terminal that is gone. */
const TTY_GONE = new Set(['EIO', 'ENXIO', 'EPIPE', 'ENOTTY']);

/**
 * Ends the process by SIGHUP itself, once the results are written: the status a shell expects of a
 * hung-up program (129), and no exit handlers — Node 20 aborts with an assertion at exit when it
 * cannot restore the settings of a terminal that is gone (`ResetStdio`).
 */
function hangUp(): void {
  process.removeAllListeners('SIGHUP');
  process.kill(process.pid, 'SIGHUP');
}

/** The headless console: Locust's table every 2 s until the run ends. */
async function headless(session: Session, ctx: RunContext): Promise<void> {
  if (ctx.flags.onlySummary) return;
  const timer = setInterval(() => {
    ctx.out.print(formatStatsTable(session.snapshot(), consoleWidth()));
    const target = formatMonitorTable(session.monitorsView(), session.thresholdResults(), consoleWidth().columns);
    if (target !== '') ctx.out.print(target);
  }, 2000);
  try {
    await session.runner.done;
  } finally {
    clearInterval(timer);
  }
}

/** An argument as a shell would need it typed: `p95<1s` → `'p95<1s'`. */
export function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** Tables fit the terminal when there is one (Locust's 120 columns otherwise, e.g. in CI logs). */
function consoleWidth(): { columns?: number } {
  const columns = process.stdout.isTTY ? process.stdout.columns : undefined;
  return columns === undefined ? {} : { columns };
}

