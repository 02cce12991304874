/**
 * Monitors against real things: Debian's node_exporter and Prometheus server started on loopback
 * ports, local processes whose memory grows on purpose or stays flat, an exporter killed mid-run,
 * and endpoints that answer with something that is not an exposition or do not answer in time.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { cpus } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realProc } from '../../src/cli/proc-reader.js';
import { MonitorSet } from '../../src/run/monitors/monitor-set.js';
import { parseExposition } from '../../src/run/monitors/exposition.js';
import type { MonitorSpec } from '../../src/scenario/monitor-types.js';
import { parseScenario } from '../../src/scenario/index.js';
import { startNodeExporter, startPrometheus, type RunningTool } from '../support/exporters.js';
import { closeServer, listen, sleep, SocketTracker } from '../support/listen.js';

/** Monitors as a scenario file would define them (the real reader, so defaults are the real ones). */
function monitors(yaml: string): MonitorSpec[] {
  const text = `host: http://127.0.0.1:1\nuserClasses: [ { tasks: [ { get: / } ] } ]\nmonitors:\n${yaml}`;
  return [...(parseScenario(text, 'm.yaml', { env: {} }).monitors ?? [])];
}

/** Ticks `set` `rounds` times, `everyMs` apart, with the real time in seconds as each round's second. */
async function sample(set: MonitorSet, rounds: number, everyMs: number, between?: (round: number) => Promise<void> | void): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    set.tick(Date.now() / 1000);
    await set.settle();
    await between?.(i);
    await sleep(everyMs);
  }
}

function memTotalBytes(): number {
  return Number(/^MemTotal:\s+(\d+) kB/m.exec(readFileSync('/proc/meminfo', 'utf8'))![1]) * 1024;
}

describe('node_exporter and the Prometheus server', () => {
  let exporter: RunningTool;
  let prometheus: RunningTool;

  beforeAll(async () => {
    exporter = await startNodeExporter();
    prometheus = await startPrometheus([new URL(exporter.url).host]);
  });
  afterAll(async () => {
    await prometheus?.stop();
    await exporter?.stop();
  });

  it('parses their own /metrics pages: every sample line, every type', async () => {
    for (const url of [`${exporter.url}/metrics`, `${prometheus.url}/metrics`]) {
      const text = await (await fetch(url)).text();
      const parsed = parseExposition(text);
      const sampleLines = text.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#')).length;
      expect(parsed.samples.length).toBe(sampleLines);
      const typeLines = text.split('\n').filter((l) => l.startsWith('# TYPE ')).length;
      expect(parsed.types.size).toBe(typeLines);
      expect(new Set(parsed.types.values())).toContain('counter');
      expect(new Set(parsed.types.values())).toContain('gauge');
    }
  });

  it('reads a gauge as it is and a counter as a rate (CPU seconds → % of a core), summed over matching series', async () => {
    const set = new MonitorSet(
      monitors(
        [
          `  mem_total: { prometheus: "${exporter.url}/metrics", metric: node_memory_MemTotal_bytes }`,
          `  cpu_busy: { prometheus: "${exporter.url}/metrics", metric: 'node_cpu_seconds_total{mode!="idle"}' }`,
          `  cpu_all: { prometheus: "${exporter.url}/metrics", metric: node_cpu_seconds_total }`,
          `  cpu_idle: { prometheus: "${exporter.url}/metrics", metric: 'node_cpu_seconds_total{mode=~"idle"}' }`,
        ].join('\n'),
      ),
      { onWarning: (m) => expect.fail(m) },
    );
    await sample(set, 4, 500);
    await set.close();
    const [mem, busy, all, idle] = set.view();
    expect(mem!.unit).toBe('bytes');
    expect(mem!.last).toBe(memTotalBytes());
    expect(busy!.unit).toBe('percent');
    // A counter's first sample only primes the rate.
    expect(busy!.samples).toBe(3);
    // Every mode of every CPU adds up to 100% per core (node_exporter reads /proc/stat in USER_HZ ticks).
    expect(all!.avg!).toBeGreaterThan(cpus().length * 100 * 0.7);
    expect(all!.avg!).toBeLessThan(cpus().length * 100 * 1.3);
    expect(busy!.min!).toBeGreaterThanOrEqual(0);
    // The series split by a matcher and its negation add up to the whole, each round (one scrape each round).
    for (let i = 0; i < all!.history.length; i++) {
      expect(busy!.history[i]![1]! + idle!.history[i]![1]!).toBeCloseTo(all!.history[i]![1]!, 6);
    }
  });

  it("evaluates a PromQL query on the Prometheus server each second, and an error there is a gap with Prometheus's reason", async () => {
    const warnings: string[] = [];
    const set = new MonitorSet(
      monitors(
        [
          `  mem: { query: "sum(node_memory_MemTotal_bytes)", server: "${prometheus.url}", unit: bytes }`,
          `  broken: { query: "sum(rate(", server: "${prometheus.url}" }`,
        ].join('\n'),
      ),
      { onWarning: (m) => warnings.push(m) },
    );
    // Prometheus needs its first scrape of node_exporter before the query has an answer.
    const deadline = Date.now() + 20_000;
    while (set.view()[0]!.last === null && Date.now() < deadline) await sample(set, 1, 300);
    await set.close();
    const [mem, broken] = set.view();
    expect(mem!.last).toBe(memTotalBytes());
    expect(broken!.samples).toBe(0);
    expect(broken!.gaps).toBeGreaterThan(0);
    expect(broken!.failing).toMatch(/query failed: .*parse error/);
    expect(warnings.filter((w) => w.startsWith('monitor broken '))).toHaveLength(1);
  });
});

