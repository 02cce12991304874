#!/usr/bin/env node
/**
 * What monitoring the target costs the generator: 10 series sampled each second — five from the
 * demo target's /metrics (one fetch a round, shared), three from node_exporter's /metrics (a
 * larger page: cpu, meminfo, loadavg, … collectors), two from the demo target's process via /proc
 * (CPU, RSS) — against the same process with no monitor, alternately, pinned to one CPU, the
 * targets on another. The figure is the extra CPU as a share of one core.
 *
 *   node test/bench/monitors.mjs [--seconds 20] [--pairs 3]     # or: npm run bench -- --only monitors
 */
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { TOOLS, findTool } from '../support/tool-table.mjs';
import { cpuCount, freePort, hasTaskset, pinned, waitForPort } from './lib/proc.mjs';
import { fixed, median, table } from './lib/table.mjs';

const LOAD = fileURLToPath(new URL('./lib/monitor-load.mjs', import.meta.url));
const DEMO = fileURLToPath(new URL('../../dist/demo/main.js', import.meta.url));

/** Runs the comparison; returns { runs, medianCorePercent }. */
export async function benchMonitors({ seconds = 20, pairs = 3, generatorCpu = null, targetCpu = null } = {}) {
  const demoPort = await freePort();
  const demo = spawn(...split(pinned(targetCpu, [process.execPath, DEMO, '--port', String(demoPort), '--quiet'])), { stdio: 'ignore' });
  const exporterPort = await freePort();
  const exporterBin = findTool(TOOLS.find((t) => t.name === 'prometheus-node-exporter'));
  if (exporterBin === null) throw new Error('prometheus-node-exporter is not installed: node test/support/ensure-tools.mjs');
  const exporter = spawn(...split(pinned(targetCpu, [exporterBin, `--web.listen-address=127.0.0.1:${exporterPort}`])), { stdio: 'ignore' });
  try {
    await waitForPort(demoPort);
    await waitForPort(exporterPort);
    const demoUrl = `http://127.0.0.1:${demoPort}/metrics`;
    const neUrl = `http://127.0.0.1:${exporterPort}/metrics`;
    const yaml = [
      `  cpu: { prometheus: "${demoUrl}", metric: process_cpu_seconds_total }`,
      `  rss: { prometheus: "${demoUrl}", metric: process_resident_memory_bytes }`,
      `  lag: { prometheus: "${demoUrl}", metric: nodejs_eventloop_lag_seconds }`,
      `  inflight: { prometheus: "${demoUrl}", metric: http_requests_in_flight }`,
      `  pool: { prometheus: "${demoUrl}", metric: demo_db_pool_connections_in_use, unit: percent, scale: 5 }`,
      `  node_busy: { prometheus: "${neUrl}", metric: 'node_cpu_seconds_total{mode!="idle"}' }`,
      `  node_mem: { prometheus: "${neUrl}", metric: node_memory_MemAvailable_bytes }`,
      `  node_load: { prometheus: "${neUrl}", metric: node_load1 }`,
      `  proc_cpu: { process: ${demo.pid}, metric: cpu }`,
      `  proc_rss: { process: ${demo.pid}, metric: rss }`,
    ].join('\n');
    const lines = (await (await fetch(neUrl)).text()).split('\n').length;
    console.log(`== monitors: 10 series a second (5 from the demo target's /metrics, 3 from node_exporter's ${lines}-line page, 2 from /proc) vs none, ${seconds} s each, ${pairs} pair(s)${generatorCpu !== null ? `, on cpu ${generatorCpu}` : ''}`);
    const rows = [];
    const runs = [];
    for (let i = 1; i <= pairs; i++) {
      const off = await load('off', seconds, yaml, generatorCpu);
      const on = await load('on', seconds, yaml, generatorCpu);
      const corePercent = ((on.cpuMs - off.cpuMs) / on.wallMs) * 100;
      runs.push({ off, on, corePercent });
      rows.push([i, fixed((off.cpuMs / off.wallMs) * 100, 3), fixed((on.cpuMs / on.wallMs) * 100, 3), `${on.values}/${on.rounds * on.series}`, on.gaps, fixed(corePercent, 3)]);
    }
    console.log(table(['pair', 'CPU% without', 'CPU% with 10 series', 'values/samples', 'warnings', 'monitoring, % of a core'], rows));
    const m = median(runs.map((r) => r.corePercent));
    console.log(`median cost of monitoring 10 series a second: ${fixed(m, 3)}% of one core\n`);
    return { runs, medianCorePercent: m };
  } finally {
    demo.kill('SIGTERM');
    exporter.kill('SIGTERM');
  }
}

function split(argv) {
  return [argv[0], argv.slice(1)];
}

function load(mode, seconds, yaml, cpu) {
  return new Promise((resolve, reject) => {
    const [cmd, args] = split(pinned(cpu, [process.execPath, LOAD, mode, String(seconds), yaml]));
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`monitor-load ${mode} exited ${code}`))));
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { seconds: { type: 'string', default: '20' }, pairs: { type: 'string', default: '3' } } });
  const pin = hasTaskset && cpuCount >= 2;
  await benchMonitors({ seconds: Number(values.seconds), pairs: Number(values.pairs), generatorCpu: pin ? '1' : null, targetCpu: pin ? '0' : null });
}
