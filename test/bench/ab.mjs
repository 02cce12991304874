#!/usr/bin/env node
/**
 * Before/after of a hot-path change, measured side by side: this checkout's cicada and the one built
 * in `--baseline DIR` (e.g. `git worktree add /tmp/base HEAD~1 && cd /tmp/base && npm run build`)
 * run *at the same time*, pinned to the same generator CPU, against the same target. They share that
 * core and every disturbance of a shared machine hits both alike, so the ratio of their requests per
 * CPU-second is the ratio of their costs per request, far steadier than alternating runs.
 *
 *   node test/bench/ab.mjs --baseline /tmp/base [--rounds 5] [--duration 8] [--users 50]
 *   node test/bench/ab.mjs --raw | --autocannon
 *
 * `--candidate DIR` runs the cicada built in DIR instead of this checkout's (so both sides can be
 * built from one working tree, differing only in the change measured). `--tui` runs cicada drawing
 * its TUI (in a pseudo-terminal) against the same cicada headless: the cost of the TUI.
 *
 * `--raw` puts undici's bare dispatch loop (lib/raw-dispatch.mjs) in place of the baseline: how far
 * cicada is from its transport's ceiling. `--autocannon` puts autocannon there: the cost per request
 * of each, undisturbed by who got more of a shared machine (the bench's alternating pairs are not).
 */
import { parseArgs } from 'node:util';
import { runAutocannon, runCicada, runRawDispatch } from './lib/generators.mjs';
import { cpuCount, hasTaskset } from './lib/proc.mjs';
import { fixed, int, median, table } from './lib/table.mjs';
import { startTargets } from './lib/target.mjs';

const { values: args } = parseArgs({
  options: {
    baseline: { type: 'string' },
    candidate: { type: 'string' },
    raw: { type: 'boolean', default: false },
    autocannon: { type: 'boolean', default: false },
    tui: { type: 'boolean', default: false },
    rounds: { type: 'string', default: '5' },
    duration: { type: 'string', default: '8' },
    users: { type: 'string', default: '50' },
    'cicada-args': { type: 'string', default: '' },
    'node-target': { type: 'boolean', default: false },
  },
});
if (!args.raw && !args.autocannon && !args.baseline && !args.tui) {
  console.error('ab.mjs: give --baseline DIR (a built checkout), --raw, --autocannon or --tui');
  process.exit(2);
}
const rounds = Number(args.rounds);
const durationS = Number(args.duration);
const users = Number(args.users);
const extraArgs = args['cicada-args'].split(/\s+/).filter((a) => a !== '');
const pin = hasTaskset && cpuCount >= 2;
const cpu = pin ? 1 : null;
const targets = await startTargets({ cpu: pin ? 0 : null, nginx: !args['node-target'] });
const other = args.raw ? 'undici raw' : args.autocannon ? 'autocannon' : args.tui ? 'headless' : 'baseline';
console.log(`A/B on one core: cicada (this checkout) and ${other} at the same time, ${users} users each, ${durationS} s, ${rounds} rounds, GET ${targets.throughputUrl}\n`);

const rows = [];
const coreRatios = [];
const reqRatios = [];
try {
  for (let i = 1; i <= rounds; i++) {
    const base = { url: targets.throughputUrl, users, durationS, cpu, extraArgs };
    const [c, b] = await Promise.all([
      runCicada({ ...base, ...(args.candidate ? { repo: args.candidate } : {}), ...(args.tui ? { tui: true } : {}) }),
      args.raw
        ? runRawDispatch({ ...base, connections: users })
        : args.autocannon
          ? runAutocannon({ ...base, connections: users })
          : args.tui
            ? runCicada({ ...base, ...(args.candidate ? { repo: args.candidate } : {}), label: 'headless' })
            : runCicada({ ...base, repo: args.baseline, label: 'baseline' }),
    ]);
    coreRatios.push(c.perCore / b.perCore);
    reqRatios.push(c.requests / b.requests);
    rows.push([i, int(c.reqPerSec), int(c.perCore), int(b.reqPerSec), int(b.perCore), fixed(c.requests / b.requests, 3), fixed(c.perCore / b.perCore, 3)]);
  }
} finally {
  await targets.stop();
}
console.log(table(['round', `cicada${args.tui ? ' tui' : ''} req/s`, 'per core', `${other} req/s`, 'per core', 'requests ratio', 'per-core ratio'], rows));
console.log(`\nmedian cicada/${other}: per core ${fixed(median(coreRatios), 3)}, requests ${fixed(median(reqRatios), 3)}`);
