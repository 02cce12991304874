/**
 * One run, wired: the scenario's Runner feeding a StatsCollector, the generator monitor, the
 * results directory, a once-a-second clock for history rows, and periodic writes. Both front ends
 * (TUI and headless console) drive a run through this object and read it through `snapshot()`.
 */
import { Runner } from '../engine/runner.js';
import type { RunnerStatus, RunState } from '../engine/types.js';
import type { RunMeta } from './meta.js';
import type { Scenario } from '../scenario/types.js';
import { StatsCollector } from '../stats/collector.js';
import { GeneratorMonitor } from '../stats/generator.js';
import { SaturationLog, saturationWarning } from '../stats/saturation.js';
import { abortingThreshold, evaluateThresholds, type ThresholdResult } from '../stats/thresholds.js';
import { targetDown, targetDownMessage, type TargetDown } from '../stats/target-down.js';
import type { StatsSnapshot } from '../stats/types.js';
import { RunClock } from './clock.js';
import { ClusterRunner } from './cluster.js';
import type { LoadedScript } from '../scenario/script.js';
import { RUN_LOG_FILE, RunLog, runLogLine, type LogEntry } from './run-log.js';
import { ScriptLog } from './script-log.js';
import { planHash } from './plan.js';
import type { WorkerPlan } from './protocol.js';
import { MonitorSet, monitorsCsvHeader, monitorsCsvRow } from './monitors/monitor-set.js';
import type { ProcReader } from './monitors/proc.js';
import type { MonitorSummary } from './monitors/types.js';
import type { OpenResults, RunResults } from './results.js';
import type { Secrets } from './secrets.js';
import { ThreadTransport } from './thread-transport.js';
import type { CoordinatorTransport } from './transport.js';

export interface SessionOptions {
  readonly scenario: Scenario;
  /** Opens where the results go (`cli/` writes the results directory); called once, in the constructor. */
  readonly results: OpenResults;
  readonly fullHistory: boolean;
  readonly commandLine: string;
  readonly version: string;
  readonly secrets: Secrets;
  /** Engine threads (`--processes`); 1 runs the engine on the main thread. */
  readonly processes?: number;
  /**
   * Workers reached another way (NATS): the session coordinates `transport.count` workers over it
   * instead of running users itself (`processes` is then ignored).
   */
  readonly transport?: CoordinatorTransport;
  /** The plan hash workers must present; default: the scenario's (`plan.ts`). */
  readonly planHash?: string;
  /** How often the results files are rewritten during the run. Default 5 s. */
  readonly flushEveryMs?: number;
  readonly onWarning: (message: string) => void;
  /** How monitors of local processes read /proc (cli/ gives the real one). */
  readonly proc?: ProcReader;
  readonly onStateChange?: (state: RunState) => void;
  /**
   * The generator's limit on open file descriptors (soft RLIMIT_NOFILE), read by `cli/`; null when
   * unknown or not this process's (a distributed run). Open connections near it are warned about.
   */
  readonly descriptorLimit?: number | null;
  /** The scenario's `script:` module, loaded by `loadScript()` (worker threads load their own). */
  readonly script?: LoadedScript | null;
}

export class Session {
  /** One engine on this thread, or a coordinator of engine threads (`--processes`). */
  readonly runner: Runner | ClusterRunner;
  private readonly cluster: ClusterRunner | null;
  readonly collector: StatsCollector;
  /** The run clock: load offered so far. Every number, row and chart of the run is on it. */
  readonly clock = new RunClock();
  readonly monitor = new GeneratorMonitor();
  /** The generator's health a second at a time for the whole run; warns once per saturation episode. */
  readonly saturation = new SaturationLog();
  readonly results: RunResults;
  readonly scenario: Scenario;
  /** Warnings so far, newest last (the last 50). */
  readonly warnings: string[] = [];
  /** Every warning and notice with its time (the TUI's Logs tab; the status bar's latest warning). */
  readonly log: RunLog = new RunLog({ elapsedMs: () => this.clock.elapsedMs(), onAdd: (e) => this.writeLogEntry(e) });
  /** Whether the results are open for `run.log` (entries before that are written when they open). */
  private logFileOpen = false;
  /** The runner's status as last noted in the log (state changes and new targets are notices). */
  private noted: { state: RunState; targetUsers: number; spawnRate: number; users: number } | null = null;
  /** The generator's descriptor limit, when known (see `SessionOptions.descriptorLimit`). */
  readonly descriptorLimit: number | null;
  /** Whether open connections were near the descriptor limit at the last check. */
  private nearDescriptorLimit = false;
  /** Whether the target looked down (refused, unresolved) at the last check. */
  private down: TargetDown | null = null;
  /** Lines from scripts' `u.log()`. */
  private readonly scriptLog: ScriptLog;
  private secondTimer: NodeJS.Timeout | null = null;
  private flushTimer: NodeJS.Timeout | null = null;
  /** When `summary.json` was last written by a periodic flush. */
  private lastFullFlushAt = -Infinity;
  private startedAt = 0;
  private endedAt: number | null = null;
  private exitCode: number | null = null;
  private lastThresholds: readonly ThresholdResult[] = [];
  /** The target's own health (`monitors:`), sampled with each statistics row; empty without monitors. */
  readonly monitors: MonitorSet;
  /** Files the final write could not write (empty when all were written, or before the end). */
  unwrittenFinal: readonly string[] = [];

