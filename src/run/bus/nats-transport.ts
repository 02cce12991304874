/**
 * The run's transport (`../transport.ts`) over NATS, for workers on other machines.
 *
 * Coordinator side: a lobby (`listen`, then `gather`) where workers join — refused on a version or
 * plan mismatch, a wrong `--count`, or once the run has started — until enough are there; then
 * each is admitted with its index among those that came, their count and the plan. From `open` on
 * it carries the run protocol both ways, measures each worker's clock skew, and declares a worker
 * gone after 3 silent keep-alive intervals.
 *
 * Worker side (`joinRun`, then `natsWorkerTransport`): joins, waits for its admission, carries the
 * protocol, keeps itself alive, and turns a silent coordinator into a `stop`.
 *
 * Ordering, acknowledgements and merging are the coordinator's (`ClusterRunner`), above this.
 */
import { hostname } from 'node:os';
import type { ScenarioOverrides } from '../../scenario/load.js';
import type { Command, WorkerMessage } from '../protocol.js';
import type { CoordinatorEvents, CoordinatorTransport, WorkerTransport } from '../transport.js';
import type { Bus } from './nats.js';
import { planHash, type PlanBundle } from './plan.js';
import {
  BUS_PROTOCOL,
  COORDINATOR_SILENCE_MS,
  KEEPALIVE_MS,
  MISSING_AFTER_INTERVALS,
  subjects,
  type Admission,
  type DownMessage,
  type JoinReply,
  type JoinRequest,
  type LobbyMessage,
  type PingReply,
  type UpMessage,
} from './protocol.js';
import { fmtBytes, fmtDuration } from '../../stats/format.js';

/** A worker as the transport knows it, for the Workers tab and summary.json. */
export interface BusWorkerInfo {
  readonly index: number;
  /** `host (pid N)`. */
  readonly host: string;
  /** Its clock minus the coordinator's, ms; null until measured. */
  readonly skewMs: number | null;
  /** Epoch ms (coordinator clock) of the last message heard from it. */
  readonly lastHeardAt: number;
  /** When it was declared gone (epoch ms), and why; null while it is there. */
  readonly goneAt: number | null;
  readonly goneReason: string | null;
}

export interface NatsCoordinatorOptions {
  readonly bus: Bus;
  /** `--workers N`: the most workers admitted. */
  readonly maxWorkers: number;
  readonly version: string;
  readonly bundle: PlanBundle;
  readonly overrides: ScenarioOverrides;
  readonly env: Readonly<Record<string, string>>;
  /** Joins, refusals and other news for the console (called on the event loop, never from `send`). */
  readonly onNotice?: (message: string) => void;
  readonly clock?: () => number;
}

interface LobbyEntry {
  readonly workerId: string;
  readonly host: string;
  readonly requestedIndex: number | null;
  readonly ownPlan: boolean;
  readonly joinedAt: number;
  lastHeardAt: number;
}

interface Member {
  readonly workerId: string;
  readonly ownPlan: boolean;
  readonly requestedIndex: number | null;
  info: { -readonly [K in keyof BusWorkerInfo]: BusWorkerInfo[K] };
}

export class NatsCoordinatorTransport implements CoordinatorTransport {
  /** Random per run: subjects of two runs on one bus never meet. */
  readonly run = Math.random().toString(36).slice(2, 10);
  readonly planHash: string;
  private readonly lobby = new Map<string, LobbyEntry>();
  /** Admitted workers by index (set by `gather`). */
  private members: Member[] = [];
  private admitted = false;
  private readonly unsubscribe: (() => void)[] = [];
  private events: CoordinatorEvents | null = null;
  private readonly early: [number, WorkerMessage][] = [];
  private closed = false;
  private timer: NodeJS.Timeout | null = null;
  private lastBeat = 0;
  private lobbyChanged: (() => void) | null = null;
  private readonly clock: () => number;

