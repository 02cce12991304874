import { describe, expect, it } from 'vitest';
import { StatsCollector } from '../../src/stats/collector.js';
import type { StatsDelta } from '../../src/stats/delta.js';
import { IDLE_GENERATOR, T0, manualClock, runStatus } from './helpers.js';

type Event =
  | { kind: 'request'; method: string; name: string; latencyUs: number; serviceUs: number; bytes: number; failure: string | null }
  | { kind: 'notSent'; method: string; name: string; failure: string }
  | { kind: 'check'; method: string; name: string; passed: boolean }
  | { kind: 'exception'; error: Error; context: string }
  | { kind: 'dropped'; count: number };

/** A deterministic pseudo-random stream of engine results (LCG, so the test is repeatable). */
function stream(seed: number, n: number): Event[] {
  let x = seed;
  const rnd = () => ((x = (x * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  const names = ['/a', '/b', '/c/[id]'];
  const errors = ['HTTP 500', 'ECONNRESET', 'timeout after 30s'];
  const boom = new Error('boom');
  const out: Event[] = [];
  for (let i = 0; i < n; i++) {
    const name = names[Math.floor(rnd() * names.length)]!;
    const method = rnd() < 0.8 ? 'GET' : 'POST';
    const latencyUs = Math.floor(Math.exp(6 + rnd() * 8));
    const failure = rnd() < 0.1 ? errors[Math.floor(rnd() * errors.length)]! : null;
    out.push({ kind: 'request', method, name, latencyUs, serviceUs: Math.floor(latencyUs / 2), bytes: Math.floor(rnd() * 5000), failure });
    // Requests never sent: in a row that also has samples, and in one that never has any.
    if (rnd() < 0.05) out.push({ kind: 'notSent', method, name: rnd() < 0.5 ? name : '/never', failure: 'not sent: ${token} is not set' });
    if (rnd() < 0.3) out.push({ kind: 'check', method, name, passed: rnd() < 0.9 });
    if (rnd() < 0.01) out.push({ kind: 'exception', error: boom, context: rnd() < 0.5 ? 'U/x' : 'U/y' });
    if (rnd() < 0.01) out.push({ kind: 'dropped', count: 2 });
  }
  return out;
}

function feed(c: StatsCollector, events: readonly Event[], clock: { advance: (ms: number) => number }): void {
  for (const e of events) {
    clock.advance(1);
    if (e.kind === 'request') c.request(c.endpoint(e.method, e.name), e.latencyUs, e.serviceUs, e.bytes, e.failure);
    else if (e.kind === 'notSent') c.notSent(c.endpoint(e.method, e.name), e.failure);
    else if (e.kind === 'check') c.check(c.endpoint(e.method, e.name), e.passed);
    else if (e.kind === 'exception') c.exception(e.error, e.context);
    else c.dropped(e.count);
  }
}

describe('exportDelta / mergeDelta (--processes)', () => {
  it('two collectors merged into a third equal one collector fed both streams', () => {
    const a = stream(1, 4_000);
    const b = stream(2, 3_000);
    const clock = manualClock(T0);
    const opts = { openModel: true, clock: clock.read };
    const direct = new StatsCollector(opts);
    const merged = new StatsCollector(opts);
    const workerA = new StatsCollector(opts);
    const workerB = new StatsCollector(opts);

    // Same clock readings for the same event in both paths: feed, rewind, feed again.
    feed(workerA, a, clock);
    feed(workerB, b, clock);
    clock.now = T0;
    feed(direct, a, clock);
    feed(direct, b, clock);

    // Exports travel as JSON, as they would between processes.
    const wire = (d: StatsDelta): StatsDelta => JSON.parse(JSON.stringify(d)) as StatsDelta;
    merged.mergeDelta(wire(workerA.exportDelta()));
    merged.mergeDelta(wire(workerB.exportDelta()));

    const at = clock.now + 1;
    const m = merged.snapshot(runStatus(), IDLE_GENERATOR, at);
    const d = direct.snapshot(runStatus(), IDLE_GENERATOR, at);
    const unsent = [...a, ...b].filter((e) => e.kind === 'notSent').length;
    expect(unsent).toBeGreaterThan(100);
    expect(m.total.requests).toBe(7_000 + unsent);
    expect(m.total.notSent).toBe(unsent);
    expect(m.endpoints.length).toBe(8);
    const never = m.endpoints.filter((e) => e.name === '/never');
    expect(never.map((e) => [e.requests === e.notSent, e.minMs, e.maxMs, e.avgMs])).toEqual([[true, 0, 0, 0], [true, 0, 0, 0]]);
    expect(m.total.minMs).toBe(d.total.minMs);
    // Floating-point sums are added in a different order; everything else must match exactly.
    const rounded = (s: typeof m) =>
      JSON.parse(JSON.stringify({ ...s, takenAt: 0 }, (_k, v: unknown) => (typeof v === 'number' ? Number(v.toPrecision(12)) : v))) as unknown;
    expect(rounded(m)).toEqual(rounded(d));
  });

  it('moves what was exported out of the exporter, so the next delta holds only what came after', () => {
    const clock = manualClock();
    const w = new StatsCollector({ clock: clock.read });
    const id = w.endpoint('GET', '/');
    w.request(id, 1_000, 1_000, 5, 'HTTP 500');
    w.exception(new Error('x'), 'U/t');
    w.dropped(1);
    const first = w.exportDelta();
    expect(first.endpoints).toHaveLength(1);
    expect(first.endpoints[0]).toMatchObject({ method: 'GET', name: '/', requests: 1, failures: 1, bytes: 5, minUs: 1_000, maxUs: 1_000 });
    expect(first.failures).toHaveLength(1);
    expect(first.exceptions).toHaveLength(1);
    expect(first.droppedIterations).toBe(1);
    expect(first.firstRequestAt).toBe(T0);
    const empty = w.exportDelta();
    expect(empty.endpoints).toEqual([]);
    expect(empty.failures).toEqual([]);
    expect(empty.exceptions).toEqual([]);
    expect(empty.droppedIterations).toBe(0);
    w.request(id, 2_000, 2_000, 0, null);
    expect(w.exportDelta().endpoints[0]).toMatchObject({ requests: 1, failures: 0, minUs: 2_000 });
  });

  it('counts merged requests in the receiver’s current second, so its live rates include them', () => {
    const clock = manualClock();
    const w = new StatsCollector({ clock: clock.read });
    const id = w.endpoint('GET', '/');
    for (let i = 0; i < 300; i++) w.request(id, 1_000, 1_000, 0, null);
    const coordinator = new StatsCollector({ clock: clock.read });
    coordinator.mergeDelta(w.exportDelta());
    const rows = coordinator.tick(T0 + 1_000, 4);
    expect(rows.at(-1)).toMatchObject({ totalRequests: 300, windowRequests: 300, rps: 300 });
  });

  it('rejects a delta of another version', () => {
    const c = new StatsCollector();
    expect(() => c.mergeDelta({ ...c.exportDelta(), version: 2 } as unknown as StatsDelta)).toThrow(/version 2/);
  });
});
