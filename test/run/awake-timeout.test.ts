/**
 * The monitors' timeout counts only time this process could have read an answer: a blocked event
 * loop moves the deadline instead of using it up; a free loop times out after the full time.
 */
import { describe, expect, it } from 'vitest';
import { awakeTimeout } from '../../src/run/monitors/awake-timeout.js';

/** Blocks this thread for `ms` without burning CPU: timers and I/O wait, as behind a long task. */
const block = (ms: number): void => void Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
const aborted = (signal: AbortSignal): Promise<number> =>
  new Promise((resolve) => (signal.aborted ? resolve(performance.now()) : signal.addEventListener('abort', () => resolve(performance.now()), { once: true })));

describe('awakeTimeout', () => {
  it('aborts after the full time on a free loop, never before, with a reason naming it', async () => {
    const t0 = performance.now();
    const timeout = awakeTimeout(300);
    const at = await aborted(timeout.signal);
    expect(at - t0).toBeGreaterThanOrEqual(299);
    expect((timeout.signal.reason as Error).message).toBe('no answer within 300ms');
  });

  it('a blocked loop longer than the timeout does not use it up: once the loop runs again there is time left', async () => {
    const timeout = awakeTimeout(300);
    block(900);
    // The timer due during the block fires now, late; it counts at most one step.
    await new Promise((resolve) => setTimeout(resolve, 0));
    await new Promise((resolve) => setImmediate(resolve));
    expect(timeout.signal.aborted).toBe(false);
    const resumed = performance.now();
    const at = await aborted(timeout.signal);
    // The rest of the time is counted on the free loop: more than half of it is still to go.
    expect(at - resumed).toBeGreaterThanOrEqual(150);
  });

  it('clear() stops it: the signal never aborts', async () => {
    const timeout = awakeTimeout(50);
    timeout.clear();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(timeout.signal.aborted).toBe(false);
  });
});
