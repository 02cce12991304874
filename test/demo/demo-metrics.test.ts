/**
 * The demo target's /metrics: a Prometheus exposition (read by cicada's own strict parser) of its
 * process CPU and memory, event-loop lag, requests in flight and the simulated connection pool;
 * and demo.yaml's monitors reading it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoTarget, type DemoTarget } from '../../src/demo/server.js';
import { isCounterSeries, parseExposition } from '../../src/run/monitors/exposition.js';
import { MonitorSet } from '../../src/run/monitors/monitor-set.js';
import { loadScenarioFile } from '../../src/scenario/index.js';

describe('demo target /metrics', () => {
  let target: DemoTarget;
  beforeAll(async () => {
    target = await startDemoTarget({ quiet: true, seed: 7 });
  });
  afterAll(() => target.close());

  const scrape = async () => {
    const res = await fetch(`${target.url}/metrics`);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const exposition = parseExposition(await res.text());
    return { exposition, value: (name: string) => exposition.samples.find((s) => s.name === name)?.value };
  };

  it('serves its CPU, memory, lag, requests in flight and pool as typed metrics, and is not counted as a request', async () => {
    const { exposition, value } = await scrape();
    expect([...exposition.types]).toEqual([
      ['process_cpu_seconds_total', 'counter'],
      ['process_resident_memory_bytes', 'gauge'],
      ['nodejs_heap_used_bytes', 'gauge'],
      ['nodejs_eventloop_lag_seconds', 'gauge'],
      ['http_requests_in_flight', 'gauge'],
      ['http_requests_total', 'counter'],
      ['demo_db_pool_connections_in_use', 'gauge'],
      ['demo_db_pool_connections_max', 'gauge'],
      ['demo_db_pool_waiting', 'gauge'],
    ]);
    expect(isCounterSeries(exposition, 'process_cpu_seconds_total')).toBe(true);
    expect(value('process_resident_memory_bytes')!).toBeGreaterThan(10 * 1024 * 1024);
    expect(value('demo_db_pool_connections_max')).toBe(20);
    expect(target.counts()['total'] ?? 0).toBe(0);
  });

  it('counts requests in flight and the pool connections they hold while they wait', async () => {
    const before = (await scrape()).value('http_requests_total')!;
    // Three slow requests (0.5–2 s) in flight at once.
    const slow = [1, 2, 3].map(() => fetch(`${target.url}/api/slow`).then((r) => r.arrayBuffer()));
    await new Promise((r) => setTimeout(r, 150));
    const during = await scrape();
    expect(during.value('http_requests_in_flight')).toBe(3);
    expect(during.value('demo_db_pool_connections_in_use')).toBe(3);
    expect(during.value('http_requests_total')).toBe(before + 3);
    await Promise.all(slow);
    await new Promise((r) => setTimeout(r, 50));
    expect((await scrape()).value('http_requests_in_flight')).toBe(0);
  });

  it("demo.yaml's monitors read it: every series has a value after two rounds, the pool in percent", async () => {
    const scenario = loadScenarioFile(new URL('../../scenarios/demo.yaml', import.meta.url).pathname, { env: {}, overrides: { host: target.url } });
    const set = new MonitorSet(scenario.monitors ?? [], { onWarning: (m) => expect.fail(m) });
    for (let i = 0; i < 2; i++) {
      set.tick(Date.now() / 1000);
      await set.settle();
      await new Promise((r) => setTimeout(r, 200));
    }
    await set.close();
    const view = set.view();
    expect(view.map((m) => [m.id, m.unit, m.last !== null])).toEqual([
      ['app_cpu', 'percent', true],
      ['app_rss', 'bytes', true],
      ['loop_lag', 'seconds', true],
      ['in_flight', 'requests', true],
      ['db_pool', 'percent', true],
    ]);
    expect(scenario.thresholds.map((t) => t.source)).toEqual(['db_pool.avg < 80%']);
  });
});

describe('demo.yaml monitors while cicada itself is busy', () => {
  // The demo target in its own process, as `cicada demo` runs it: blocking this process's event
  // loop (as the TUI's first frames and the users' start do on a slow machine) leaves it answering.
  let child: ChildProcess;
  let url = '';
  beforeAll(async () => {
    child = spawn(process.execPath, [fileURLToPath(new URL('../../dist/demo/main.js', import.meta.url)), '--port', '0', '--quiet'], { stdio: ['ignore', 'pipe', 'inherit'] });
    url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /listening on (http:\/\/\S+)/.exec(out);
        if (m !== null) resolve(m[1]!);
      });
      child.once('exit', (code) => reject(new Error(`the demo target exited (${code}) before listening`)));
    });
  });
  afterAll(() => {
    child?.kill('SIGKILL');
  });

  it('the first sample is no timeout when the loop is blocked for longer than the timeout right after it', async () => {
    const scenario = loadScenarioFile(new URL('../../scenarios/demo.yaml', import.meta.url).pathname, { env: {}, overrides: { host: url } });
    const warnings: string[] = [];
    const set = new MonitorSet(scenario.monitors ?? [], { onWarning: (m) => warnings.push(m) });
    const timeoutMs = Math.max(...set.specs.map((s) => s.timeoutMs));
    set.tick(Date.now() / 1000);
    // Blocks this thread (no CPU burnt) for twice the timeout: nothing is read meanwhile.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2 * timeoutMs);
    await set.settle();
    await set.close();
    expect(warnings).toEqual([]);
    // Every gauge has its first value; the CPU counter's first sample only primes its rate.
    expect(set.view().map((m) => [m.id, m.gaps, m.last !== null])).toEqual([
      ['app_cpu', 0, false],
      ['app_rss', 0, true],
      ['loop_lag', 0, true],
      ['in_flight', 0, true],
      ['db_pool', 0, true],
    ]);
  });
});