  constructor(private readonly options: SessionOptions) {
    this.scenario = options.scenario;
    this.descriptorLimit = options.descriptorLimit ?? null;
    const warn = (raw: string): void => {
      const message = options.secrets.redact(raw);
      this.warnings.push(message);
      if (this.warnings.length > 50) this.warnings.shift();
      this.log.add('warning', message);
      options.onWarning(message);
    };
    const notice = (raw: string): void => void this.log.add('notice', options.secrets.redact(raw));
    this.warn = warn;
    this.notice = notice;
    this.scriptLog = new ScriptLog({ show: warn, write: (line) => this.results.appendLog?.(line), redact: (t) => options.secrets.redact(t) });
    this.collector = new StatsCollector({
      // The statistics run on the run clock: pauses and the time after stop are in no number.
      clock: () => this.clock.timeline(),
      fullHistory: options.fullHistory,
      openModel: options.scenario.load.kind === 'open',
      onWarning: warn,
      // Snapshots are redacted at the source, so the TUI, console and every file are too.
      redact: (t) => options.secrets.redact(t),
    });
    const processes = options.processes ?? 1;
    const hash = options.transport !== undefined || processes > 1 ? (options.planHash ?? planHash(options.scenario)) : '';
    this.cluster =
      options.transport !== undefined || processes > 1
        ? new ClusterRunner({
            scenario: options.scenario,
            transport: options.transport ?? threadTransport(options.scenario, processes, hash, options.version),
            planHash: hash,
            version: options.version,
            collector: this.collector,
            clock: this.clock,
            onSecret: (v) => options.secrets.add(v),
            onWarning: warn,
            onResetStats: () => this.resetStats(),
            onLog: (m) => this.scriptLog.line(m),
          })
        : null;
    this.runner =
      this.cluster ??
      new Runner(options.scenario, {
        sink: this.collector,
        clock: this.clock,
        onResetStats: () => this.resetStats(),
        redact: (t) => options.secrets.redact(t),
        onSecret: (v) => options.secrets.add(v),
        onWarning: warn,
        script: options.script ?? null,
        onLog: (m) => this.scriptLog.line(m),
        ...(options.onStateChange !== undefined ? { onStateChange: options.onStateChange } : {}),
      });
    this.results = options.results({ onWarning: warn, redact: (t) => options.secrets.redact(t) });
    // Opened now, before any user starts: a run that uses every descriptor (EMFILE) still logs.
    this.results.append?.(RUN_LOG_FILE, '');
    this.logFileOpen = true;
    for (const e of this.log.entries()) this.writeLogEntry(e);
    const specs = options.scenario.monitors ?? [];
    if (specs.length > 0) this.results.append?.('monitors.csv', monitorsCsvHeader(specs));
    this.monitors = new MonitorSet(specs, {
      onWarning: warn,
      onRow: (t, values) => this.results.append?.('monitors.csv', monitorsCsvRow(t, values)),
      ...(options.proc !== undefined ? { proc: options.proc } : {}),
    });
    // Each second of generator health (with --processes, the engine threads' too) goes into the
    // run's log; the start of each episode of saturation is a warning (console line, TUI notice).
    this.monitor.onSample((sample) => {
      const health = this.cluster === null ? sample : this.cluster.health(sample);
      const episode = this.saturation.observe(sample.at, health);
      if (episode === 'started') warn(saturationWarning(health));
      else if (episode === 'ended') notice('the load generator is healthy again: numbers from here on are to be trusted');
    });
  }

