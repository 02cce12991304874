import { afterEach, describe, expect, it, vi } from 'vitest';
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
    // The CPU share a busy loop gets depends on the machine's load, so the monitor's reading is
    // checked against this process's own count of its CPU time over the same interval, bracketed:
    // at least the CPU the spins burned over the longest the interval can be, at most all the CPU
    // the process used over the shortest.
    monitor = new GeneratorMonitor({ intervalMs: 60_000 });
    const wallA = performance.now();
    const cpuA = process.cpuUsage();
    monitor.start();
    const wallB = performance.now();
    await sleep(50);
    // Many 150 ms stalls (wall time, whatever the load), so the lag's p99 is one of them.
    const spinCpu = process.cpuUsage();
    for (let i = 0; i < 6; i++) {
      spin(150);
      await sleep(1);
    }
    const spun = process.cpuUsage(spinCpu);
    const wallC = performance.now();
    const s = monitor.takeSample();
    const cpuD = process.cpuUsage(cpuA);
    const wallD = performance.now();
    const ms = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;
    expect(ms(spun)).toBeGreaterThan(0);
    expect(s.eventLoopLagMs).toBeGreaterThan(100);
    expect(s.cpuPercent).toBeGreaterThanOrEqual((ms(spun) / (wallD - wallA)) * 100);
    expect(s.cpuPercent).toBeLessThanOrEqual((ms(cpuD) / (wallC - wallB)) * 100);
    expect(s.saturated).toBe(true);
  });

  it('samples on its own timer and keeps a bounded history', async () => {
    monitor = new GeneratorMonitor({ intervalMs: 20, historySize: 3 });
    let taken = 0;
    monitor.onSample(() => taken++);
    monitor.start();
    // Wait for five samples of its own (a busy machine may delay a 20 ms timer), then three are kept.
    await vi.waitFor(() => expect(taken).toBeGreaterThanOrEqual(5), { timeout: 10_000, interval: 20 });
    expect(monitor.history).toHaveLength(3);
    const [a, b, c] = monitor.history;
    expect(a!.at).toBeLessThanOrEqual(b!.at);
    expect(b!.at).toBeLessThanOrEqual(c!.at);
    expect(monitor.sample()).toBe(c);
  });
});