  constructor(private readonly o: NatsCoordinatorOptions) {
    this.planHash = planHash(o.bundle);
    this.clock = o.clock ?? Date.now;
  }

  /** Workers admitted (0 before `gather` resolves). */
  get count(): number {
    return this.members.length;
  }

  /** Opens the lobby: from now on workers may join. */
  listen(): void {
    const bus = this.o.bus;
    this.unsubscribe.push(
      bus.subscribe<JoinRequest>(subjects.join, (req, msg) => bus.respond(msg, this.join(req))),
      bus.subscribe<LobbyMessage>(subjects.lobby(this.run), (m) => this.inLobby(m.workerId)),
      bus.subscribe<UpMessage>(subjects.upAll(this.run), (m, msg) => this.up(Number(msg.subject.slice(msg.subject.lastIndexOf('.') + 1)), m)),
    );
    this.timer = setInterval(() => this.tick(), 100);
  }

  /** Workers waiting in the lobby now. */
  waiting(): number {
    return this.lobby.size;
  }

  /**
   * The start barrier: resolves once `expect` workers are in the lobby (or `maxWorkers`, whichever
   * is smaller), admitting them; rejects after `timeoutMs` (0: never) saying how many came.
   */
  gather(expect: number, timeoutMs: number, onProgress?: (waiting: number) => void): Promise<number> {
    const need = Math.min(expect, this.o.maxWorkers);
    return new Promise((resolve, reject) => {
      let last = -1;
      const check = (): void => {
        const n = this.lobby.size;
        if (n !== last) onProgress?.(n);
        last = n;
        if (n < need) return;
        cleanup();
        this.admit();
        resolve(this.count);
      };
      const timer = timeoutMs > 0 ? setTimeout(() => (cleanup(), reject(new Error(`only ${this.lobby.size} of ${need} expected workers joined within ${fmtDuration(timeoutMs)}`))), timeoutMs) : null;
      const cleanup = (): void => {
        if (timer !== null) clearTimeout(timer);
        this.lobbyChanged = null;
      };
      this.lobbyChanged = check;
      check();
    });
  }

  /** Sends everyone still in the lobby away (the run ended before it started). */
  dismiss(reason: string): void {
    for (const e of this.lobby.values()) this.o.bus.publish(subjects.admit(e.workerId), { ok: false, reason } satisfies Admission);
  }

  open(events: CoordinatorEvents): void {
    this.events = events;
    // Admitted workers may say hello before the coordinator opens: those messages wait here.
    const early = this.early.splice(0);
    if (early.length === 0) return;
    setImmediate(() => {
      for (const [index, m] of early) this.events?.message(index, m);
    });
  }

  /** Every admitted worker, by index. */
  workerInfo(): BusWorkerInfo[] {
    return this.members.map((m) => ({ ...m.info }));
  }

  send(index: number, command: Command): void {
    if (this.members[index]?.info.goneAt === null) this.o.bus.publish(subjects.down(this.run, index), { k: 'c', c: command } satisfies DownMessage);
  }

  broadcast(command: Command): void {
    this.o.bus.publish(subjects.downAll(this.run), { k: 'c', c: command } satisfies DownMessage);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.events = null;
    if (this.timer !== null) clearInterval(this.timer);
    this.dismiss('the coordinator closed the run');
    for (const u of this.unsubscribe) u();
    await this.o.bus.close();
  }

  private notice(message: string): void {
    const fn = this.o.onNotice;
    if (fn !== undefined) setImmediate(() => fn(message));
  }

