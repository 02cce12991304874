/**
 * The coordinator and its workers over the transport interface, with a transport that loses and
 * duplicates messages (in memory, between this process's event-loop turns): the protocol still
 * brings every request a worker recorded into the totals exactly once, equal to the server's count.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { RunClock } from '../../src/run/clock.js';
import { ClusterRunner } from '../../src/run/cluster.js';
import type { Command, WorkerMessage, WorkerPlan } from '../../src/run/protocol.js';
import type { CoordinatorEvents, CoordinatorTransport, WorkerTransport } from '../../src/run/transport.js';
import { runWorker, type WorkerEnd } from '../../src/run/worker-agent.js';
import type { Scenario } from '../../src/scenario/types.js';
import { StatsCollector } from '../../src/stats/collector.js';
import { IDLE_GENERATOR } from '../../src/stats/generator.js';
import { startCountingServer, type CountingServer } from '../support/counting-server.js';
import { request, scenario as buildScenario, task, userClass, wait } from '../engine/build.js';

interface Faults {
  /** Drop this message (the n-th a worker sends, from 1)? */
  readonly drop?: (m: WorkerMessage, n: number) => boolean;
  /** Deliver it twice? */
  readonly duplicate?: (m: WorkerMessage, n: number) => boolean;
}

/** A transport between this process's coordinator and `plans.length` workers run in it. */
function memoryTransport(plans: readonly WorkerPlan[], faults: Faults = {}) {
  const count = plans.length;
  const handlers: (((c: Command) => void) | null)[] = plans.map(() => null);
  const closed = plans.map(() => false);
  const ends: Promise<WorkerEnd>[] = [];
  const sent = plans.map(() => 0);
  let dropped = 0;
  let events: CoordinatorEvents | null = null;
  const coordinator: CoordinatorTransport = {
    count,
    open(e) {
      events = e;
      plans.forEach((plan, i) => {
        const link: WorkerTransport = {
          send(m) {
            const n = ++sent[i]!;
            if (faults.drop?.(m, n) === true) {
              dropped++;
              return;
            }
            const times = faults.duplicate?.(m, n) === true ? 2 : 1;
            for (let k = 0; k < times; k++) setImmediate(() => events!.message(i, m));
          },
          onCommand(h) {
            handlers[i] = h;
          },
          close() {
            closed[i] = true;
            setImmediate(() => events!.gone(i, 'closed'));
          },
        };
        ends[i] = runWorker({ plan, transport: link, health: () => ({ cpuPercent: 1, eventLoopLagMs: 0 }), reportEveryMs: 200, resendAfterMs: 300 });
      });
    },
    send(i, c) {
      if (!closed[i]) setImmediate(() => handlers[i]?.(c));
    },
    broadcast(c) {
      for (let i = 0; i < count; i++) this.send(i, c);
    },
    close: async () => {},
  };
  return { coordinator, ends, dropped: () => dropped };
}

let server: CountingServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

function plansFor(s: Scenario, count: number, hashOf: (i: number) => string = () => 'plan-a'): WorkerPlan[] {
  return Array.from({ length: count }, (_, index) => ({ scenario: s, index, count, planHash: hashOf(index), version: 'v1', host: `mem ${index}` }));
}

function coordinate(s: Scenario, transport: CoordinatorTransport, warnings: string[]) {
  const collector = new StatsCollector();
  const cluster = new ClusterRunner({
    scenario: s,
    transport,
    collector,
    clock: new RunClock(),
    planHash: 'plan-a',
    version: 'v1',
    onSecret: () => {},
    onWarning: (m) => warnings.push(m),
    onResetStats: () => collector.reset(),
  });
  return { cluster, collector };
}

describe('the coordinator/worker protocol over a transport', () => {
  it('merges every report exactly once when the transport loses and duplicates them', async () => {
    server = await startCountingServer({ delayMs: 2 });
    const s = buildScenario(server.url, [userClass('U', [task(request('GET', '/a'))], { wait: wait(10) })], { users: 4, spawnRate: 100 });
    // Every third report and the first final are lost on the way; every fourth message arrives twice.
    let finalsDropped = 0;
    const link = memoryTransport(plansFor(s, 2), {
      drop: (m, n) => (m.type === 'report' && n % 3 === 0) || (m.type === 'final' && finalsDropped++ < 1),
      duplicate: (_m, n) => n % 4 === 0,
    });
    const warnings: string[] = [];
    const { cluster, collector } = coordinate(s, link.coordinator, warnings);
    cluster.start();
    // Stopped once there is load to count and reports were lost — however slowly the machine gets there.
    for (const end = Date.now() + 20_000; (server.total < 100 || link.dropped() < 3) && Date.now() < end; ) await new Promise((r) => setTimeout(r, 20));
    expect([server.total >= 100, link.dropped() >= 3]).toEqual([true, true]);
    await cluster.stop();
    const ends = await Promise.all(link.ends);
    expect(ends).toEqual([
      { kind: 'finished', acknowledged: true },
      { kind: 'finished', acknowledged: true },
    ]);
    // (`finalsDropped` counts every final sent) The first final was lost and sent again: more finals than workers.
    expect(finalsDropped).toBeGreaterThan(2);
    expect(collector.snapshot(cluster.status(), IDLE_GENERATOR).total.requests).toBe(server.total);
    expect(cluster.workers().map((w) => [w.host, w.phase])).toEqual([
      ['mem 0', 'done'],
      ['mem 1', 'done'],
    ]);
    expect(warnings).toEqual([]);
  });

  it('refuses a worker with another plan and runs without it', async () => {
    server = await startCountingServer();
    const s = buildScenario(server.url, [userClass('U', [task(request('GET', '/a'))], { wait: wait(50) })], { users: 2, spawnRate: 100, runTimeMs: 600 });
    const link = memoryTransport(plansFor(s, 2, (i) => (i === 1 ? 'plan-b' : 'plan-a')));
    const warnings: string[] = [];
    const { cluster, collector } = coordinate(s, link.coordinator, warnings);
    cluster.start();
    await cluster.done;
    const ends = await Promise.all(link.ends);
    expect(ends[1]).toEqual({ kind: 'refused', reason: "plan plan-b, the coordinator's is plan-a (a different scenario or data)" });
    expect(warnings[0]).toBe("worker 1 (mem 1) refused: plan plan-b, the coordinator's is plan-a (a different scenario or data)");
    expect(cluster.workers().map((w) => w.phase)).toEqual(['done', 'refused']);
    expect(warnings).toHaveLength(1);
    // Worker 0 ran its one user (users split 1/1); worker 1's share never started.
    expect(server.connections).toBe(1);
    expect(collector.snapshot(cluster.status(), IDLE_GENERATOR).total.requests).toBe(server.total);
  });

  it('keeps the target while stopping: the status never reads `Users: 4/0`', async () => {
    server = await startCountingServer();
    const s = buildScenario(server.url, [userClass('U', [task(request('GET', '/a'))], { wait: wait(20) })], { users: 4, spawnRate: 100 });
    const link = memoryTransport(plansFor(s, 2));
    const { cluster } = coordinate(s, link.coordinator, []);
    cluster.start();
    while (cluster.status().users < 4) await new Promise((resolve) => setTimeout(resolve, 50));
    void cluster.stop('stopped by user');
    const stopping = cluster.status();
    expect(stopping.state).toBe('stopping');
    expect([stopping.users, stopping.targetUsers]).toEqual([4, 4]);
    await cluster.done;
    expect(cluster.status().state).toBe('stopped');
    expect(cluster.status().targetUsers).toBe(4);
  });
});
