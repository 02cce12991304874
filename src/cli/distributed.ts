/**
 * `cicada run <scenario> --workers N --bus nats://HOST:4222`: the coordinator's shell. Connects to
 * the bus, holds the start barrier (`--expect-workers`, `--expect-workers-max-wait`) with progress
 * on the console, then hands the session a NATS transport; during the run it applies
 * `--on-worker-loss` and keeps the record of each worker (host, skew, finals, losses) that the
 * Workers tab, the console and summary.json show.
 */
import type { ScenarioOverrides } from '../scenario/load.js';
import type { Scenario } from '../scenario/types.js';
import type { WorkerView as ClusterWorkerView } from '../run/cluster.js';
import type { DistributedSummary, WorkerLoss } from '../run/meta.js';
import type { OpenResults } from '../run/results.js';
import { Bus } from '../run/bus/nats.js';
import { NatsCoordinatorTransport } from '../run/bus/nats-transport.js';
import { envReferences } from '../run/bus/plan.js';
import { workerName } from '../run/protocol.js';
import { parseDuration } from '../scenario/duration.js';
import type { WorkerView } from '../tui/types.js';
import { overridesFrom, type RunFlags } from './flags.js';
import { EXIT, type Output } from './output.js';
import { readPlanBundle } from './plan-bundle.js';
import { fmtDuration } from '../stats/format.js';

export interface DistributedOptions {
  readonly scenario: Scenario;
  /** The URL of a `cicada run URL`, else null. */
  readonly url: string | null;
  readonly bus: string;
  readonly workers: number;
  readonly expectWorkers: number;
  readonly maxWaitMs: number;
  readonly onWorkerLoss: 'abort' | 'continue';
  readonly overrides: ScenarioOverrides;
  readonly env: Record<string, string | undefined>;
  readonly version: string;
  readonly out: Output;
}

/** What the coordinator's run needs from its cluster: views and stop. */
interface ClusterLike {
  workers(): ClusterWorkerView[];
  partialIntervals(): readonly { readonly seq: number; readonly mergedAt: number; readonly missing: readonly number[] }[];
  status(): { readonly state: string };
  stop(reason: string): Promise<void>;
}

export class Distributed {
  /** Set when a lost worker stopped the run (`--on-worker-loss abort`). */
  abortedBy: string | null = null;
  private readonly losses = new Map<number, WorkerLoss>();
  private readonly rate = new Map<number, { at: number; requests: number; rps: number }>();
  private cluster: ClusterLike | null = null;
  private watcher: NodeJS.Timeout | null = null;
  private startedAt: number | null = null;

  private constructor(
    readonly transport: NatsCoordinatorTransport,
    private readonly o: DistributedOptions,
  ) {}

  /**
   * Connects, opens the lobby and waits at the start barrier. Returns the exit code when the run
   * cannot start (the bus unreachable: 2; too few workers in time: 1).
   */
  static async start(o: DistributedOptions): Promise<Distributed | number> {
    const bundle = readPlanBundle(o.scenario, o.url);
    if ('problem' in bundle) {
      o.out.error(bundle.problem);
      return EXIT.badInput;
    }
    const env: Record<string, string> = {};
    for (const name of envReferences(bundle)) {
      const value = o.env[name];
      if (value !== undefined) env[name] = value;
    }
    let bus: Bus;
    try {
      bus = await Bus.open(o.bus, 'cicada-coordinator');
    } catch (err) {
      o.out.error(`--bus: ${(err as Error).message}`);
      return EXIT.badInput;
    }
    const transport = new NatsCoordinatorTransport({ bus, maxWorkers: o.workers, version: o.version, bundle, overrides: o.overrides, env, onNotice: (m) => o.out.info(m) });
    transport.listen();
    const need = Math.min(o.expectWorkers, o.workers);
    o.out.info(`waiting for ${need} worker${need === 1 ? '' : 's'} on ${o.bus} (on each box: cicada worker --bus ${o.bus}); plan ${transport.planHash}`);
    // Ctrl-C at the barrier: send the waiting workers away rather than leave them in the lobby.
    const onSignal = (): void => {
      transport.dismiss('the coordinator was interrupted before the start');
      void transport.close().finally(() => process.exit(EXIT.sigint));
    };
    process.once('SIGINT', onSignal);
    try {
      const count = await transport.gather(o.expectWorkers, o.maxWaitMs, (n) => {
        if (n > 0) o.out.info(`workers: ${n}/${need} joined`);
      });
      o.out.info(`starting with ${count} worker${count === 1 ? '' : 's'}`);
    } catch (err) {
      o.out.error((err as Error).message);
      transport.dismiss('the coordinator gave up waiting for workers');
      await transport.close();
      return EXIT.failed;
    } finally {
      process.off('SIGINT', onSignal);
    }
    return new Distributed(transport, o);
  }

  /** Follows the run: worker losses (and the policy), per-worker request rates. */
  attach(cluster: ClusterLike): void {
    this.cluster = cluster;
    this.startedAt = Date.now();
    this.watcher = setInterval(() => this.watch(), 200);
    this.watcher.unref();
  }

  detach(): void {
    if (this.watcher !== null) clearInterval(this.watcher);
    this.watcher = null;
    if (this.cluster !== null) this.watch();
  }

  /** The Workers tab's rows. */
  views(): WorkerView[] {
    const info = this.transport.workerInfo();
    const now = Date.now();
    return (this.cluster?.workers() ?? []).map((w) => {
      const t = info[w.index];
      return {
        index: w.index,
        host: t?.host ?? w.host,
        state: w.phase,
        users: w.phase === 'gone' ? 0 : w.users,
        rps: w.phase === 'gone' || w.phase === 'done' ? 0 : (this.rate.get(w.index)?.rps ?? 0),
        cpuPercent: w.cpuPercent,
        lastReportAgeMs: w.lastHeardAt === null ? null : Math.max(0, now - w.lastHeardAt),
        skewMs: t?.skewMs ?? null,
      };
    });
  }