  private join(req: JoinRequest): JoinReply {
    const who = `${req.host} (pid ${req.pid})`;
    const refuse = (reason: string): JoinReply => {
      this.notice(`refused worker ${who}: ${reason}`);
      return { ok: false, reason };
    };
    if (req.protocol !== BUS_PROTOCOL || req.version !== this.o.version) {
      return refuse(
        `version mismatch: the worker runs cicada ${req.version} (bus protocol ${req.protocol}), the coordinator cicada ${this.o.version} ` +
          `(bus protocol ${BUS_PROTOCOL}); run the same version on both`,
      );
    }
    if (req.planHash !== null && req.planHash !== this.planHash) {
      return refuse(`plan mismatch: the worker's plan ${req.planPath ?? ''} has hash ${req.planHash}, the coordinator's ${this.planHash}; give both the same files`);
    }
    if (this.lobby.has(req.workerId)) return { ok: true, run: this.run }; // its earlier reply was lost
    if (this.admitted) {
      const same = req.index === null ? undefined : this.members.find((m) => m.requestedIndex === req.index);
      return refuse(
        same !== undefined
          ? `the run has started; index ${req.index!} already ran in it (${same.info.host}) and a restarted worker would replay its share of the profile`
          : 'the run has started; workers join before the start',
      );
    }
    if (req.count !== null && req.count !== this.o.maxWorkers) return refuse(`the worker was told --count ${req.count}, the coordinator runs --workers ${this.o.maxWorkers}`);
    if (req.index !== null) {
      if (!(Number.isInteger(req.index) && req.index >= 0 && req.index < this.o.maxWorkers)) return refuse(`index ${req.index} is out of range for --workers ${this.o.maxWorkers} (0 to ${this.o.maxWorkers - 1})`);
      const holder = [...this.lobby.values()].find((e) => e.requestedIndex === req.index);
      if (holder !== undefined) return refuse(`index ${req.index} is already taken by ${holder.host}`);
    }
    if (this.lobby.size >= this.o.maxWorkers) return refuse(`the run already has all ${this.o.maxWorkers} workers it asked for`);
    const admission = this.admission(0, this.o.maxWorkers, req.planHash === null);
    const bytes = Buffer.byteLength(JSON.stringify(admission));
    if (bytes > this.o.bus.maxPayload) {
      return refuse(
        `the plan is ${fmtBytes(bytes)}, more than the bus carries in one message (${fmtBytes(this.o.bus.maxPayload)}); ` +
          'give the worker its own copy with --plan',
      );
    }
    const now = this.clock();
    this.lobby.set(req.workerId, { workerId: req.workerId, host: who, requestedIndex: req.index, ownPlan: req.planHash !== null, joinedAt: now, lastHeardAt: now });
    this.notice(`worker joined: ${who}${req.planHash === null ? '' : ', with its own copy of the plan'} (${this.lobby.size} waiting)`);
    if (this.lobbyChanged !== null) setImmediate(() => this.lobbyChanged?.());
    return { ok: true, run: this.run };
  }

  private admission(index: number, count: number, sendPlan: boolean): Admission {
    return { ok: true, run: this.run, index, count, bundle: sendPlan ? this.o.bundle : null, planHash: this.planHash, overrides: this.o.overrides, env: this.o.env };
  }

  /**
   * Admits everyone in the lobby, numbered 0 to n-1 (n: those that came). A worker keeps the index
   * it asked for (`--index`, JOB_COMPLETION_INDEX) when it is below n — always when all came — so
   * messages name the number its pod or its command line shows; the rest fill the free places in
   * order of the index they asked for, then of arrival.
   */
  private admit(): void {
    const sorted = [...this.lobby.values()].sort((a, b) => (a.requestedIndex ?? Infinity) - (b.requestedIndex ?? Infinity) || a.joinedAt - b.joinedAt);
    const placed = new Map<number, LobbyEntry>();
    const rest: LobbyEntry[] = [];
    for (const e of sorted) {
      if (e.requestedIndex !== null && e.requestedIndex < sorted.length) placed.set(e.requestedIndex, e);
      else rest.push(e);
    }
    const entries = sorted.map((_, index) => placed.get(index) ?? rest.shift()!);
    this.admitted = true;
    this.lobby.clear();
    const now = this.clock();
    this.members = entries.map((e, index) => ({
      workerId: e.workerId,
      ownPlan: e.ownPlan,
      requestedIndex: e.requestedIndex,
      info: { index, host: e.host, skewMs: null, lastHeardAt: now, goneAt: null, goneReason: null },
    }));
    for (const m of this.members) this.sendAdmission(m);
    for (const m of this.members) void this.measureSkew(m);
  }