  /** The run log's entry into the results directory's `run.log` (once they are open). */
  private writeLogEntry(e: LogEntry): void {
    if (this.logFileOpen) this.results.append?.(RUN_LOG_FILE, runLogLine(e));
  }

  /** Adds a warning: the log, `warnings`, and the front end's `onWarning` (redacted). */
  private readonly warn: (text: string) => void;
  /** Adds a notice to the log (redacted). */
  private readonly notice: (text: string) => void;

  private resetStats(): void {
    this.collector.reset();
    this.notice('statistics reset');
  }

  /**
   * Notes the runner's state changes and new user targets in the log. Called with every status
   * read (the TUI reads 4 times a second, the clock once a second), so a change is noted when it
   * is first seen.
   */
  private noteStatus(st: RunnerStatus): void {
    // Before the first status, the run was ready (not started).
    const was = this.noted ?? { state: 'ready' as RunState, targetUsers: st.targetUsers, spawnRate: st.spawnRate, users: 0 };
    this.noted = { state: st.state, targetUsers: st.targetUsers, spawnRate: st.spawnRate, users: st.users };
    if (was.state === st.state) {
      if ((was.targetUsers !== st.targetUsers || was.spawnRate !== st.spawnRate) && st.state !== 'ready' && st.state !== 'stopping' && st.state !== 'stopped') {
        // A ramp that ended between two reads is noted as done: `4 users running (was 3)`.
        if (st.targetUsers === st.users) this.notice(`${usersText(st.users)} running at ${st.spawnRate}/s (was ${was.targetUsers})`);
        else this.notice(`${st.targetUsers < st.users ? 'ramping down to' : 'spawning up to'} ${usersText(st.targetUsers)} at ${st.spawnRate}/s (was ${was.targetUsers})`);
      }
      return;
    }
    switch (st.state) {
      case 'spawning':
        if (was.state === 'ready') this.notice(this.scenario.load.kind === 'open' ? `test started: ${describeLoad(this.scenario)}` : `test started: ${usersText(st.targetUsers)} at ${st.spawnRate}/s`);
        else if (was.state !== 'paused') this.notice(`${st.targetUsers < st.users ? 'ramping down to' : 'spawning up to'} ${usersText(st.targetUsers)} at ${st.spawnRate}/s`);
        else this.notice('resumed');
        break;
      case 'running':
        if (was.state === 'paused') this.notice('resumed');
        else this.notice(`${usersText(st.users)} running`);
        break;
      case 'paused':
        this.notice('paused: no new requests, the run clock stands still');
        break;
      case 'stopping':
        this.notice(`stopping${st.stopReason !== null ? `: ${st.stopReason}` : ''}`);
        break;
      case 'stopped':
        this.notice(`stopped${st.stopReason !== null ? `: ${st.stopReason}` : ''}`);
        break;
      default:
        break;
    }
  }

  /**
   * Warns when open connections reach 90% of the descriptor limit (new ones fail with EMFILE at
   * it), once per crossing: again only after they fell below 70%.
   */
  private noteDescriptors(open: number | undefined): void {
    const limit = this.descriptorLimit;
    if (limit === null || open === undefined) return;
    if (!this.nearDescriptorLimit && open >= 0.9 * limit) {
      this.nearDescriptorLimit = true;
      this.warn(
        `${open} connections open of a limit of ${limit} file descriptors (ulimit -n): at the limit new connections fail with EMFILE — ` +
          'raise it (ulimit -n 65536) or run fewer users per process',
      );
    } else if (this.nearDescriptorLimit && open < 0.7 * limit) {
      this.nearDescriptorLimit = false;
      this.notice(`${open} connections open, well under the descriptor limit of ${limit} again`);
    }
  }

  /** Warns once when the target stops answering at all, and notes when it answers again. */
  private noteTarget(snap: StatsSnapshot): void {
    const down = snap.run.state === 'stopped' || snap.run.state === 'paused' ? this.down : targetDown(snap);
    if (down === this.down) return;
    if (down !== null) {
      this.warn(`${targetDownMessage(down, this.scenario.host)} (${down === 'refused' ? 'connection refused' : 'name not found'})`);
    } else {
      this.notice(`${this.scenario.host} answers again`);
    }
    this.down = down;
  }

