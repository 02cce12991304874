import { describe, expect, it } from 'vitest';
import { createPollingStore } from '../../src/tui/store.js';
import { tick } from './render.js';

describe('polling store', () => {
  it('hands out the same object between polls and a new one after each', async () => {
    let n = 0;
    const store = createPollingStore(() => ({ n: ++n }), 40);
    const first = store.getSnapshot();
    expect(store.getSnapshot()).toBe(first);
    let notified = 0;
    const off = store.subscribe(() => notified++);
    await tick(130);
    expect(notified).toBeGreaterThanOrEqual(2);
    expect(store.getSnapshot()).not.toBe(first);
    const seen = store.getSnapshot();
    expect(store.getSnapshot()).toBe(seen);
    off();
    const after = notified;
    await tick(100);
    expect(notified).toBe(after); // no listener, no timer
    store.stop();
  });

  it('refresh polls at once', () => {
    let n = 0;
    const store = createPollingStore(() => ++n, 10_000);
    store.getSnapshot();
    store.refresh();
    expect(store.getSnapshot()).toBe(2);
    store.stop();
  });

  it('stretches the interval so drawing stays within its share of a core', async () => {
    const busy = (ms: number) => {
      const until = performance.now() + ms;
      while (performance.now() < until);
    };
    const store = createPollingStore(() => busy(12), { intervalMs: 50, budget: 0.1, maxIntervalMs: 400 });
    const off = store.subscribe(() => undefined);
    for (let i = 0; i < 4; i++) {
      store.refresh();
      await tick(5);
    }
    // 12 ms a frame at 10% of a core: about 120 ms between frames, never below the normal 50.
    expect(store.currentIntervalMs()).toBeGreaterThanOrEqual(110);
    expect(store.currentIntervalMs()).toBeLessThanOrEqual(400);
    off();
    store.stop();
  });

  it('never waits longer than the maximum however slow a frame is', async () => {
    const store = createPollingStore(
      () => {
        const until = performance.now() + 30;
        while (performance.now() < until);
      },
      { intervalMs: 50, budget: 0.01, maxIntervalMs: 300 },
    );
    store.refresh();
    await tick(5);
    expect(store.currentIntervalMs()).toBe(300);
    store.stop();
  });
});
