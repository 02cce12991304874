#!/usr/bin/env node
// Where a .cpuprofile's time goes: self time by function and by area (cicada engine, stats, undici,
// node internals, GC, idle), in percent of the sampled time. Used to write README.md's profile notes.
//   node --cpu-prof --cpu-prof-dir=prof dist/cli/main.js run ...   (or npm run bench -- --cpu-prof prof)
//   node test/bench/profile-summary.mjs prof/*.cpuprofile [top-N]
import { readFileSync } from 'node:fs';

const file = process.argv[2];
const topN = Number(process.argv[3] ?? 40);
const prof = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const self = new Map();
const dt = prof.timeDeltas;
for (let i = 0; i < prof.samples.length; i++) self.set(prof.samples[i], (self.get(prof.samples[i]) ?? 0) + (dt[i] ?? 0));
const total = [...self.values()].reduce((a, b) => a + b, 0);

function area(cf) {
  const url = cf.url ?? '';
  const fn = cf.functionName;
  if (fn === '(idle)') return 'idle';
  if (fn === '(garbage collector)') return 'GC';
  if (fn === '(program)') return 'program (native, not JS)';
  if (url.includes('/dist/engine/')) return 'cicada engine';
  if (url.includes('/dist/stats/')) return 'cicada stats';
  if (url.includes('/dist/')) return 'cicada other';
  if (url.includes('hdr-histogram-js')) return 'hdr-histogram-js';
  if (url.includes('/undici/')) return 'undici';
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  if (url === '' && fn !== '') return `native: ${fn}`;
  return url.split('node_modules/').pop()?.split('/')[0] ?? 'other';
}

const areas = new Map();
const fns = new Map();
for (const [id, t] of self) {
  const cf = byId.get(id).callFrame;
  const a = area(cf);
  areas.set(a, (areas.get(a) ?? 0) + t);
  const key = `${cf.functionName || '(anonymous)'}  ${(cf.url ?? '').replace(/^.*\/(node_modules|dist)\//, '$1/')}:${cf.lineNumber + 1}`;
  fns.set(key, (fns.get(key) ?? 0) + t);
}
const pct = (t) => `${((t / total) * 100).toFixed(1).padStart(5)}%`;
console.log(`${file}: ${(total / 1e6).toFixed(2)} s sampled\n\nby area (self time):`);
for (const [a, t] of [...areas].sort((x, y) => y[1] - x[1])) console.log(`  ${pct(t)}  ${a}`);
console.log(`\ntop ${topN} functions (self time):`);
for (const [f, t] of [...fns].sort((x, y) => y[1] - x[1]).slice(0, topN)) console.log(`  ${pct(t)}  ${f}`);
