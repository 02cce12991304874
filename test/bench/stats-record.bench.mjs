#!/usr/bin/env node
// Cost of recording one result: ns per `StatsCollector.request()` and heap growth over 10M records,
// next to a bare `histogram.recordValue` loop on the same histogram kind, measured in the same run.
// Not part of the unit suite. Run after a build:  npm run build && node test/bench/stats-record.bench.mjs [records]
//
// Latencies follow a log-normal-ish spread (0.4 ms … 1.2 s); 10 endpoints, 2% failures under
// three interned keys — the shape of a real test.
import { StatsCollector, wasmBackend } from '../../dist/stats/index.js';
import { build } from 'hdr-histogram-js';

const N = Number(process.argv[2] ?? 10_000_000);
const ROUNDS = 3;

const latencies = new Float64Array(1 << 16);
for (let i = 0; i < latencies.length; i++) latencies[i] = Math.floor(Math.exp(6 + Math.random() * 8));
const mask = latencies.length - 1;
const FAILURES = ['HTTP 500', 'ECONNRESET', 'timeout after 60s'];

function heapMb() {
  globalThis.gc?.();
  return process.memoryUsage().heapUsed / 1e6;
}

function bareLoop() {
  const h = build({
    bitBucketSize: 32,
    autoResize: false,
    lowestDiscernibleValue: 1,
    highestTrackableValue: 2 ** 37,
    numberOfSignificantValueDigits: 3,
    useWebAssembly: wasmBackend(),
  });
  const t = process.hrtime.bigint();
  for (let i = 0; i < N; i++) h.recordValue(latencies[i & mask]);
  return Number(process.hrtime.bigint() - t) / N;
}

function collectorLoop(opts) {
  const c = new StatsCollector(opts);
  const ids = Array.from({ length: 10 }, (_, i) => c.endpoint('GET', `/api/items/${i}`));
  const heapBefore = heapMb();
  const t = process.hrtime.bigint();
  for (let i = 0; i < N; i++) {
    const us = latencies[i & mask];
    const failure = i % 50 === 0 ? FAILURES[i % 3] : null;
    c.request(ids[i % 10], us, us, 512, failure);
  }
  const ns = Number(process.hrtime.bigint() - t) / N;
  return { ns, heapGrowthMb: heapMb() - heapBefore, footprintMb: c.footprintBytes() / 1e6 };
}

console.log(`backend: ${wasmBackend() ? 'WebAssembly' : 'JS'} histograms; ${N.toLocaleString()} records per round${globalThis.gc ? '' : ' (run with --expose-gc for exact heap figures)'}`);
const configs = [
  ['default', {}],
  ['full history', { fullHistory: true }],
  ['open model', { openModel: true }],
];
const rows = [];
for (let r = 0; r < ROUNDS; r++) {
  const bare = bareLoop();
  for (const [label, opts] of configs) {
    const m = collectorLoop(opts);
    rows.push({ round: r + 1, config: label, 'bare ns': bare.toFixed(1), 'request() ns': m.ns.toFixed(1), ratio: (m.ns / bare).toFixed(2), 'heap growth MB': m.heapGrowthMb.toFixed(2), 'histograms MB': m.footprintMb.toFixed(2) });
  }
}
console.table(rows);
