#!/usr/bin/env node
/**
 * `npm run bench`: how fast cicada generates load, against autocannon on the same target in the
 * same run, and what the TUI, 10,000 users and the statistics cost. Not part of `npm test`.
 *
 *   npm run bench                                   # ≈ 4 minutes
 *   npm run bench -- --quick                        # ≈ 40 s, for a smoke check
 *   npm run bench -- --cicada-args "--processes 2"  # extra flags for every cicada run
 *   npm run bench -- --only throughput,tui --pairs 5 --duration 15
 *
 * Method. The target runs in its own process pinned to one CPU (nginx when installed: one worker,
 * `return 200 "ok"`, no access log; else the node:http server of lib/target-server.mjs), each
 * generator in its own process pinned to another (`taskset`). Runs alternate cicada, autocannon,
 * cicada, ... so slow drifts of a shared machine hit both alike; each pair gives a ratio and the
 * median of the ratios is the figure. req/s is requests ÷ the configured duration for both tools;
 * "per core" is requests ÷ the generator's CPU seconds (bash `times` over the whole process), which
 * is what one fully busy core yields and is much less sensitive to neighbours than req/s.
 *
 * Sections (--only): `throughput` (cicada headless vs autocannon -c 50; with --raw also undici's
 * bare dispatch loop, the ceiling of cicada's transport), `tui` (cicada drawing its
 * TUI in a pseudo-terminal vs headless), `users` (10,000 users against a 1 s-delay endpoint: peak
 * RSS), `scaling` (`--processes 1` vs `--processes N`, the generator free to use every CPU),
 * `distributed` (k = 1, 2, 3 workers over NATS, coordinator CPU per worker, merging 8 workers × 100
 * endpoints: distributed.mjs), `stats` (p50/p90/p99 of cicada vs autocannon, run at the same time,
 * on an endpoint delaying 5–45 ms at random — autocannon records whole milliseconds, truncated, so
 * sub-millisecond latencies cannot be compared and its p50 of N is taken as N + 0.5), `script` (the
 * same GET with a status check made by a script's `call:` function vs the YAML task, both at the
 * same time on the generator core: requests per CPU-second) and `monitors` (10 monitor series
 * sampled a second against none, alternately: the extra CPU as a share of a core, after a 3-round
 * warm-up; see monitors.mjs).
 *
 * Where the time goes: see README.md in this directory (profiles with --cpu-prof).
 */
import { parseArgs } from 'node:util';
import { writeFileSync } from 'node:fs';
import { benchDistributed } from './distributed.mjs';
import * as gen from './lib/generators.mjs';
import { cpuCount, cpuMsOf, hasScript, hasTaskset } from './lib/proc.mjs';
import { fixed, int, median, mib, pct, table } from './lib/table.mjs';
import { startTargets } from './lib/target.mjs';
import { benchMonitors } from './monitors.mjs';

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    duration: { type: 'string' },
    pairs: { type: 'string' },
    users: { type: 'string', default: '50' },
    'many-users': { type: 'string' },
    only: { type: 'string', default: 'throughput,tui,users,scaling,stats,script,distributed,monitors' },
    'cicada-args': { type: 'string', default: '' },
    'node-target': { type: 'boolean', default: false },
    'target-cpu': { type: 'string' },
    'generator-cpu': { type: 'string' },
    'cpu-prof': { type: 'string' },
    raw: { type: 'boolean', default: false },
    baseline: { type: 'string' },
    json: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (args.help) {
  console.log(`npm run bench -- [--quick] [--duration S] [--pairs N] [--users N] [--many-users N]
  [--only throughput,tui,users,scaling,stats,script,distributed,monitors] [--cicada-args "..."] [--node-target]
  [--target-cpu LIST] [--generator-cpu LIST] [--cpu-prof DIR] [--raw] [--baseline DIR] [--json FILE]
  CPU LISTs as taskset takes them (default: target 0, generators 1; e.g. --generator-cpu 0,1)
  --raw: also run lib/raw-dispatch.mjs (undici's raw dispatch loop, cicada's transport ceiling)
  --baseline DIR: also run the cicada built in checkout DIR (e.g. a git worktree of the previous
    commit, built) after each cicada run: the before/after ratio of a change, in one run`);
  process.exit(0);
}

const durationS = Number(args.duration ?? (args.quick ? 3 : 10));
const pairs = Number(args.pairs ?? (args.quick ? 1 : 3));
const users = Number(args.users);
const manyUsers = Number(args['many-users'] ?? (args.quick ? 2000 : 10_000));
const sections = new Set(args.only.split(','));
const extraArgs = args['cicada-args'].split(/\s+/).filter((a) => a !== '');
const pin = hasTaskset && cpuCount >= 2;
const targetCpu = pin ? (args['target-cpu'] ?? '0') : null; // taskset lists: 0, 0,1, 2-3
const generatorCpu = pin ? (args['generator-cpu'] ?? '1') : null;

