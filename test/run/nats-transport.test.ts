/**
 * The NATS transport against a real nats-server: workers join (index, plan, overrides and the
 * plan's environment), messages travel both ways, refusals say why (version, plan, index, count,
 * after the start), clock skew is measured, and a worker that falls silent is gone after 3 s.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Bus } from '../../src/run/bus/nats.js';
import { joinRun, NatsCoordinatorTransport, natsWorkerTransport } from '../../src/run/bus/nats-transport.js';
import { planHash, type PlanBundle } from '../../src/run/bus/plan.js';
import type { Command, WorkerMessage } from '../../src/run/protocol.js';
import { startNatsServer, type NatsServer } from '../support/nats-server.js';

let nats: NatsServer;
beforeAll(async () => {
  nats = await startNatsServer();
});
afterAll(async () => {
  await nats.stop();
});

const bundle: PlanBundle = { kind: 'file', entry: 'p.yaml', files: [{ path: 'p.yaml', base64: Buffer.from('name: x\n').toString('base64') }] };

async function coordinator(maxWorkers: number, notices: string[] = []) {
  const bus = await Bus.open(nats.url, 'test-coordinator');
  const t = new NatsCoordinatorTransport({ bus, maxWorkers, version: '1.0.0', bundle, overrides: { users: '5' }, env: { TOKEN: 't' }, onNotice: (m) => notices.push(m) });
  const messages: [number, WorkerMessage][] = [];
  const gone: [number, string, number][] = [];
  t.listen();
  const open = () => t.open({ message: (i, m) => messages.push([i, m]), gone: (i, r) => gone.push([i, r, Date.now()]) });
  return { t, messages, gone, notices, open };
}

/** A worker's join, resolved once it is admitted (or refused). */
const join = async (o: Partial<Parameters<typeof joinRun>[0]> = {}) => {
  const bus = await Bus.open(nats.url, 'test-worker');
  const admission = joinRun({ bus, version: '1.0.0', planHash: null, planPath: null, index: null, count: null, waitMs: 8000, ...o });
  return { bus, admission };
};

