/**
 * A worker: runs its share of the run (a `Runner` and a `StatsCollector`) and speaks the protocol
 * (`protocol.ts`) over whatever transport carries it — the body of a `--processes` worker thread
 * and of a worker on another machine alike.
 */
import { type LoadedScript, loadScript } from '../scenario/script.js';
import { Runner } from '../engine/runner.js';
import { StatsCollector } from '../stats/collector.js';
import type { StatsDelta } from '../stats/delta.js';
import { RunClock } from './clock.js';
import { PROTOCOL_VERSION, workerName, type Command, type ReportMessage, type WorkerHealth, type WorkerPlan } from './protocol.js';
import { Secrets } from './secrets.js';
import { classShare, scaleScenario } from './split.js';
import type { WorkerTransport } from './transport.js';

export interface WorkerOptions {
  readonly plan: WorkerPlan;
  readonly transport: WorkerTransport;
  /** This worker's health now; called once per report. */
  readonly health: () => WorkerHealth;
  /** Default 1000. */
  readonly reportEveryMs?: number;
  /** Reports not acknowledged after this long are sent again. Default 2000. */
  readonly resendAfterMs?: number;
  /** How long the final report waits for its acknowledgement (sending again) before the worker gives up. Default 10 s. */
  readonly finalAckTimeoutMs?: number;
}

/** How a worker ended. */
export type WorkerEnd = { readonly kind: 'finished'; readonly acknowledged: boolean } | { readonly kind: 'refused'; readonly reason: string };

/** Reports kept for re-sending until acknowledged; beyond this the oldest are dropped (≈ 5 min of reports). */
const MAX_UNACKED = 300;

/**
 * Says hello, waits for `start`, runs, reports every second, obeys commands, and after its runner
 * stops sends the final report and waits for its acknowledgement. Resolves when the worker is done
 * (the transport is closed by then).
 */
export async function runWorker(options: WorkerOptions): Promise<WorkerEnd> {
  // Each worker imports the scenario's script itself: functions cannot cross threads or machines.
  return startWorker(options, await loadScript(options.plan.scenario));
}

function startWorker(options: WorkerOptions, script: LoadedScript | null): Promise<WorkerEnd> {
  const { plan, transport } = options;
  const { index, count } = plan;
  const share = scaleScenario(plan.scenario, index, count);
  const secrets = new Secrets(plan.scenario.secretValues, plan.scenario.secretHeaders);
  const warn = (message: string): void => transport.send({ type: 'warning', message });
  const collector = new StatsCollector({ openModel: share.load.kind === 'open', onWarning: warn });
  const runner = new Runner(share, {
    script,
    onLog: (message) => transport.send({ type: 'log', message }),
    sink: collector,
    // The worker's own clock, for its run time and stages; the coordinator's is the run's.
    clock: new RunClock(),
    onResetStats: () => collector.reset(),
    redact: (t) => secrets.redact(t),
    onSecret: (value) => {
      secrets.add(value);
      transport.send({ type: 'secret', value });
    },
    onWarning: warn,
    userIdStart: index + 1,
    userIdStride: count,
    // Open model: worker i of N fires i/N of an interval after worker 0, so they interleave.
    arrivalPhase: count > 1 ? index / count : 0,
    // Closed model: user counts are the whole run's; this worker keeps its part of each allocation.
    ...(share.load.kind === 'closed' ? { shareOf: classShare(index, count) } : {}),
  });

  const reportEveryMs = options.reportEveryMs ?? 1000;
  const resendAfterMs = options.resendAfterMs ?? 2000;
  const unacked = new Map<number, { message: ReportMessage; sentAt: number }>();
  let seq = 0;
  let epoch = 0;
  let totals = { requests: 0, failures: 0 };
  let started = false;
  let finalSeq: number | null = null;
  let droppedWarned = false;

  const post = (message: ReportMessage): void => {
    unacked.set(message.seq, { message, sentAt: Date.now() });
    if (unacked.size > MAX_UNACKED) {
      unacked.delete(unacked.keys().next().value as number);
      if (!droppedWarned) {
        droppedWarned = true;
        warn(`${workerName(index)}: the coordinator has not acknowledged ${MAX_UNACKED} reports; the oldest are dropped and the totals will miss them`);
      }
    }
    transport.send(message);
  };
  const resendDue = (): void => {
    const now = Date.now();
    for (const entry of unacked.values()) {
      if (now - entry.sentAt < resendAfterMs) continue;
      entry.sentAt = now;
      transport.send(entry.message);
    }
  };
  const drain = (): StatsDelta => {
    const delta = collector.exportDelta();
    for (const e of delta.endpoints) {
      totals.requests += e.requests;
      totals.failures += e.failures;
    }
    return delta;
  };

  return new Promise<WorkerEnd>((resolve) => {
    let reporter: NodeJS.Timeout | null = null;
    let finalTimer: NodeJS.Timeout | null = null;
    let ended = false;
    const end = (result: WorkerEnd): void => {
      if (ended) return;
      ended = true;
      if (reporter !== null) clearInterval(reporter);
      if (finalTimer !== null) clearTimeout(finalTimer);
      void Promise.resolve(transport.close()).finally(() => resolve(result));
    };
    const finishedIfAcknowledged = (): void => {
      if (finalSeq !== null && unacked.size === 0) end({ kind: 'finished', acknowledged: true });
    };

    transport.onCommand((c: Command) => {
      switch (c.type) {
        case 'start':
          if (started) return;
          started = true;
          runner.start();
          reporter = setInterval(() => {
            if (finalSeq === null) post({ type: 'report', seq: ++seq, epoch, delta: drain(), status: runner.status(), health: options.health() });
            resendDue();
          }, reportEveryMs);
          return;
        case 'setUsers':
          // The whole run's count: the runner allocates it and keeps this worker's part.
          runner.setUsers(c.users, c.spawnRate / count);
          return;
        case 'pause':
          runner.pause();
          return;
        case 'resume':
          runner.resume();
          return;
        case 'reset':
          epoch = c.epoch;
          runner.resetStats();
          totals = { requests: 0, failures: 0 };
          // Reports of the old statistics are of no use to the coordinator any more.
          for (const [k, v] of unacked) if (v.message.epoch !== epoch) unacked.delete(k);
          return;
        case 'stop':
          void runner.stop(c.reason);
          return;
        case 'abortInFlight':
          runner.abortInFlight();
          return;
        case 'ack':
          unacked.delete(c.seq);
          finishedIfAcknowledged();
          return;
        case 'refuse':
          void runner.stop('refused');
          end({ kind: 'refused', reason: c.reason });
          return;
      }
    });

    void runner.done.then(() => {
      if (ended) return;
      finalSeq = ++seq;
      post({ type: 'final', seq: finalSeq, epoch, delta: drain(), status: runner.status(), health: options.health(), totals: { ...totals } });
      // Without a reporter (stopped before start) nothing re-sends: keep one going until acknowledged.
      reporter ??= setInterval(resendDue, reportEveryMs);
      finalTimer = setTimeout(() => end({ kind: 'finished', acknowledged: false }), options.finalAckTimeoutMs ?? 10_000);
    });

    transport.send({
      type: 'hello',
      protocol: PROTOCOL_VERSION,
      version: plan.version,
      planHash: plan.planHash,
      index,
      count,
      host: plan.host,
    });
  });
}