const targets = await startTargets({ cpu: targetCpu, nginx: !args['node-target'] });
const report = { config: { durationS, pairs, users, manyUsers, extraArgs, target: targets.kind, targetCpu, generatorCpu, cpus: cpuCount }, verdicts: [] };
const verdicts = report.verdicts;
const verdict = (name, ok, figure, command) => verdicts.push({ name, ok, figure, command });
const cicadaBase = { users, durationS, cpu: generatorCpu, extraArgs };
const benchCmd = (extra) => `npm run bench -- ${extra}${extraArgs.length > 0 ? ` --cicada-args "${extraArgs.join(' ')}"` : ''}`;

console.log(
  `cicada bench: target ${targets.kind} ${pin ? `on cpu ${targetCpu}, generators on cpu ${generatorCpu}` : '(not pinned: no taskset or one cpu)'}, ` +
    `${users} users/connections, ${durationS} s per run, ${pairs} pair(s)${extraArgs.length > 0 ? `, cicada ${extraArgs.join(' ')}` : ''}\n`,
);

// Each generator run also reads the target's CPU over the run: a target near 100% is the bottleneck.
const withTargetCpu = (run) => async (o) => {
  const before = cpuMsOf(targets.pids);
  const r = await run(o);
  return { ...r, targetCpuPercent: ((cpuMsOf(targets.pids) - before) / r.wallMs) * 100 };
};
const runCicada = withTargetCpu(gen.runCicada);
const runAutocannon = withTargetCpu(gen.runAutocannon);
const runRawDispatch = withTargetCpu(gen.runRawDispatch);

const header = ['run', 'tool', 'req/s', 'p50 ms', 'p99 ms', 'CPU%', 'req/s per core', 'peak RSS', 'failures', 'target CPU%'];
const row = (label, r) => [label, r.tool, int(r.reqPerSec), fixed(r.p50Ms), fixed(r.p99Ms), pct(r.cpuPercent), int(r.perCore), mib(r.peakRssBytes), int(r.failures), pct(r.targetCpuPercent)];
const lean = ({ summary, ...r }) => r;

