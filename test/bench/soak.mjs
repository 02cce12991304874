#!/usr/bin/env node
/**
 * `npm run bench:soak`: does cicada keep per-request state? 10 minutes at steady load (50 users, no
 * wait, against the bench's target: nginx when installed), sampling every 10 s the generator's RSS
 * (from /proc, outside the process) and its V8 heap (the `generator` section of the summary.json
 * cicada rewrites during the run). Reports the growth of each between minute 2 (after warm-up: JIT code,
 * connection buffers, histogram pages touched) and minute 10. Target: RSS growth < 5%.
 *
 *   npm run bench:soak
 *   npm run bench:soak -- --quick                 # 1 minute, growth from 0:12 to the end
 *   npm run bench:soak -- --minutes 30 --cicada-args "--processes 2"
 *
 * V8 resizes its heap in steps of ≈ 16 MB a minute or two apart, so RSS saws: each reading is the
 * mean (and the peak) of the samples in a minute — around minute 2, and the last one.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runCicada } from './lib/generators.mjs';
import { cpuCount, hasTaskset, tempDir } from './lib/proc.mjs';
import { fixed, int, mib, pct, table } from './lib/table.mjs';
import { startTargets } from './lib/target.mjs';

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    minutes: { type: 'string' },
    users: { type: 'string', default: '50' },
    'cicada-args': { type: 'string', default: '' },
    'node-target': { type: 'boolean', default: false },
  },
});
const minutes = Number(args.minutes ?? (args.quick ? 1 : 10));
const durationS = Math.round(minutes * 60);
const fromS = durationS * 0.2; // minute 2 of 10
const users = Number(args.users);
const extraArgs = args['cicada-args'].split(/\s+/).filter((a) => a !== '');
const pin = hasTaskset && cpuCount >= 2;

const targets = await startTargets({ cpu: pin ? 0 : null, nginx: !args['node-target'] });
const dir = tempDir('soak');
const samples = [];
let latestRss = 0;
let nextMarkS = 10;
let startedAt = null;

console.log(`cicada soak: ${minutes} min, ${users} users, no wait, GET ${targets.throughputUrl} (${targets.kind}); a sample every 10 s\n`);
console.log(`${'at'.padEnd(4)}  ${'RSS'.padStart(8)}  ${'heap used'.padStart(9)}  ${'requests'.padStart(11)}`);
const onSample = ({ at, rssBytes }) => {
  if (rssBytes > 0) latestRss = rssBytes;
  startedAt ??= at;
  const s = (at - startedAt) / 1000;
  if (s < nextMarkS) return;
  nextMarkS += 10;
  let heap = NaN;
  let requests = NaN;
  try {
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    heap = summary.generator.heapUsedBytes;
    requests = summary.totals.requests;
  } catch {
    // not written yet
  }
  samples.push({ s, rss: latestRss, heap });
  console.log(`${clock(s)}  ${mib(latestRss).padStart(8)}  ${mib(heap).padStart(9)}  ${int(requests).padStart(11)}`);
};

let r;
try {
  r = await runCicada({ url: targets.throughputUrl, users, durationS, cpu: pin ? 1 : null, extraArgs, dir, onSample });
} finally {
  await targets.stop();
}

// V8 grows and shrinks its heap in steps of ≈ 16 MB a minute or two apart, so a reading is the mean
// (and the peak) of the samples in a window: the minute around the mark, the last minute at the end.
const windowOf = (key, fromS, toS) => {
  const xs = samples.filter((x) => x.s >= fromS && x.s <= toS && Number.isFinite(x[key]) && x[key] > 0).map((x) => x[key]);
  return xs.length === 0 ? { mean: NaN, max: NaN } : { mean: xs.reduce((a, b) => a + b, 0) / xs.length, max: Math.max(...xs) };
};
const endS = samples.length > 0 ? samples.at(-1).s : durationS;
const span = Math.min(60, durationS * 0.1);
const early = [fromS - span / 2, fromS + span / 2];
const late = [endS - span, endS];
const growth = (a, b) => pct(((b - a) / a) * 100);
const rows = ['rss', 'heap'].map((key) => {
  const a = windowOf(key, ...early);
  const b = windowOf(key, ...late);
  return [key === 'rss' ? 'RSS (/proc)' : 'heap used (V8)', mib(a.mean), mib(b.mean), growth(a.mean, b.mean), mib(a.max), mib(b.max), growth(a.max, b.max)];
});
console.log(`\n${int(r.requests)} requests, ${int(r.reqPerSec)} req/s, ${int(r.failures)} failures, p50 ${fixed(r.p50Ms)} ms, p99 ${fixed(r.p99Ms)} ms, peak RSS ${mib(r.peakRssBytes)}\n`);
const w = (x) => `${clock(x[0])}–${clock(x[1])}`;
console.log(table(['', `mean ${w(early)}`, `mean ${w(late)}`, 'growth', `peak ${w(early)}`, `peak ${w(late)}`, 'growth'], rows));
const rssGrowth = (windowOf('rss', ...late).mean - windowOf('rss', ...early).mean) / windowOf('rss', ...early).mean;
console.log(`\n${rssGrowth < 0.05 ? 'yes' : 'NO '}  RSS growth < 5% between minute ${clock(fromS)} and ${clock(endS)} (means): ${pct(rssGrowth * 100)}   (npm run bench:soak${args.quick ? ' -- --quick' : ''})`);

function clock(s) {
  const m = Math.floor(s / 60);
  return `${m}:${String(Math.round(s - m * 60)).padStart(2, '0')}`;
}
