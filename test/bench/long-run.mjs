#!/usr/bin/env node
/**
 * The seeds' 30-minute sustained test, measured: the built CLI runs `scenarios/user-classes.yaml`
 * (200 users in four classes, 70/25/4/1, waits of seconds) against the bundled demo target for the
 * whole run, headless, with `--csv`. Every 10 s it samples the CLI's RSS (from /proc, outside the
 * process), its V8 heap (the `generator` section of the summary.json cicada rewrites during the run: every 5 s, then up to a minute apart) and
 * the size of every results file; at the end it prints how each grew, and checks that cicada's
 * request count equals the demo target's.
 *
 *   npm run build && node test/bench/long-run.mjs                 # 30 minutes
 *   node test/bench/long-run.mjs --minutes 10
 *   node test/bench/long-run.mjs --minutes 5 --users 50 --scenario scenarios/smoke.yaml --out long.json
 *
 * Not part of the unit suite. Exit 0 when the run ended normally (exit 0, or 1 for a failed
 * threshold) and the counts agree; 1 otherwise.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(root, 'dist/cli/main.js');
const DEMO = join(root, 'dist/demo/main.js');

const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    minutes: { type: 'string', default: '30' },
    scenario: { type: 'string', default: join(root, 'scenarios/user-classes.yaml') },
    users: { type: 'string' },
    'spawn-rate': { type: 'string' },
    'every-s': { type: 'string', default: '10' },
    out: { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
});
const minutes = Number(args.minutes);
const everyS = Number(args['every-s']);
if (!(minutes > 0) || !(everyS > 0)) {
  console.error('usage: node test/bench/long-run.mjs [--minutes 30] [--scenario FILE] [--users N] [--spawn-rate R] [--every-s 10] [--out FILE.json] [--keep] [-- cicada run flags]');
  process.exit(2);
}
if (!existsSync(CLI)) {
  console.error('dist/ is missing: run `npm run build` first');
  process.exit(2);
}

const work = mkdtempSync(join(tmpdir(), 'cicada-long-run-'));
const children = [];
const cleanup = () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
};
process.on('SIGINT', () => {
  cleanup();
  process.exit(130);
});

// ---- the target: the bundled demo API, in its own process ----
const demo = spawn(process.execPath, [DEMO, '--port', '0', '--quiet', '--seed', '1'], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
children.push(demo);
const target = await new Promise((resolve, reject) => {
  demo.once('message', (m) => resolve(m.url));
  demo.once('exit', (code) => reject(new Error(`demo target exited with ${code}`)));
});

// ---- the run ----
const runArgs = ['run', args.scenario, '--headless', '--only-summary', '-t', `${minutes}m`, '-H', target, '--results-dir', join(work, 'results'), '--csv', join(work, 'sustained')];
if (args.users !== undefined) runArgs.push('-u', args.users);
if (args['spawn-rate'] !== undefined) runArgs.push('-r', args['spawn-rate']);
runArgs.push(...positionals);
const cli = spawn(process.execPath, [CLI, ...runArgs], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
children.push(cli);
let stdout = '';
let stderr = '';
cli.stdout.on('data', (c) => (stdout += c));
cli.stderr.on('data', (c) => (stderr += c));
const exited = new Promise((resolve) => cli.on('close', (code, signal) => resolve({ code, signal })));

console.log(`cicada long run: ${minutes} min of ${args.scenario.replace(`${root}/`, '')} against the demo target (${target}); a sample every ${everyS} s`);
console.log(`results in ${work}\n`);

/** Resident set of `pid` in bytes, from /proc (0 where there is no /proc). */
function rssOf(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m === null ? 0 : Number(m[1]) * 1024;
  } catch {
    return 0;
  }
}

function runDir() {
  try {
    const dirs = readdirSync(join(work, 'results')).filter((d) => d !== 'latest');
    return dirs.length === 0 ? null : join(work, 'results', dirs[0]);
  } catch {
    return null;
  }
}

/** name → bytes of every results file (the run directory's and the --csv copies). */
function fileSizes() {
  const out = {};
  const dir = runDir();
  if (dir !== null) {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      try {
        const st = statSync(path);
        if (st.isFile() && !name.endsWith('.tmp')) out[name] = st.size;
      } catch {
        // renamed under us
      }
    }
  }
  for (const name of readdirSync(work)) if (name.startsWith('sustained_')) out[`--csv ${name}`] = statSync(join(work, name)).size;
  return out;
}

function summary() {
  const dir = runDir();
  if (dir === null) return null;
  try {
    return JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
  } catch {
    return null; // not written yet
  }
}

const mib = (b) => `${(b / 1024 / 1024).toFixed(1)} MiB`;
const kib = (b) => (b >= 1024 * 1024 ? mib(b) : `${(b / 1024).toFixed(1)} KiB`);
const clock = (s) => `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(Math.round(s % 60)).padStart(2, '0')}`;