  start(): void {
    this.startedAt = Date.now();
    this.monitor.start();
    this.monitors.tick(Math.floor(this.startedAt / 1000));
    this.runner.start();
    // History rows close on the run clock's second boundaries (it stands still while paused).
    const scheduleSecond = (): void => {
      this.secondTimer = setTimeout(() => {
        this.onSecond();
        scheduleSecond();
      }, 1000 - (this.clock.timeline() % 1000) + 5);
    };
    scheduleSecond();
    // At stop the run clock freezes: close the seconds it crossed now, not when the timer (maybe
    // late on a busy machine) next fires, so the history is whole the moment the run is over.
    void this.runner.done.then(() => {
      if (this.secondTimer !== null) this.onSecond();
    }, () => {});
    this.flushTimer = setInterval(() => this.flush(), this.options.flushEveryMs ?? 5000);
    this.flushTimer.unref();
    this.flush(); // summary.json from the first moment: `cicada report` works after a kill -9 at any time
  }

  /**
   * The current statistics with the run's status. A new object each call. `forFiles`: with what
   * only the results files show (`reportPercentilesMs`).
   */
  snapshot(forFiles = false): StatsSnapshot {
    const health = this.cluster === null ? this.monitor.sample() : this.cluster.health(this.monitor.sample());
    const status = this.runner.status();
    this.noteStatus(status);
    // Saturated means an episode is going on (sustained, past the warm-up), not one slow second.
    return this.collector.snapshot(status, { ...health, saturated: this.saturation.active }, this.clock.timeline(), { reportPercentiles: forFiles });
  }

  /** The monitors' series now: statistics so far and recent samples (TUI, console). */
  monitorsView(): readonly MonitorSummary[] {
    return this.monitors.view();
  }

  /** The thresholds as last evaluated (each second, and finally at the end). */
  thresholdResults(): readonly ThresholdResult[] {
    return this.lastThresholds;
  }

  meta(): RunMeta {
    const s = this.scenario;
    return {
      scenarioName: s.name,
      scenarioFile: s.file,
      host: s.host,
      users: s.users,
      spawnRate: s.spawnRate,
      runTimeMs: s.runTimeMs,
      iterations: s.iterations ?? null,
      profile: s.profile,
      loadModel: describeLoad(s),
      thresholds: s.thresholds.map((t) => t.source),
      thresholdResults: this.lastThresholds,
      cicadaVersion: this.options.version,
      commandLine: this.options.secrets.redact(this.options.commandLine),
      startedAt: this.startedAt,
      endedAt: this.endedAt,
      stopReason: this.runner.status().stopReason,
      exitCode: this.exitCode,
      resultsDir: this.results.dir,
      generator: this.saturation.summary(),
      ...(this.monitors.series.length > 0 ? { monitors: this.monitors.final() } : {}),
    };
  }

  /**
   * Writes a results directory of this moment to `snapshots/<elapsed>/` (its thresholds evaluated on
   * its own numbers); returns the directory. Throws when it could not be written whole.
   */
  exportSnapshot(): string {
    try {
      const snap = this.snapshot(true);
      const thresholdResults = evaluateThresholds(this.scenario.thresholds, snap, false, this.monitors.measure);
      const dir = this.results.writeSnapshot(snap, { ...this.meta(), thresholdResults });
      this.notice(`snapshot written: ${dir}`);
      return dir;
    } catch (err) {
      this.log.add('warning', this.options.secrets.redact(`snapshot not written: ${err instanceof Error ? err.message : String(err)}`));
      throw err;
    }
  }

  /**
   * Rewrites the results files from the current statistics during the run: the CSV files each
   * time, `summary.json` when `fullFlushDue` says so (it holds the run's history and grows with it).
   * The reports are written at the end (and into snapshots); a run killed outright still leaves
   * `summary.json`, from which `cicada report DIR` writes them.
   */
  flush(): void {
    const now = Date.now();
    const full = fullFlushDue(now - this.lastFullFlushAt, this.runner.status().elapsedMs, this.options.flushEveryMs ?? 5000);
    if (full) this.lastFullFlushAt = now;
    const snap = this.snapshot(full);
    this.lastThresholds = evaluateThresholds(this.scenario.thresholds, snap, this.runner.status().state === 'stopped', this.monitors.measure);
    this.results.observeHistory(snap.history);
    this.results.writeAll(snap, this.meta(), full ? 'data' : 'csv');
  }