try {
  if (sections.has('throughput')) {
    console.log(`== throughput: cicada headless vs autocannon -c ${users}, GET ${targets.throughputUrl}`);
    const rows = [];
    const ratios = [];
    const coreRatios = [];
    const cicadaPerCore = [];
    const runs = [];
    for (let i = 1; i <= pairs; i++) {
      const c = await runCicada({ ...cicadaBase, url: targets.throughputUrl, ...(args['cpu-prof'] ? { cpuProf: args['cpu-prof'] } : {}) });
      const a = await runAutocannon({ url: targets.throughputUrl, connections: users, durationS, cpu: generatorCpu });
      ratios.push(c.reqPerSec / a.reqPerSec);
      coreRatios.push(c.perCore / a.perCore);
      cicadaPerCore.push(c.perCore);
      rows.push(row(i, c), [...row(i, a), `ratio ${fixed(c.reqPerSec / a.reqPerSec)} (per core ${fixed(c.perCore / a.perCore)})`]);
      runs.push({ cicada: lean(c), autocannon: lean(a) });
      if (args.baseline) {
        const b = await runCicada({ ...cicadaBase, url: targets.throughputUrl, repo: args.baseline, label: 'baseline' });
        rows.push([...row(i, b), `cicada/baseline ${fixed(c.reqPerSec / b.reqPerSec)} (per core ${fixed(c.perCore / b.perCore)})`]);
        runs.at(-1).baseline = lean(b);
        (report.baselineCoreRatios ??= []).push(c.perCore / b.perCore);
        (report.baselineRatios ??= []).push(c.reqPerSec / b.reqPerSec);
      }
      if (args.raw) {
        const raw = await runRawDispatch({ url: targets.throughputUrl, connections: users, durationS, cpu: generatorCpu });
        rows.push([...row(i, raw), `cicada/raw per core ${fixed(c.perCore / raw.perCore)}`]);
        runs.at(-1).raw = raw;
      }
    }
    console.log(table([...header, 'cicada/autocannon'], rows));
    const m = median(ratios);
    console.log(`median ratio cicada/autocannon: req/s ${fixed(m)}, per core ${fixed(median(coreRatios))}; cicada median ${int(median(cicadaPerCore))} req/s per core\n`);
    if (args.baseline) console.log(`median ratio cicada/baseline: req/s ${fixed(median(report.baselineRatios))}, per core ${fixed(median(report.baselineCoreRatios))}`);
    report.throughput = { runs, medianRatio: m, medianCoreRatio: median(coreRatios), cicadaPerCore: median(cicadaPerCore) };
    verdict('headless cicada ≥ 1.3× autocannon req/s (median of pairs)', m >= 1.3, `${fixed(m)}×`, benchCmd('--only throughput'));
    verdict('≥ 30k req/s per generator core', median(cicadaPerCore) >= 30_000, `${int(median(cicadaPerCore))} req/s per core`, benchCmd('--only throughput'));
  }

  if (sections.has('tui')) {
    if (!hasScript) {
      console.log('== tui: skipped (no `script` for a pseudo-terminal)\n');
    } else {
      console.log(`== tui: cicada drawing its TUI in a 160×48 pseudo-terminal vs headless, GET ${targets.throughputUrl}`);
      const rows = [];
      const ratios = [];
      const runs = [];
      for (let i = 1; i <= pairs; i++) {
        const h = await runCicada({ ...cicadaBase, url: targets.throughputUrl });
        const t = await runCicada({ ...cicadaBase, url: targets.throughputUrl, tui: true });
        ratios.push(t.reqPerSec / h.reqPerSec);
        rows.push(row(i, h), [...row(i, t), `ratio ${fixed(t.reqPerSec / h.reqPerSec)} (per core ${fixed(t.perCore / h.perCore)})`]);
        runs.push({ headless: lean(h), tui: lean(t) });
      }
      console.log(table([...header, 'tui/headless'], rows));
      const m = median(ratios);
      console.log(`median ratio tui/headless: ${fixed(m)}\n`);
      report.tui = { runs, medianRatio: m };
      verdict('with the TUI drawing ≥ 0.95× headless req/s', m >= 0.95, `${fixed(m)}×`, benchCmd('--only tui'));
    }
  }

  if (sections.has('users')) {
    const d = Math.max(durationS, 10) + 5;
    const url = `${targets.nodeUrl}/delay/1000`;
    console.log(`== users: ${int(manyUsers)} users against ${url} (node target), ${d} s, spawned at ${int(manyUsers / 4)}/s`);
    const r = await runCicada({ ...cicadaBase, users: manyUsers, spawnRate: manyUsers / 4, durationS: d, url });
    // Users spawn over 4 s and each does one request a second: the ideal is manyUsers × (d - 2) requests.
    const ideal = manyUsers * (d - 2);
    console.log(table(header, [row('1', r)]));
    const running = Math.max(0, ...r.summary.history.map((h) => h.userCount));
    console.log(
      `${int(running)} users running at the peak; requests ${int(r.requests)} of an ideal ≈ ${int(ideal)} (${pct((r.requests / ideal) * 100)}); ` +
        `p50 ${fixed(r.p50Ms)} ms for a 1000 ms endpoint; peak RSS ${mib(r.peakRssBytes)}\n`,
    );
    report.users = { run: lean(r), ideal, running };
    verdict(
      `${int(manyUsers)} concurrent users in one process under 1 GiB RSS`,
      r.peakRssBytes < 1024 ** 3 && running === manyUsers,
      `${mib(r.peakRssBytes)} peak, ${int(running)} running, ${pct((r.requests / ideal) * 100)} of ideal requests`,
      benchCmd('--only users'),
    );
  }

  if (sections.has('scaling')) {
    // --processes: the same run with 1 and with N engine threads, every CPU open to the generator.
    // On a 2-CPU machine the target keeps its pin on cpu 0, so a second engine thread competes with
    // it: the figure is what `--processes` buys on such a machine, and the target's CPU shows why.
    const all = pin ? `0-${cpuCount - 1}` : null;
    const n = Math.max(2, cpuCount - 1);
    console.log(`== scaling: --processes 1 vs --processes ${n}, generator on cpus ${all ?? '(not pinned)'}, target on cpu ${targetCpu ?? '(not pinned)'}, GET ${targets.throughputUrl}`);
    const rows = [];
    const ratios = [];
    const runs = [];
    const base = { ...cicadaBase, cpu: all, extraArgs: extraArgs.filter((a, i) => a !== '--processes' && extraArgs[i - 1] !== '--processes') };
    for (let i = 1; i <= pairs; i++) {
      const one = await runCicada({ ...base, url: targets.throughputUrl, extraArgs: [...base.extraArgs, '--processes', '1'], label: 'cicada -p 1' });
      const many = await runCicada({ ...base, url: targets.throughputUrl, extraArgs: [...base.extraArgs, '--processes', String(n)], label: `cicada -p ${n}` });
      ratios.push(many.reqPerSec / one.reqPerSec);
      rows.push(row(i, one), [...row(i, many), `ratio ${fixed(many.reqPerSec / one.reqPerSec)} (per core ${fixed(many.perCore / one.perCore)})`]);
      runs.push({ one: lean(one), many: lean(many) });
    }
    console.log(table([...header, `-p ${n} / -p 1`], rows));
    const m = median(ratios);
    console.log(`median ratio --processes ${n} / --processes 1: req/s ${fixed(m)}\n`);
    report.scaling = { processes: n, runs, medianRatio: m };
  }

  if (sections.has('script')) {
    // A scripted task (`call:`) against the YAML task doing the same GET with the same check, run at
    // the same time on the same generator core: the ratio of requests per CPU-second is the cost of
    // going through script code, undisturbed by how a shared machine treats alternating runs.
    console.log(`== script: call: (a TypeScript function doing the GET with a status check) vs the YAML task, at the same time on one core, GET ${targets.throughputUrl}`);
    const rows = [];
    const ratios = [];
    const runs = [];
    for (let i = 1; i <= pairs; i++) {
      const [y, s] = await Promise.all([
        runCicada({ ...cicadaBase, url: targets.throughputUrl, label: 'cicada yaml' }),
        runCicada({ ...cicadaBase, url: targets.throughputUrl, scripted: true, label: 'cicada call:' }),
      ]);
      ratios.push(s.perCore / y.perCore);
      rows.push(row(i, y), [...row(i, s), `per core ${fixed(s.perCore / y.perCore, 3)}`]);
      runs.push({ yaml: lean(y), scripted: lean(s) });
    }
    console.log(table([...header, 'call:/yaml'], rows));
    const m = median(ratios);
    console.log(`median ratio call:/yaml requests per CPU-second: ${fixed(m, 3)}\n`);
    report.script = { runs, medianCoreRatio: m };
    verdict('a scripted task (call:) ≥ 0.7× the YAML task’s requests per CPU-second', m >= 0.7, `${fixed(m, 3)}×`, benchCmd('--only script'));
  }

  if (sections.has('distributed')) {
    report.distributed = await benchDistributed({ url: targets.throughputUrl, durationS, pairs, verdict, benchCmd, targetCpuMs: () => cpuMsOf(targets.pids) });
  }

  if (sections.has('stats')) {
    const url = `${targets.nodeUrl}/spread/5/45`;
    console.log(`== stats: the same target measured by both at the same time, ${users} connections each, ${url} (uniform 5–45 ms)`);
    console.log('   (autocannon records whole milliseconds, truncated: its p50 N is compared as N + 0.5)');
    const rows = [];
    const diffs = [];
    const runs = [];
    for (let i = 1; i <= pairs; i++) {
      // At the same time: a node target's latency drifts with the machine's load, and both tools
      // must see the same drift for their percentiles to be comparable.
      const [c, a] = await Promise.all([runCicada({ ...cicadaBase, url }), runAutocannon({ url, connections: users, durationS, cpu: generatorCpu })]);
      // autocannon truncates latencies to whole milliseconds (its histogram's unit): a p50 of N
      // means N ≤ p50 < N + 1, so cicada's p50 is compared with the middle of that millisecond.
      const diff = c.p50Ms / (a.p50Ms + 0.5) - 1;
      diffs.push(diff);
      rows.push([i, c.tool, int(c.reqPerSec), fixed(c.p50Ms), fixed(c.p90Ms), fixed(c.p99Ms)], [i, a.tool, int(a.reqPerSec), fixed(a.p50Ms), fixed(a.p90Ms), fixed(a.p99Ms), `p50 ${diff >= 0 ? '+' : ''}${pct(diff * 100)}`]);
      runs.push({ cicada: lean(c), autocannon: lean(a) });
    }
    console.log(table(['run', 'tool', 'req/s', 'p50 ms', 'p90 ms', 'p99 ms', 'cicada vs autocannon'], rows));
    const m = median(diffs);
    console.log(`median p50 difference: ${pct(m * 100)}\n`);
    report.stats = { runs, medianP50Diff: m };
    verdict('p50 within 10% of autocannon on the same target', Math.abs(m) <= 0.1, `${m >= 0 ? '+' : ''}${pct(m * 100)}`, benchCmd('--only stats'));
  }
  if (sections.has('monitors')) {
    const r = await benchMonitors({ seconds: args.quick ? 5 : durationS * 2, pairs, generatorCpu, targetCpu });
    report.monitors = r;
    verdict('monitoring 10 series a second < 1% of a core', r.medianCorePercent < 1, `${fixed(r.medianCorePercent, 2)}% of a core`, benchCmd('--only monitors'));
  }
} finally {
  await targets.stop();
}

if (verdicts.length > 0) {
  console.log('== targets');
  console.log(table(['ok', 'target', 'measured', 'reproduce'], verdicts.map((v) => [v.ok ? 'yes' : 'NO', v.name, v.figure, v.command])));
}
if (args.json) writeFileSync(args.json, `${JSON.stringify(report, null, 2)}\n`);
