// `npm run bench -- --only distributed`: distributed runs over NATS.
//
// 1. Scaling: k = 1, 2, 3 workers (`cicada worker --bus URL --index i`, each its own process)
//    coordinated by `cicada run --workers k --bus URL` through a nats-server started here, 50 users
//    per worker, against the bench target; each pass runs k = 1, 2, 3 one after another, so every
//    k > 1 run has a k = 1 run beside it. On a machine with fewer free cores than workers, req/s
//    cannot grow with k (the workers share the same CPUs); what can be measured there is what one
//    worker yields per CPU-second when it is one of k (its requests from its acknowledged final ÷
//    the CPU time its process used from its admission to its end) against the lone worker of the same pass. The projection for k workers with a
//    core each is k × that ratio × one worker's req/s (README: method and assumptions). Also the
//    coordinator's CPU per worker-second (it runs no users: merging and drawing) and the target's CPU.
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

/**
 * One distributed run: k workers, 50·k users. Totals, each worker's final requests and CPU time
 * (start-up included), the coordinator's CPU, and the target's CPU over the run when `targetCpuMs`
 * (a reading of its CPU time so far) is given.
 */
async function runDistributed({ url, k, usersPerWorker, durationS, nats, targetCpuMs, ratePerWorker = null }) {
  const dir = mkdtempSync(join(tmpdir(), 'cicada-bench-dist-'));
  const u = new URL(url);
  // ratePerWorker: the open model at k × that rate (each worker takes 1/k), instead of users as fast as they go.
  const load = ratePerWorker === null ? [] : [`rate: ${ratePerWorker * k}/s`, `maxUsers: ${usersPerWorker * k}`];
  writeFileSync(join(dir, 'bench.yaml'), ['name: bench', `host: ${u.origin}`, ...load, 'userClasses:', '  - name: BenchUser', '    tasks:', `      - get: ${u.pathname}`, '        check: { status: 200 }', ''].join('\n'));
  const json = join(dir, 'summary.json');
  const targetBefore = targetCpuMs?.() ?? null;
  const started = performance.now();
  const coordinator = runMeasured({
    argv: [process.execPath, cicadaMain, 'run', join(dir, 'bench.yaml'), ...(ratePerWorker === null ? ['-u', String(usersPerWorker * k), '-r', '100000'] : []), '-t', `${durationS}s`, '--headless', '--only-summary', '--results-dir', join(dir, 'results'), '--json', json, '--workers', String(k), '--bus', nats],
    timeoutMs: durationS * 1000 + 120_000,
  });
  // --index i: worker process i is worker i in the summary, so its CPU and its requests pair up.
  // Its CPU is read again when it is admitted (the run starts): what it uses from then on is the run's.
  const workers = Array.from({ length: k }, (_, i) =>
    runMeasured({ argv: [process.execPath, cicadaMain, 'worker', '--bus', nats, '--index', String(i)], timeoutMs: durationS * 1000 + 120_000, markOnStderr: /starting with the others/ }),
  );
  const [c, ...ws] = await Promise.all([coordinator, ...workers]);
  const wallMs = performance.now() - started;
  let summary;
  try {
    summary = JSON.parse(readFileSync(json, 'utf8'));
  } catch {
    throw new Error(`the coordinator wrote no summary (exit ${c.code}):\n${c.stderr.slice(-2000)}`);
  }
  rmSync(dir, { recursive: true, force: true });
  const requests = summary.totals.requests;
  const finals = ws.map((_, i) => summary.distributed?.workers?.find((w) => w.index === i)?.final?.requests ?? NaN);
  return {
    k,
    requests,
    reqPerSec: requests / durationS,
    finalsMatch: summary.distributed?.finalsRequests === requests,
    coordinatorCpuMs: c.cpuMs,
    coordinatorCpuPerWorkerSecond: c.cpuMs / (k * durationS) / 10, // % of a core per worker
    workerCpuPercent: ws.map((w) => (w.cpuMs / w.wallMs) * 100),
    /** Each worker's requests per CPU-second of its own process, from its admission (start-up left out) to its end. */
    workerReqPerCpuS: ws.map((w, i) => finals[i] / (w.cpuMsAfterMark / 1000)),
    /** Each worker's requests per second of the run. */
    workerReqPerSec: finals.map((n) => n / durationS),
    targetCpuPercent: targetBefore === null ? null : ((targetCpuMs() - targetBefore) / wallMs) * 100,
  };
}