  /**
   * Ends the run (if it is not over) and writes the final results. Idempotent; the final files'
   * counts equal the returned snapshot's.
   */
  async finish(reason: string, exitCode: number): Promise<StatsSnapshot> {
    await this.runner.stop(reason);
    await this.monitors.close();
    return this.finishNow(exitCode);
  }

  /** Writes the final results from what is there now, without waiting for users (a second Ctrl-C, a crash). */
  finishNow(exitCode: number): StatsSnapshot {
    if (this.secondTimer !== null) clearTimeout(this.secondTimer);
    if (this.flushTimer !== null) clearInterval(this.flushTimer);
    this.secondTimer = this.flushTimer = null;
    this.cluster?.flushHeld();
    this.onSecond();
    this.monitor.stop();
    this.endedAt = Date.now();
    this.exitCode = exitCode;
    const snap = this.snapshot(true);
    this.lastThresholds = evaluateThresholds(this.scenario.thresholds, snap, true, this.monitors.measure);
    this.unwrittenFinal = this.results.writeAll(snap, this.meta());
    return snap;
  }

  /** Final threshold results for `snap` (no data counts as failed). */
  finalThresholds(snap: StatsSnapshot): readonly ThresholdResult[] {
    return evaluateThresholds(this.scenario.thresholds, snap, true, this.monitors.measure);
  }

  private onSecond(): void {
    const rows = this.collector.tick(this.clock.timeline(), this.runner.status().users);
    const snap = this.snapshot();
    this.noteTarget(snap);
    this.noteDescriptors(snap.run.connections);
    // stats_history.csv says when each row was written, as Locust's does (a pause is a gap there);
    // in memory, summary.json and the charts the rows stay on the run clock.
    const wallShiftSec = Math.round((Date.now() - this.clock.timeline()) / 1000);
    this.results.appendHistory(wallShiftSec === 0 ? rows : rows.map((r) => ({ ...r, timestamp: r.timestamp + wallShiftSec })));
    // The target lives on while a run is paused: its samples keep the wall clock, like monitors.csv.
    this.monitors.tick(Math.round(Date.now() / 1000));
    if (this.scenario.thresholds.length > 0) {
      this.lastThresholds = evaluateThresholds(this.scenario.thresholds, snap, false, this.monitors.measure);
      const abort = abortingThreshold(this.lastThresholds, snap.run.elapsedMs);
      if (abort !== null && snap.run.state !== 'stopping' && snap.run.state !== 'stopped') {
        void this.runner.stop(`threshold ${abort.threshold.source} failed (${abort.actualText})`);
      }
    }
  }
}

/**
 * Whether a periodic flush rewrites `summary.json` too, `sinceMs` after it was last written,
 * `elapsedMs` into the run. Every flush at first; then every tenth of the run so far, at most a
 * minute apart. Rendering it costs time and garbage in proportion to the history it carries
 * (≈ 1 MB after 15 minutes), and a process that renders a megabyte every 5 s grows its heap for
 * that garbage (the soak benchmark: RSS +24% from minute 2 to 10 when it and the reports were
 * rendered every 5 s). The CSV files, the streamed history and the final write are not affected.
 */
export function fullFlushDue(sinceMs: number, elapsedMs: number, everyMs: number): boolean {
  return sinceMs >= Math.max(everyMs, Math.min(MAX_FULL_FLUSH_MS, elapsedMs / 10)) - everyMs / 2;
}

const MAX_FULL_FLUSH_MS = 60_000;

/** `--processes N`: N worker threads, each with the whole plan and its (index, count). */
function threadTransport(scenario: Scenario, count: number, hash: string, version: string): ThreadTransport {
  const plans = Array.from({ length: count }, (_, index): WorkerPlan => ({ scenario, index, count, planHash: hash, version, host: `thread ${index}` }));
  return new ThreadTransport(plans);
}

function usersText(n: number): string {
  return `${n} user${n === 1 ? '' : 's'}`;
}

function describeLoad(s: Scenario): string {
  const l = s.load;
  if (l.kind === 'open') {
    const stages = l.stages === null ? '' : `, ${l.stages.length} rate stages`;
    return `open model: ${l.rate}/s, at most ${l.maxUsers} users${stages}`;
  }
  if (l.stages !== null && l.stages.length > 0) return `closed model: load shape of ${l.stages.length} stages`;
  return `closed model: ${s.users} users, spawn rate ${s.spawnRate}/s`;
}