  private sendAdmission(m: Member): void {
    this.o.bus.publish(subjects.admit(m.workerId), this.admission(m.info.index, this.members.length, !m.ownPlan));
  }

  private inLobby(workerId: string): void {
    const e = this.lobby.get(workerId);
    if (e !== undefined) {
      e.lastHeardAt = this.clock();
      return;
    }
    // Admitted but still in the lobby: its admission was lost; send it again.
    const m = this.members.find((x) => x.workerId === workerId);
    if (m !== undefined) {
      m.info.lastHeardAt = this.clock();
      this.sendAdmission(m);
    }
  }

  private up(index: number, m: UpMessage): void {
    const w = this.members[index];
    if (w === undefined || w.info.goneAt !== null || this.closed) return;
    w.info.lastHeardAt = this.clock();
    if (m.k !== 'm') return;
    if (this.events === null) this.early.push([index, m.m]);
    else this.events.message(index, m.m);
  }

  /** Each 100 ms: keep-alives (each second), silent workers leave the lobby or are gone. */
  private tick(): void {
    const now = this.clock();
    const silentAfter = MISSING_AFTER_INTERVALS * KEEPALIVE_MS;
    if (now - this.lastBeat >= KEEPALIVE_MS && this.admitted) {
      this.lastBeat = now;
      this.o.bus.publish(subjects.downAll(this.run), { k: 'beat' } satisfies DownMessage);
    }
    for (const e of [...this.lobby.values()]) {
      if (now - e.lastHeardAt <= silentAfter) continue;
      this.lobby.delete(e.workerId);
      this.notice(`worker ${e.host} left the lobby (silent for ${fmtDuration(now - e.lastHeardAt)})`);
      this.lobbyChanged?.();
    }
    if (this.events === null) return;
    for (const w of this.members) {
      if (w.info.goneAt !== null) continue;
      const silentMs = now - w.info.lastHeardAt;
      if (silentMs > silentAfter) {
        w.info.goneAt = now;
        w.info.goneReason = `missing: no message for ${fmtDuration(silentMs)}`;
        this.events.gone(w.info.index, w.info.goneReason);
      }
    }
  }

