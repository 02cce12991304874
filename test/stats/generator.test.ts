import { afterEach, describe, expect, it } from 'vitest';
import { GeneratorMonitor } from '../../src/stats/generator.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
function spin(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // keep the CPU and the event loop busy
  }
}

describe('GeneratorMonitor', () => {
  let monitor: GeneratorMonitor | null = null;
  afterEach(() => monitor?.stop());

  it('reports a quiet generator as healthy', async () => {
    // A generous lag threshold: a shared CI machine may deschedule this process for a while.
    monitor = new GeneratorMonitor({ intervalMs: 60_000, lagThresholdMs: 1_000 });
    monitor.start();
    await sleep(300);
    const s = monitor.takeSample();
    expect(s.cpuPercent).toBeLessThan(50); // sleeping burns no CPU
    expect(s.eventLoopLagMs).toBeGreaterThanOrEqual(0);
    expect(s.eventLoopLagMs).toBeLessThan(1_000);
    expect(s.rssBytes).toBeGreaterThan(0);
    expect(s.heapUsedBytes).toBeGreaterThan(0);
    expect(s.saturated).toBe(false);
  });

  it('flags a blocked event loop as saturated and sees the CPU it burned', async () => {
    monitor = new GeneratorMonitor({ intervalMs: 60_000 });
    monitor.start();
    await sleep(50);
    // Many 150 ms stalls, so the lag's p99 is one of them.
    for (let i = 0; i < 6; i++) {
      spin(150);
      await sleep(1);
    }
    const s = monitor.takeSample();
    expect(s.eventLoopLagMs).toBeGreaterThan(100);
    expect(s.cpuPercent).toBeGreaterThan(25); // spinning most of the interval (lower bound: a shared CI core)
    expect(s.saturated).toBe(true);
  });

  it('samples on its own timer and keeps a bounded history', async () => {
    monitor = new GeneratorMonitor({ intervalMs: 20, historySize: 3 });
    monitor.start();
    await sleep(200);
    expect(monitor.history).toHaveLength(3);
    const [a, b, c] = monitor.history;
    expect(a!.at).toBeLessThanOrEqual(b!.at);
    expect(b!.at).toBeLessThanOrEqual(c!.at);
    expect(monitor.sample()).toBe(c);
  });
});