  /** For summary.json and the reports. */
  summary(): DistributedSummary {
    const info = this.transport.workerInfo();
    return {
      bus: this.o.bus,
      planHash: this.transport.planHash,
      workersRequested: this.o.workers,
      workersStarted: this.transport.count,
      onWorkerLoss: this.o.onWorkerLoss,
      workers: (this.cluster?.workers() ?? []).map((w) => ({
        index: w.index,
        host: info[w.index]?.host ?? w.host,
        skewMs: info[w.index]?.skewMs ?? null,
        state: w.phase,
        merged: { requests: w.requests, failures: w.failures },
        final: w.final,
        lost: this.losses.get(w.index) ?? null,
      })),
      partialIntervals: [...(this.cluster?.partialIntervals() ?? [])],
    };
  }

  /** One line for the console at the end: each worker's final, and whether they add up. */
  finalLine(): string {
    const s = this.summary();
    const finals = s.workers.filter((w) => w.final !== null);
    const sum = finals.reduce((n, w) => n + w.final!.requests, 0);
    const merged = s.workers.reduce((n, w) => n + w.merged.requests, 0);
    const lost = s.workers.filter((w) => w.lost !== null);
    const parts = [`workers: ${finals.length} of ${s.workersStarted} sent their final report (${sum} requests; ${merged} merged)`];
    for (const w of lost) parts.push(`${workerName(w.index)} (${w.host ?? '?'}) was lost ${fmtDuration(w.lost!.unreportedFromMs)} into the run: its requests since then are not in the totals`);
    return parts.join('\n');
  }

  /** The results writer, with the distributed record added to what it writes. */
  results(open: OpenResults): OpenResults {
    return (opts) => {
      const r = open(opts);
      return {
        ...r,
        writeAll: (snap, meta, level) => r.writeAll(snap, { ...meta, distributed: this.summary() }, level),
        writeSnapshot: (snap, meta) => r.writeSnapshot(snap, { ...meta, distributed: this.summary() }),
      };
    };
  }

  private watch(): void {
    const cluster = this.cluster;
    if (cluster === null) return;
    const now = Date.now();
    for (const w of cluster.workers()) {
      const prev = this.rate.get(w.index);
      if (prev === undefined) this.rate.set(w.index, { at: now, requests: w.requests, rps: 0 });
      else if (now - prev.at >= 1000) this.rate.set(w.index, { at: now, requests: w.requests, rps: Math.max(0, ((w.requests - prev.requests) * 1000) / (now - prev.at)) });
      if (w.phase !== 'gone' || w.final !== null || this.losses.has(w.index)) continue;
      const host = this.transport.workerInfo()[w.index]?.host ?? w.host ?? '?';
      const reason = this.transport.workerInfo()[w.index]?.goneReason ?? 'gone';
      const lastReportAt = w.lastHeardAt;
      this.losses.set(w.index, { at: now, reason, lastReportAt, unreportedFromMs: lastReportAt === null ? 0 : Math.max(0, lastReportAt - (this.startedAt ?? lastReportAt)) });
      const state = cluster.status().state;
      if (state === 'stopping' || state === 'stopped') continue;
      if (this.o.onWorkerLoss === 'abort') {
        this.abortedBy = `${workerName(w.index)} (${host}) lost: ${reason}`;
        this.o.out.warn(`${this.abortedBy}; stopping the run (--on-worker-loss abort)`);
        void cluster.stop(this.abortedBy);
      } else {
        this.o.out.warn(`${workerName(w.index)} (${host}) lost: ${reason}; going on without it (--on-worker-loss continue)`);
      }
    }
  }
}

/** The coordinator's settings from the run flags, or null when the run is not distributed. */
export function distributedSettings(flags: {
  readonly workers?: string | undefined;
  readonly bus?: string | undefined;
  readonly expectWorkers?: string | undefined;
  readonly expectWorkersMaxWait?: string | undefined;
  readonly onWorkerLoss?: string | undefined;
}): Pick<DistributedOptions, 'bus' | 'workers' | 'expectWorkers' | 'maxWaitMs' | 'onWorkerLoss'> | null {
  if (flags.workers === undefined || flags.bus === undefined) return null;
  const workers = Number(flags.workers);
  return {
    bus: flags.bus,
    workers,
    expectWorkers: flags.expectWorkers === undefined ? workers : Number(flags.expectWorkers),
    maxWaitMs: flags.expectWorkersMaxWait === undefined ? 0 : (parseDuration(flags.expectWorkersMaxWait) ?? 0),
    onWorkerLoss: flags.onWorkerLoss === 'continue' ? 'continue' : 'abort',
  };
}

/** The coordinator's start: settings from the flags, then `Distributed.start` (an exit code when it cannot). */
export function startDistributedRun(
  ctx: { readonly flags: RunFlags; readonly target: string | undefined; readonly env: Record<string, string | undefined>; readonly version: string; readonly out: Output },
  scenario: Scenario,
): Promise<Distributed | number> {
  const settings = distributedSettings(ctx.flags);
  if (settings === null) return Promise.resolve(EXIT.badInput);
  const target = ctx.target ?? ctx.flags.file;
  return Distributed.start({
    ...settings,
    scenario,
    url: target !== undefined && /^https?:\/\//i.test(target) ? target : null,
    overrides: overridesFrom(ctx.flags),
    env: ctx.env,
    version: ctx.version,
    out: ctx.out,
  });
}
