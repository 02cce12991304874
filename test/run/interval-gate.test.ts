/**
 * The interval gate: an interval's reports are merged together once every live worker sent its
 * part; an overdue one is merged partial (naming who it did not wait for), and a late report still
 * counts at once. Real time, short intervals.
 */
import { describe, expect, it } from 'vitest';
import { IntervalGate } from '../../src/run/interval-gate.js';
import type { StatsDelta } from '../../src/stats/delta.js';

const delta = (tag: string): StatsDelta => ({ version: 1, firstRequestAt: null, endpoints: [], failures: [], exceptions: [{ message: tag, traceback: '', context: '', contexts: [], count: 1, firstSeen: 0, lastSeen: 0 }], droppedIterations: 0, overflowNames: 0 });
const tagOf = (d: StatsDelta): string => d.exceptions[0]!.message;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function gate(live: number[], graceMs = 150) {
  const merged: string[] = [];
  const g = new IntervalGate({ merge: (d) => merged.push(tagOf(d)), live: () => live, intervalMs: 100, graceMs });
  g.launch();
  return { g, merged };
}

describe('IntervalGate', () => {
  it('holds an interval until every live worker reported it, then merges it whole, in order', () => {
    const { g, merged } = gate([0, 1], 10_000);
    g.offer(0, 1, delta('w0#1'));
    g.offer(0, 2, delta('w0#2'));
    expect(merged).toEqual([]);
    g.offer(1, 1, delta('w1#1'));
    expect(merged).toEqual(['w0#1', 'w1#1']);
    g.offer(1, 2, delta('w1#2'));
    expect(merged).toEqual(['w0#1', 'w1#1', 'w0#2', 'w1#2']);
    expect(g.partialIntervals()).toEqual([]);
    g.stop();
  });

  it('merges an overdue interval as partial, and a late report at once', async () => {
    const launchedBy = Date.now();
    const { g, merged } = gate([0, 1]);
    g.offer(0, 1, delta('w0#1'));
    // Interval 1 is due at 100 ms, with 150 ms of grace; the gate's timer comes when the machine lets it.
    for (const end = Date.now() + 5000; merged.length === 0 && Date.now() < end; ) await sleep(20);
    expect(merged).toEqual(['w0#1']);
    expect(g.partialIntervals()).toEqual([{ seq: 1, mergedAt: expect.any(Number), missing: [1] }]);
    // Not before its grace was over.
    expect(g.partialIntervals()[0]!.mergedAt - launchedBy).toBeGreaterThanOrEqual(250);
    g.offer(1, 1, delta('w1#1 late'));
    expect(merged).toEqual(['w0#1', 'w1#1 late']);
    expect(g.late).toBe(1);
    g.stop();
  });

  it('a worker that is no longer live holds nobody up, and flush merges what is held', () => {
    const live = [0, 1];
    const { g, merged } = gate(live, 10_000);
    g.offer(0, 1, delta('w0#1'));
    g.offer(0, 2, delta('w0#2'));
    live.splice(1, 1); // worker 1 is gone
    g.release();
    expect(merged).toEqual(['w0#1', 'w0#2']);
    live.push(2);
    g.offer(0, 3, delta('w0#3'));
    expect(merged).toEqual(['w0#1', 'w0#2']);
    g.flush();
    expect(merged).toEqual(['w0#1', 'w0#2', 'w0#3']);
    g.stop();
  });

  it('drops what it holds when statistics are reset', () => {
    const { g, merged } = gate([0, 1], 10_000);
    g.offer(0, 1, delta('old'));
    g.clear();
    g.offer(1, 1, delta('w1#1'));
    g.offer(0, 2, delta('new'));
    g.flush();
    expect(merged).toEqual(['w1#1', 'new']);
    g.stop();
  });
});
