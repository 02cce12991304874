/**
 * A 100 MB response: every byte is counted, and the body is not kept in memory when nothing reads
 * it (when a check does, at most `MAX_BUFFERED_BODY_BYTES` is kept and the check fails as "too large").
 *
 * Memory is measured as `arrayBuffers` (where response chunks live) right after a forced GC, every
 * 20 ms during the download: garbage from chunks already counted and dropped is not mistaken for
 * a body being kept.
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_BUFFERED_BODY_BYTES } from '../../src/engine/call.js';
import type { Check } from '../../src/scenario/types.js';
import { request, scenario, task, userClass } from '../engine/build.js';
import { startFaultServer, type FaultServer } from '../support/fault-server.js';
import { expectCountedOnce, failuresOf, runLoad } from './harness.js';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

const MB100 = 100 * 1024 * 1024;

let srv: FaultServer | null = null;
afterEach(async () => {
  await srv?.close();
  srv = null;
});

/** One user downloads /big?mb=100 once; returns the snapshot and the peak retained bytes above the start. */
async function downloadOnce(checks: Check[]): Promise<{ snap: Awaited<ReturnType<typeof runLoad>>; retainedBytes: number }> {
  srv = await startFaultServer();
  const step = request('GET', '/big?mb=100', { name: '/big', checks, needsBody: checks.length > 0, timeoutMs: 30_000 });
  gc();
  const baseline = process.memoryUsage().arrayBuffers;
  let peak = baseline;
  const sampler = setInterval(() => {
    gc();
    peak = Math.max(peak, process.memoryUsage().arrayBuffers);
  }, 20);
  try {
    // The run time ends at once; the one request in flight finishes within the grace.
    const snap = await runLoad(scenario(srv.url, [userClass('U', [task(step)])], { users: 1, runTimeMs: 30 }), { stopGraceMs: 25_000 });
    return { snap, retainedBytes: peak - baseline };
  } finally {
    clearInterval(sampler);
  }
}

describe('a 100 MB body', () => {
  it('is counted to the byte and not kept in memory when no check reads it', async () => {
    const { snap, retainedBytes } = await downloadOnce([]);
    expect(snap.total.requests).toBe(1);
    expect(snap.total.failures).toBe(0);
    expect(snap.total.totalBytes).toBe(MB100);
    expect(srv!.seen('/big')).toBe(1);
    expect(retainedBytes).toBeLessThan(8 * 1024 * 1024);
    expectCountedOnce(snap);
  });

  it('a body check keeps at most the buffering limit, then fails as too large; bytes still exact', async () => {
    const contains: Check = { kind: 'bodyContains', text: 'needle', loc: { file: 'test', line: 1, col: 1 } };
    const { snap, retainedBytes } = await downloadOnce([contains]);
    expect(snap.total.totalBytes).toBe(MB100);
    expect(failuresOf(snap)).toEqual({ 'check: body too large to check': 1 });
    expect(retainedBytes).toBeLessThan(MAX_BUFFERED_BODY_BYTES + 8 * 1024 * 1024);
    expectCountedOnce(snap);
  });
});