describe('an exporter that goes away', () => {
  it('gives gaps, never zeros, and one warning naming the monitor and the reason; the monitor answers again when it does', async () => {
    const exporter = await startNodeExporter();
    const warnings: string[] = [];
    const rows: (number | null)[][] = [];
    const set = new MonitorSet(monitors(`  load: { prometheus: "${exporter.url}/metrics", metric: node_memory_MemTotal_bytes }`), {
      onWarning: (m) => warnings.push(m),
      onRow: (_t, values) => rows.push([...values]),
    });
    try {
      await sample(set, 6, 200, async (round) => {
        if (round === 2) {
          exporter.child.kill('SIGKILL');
          await new Promise((resolve) => exporter.child.once('exit', resolve));
        }
      });
    } finally {
      await set.close();
      await exporter.stop();
    }
    expect(rows.slice(0, 3).every((r) => r[0] === memTotalBytes())).toBe(true);
    expect(rows.slice(3)).toEqual([[null], [null], [null]]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^monitor load \(http:\/\/127\.0\.0\.1:\d+\/metrics node_memory_MemTotal_bytes\): connection refused; its samples are gaps/);
    const view = set.view()[0]!;
    expect([view.samples, view.gaps, view.min]).toEqual([3, 3, memTotalBytes()]);
  });
});

describe('answers that are not an exposition', () => {
  let server: Server;
  let sockets: SocketTracker;
  let base = '';
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/html') res.end('<html><body>Service Unavailable</body></html>\n');
      else if (req.url === '/500') {
        res.statusCode = 500;
        res.end('oops');
      } else if (req.url === '/truncated') res.end('# TYPE up gauge\nup{job="a"} 1\nup{job="b\n');
      // /slow never answers
    });
    sockets = new SocketTracker(server);
    base = `http://127.0.0.1:${await listen(server)}`;
  });
  afterAll(() => closeServer(server, sockets));

  it('HTML, an error status, a cut body and no answer in time are gaps with their reason, each warned once', async () => {
    const warnings: string[] = [];
    const set = new MonitorSet(
      monitors(
        [
          `  html: { prometheus: "${base}/html", metric: up }`,
          `  status: { prometheus: "${base}/500", metric: up }`,
          `  cut: { prometheus: "${base}/truncated", metric: up }`,
          `  slow: { prometheus: "${base}/slow", metric: up, timeout: 300ms }`,
        ].join('\n'),
      ),
      { onWarning: (m) => warnings.push(m) },
    );
    await sample(set, 2, 50);
    await set.close();
    expect(set.view().map((v) => [v.samples, v.gaps, v.failing])).toEqual([
      [0, 2, 'not a Prometheus exposition (line 1: a sample starts with a metric name, got "<html><body>Service Unavailable</body></")'],
      [0, 2, 'HTTP 500'],
      [0, 2, 'not a Prometheus exposition (line 3: unterminated value of label job)'],
      [0, 2, 'no answer within 300ms'],
    ]);
    expect(warnings.map((w) => w.split(' ')[1])).toEqual(['html', 'status', 'cut', 'slow']);
  });
});