const until = async (cond: () => boolean, ms = 5000): Promise<void> => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('NATS transport', () => {
  it('holds workers in the lobby until enough came, admits them with the plan, and carries messages both ways', async () => {
    const c = await coordinator(3);
    const a = await join();
    const b = await join({ index: 0, planHash: planHash(bundle), planPath: '/plan/p.yaml' });
    await until(() => c.t.waiting() === 2);
    const progress: number[] = [];
    expect(await c.t.gather(2, 5000, (n) => progress.push(n))).toBe(2);
    expect(c.t.count).toBe(2);
    const [aa, ba] = await Promise.all([a.admission, b.admission]);
    if (!aa.ok || !ba.ok) throw new Error('refused');
    // The worker that asked for index 0 comes first; the other follows in order of arrival.
    expect([ba.index, aa.index]).toEqual([0, 1]);
    expect(aa.bundle).toEqual(bundle);
    expect(ba.bundle).toBeNull(); // it has its own copy, with the same hash
    expect(aa).toMatchObject({ count: 2, planHash: planHash(bundle), overrides: { users: '5' }, env: { TOKEN: 't' } });
    c.open();
    const wa = natsWorkerTransport(a.bus, aa.run, 1);
    const wb = natsWorkerTransport(b.bus, ba.run, 0);
    const gotA: Command[] = [];
    const gotB: Command[] = [];
    wa.onCommand((x) => gotA.push(x));
    wb.onCommand((x) => gotB.push(x));
    wa.send({ type: 'warning', message: 'from a' });
    wb.send({ type: 'warning', message: 'from b' });
    await until(() => c.messages.length === 2);
    expect(c.messages.sort((x, y) => x[0] - y[0])).toEqual([
      [0, { type: 'warning', message: 'from b' }],
      [1, { type: 'warning', message: 'from a' }],
    ]);
    c.t.broadcast({ type: 'pause' });
    c.t.send(1, { type: 'ack', seq: 7 });
    await until(() => gotA.length === 2 && gotB.length === 1);
    expect(gotA).toEqual([{ type: 'pause' }, { type: 'ack', seq: 7 }]);
    expect(gotB).toEqual([{ type: 'pause' }]);
    // Skew is measured against this same clock: near zero.
    await until(() => c.t.workerInfo().every((w) => w.skewMs !== null));
    for (const w of c.t.workerInfo()) expect(Math.abs(w.skewMs!)).toBeLessThan(50);
    expect(c.t.workerInfo().map((w) => w.host)).toEqual([expect.stringMatching(/\(pid \d+\)$/), expect.stringMatching(/\(pid \d+\)$/)]);
    await wa.close();
    await wb.close();
    await c.t.close();
  });

  it('a worker keeps the index it asked for (its pod name, its --index): every message can name that number', async () => {
    // All four came: 3 and 1 keep theirs; the two without an index take 0 and 2 in order of arrival.
    const c = await coordinator(4);
    const joins = [];
    for (const index of [3, null, 1, null]) {
      joins.push(await join({ index }));
      await until(() => c.t.waiting() === joins.length);
    }
    await c.t.gather(4, 5000);
    const admitted = await Promise.all(joins.map((j) => j.admission));
    expect(admitted.map((a) => (a.ok ? [a.index, a.count] : a.reason))).toEqual([
      [3, 4],
      [0, 4],
      [1, 4],
      [2, 4],
    ]);
    expect(c.t.workerInfo().map((w) => w.index)).toEqual([0, 1, 2, 3]);
    for (const j of joins) await j.bus.close();
    await c.t.close();
    // Two of four came (--expect-workers 2): they are numbered 0 and 1 — 1 keeps its own, 3 takes the free 0.
    const d = await coordinator(4);
    const few = [await join({ index: 3 }), await join({ index: 1 })];
    await until(() => d.t.waiting() === 2);
    await d.t.gather(2, 5000);
    expect((await Promise.all(few.map((j) => j.admission))).map((a) => (a.ok ? [a.index, a.count] : a.reason))).toEqual([
      [0, 2],
      [1, 2],
    ]);
    for (const j of few) await j.bus.close();
    await d.t.close();
  });

  it('refuses a different version, a different plan, a taken index, a wrong count, and anyone after the start — saying why on both sides', async () => {
    const c = await coordinator(2);
    const refusals: string[] = [];
    const refuse = async (o: Partial<Parameters<typeof joinRun>[0]>): Promise<void> => {
      const j = await join(o);
      const a = await j.admission;
      if (a.ok) throw new Error('admitted');
      refusals.push(a.reason);
      await j.bus.close();
    };
    await refuse({ version: '0.9.0' });
    await refuse({ planHash: 'ffffffffffffffff', planPath: '/plan/p.yaml' });
    const first = await join({ index: 1 });
    await until(() => c.t.waiting() === 1);
    await refuse({ index: 1 });
    await refuse({ index: 5 });
    await refuse({ count: 3 });
    await c.t.gather(1, 5000);
    expect((await first.admission).ok).toBe(true);
    await refuse({ index: 1 });
    await refuse({});
    expect(refusals).toEqual([
      'version mismatch: the worker runs cicada 0.9.0 (bus protocol 1), the coordinator cicada 1.0.0 (bus protocol 1); run the same version on both',
      `plan mismatch: the worker's plan /plan/p.yaml has hash ffffffffffffffff, the coordinator's ${planHash(bundle)}; give both the same files`,
      expect.stringMatching(/^index 1 is already taken by .* \(pid \d+\)$/),
      'index 5 is out of range for --workers 2 (0 to 1)',
      'the worker was told --count 3, the coordinator runs --workers 2',
      expect.stringMatching(/^the run has started; index 1 already ran in it \(.*\) and a restarted worker would replay its share of the profile$/),
      'the run has started; workers join before the start',
    ]);
    await until(() => c.notices.filter((n) => n.startsWith('refused worker')).length === 7);
    expect(c.notices.filter((n) => n.startsWith('refused worker'))[0]).toMatch(/^refused worker .* \(pid \d+\): version mismatch/);
    await first.bus.close();
    await c.t.close();
  });

  it('the start barrier gives up after its timeout, saying how many came', async () => {
    const c = await coordinator(3);
    const a = await join();
    await until(() => c.t.waiting() === 1);
    await expect(c.t.gather(3, 600)).rejects.toThrow('only 1 of 3 expected workers joined within 600ms');
    c.t.dismiss('the coordinator gave up waiting for workers');
    expect(await a.admission).toEqual({ ok: false, reason: 'the coordinator gave up waiting for workers' });
    await a.bus.close();
    await c.t.close();
  });

  it('a worker that falls silent is gone after 3 keep-alive intervals', async () => {
    const c = await coordinator(1);
    const a = await join();
    await c.t.gather(1, 5000);
    const adm = await a.admission;
    if (!adm.ok) throw new Error('refused');
    c.open();
    const w = natsWorkerTransport(a.bus, adm.run, 0);
    await new Promise((r) => setTimeout(r, 1500));
    expect(c.gone).toEqual([]); // alive while it keeps alive
    const silentAt = Date.now();
    await w.close();
    await until(() => c.gone.length === 1, 6000);
    const [index, reason, at] = c.gone[0]!;
    expect(index).toBe(0);
    expect(reason).toMatch(/^missing: no message for 3(\.\d)?s$/);
    expect(at - silentAt).toBeLessThan(3600);
    await c.t.close();
  });
});