const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;

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

/**
 * The section: scaling of k workers (measured and projected), coordinator CPU, and merging 8 × 100.
 * `targetCpuMs` reads the target's CPU time so far (ms), to show whether it was the bottleneck.
 */
export async function benchDistributed({ url, durationS, pairs, usersPerWorker = 50, ratePerWorker = 1000, verdict, benchCmd, targetCpuMs = null }) {
  const nats = await startNats();
  try {
    console.log(`== distributed: k workers over NATS (${nats.url}), ${usersPerWorker} users each, GET ${url}; every process unpinned, k = 1, 2, 3 side by side in each pass`);
    const rows = [];
    const passes = [];
    for (let p = 1; p <= pairs; p++) {
      const byK = new Map();
      for (const k of [1, 2, 3]) byK.set(k, await runDistributed({ url, k, usersPerWorker, durationS, nats: nats.url, targetCpuMs }));
      const one = byK.get(1);
      const oneEff = one.workerReqPerCpuS[0];
      const pass = { pass: p, runs: [...byK.values()], ratios: {} };
      for (const [k, r] of byK) {
        const reqRatio = r.reqPerSec / one.reqPerSec;
        const effRatio = mean(r.workerReqPerCpuS) / oneEff;
        pass.ratios[k] = { reqRatio, effRatio };
        rows.push([
          p,
          k,
          int(r.reqPerSec),
          fixed(reqRatio),
          int(r.reqPerSec / k),
          r.workerReqPerCpuS.map((x) => int(x)).join(' '),
          fixed(effRatio),
          r.finalsMatch ? 'yes' : 'NO',
          pct(r.coordinatorCpuPerWorkerSecond),
          r.workerCpuPercent.map((c) => pct(c)).join(' '),
          r.targetCpuPercent === null ? '-' : pct(r.targetCpuPercent),
        ]);
      }
      passes.push(pass);
    }
    console.log(table(['pass', 'workers', 'req/s', '÷ k=1', 'req/s per worker', 'req per CPU-s, each worker', 'per CPU-s ÷ k=1', 'totals = finals', 'coordinator CPU per worker', 'worker CPU', 'target CPU'], rows));
    const oneReqPerSec = median(passes.map((p) => p.runs[0].reqPerSec));
    const scaling = [2, 3].map((k) => {
      const measured = median(passes.map((p) => p.ratios[k].reqRatio));
      const efficiency = median(passes.map((p) => p.ratios[k].effRatio));
      return { k, measured, efficiency, equalLoadEfficiency: NaN, projected: NaN };
    });
    // The same comparison at an equal, modest load per worker (the open model at ratePerWorker each):
    // every worker, alone or one of k, gets enough CPU for it, so its CPU per request shows what
    // being one of k costs, free of how starved the machine left it in the runs above.
    const equal = [];
    const equalRows = [];
    for (let p = 1; p <= pairs; p++) {
      const byK = new Map();
      for (const k of [1, 2, 3]) byK.set(k, await runDistributed({ url, k, usersPerWorker, durationS, nats: nats.url, targetCpuMs, ratePerWorker }));
      const oneEff = byK.get(1).workerReqPerCpuS[0];
      const ratios = {};
      // The comparison holds only where every worker delivered its rate (else it was starved, as above).
      const delivered = {};
      for (const [k, r] of byK) {
        ratios[k] = mean(r.workerReqPerCpuS) / oneEff;
        delivered[k] = Math.min(...r.workerReqPerSec) / ratePerWorker;
        equalRows.push([p, k, int(ratePerWorker), r.workerReqPerSec.map((x) => int(x)).join(' '), pct(delivered[k] * 100), r.workerReqPerCpuS.map((x) => int(x)).join(' '), fixed(ratios[k]), r.finalsMatch ? 'yes' : 'NO']);
      }
      equal.push({ pass: p, runs: [...byK.values()], ratios, delivered });
    }
    console.log(`\nthe same at an equal load per worker (${int(ratePerWorker)} req/s each, open model):`);
    console.log(table(['pass', 'workers', 'offered per worker', 'req/s, each worker', 'slowest delivered', 'req per CPU-s, each worker', 'per CPU-s ÷ k=1', 'totals = finals'], equalRows));
    for (const s of scaling) {
      // Passes where the lone worker and all k delivered ≥ 95% of the rate; none: not measurable here.
      const valid = equal.filter((p) => p.delivered[1] >= 0.95 && p.delivered[s.k] >= 0.95);
      s.equalLoadPasses = valid.length;
      s.equalLoadDelivered = median(equal.map((p) => p.delivered[s.k]));
      s.equalLoadEfficiency = valid.length === 0 ? NaN : median(valid.map((p) => p.ratios[s.k]));
    }
    const coordPerWorker = median(passes.flatMap((p) => p.runs.map((r) => r.coordinatorCpuPerWorkerSecond)));
    const allFinalsMatch = [...passes, ...equal].every((p) => p.runs.every((r) => r.finalsMatch));
    for (const s of scaling) {
      s.projected = s.k * s.equalLoadEfficiency;
      if (s.equalLoadPasses === 0) {
        console.log(
          `${s.k} workers: measured here ${fixed(s.measured)}× one worker's req/s at full speed; NOT projectable on this machine now: at ${int(ratePerWorker)} req/s each, ` +
            `the slowest of ${s.k} workers delivered only ${pct(s.equalLoadDelivered * 100)} of it (median), so they were starved of CPU and their cost per request is not theirs alone`,
        );
        continue;
      }
      console.log(
        `${s.k} workers: measured here ${fixed(s.measured)}× one worker's req/s at full speed (the workers share this machine's cores; per CPU-second ${fixed(s.efficiency)}×, ` +
          `fixed per-second costs weigh more on a starved process); at an equal load each yields ${fixed(s.equalLoadEfficiency)}× the lone worker's requests per CPU-second → ` +
          `projected with a core per worker: ${s.k} × ${fixed(s.equalLoadEfficiency)} = ${fixed(s.projected)}× ≈ ${int(s.projected * oneReqPerSec)} req/s from this run's lone worker (goal ≥ ${fixed(0.85 * s.k)}×)`,
      );
    }
    console.log(`coordinator CPU per worker: ${pct(coordPerWorker)} of a core (median, start-up and drawing included)`);

    const merge = await benchMerge();
    console.log(`merging ${merge.workers} workers × ${merge.endpoints} endpoints (synthetic deltas, ${int(merge.kbPerWorkerSecond)} KiB per worker-second as JSON): ${pct(merge.cpuPercentOfCore)} of a core\n`);
    verdict('coordinator merges 8 workers × 100 endpoints under 5% of a core', merge.cpuPercentOfCore < 5, `${pct(merge.cpuPercentOfCore)} of a core`, benchCmd('--only distributed'));
    verdict('distributed totals = the sum of the workers\' finals at k = 1, 2, 3', allFinalsMatch, allFinalsMatch ? 'every run' : 'a run differs', benchCmd('--only distributed'));
    for (const s of scaling) {
      verdict(
        `${s.k} workers ≥ ${fixed(0.85 * s.k)}× one worker, projected (k × per-worker req per CPU-second ratio at an equal load, side by side; measured req/s ratio ${fixed(s.measured)}× on these shared cores)`,
        s.projected >= 0.85 * s.k,
        s.equalLoadPasses === 0 ? `not measurable here (workers delivered ${pct(s.equalLoadDelivered * 100)} of an equal load)` : `${fixed(s.projected)}× (${s.equalLoadPasses} of ${pairs} passes)`,
        benchCmd('--only distributed'),
      );
    }
    return { passes, equalLoad: equal, scaling, oneWorkerReqPerSec: oneReqPerSec, coordinatorCpuPerWorkerPercent: coordPerWorker, merge };
  } finally {
    nats.stop();
  }
}