const samples = [];
const t0 = Date.now();
console.log(['  at', '     RSS', '    heap', '  requests', '  req/s', ' stats_history', ' summary.json', '  all files'].join(' '));
const timer = setInterval(() => {
  const atS = (Date.now() - t0) / 1000;
  const s = summary();
  const files = fileSizes();
  const sample = {
    atS,
    rssBytes: rssOf(cli.pid) || (s?.generator?.rssBytes ?? 0),
    heapBytes: s?.generator?.heapUsedBytes ?? 0,
    requests: s?.totals?.requests ?? 0,
    files,
    totalFileBytes: Object.values(files).reduce((a, b) => a + b, 0),
  };
  const prev = samples.at(-1);
  samples.push(sample);
  const rps = prev === undefined ? 0 : (sample.requests - prev.requests) / (sample.atS - prev.atS);
  console.log(
    [
      clock(atS).padStart(5),
      mib(sample.rssBytes).padStart(9),
      mib(sample.heapBytes).padStart(9),
      String(sample.requests).padStart(10),
      rps.toFixed(0).padStart(7),
      kib(files['stats_history.csv'] ?? 0).padStart(14),
      kib(files['summary.json'] ?? 0).padStart(13),
      kib(sample.totalFileBytes).padStart(11),
    ].join(' '),
  );
}, everyS * 1000);

const { code, signal } = await exited;
clearInterval(timer);
const wallS = (Date.now() - t0) / 1000;

// ---- the target's count ----
let targetTotal = NaN;
try {
  const counts = await (await fetch(`${target}/__cicada/counts`)).json();
  targetTotal = counts.total - (counts['GET /__cicada/counts'] ?? 0);
} catch (err) {
  console.error(`could not read the demo target's counts: ${err.message}`);
}
cleanup();

const final = summary();
const finalFiles = fileSizes();

/** Mean of `key` over samples within ±window s of `atS`. */
function around(atS, key, window = everyS) {
  const near = samples.filter((x) => Math.abs(x.atS - atS) <= window && x[key] > 0);
  return near.length === 0 ? NaN : near.reduce((a, x) => a + x[key], 0) / near.length;
}
/** Least-squares slope of `key` per 10 minutes over samples from `fromS` on. */
function slopePer10Min(key, fromS) {
  const xs = samples.filter((x) => x.atS >= fromS && x[key] > 0);
  if (xs.length < 3) return NaN;
  const mx = xs.reduce((a, x) => a + x.atS, 0) / xs.length;
  const my = xs.reduce((a, x) => a + x[key], 0) / xs.length;
  const num = xs.reduce((a, x) => a + (x.atS - mx) * (x[key] - my), 0);
  const den = xs.reduce((a, x) => a + (x.atS - mx) ** 2, 0);
  return (num / den) * 600;
}

const durationS = samples.at(-1)?.atS ?? wallS;
const warmS = Math.min(120, durationS * 0.2);
const memory = ['rssBytes', 'heapBytes'].map((key) => {
  const start = around(warmS, key);
  const end = around(durationS, key);
  return { key, warmUpAtS: warmS, atWarmUp: start, atEnd: end, growthPct: ((end - start) / start) * 100, slopePer10Min: slopePer10Min(key, warmS), peak: Math.max(...samples.map((x) => x[key])) };
});
const fileGrowth = Object.entries(finalFiles)
  .sort(([a], [b]) => (a < b ? -1 : 1))
  .map(([name, bytes]) => {
    const firstFull = samples.find((x) => x.atS >= warmS && x.files[name] !== undefined);
    const perMin = firstFull === undefined ? NaN : ((bytes - firstFull.files[name]) / Math.max(1, durationS - firstFull.atS)) * 60;
    return { name, bytes, perMinBytes: perMin };
  });

const requests = final?.totals?.requests ?? NaN;
const countsAgree = requests === targetTotal;
const ok = (code === 0 || code === 1) && countsAgree;

console.log(`\n== ${clock(durationS)} of load; cicada exited ${code ?? signal} ==`);
console.log(`requests: cicada ${requests}, demo target ${targetTotal} → ${countsAgree ? 'equal' : 'DIFFERENT'}; failures ${final?.totals?.failures ?? '?'}`);
console.log(`\nmemory (mean of the samples within ±${everyS} s of each mark)`);
for (const m of memory) {
  const name = m.key === 'rssBytes' ? 'RSS      ' : 'V8 heap  ';
  console.log(`  ${name} at ${clock(m.warmUpAtS)} ${mib(m.atWarmUp)}, at the end ${mib(m.atEnd)} (${m.growthPct >= 0 ? '+' : ''}${m.growthPct.toFixed(1)}%), trend ${mib(m.slopePer10Min)} per 10 min, peak ${mib(m.peak)}`);
}
console.log('\nresults files at the end (growth per minute after warm-up)');
for (const f of fileGrowth) console.log(`  ${f.name.padEnd(34)} ${kib(f.bytes).padStart(11)}   ${Number.isNaN(f.perMinBytes) ? '' : `${kib(f.perMinBytes)}/min`}`);
if (stderr.trim() !== '') console.log(`\ncicada's stderr:\n${stderr.trim()}`);

const report = { minutes, scenario: args.scenario, target, exitCode: code, signal, durationS, requests, targetRequests: targetTotal, countsAgree, memory, files: fileGrowth, samples, stderr, finalTable: stdout.split('\n').slice(-40).join('\n') };
if (args.out !== undefined) writeFileSync(args.out, `${JSON.stringify(report, null, 2)}\n`);
if (!args.keep) rmSync(work, { recursive: true, force: true });
process.exit(ok ? 0 : 1);