describe('local processes', () => {
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const c of children) c.kill('SIGKILL');
  });
  function node(script: string, tag: string): ChildProcess {
    // The tag makes each command line unique, for the cmd match.
    const child = spawn(process.execPath, ['-e', script, tag], { stdio: 'ignore' });
    children.push(child);
    return child;
  }

  it('a process whose memory grows is a suspected leak; one that stays flat is no growth; CPU, threads and fds are read', async () => {
    const tag = `cicada-monitor-test-${process.pid}`;
    // 2 MB a tick, filled so the pages are resident, kept forever.
    const grower = node(`const keep = []; setInterval(() => keep.push(Buffer.alloc(2 * 1024 * 1024, 1)), 100);`, `${tag}-grow`);
    // Busy for half of each 100 ms, so its CPU is well above 0 and below 100%.
    const flat = spawn(
      process.execPath,
      ['-e', `setInterval(() => { const end = Date.now() + 50; while (Date.now() < end); }, 100); process.on('message', () => process.send(process.cpuUsage()));`, `${tag}-flat`],
      { stdio: ['ignore', 'ignore', 'ignore', 'ipc'] },
    );
    children.push(flat);
    // Its own account of its CPU time, to compare with what the monitor reads from /proc.
    const usage = (): Promise<{ atMs: number; cpuMs: number }> =>
      new Promise((resolve) => {
        flat.once('message', (u: { user: number; system: number }) => resolve({ atMs: performance.now(), cpuMs: (u.user + u.system) / 1000 }));
        flat.send('usage');
      });
    await sleep(500);
    const before = await usage();
    const set = new MonitorSet(
      monitors(
        [
          `  grow_rss: { process: ${grower.pid}, metric: rss }`,
          `  flat_rss: { process: "${tag}-flat", metric: rss }`,
          `  flat_cpu: { process: "${tag}-flat", metric: cpu }`,
          `  flat_threads: { process: ${flat.pid}, metric: threads }`,
          `  flat_fds: { process: ${flat.pid}, metric: fds }`,
        ].join('\n'),
      ),
      { proc: realProc, onWarning: (m) => expect.fail(m) },
    );
    await sample(set, 20, 250);
    const after = await usage();
    await set.close();
    const [grow, flatRss, cpu, threads, fds] = set.final();
    const ownPercent = ((after.cpuMs - before.cpuMs) / (after.atMs - before.atMs)) * 100;
    expect(grow!.leak!.verdict).toBe('suspected leak');
    // ≈ 20 MB/s of growth: the fit's slope per hour says so (the machine may be slow: at least a quarter of it).
    expect(grow!.leak!.slopePerHour).toBeGreaterThan(5 * 1024 * 1024 * 3600);
    expect(grow!.leak!.r2).toBeGreaterThan(0.9);
    expect(flatRss!.leak!.verdict).toBe('no growth');
    expect(cpu!.unit).toBe('percent');
    // Busy half the time when the machine lets it: whatever it got, the monitor agrees with its own count.
    expect(ownPercent).toBeGreaterThan(2);
    expect(Math.abs(cpu!.avg! - ownPercent)).toBeLessThan(5 + ownPercent * 0.2);
    expect(cpu!.leak).toBeNull();
    // Node runs several threads (V8 workers, libuv); stdin/out/err are /dev/null, plus its own epoll and pipes.
    expect(threads!.min!).toBeGreaterThanOrEqual(4);
    expect(fds!.min!).toBeGreaterThanOrEqual(3);
  });

  it('sums a process with its children, and a process that exits becomes gaps with one warning', async () => {
    const tag = `cicada-monitor-tree-${process.pid}`;
    // A parent that starts two children, each holding 20 MB.
    const hold = `const b = Buffer.alloc(20 * 1024 * 1024, 1); setInterval(() => b[0]++, 1000);`;
    const parent = node(
      `const { spawn } = require('node:child_process'); for (let i = 0; i < 2; i++) spawn(process.execPath, ['-e', ${JSON.stringify(hold)}], { stdio: 'ignore' }); ${hold}`,
      tag,
    );
    const warnings: string[] = [];
    const set = new MonitorSet(
      monitors([`  tree: { process: ${parent.pid}, metric: rss }`, `  alone: { process: ${parent.pid}, metric: rss, children: false }`].join('\n')),
      { proc: realProc, onWarning: (m) => warnings.push(m) },
    );
    // The children start and fill their 20 MB when the machine lets them: sample until they have.
    const childrenRss = (): number => (set.view()[0]!.last ?? 0) - (set.view()[1]!.last ?? 0);
    for (const end = Date.now() + 20_000; childrenRss() <= 2 * 20 * 1024 * 1024 && Date.now() < end; ) await sample(set, 1, 100);
    expect(childrenRss()).toBeGreaterThan(2 * 20 * 1024 * 1024);
    // The parent's process group holds the children: end them all.
    process.kill(parent.pid!, 'SIGKILL');
    await new Promise((resolve) => parent.once('exit', resolve));
    await sample(set, 2, 100);
    await set.close();
    expect(set.view().map((v) => v.failing)).toEqual([`process ${parent.pid} is gone`, `process ${parent.pid} is gone`]);
    expect(warnings).toHaveLength(2);
    // The orphaned children: find them by their script and end them.
    const { execFileSync } = await import('node:child_process');
    const pids = execFileSync('pgrep', ['-f', 'b\\[0\\]\\+\\+'], { encoding: 'utf8' }).trim().split('\n').filter(Boolean).map(Number);
    for (const p of pids) {
      try {
        process.kill(p, 'SIGKILL');
      } catch {
        // gone
      }
    }
  });
});
