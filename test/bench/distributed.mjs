// `npm run bench -- --only distributed`: distributed runs over NATS.
//
// 1. Scaling: k = 1, 2, 3 workers (`cicada worker --bus URL`, each its own process) coordinated by
//    `cicada run --workers k --bus URL` through a nats-server started here, 50 users per worker,
//    against the bench target; req/s of k workers against one, and the coordinator's CPU per
//    worker-second (it runs no users: what it costs is merging and drawing).
// 2. Merging: 8 workers × 100 endpoints of synthetic deltas (real collectors recording real
//    latencies, exported, sent through JSON as over the bus), merged by a coordinator's collector
//    a second at a time: its CPU as a share of one core.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findTool, TOOLS } from '../support/tool-table.mjs';
import { runMeasured } from './lib/proc.mjs';
import { fixed, int, median, pct, table } from './lib/table.mjs';

const repo = new URL('../../', import.meta.url).pathname;
const cicadaMain = join(repo, 'dist/cli/main.js');

/** A nats-server on an ephemeral loopback port. */
async function startNats() {
  const bin = findTool(TOOLS.find((t) => t.name === 'nats-server'));
  if (bin === null) throw new Error('nats-server is not installed (node test/support/ensure-tools.mjs installs it)');
  const dir = mkdtempSync(join(tmpdir(), 'cicada-bench-nats-'));
  const child = spawn(bin, ['-a', '127.0.0.1', '-p', '-1', '--ports_file_dir', dir], { stdio: 'ignore' });
  const deadline = Date.now() + 10_000;
  for (;;) {
    const f = readdirSync(dir).find((n) => n.endsWith('.ports'));
    if (f !== undefined) {
      try {
        const url = JSON.parse(readFileSync(join(dir, f), 'utf8')).nats[0];
        if (url) return { url, stop: () => (child.kill('SIGTERM'), rmSync(dir, { recursive: true, force: true })) };
      } catch {
        // not written completely yet
      }
    }
    if (Date.now() > deadline) throw new Error('nats-server did not start');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** One distributed run: k workers, 50·k users; req/s, coordinator and worker CPU. */
async function runDistributed({ url, k, usersPerWorker, durationS, nats }) {
  const dir = mkdtempSync(join(tmpdir(), 'cicada-bench-dist-'));
  const u = new URL(url);
  writeFileSync(join(dir, 'bench.yaml'), ['name: bench', `host: ${u.origin}`, 'userClasses:', '  - name: BenchUser', '    tasks:', `      - get: ${u.pathname}`, '        check: { status: 200 }', ''].join('\n'));
  const json = join(dir, 'summary.json');
  const coordinator = runMeasured({
    argv: [process.execPath, cicadaMain, 'run', join(dir, 'bench.yaml'), '-u', String(usersPerWorker * k), '-r', '100000', '-t', `${durationS}s`, '--headless', '--only-summary', '--results-dir', join(dir, 'results'), '--json', json, '--workers', String(k), '--bus', nats],
    timeoutMs: durationS * 1000 + 120_000,
  });
  const workers = Array.from({ length: k }, () => runMeasured({ argv: [process.execPath, cicadaMain, 'worker', '--bus', nats], timeoutMs: durationS * 1000 + 120_000 }));
  const [c, ...ws] = await Promise.all([coordinator, ...workers]);
  let summary;
  try {
    summary = JSON.parse(readFileSync(json, 'utf8'));
  } catch {
    throw new Error(`the coordinator wrote no summary (exit ${c.code}):\n${c.stderr.slice(-2000)}`);
  }
  rmSync(dir, { recursive: true, force: true });
  const requests = summary.totals.requests;
  return {
    k,
    requests,
    reqPerSec: requests / durationS,
    finalsMatch: summary.distributed?.finalsRequests === requests,
    coordinatorCpuMs: c.cpuMs,
    coordinatorCpuPerWorkerSecond: c.cpuMs / (k * durationS) / 10, // % of a core per worker
    workerCpuPercent: ws.map((w) => (w.cpuMs / w.wallMs) * 100),
  };
}

/** Synthetic merging: `workers` × `endpoints`, `seconds` seconds; coordinator CPU % of a core. */
export async function benchMerge({ workers = 8, endpoints = 100, seconds = 20, requestsPerWorkerSecond = 5000 } = {}) {
  const { StatsCollector } = await import(join(repo, 'dist/stats/collector.js'));
  const sources = Array.from({ length: workers }, () => {
    const c = new StatsCollector();
    const ids = Array.from({ length: endpoints }, (_, i) => c.endpoint('GET', `/api/endpoint/${i}`));
    return { c, ids };
  });
  const coordinator = new StatsCollector();
  let mergeUs = 0;
  let bytes = 0;
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let s = 0; s < seconds; s++) {
    // Worker side (not measured): a second of requests, exported as each worker would send it.
    const wire = sources.map(({ c, ids }) => {
      for (let r = 0; r < requestsPerWorkerSecond; r++) c.request(ids[r % endpoints], 500 + Math.floor(rand() * rand() * 200_000), 500, 512, rand() < 0.01 ? 'HTTP 503' : null);
      return JSON.stringify(c.exportDelta());
    });
    bytes += wire.reduce((n, w) => n + w.length, 0);
    // Coordinator side (measured): decode and merge every worker's second, then close the second.
    const before = process.cpuUsage();
    for (const w of wire) coordinator.mergeDelta(JSON.parse(w));
    coordinator.tick(Date.now() + (s + 1) * 1000, workers * 50);
    const used = process.cpuUsage(before);
    mergeUs += used.user + used.system;
  }
  return { workers, endpoints, seconds, cpuPercentOfCore: mergeUs / 1000 / (seconds * 1000) * 100, kbPerWorkerSecond: bytes / 1024 / (workers * seconds) };
}

/** The section: scaling of k workers, coordinator CPU, and merging 8 × 100. */
export async function benchDistributed({ url, durationS, pairs, usersPerWorker = 50, verdict, benchCmd }) {
  const nats = await startNats();
  try {
    console.log(`== distributed: k workers over NATS (${nats.url}), ${usersPerWorker} users each, GET ${url}; every process unpinned`);
    const rows = [];
    const byK = new Map();
    for (let p = 1; p <= pairs; p++) {
      for (const k of [1, 2, 3]) {
        const r = await runDistributed({ url, k, usersPerWorker, durationS, nats: nats.url });
        if (!byK.has(k)) byK.set(k, []);
        byK.get(k).push(r);
        rows.push([p, k, int(r.reqPerSec), r.finalsMatch ? 'yes' : 'NO', pct(r.coordinatorCpuPerWorkerSecond), r.workerCpuPercent.map((c) => pct(c)).join(' ')]);
      }
    }
    console.log(table(['pass', 'workers', 'req/s', 'totals = finals', 'coordinator CPU per worker', 'worker CPU'], rows));
    const one = median(byK.get(1).map((r) => r.reqPerSec));
    const scaling = [2, 3].map((k) => ({ k, ratio: median(byK.get(k).map((r) => r.reqPerSec)) / one }));
    const coordPerWorker = median([...byK.values()].flat().map((r) => r.coordinatorCpuPerWorkerSecond));
    for (const s of scaling) console.log(`median req/s of ${s.k} workers / 1 worker: ${fixed(s.ratio)}× (goal ≥ ${fixed(0.85 * s.k)}×)`);
    console.log(`coordinator CPU per worker: ${pct(coordPerWorker)} of a core (median)`);

    const merge = await benchMerge();
    console.log(`merging ${merge.workers} workers × ${merge.endpoints} endpoints (synthetic deltas, ${int(merge.kbPerWorkerSecond)} KiB per worker-second as JSON): ${pct(merge.cpuPercentOfCore)} of a core\n`);
    verdict('coordinator merges 8 workers × 100 endpoints under 5% of a core', merge.cpuPercentOfCore < 5, `${pct(merge.cpuPercentOfCore)} of a core`, benchCmd('--only distributed'));
    for (const s of scaling) verdict(`${s.k} workers ≥ ${fixed(0.85 * s.k)}× one worker's req/s (CPU-bound here: see README)`, s.ratio >= 0.85 * s.k, `${fixed(s.ratio)}×`, benchCmd('--only distributed'));
    return { runs: Object.fromEntries([...byK].map(([k, rs]) => [k, rs])), scaling, coordinatorCpuPerWorkerPercent: coordPerWorker, merge };
  } finally {
    nats.stop();
  }
}
