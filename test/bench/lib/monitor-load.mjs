#!/usr/bin/env node
// One process sampling monitors as a run does (a round at each wall-clock second), for the
// monitors benchmark: `node monitor-load.mjs on|off SECONDS MONITORS_YAML`. `off` runs the same
// one-second timer with no monitor. CPU is measured after WARMUP rounds (connections opened, code
// compiled: the steady cost of a long run), over SECONDS more. Prints {cpuMs, wallMs, rounds,
// values, gaps} as JSON (rounds and values count the warm-up too).
import { realProc } from '../../../dist/cli/proc-reader.js';
import { MonitorSet } from '../../../dist/run/monitors/monitor-set.js';
import { parseScenario } from '../../../dist/scenario/index.js';

const [mode, secondsText, yaml] = process.argv.slice(2);
const seconds = Number(secondsText);
const specs = mode === 'on' ? (parseScenario(`host: http://127.0.0.1:1\nuserClasses: [ { tasks: [ { get: / } ] } ]\nmonitors:\n${yaml}`, 'bench.yaml', { env: {} }).monitors ?? []) : [];
let values = 0;
let gaps = 0;
const set = new MonitorSet(specs, { proc: realProc, onWarning: () => gaps++, onRow: (_t, row) => (values += row.filter((v) => v !== null).length) });
const WARMUP = 3;
let cpu0 = process.cpuUsage();
let t0 = performance.now();
let rounds = 0;
await new Promise((resolve) => {
  const next = () => {
    setTimeout(() => {
      set.tick(Math.round(Date.now() / 1000));
      rounds++;
      if (rounds === WARMUP) {
        cpu0 = process.cpuUsage();
        t0 = performance.now();
      }
      if (rounds >= seconds + WARMUP) resolve();
      else next();
    }, 1000 - (Date.now() % 1000) + 5);
  };
  next();
});
await set.close();
const cpu = process.cpuUsage(cpu0);
console.log(JSON.stringify({ cpuMs: (cpu.user + cpu.system) / 1000, wallMs: performance.now() - t0, rounds, values, gaps, series: specs.length }));