  /** The worker's clock minus ours, from the fastest of a few round trips (NTP's estimate). */
  private async measureSkew(m: Member, samples = 5): Promise<void> {
    let best: { rtt: number; skew: number } | null = null;
    for (let i = 0; i < samples * 4 && !this.closed; i++) {
      const t0 = this.clock();
      try {
        const r = await this.o.bus.request<PingReply>(subjects.ping(this.run, m.info.index), {}, 1000);
        const t2 = this.clock();
        if (best === null || t2 - t0 < best.rtt) best = { rtt: t2 - t0, skew: r.workerNow - (t0 + t2) / 2 };
        if (--samples <= 0) break;
      } catch {
        // not subscribed yet (it is loading the plan), or a lost probe
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
    if (best !== null) m.info.skewMs = Math.round(best.skew);
  }
}

export interface JoinOptions {
  readonly bus: Bus;
  readonly version: string;
  readonly planHash: string | null;
  readonly planPath: string | null;
  readonly index: number | null;
  readonly count: number | null;
  /** How long to keep asking for a coordinator, and then to wait in its lobby (0: for ever). */
  readonly waitMs: number;
  /** Told once when no coordinator answered the first ask, and once when in the lobby. */
  readonly onWaiting?: (where: 'coordinator' | 'lobby') => void;
}

/**
 * A worker's join: asks until a coordinator answers, then waits in its lobby for the admission.
 * Resolves with the admission or a refusal; rejects when nobody answered (or admitted) in time.
 */
export async function joinRun(o: JoinOptions): Promise<Admission> {
  const workerId = `${hostname().replace(/[^\w-]/g, '_')}-${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
  let admitted: (a: Admission) => void = () => {};
  const admission = new Promise<Admission>((resolve) => (admitted = resolve));
  // Listening before asking: an admission may follow the join's reply at once.
  const stopListening = o.bus.subscribe<Admission>(subjects.admit(workerId), (a) => admitted(a));
  const req: JoinRequest = {
    protocol: BUS_PROTOCOL,
    version: o.version,
    planHash: o.planHash,
    planPath: o.planPath,
    host: hostname(),
    pid: process.pid,
    workerId,
    index: o.index,
    count: o.count,
  };
  const deadline = o.waitMs > 0 ? Date.now() + o.waitMs : Infinity;
  let told = false;
  let reply: JoinReply;
  try {
    for (;;) {
      try {
        reply = await o.bus.request<JoinReply>(subjects.join, req, 2000);
        break;
      } catch {
        if (Date.now() >= deadline) throw new Error(`no coordinator answered on ${o.bus.url} within ${fmtDuration(o.waitMs)}`);
        if (!told) o.onWaiting?.('coordinator');
        told = true;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
    if (!reply.ok) return reply;
    o.onWaiting?.('lobby');
    const run = reply.run;
    const keepAlive = setInterval(() => o.bus.publish(subjects.lobby(run), { workerId } satisfies LobbyMessage), KEEPALIVE_MS);
    o.bus.publish(subjects.lobby(run), { workerId } satisfies LobbyMessage);
    const timeout = new Promise<Admission>((_, reject) => {
      if (Number.isFinite(deadline)) setTimeout(() => reject(new Error(`the run did not start within ${fmtDuration(o.waitMs)}`)), Math.max(0, deadline - Date.now())).unref();
    });
    try {
      return await Promise.race([admission, timeout]);
    } finally {
      clearInterval(keepAlive);
    }
  } finally {
    stopListening();
  }
}

/**
 * The worker's side, once admitted as `index` of run `run`: subscribes at once (commands sent
 * right after the hello are not missed), answers clock pings, keeps itself alive, and turns a
 * silent coordinator into a `stop` command.
 */
export function natsWorkerTransport(bus: Bus, run: string, index: number, clock: () => number = Date.now): WorkerTransport {
  let handler: ((c: Command) => void) | null = null;
  const early: Command[] = [];
  let lastHeardAt = clock();
  let silenceStopped = false;
  const deliver = (c: Command): void => {
    if (handler === null) early.push(c);
    else handler(c);
  };
  const onDown = (m: DownMessage): void => {
    lastHeardAt = clock();
    if (m.k === 'c') deliver(m.c);
  };
  const unsubscribe = [
    bus.subscribe<DownMessage>(subjects.down(run, index), onDown),
    bus.subscribe<DownMessage>(subjects.downAll(run), onDown),
    bus.subscribe<unknown>(subjects.ping(run, index), (_, msg) => bus.respond(msg, { workerNow: clock() } satisfies PingReply)),
  ];
  const alive = (): void => bus.publish(subjects.up(run, index), { k: 'alive' } satisfies UpMessage);
  alive();
  const timer = setInterval(() => {
    alive();
    if (!silenceStopped && clock() - lastHeardAt > COORDINATOR_SILENCE_MS) {
      silenceStopped = true;
      deliver({ type: 'stop', reason: `the coordinator is gone (nothing heard for ${fmtDuration(COORDINATOR_SILENCE_MS)})` });
    }
  }, KEEPALIVE_MS);
  return {
    send: (m: WorkerMessage) => bus.publish(subjects.up(run, index), { k: 'm', m } satisfies UpMessage),
    onCommand: (h) => {
      handler = h;
      for (const c of early.splice(0)) h(c);
    },
    close: async () => {
      clearInterval(timer);
      for (const u of unsubscribe) u();
      await bus.close();
    },
  };
}
