// The two generators the bench compares, each as a measured child process: cicada (headless, or
// drawing its TUI in a pseudo-terminal) running a one-request scenario, and autocannon. Both are
// reduced to the same figures: requests / configured duration, p50/p99 (ms), CPU time, peak RSS.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pinned, runMeasured, tempDir } from './proc.mjs';

const repo = new URL('../../../', import.meta.url).pathname;
const cicadaMain = join(repo, 'dist/cli/main.js');
const autocannonMain = createRequire(import.meta.url).resolve('autocannon/autocannon.js');

/** Environment for a TUI run: CI detection off, so Ink draws as in a terminal. */
const TUI_ENV = { CI: undefined, CONTINUOUS_INTEGRATION: undefined, BUILD_NUMBER: undefined, RUN_ID: undefined, GITHUB_ACTIONS: undefined, TERM: 'xterm-256color' };

/**
 * One cicada run of `users` users looping GET `url` with a status check, no wait.
 * @param {{url: string, users: number, durationS: number, cpu: number|null, tui?: boolean, extraArgs?: string[], spawnRate?: number, timeout?: string, cpuProf?: string, repo?: string, label?: string}} o
 *   `repo`: run the cicada built in another checkout (its dist/), for before/after ratios;
 *   `dir`: where the scenario, results and summary.json (rewritten during the run) go; `onSample`: see runMeasured
 */
export async function runCicada(o) {
  const dir = o.dir ?? tempDir('cicada');
  const u = new URL(o.url);
  const scenario = join(dir, 'bench.yaml');
  // o.scripted: the same GET with the same status check, made by a script function (`call:`).
  if (o.scripted) {
    writeFileSync(
      join(dir, 'bench.ts'),
      [
        "import type { User } from 'cicada-load';",
        'export async function hit(u: User): Promise<void> {',
        `  await u.get(${JSON.stringify(u.pathname)}, { check: { status: 200 } });`,
        '}',
        '',
      ].join('\n'),
    );
  }
  writeFileSync(
    scenario,
    [
      'name: bench',
      `host: ${u.origin}`,
      `defaults: { timeout: ${o.timeout ?? '60s'} }`,
      ...(o.scripted ? ['script: ./bench.ts'] : []),
      'userClasses:',
      '  - name: BenchUser',
      '    tasks:',
      ...(o.scripted ? ['      - call: hit'] : [`      - get: ${u.pathname}`, '        check: { status: 200 }']),
      '',
    ].join('\n'),
  );
  const json = join(dir, 'summary.json');
  const node = o.cpuProf ? [process.execPath, '--cpu-prof', `--cpu-prof-dir=${o.cpuProf}`] : [process.execPath, ...(process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean)];
  const args = [
    ...node,
    o.repo ? join(o.repo, 'dist/cli/main.js') : cicadaMain,
    'run',
    scenario,
    '-u', String(o.users),
    '-r', String(o.spawnRate ?? 100_000),
    '-t', `${o.durationS}s`,
    '--results-dir', join(dir, 'results'),
    '--json', json,
    ...(o.tui ? [] : ['--headless', '--only-summary']),
    ...(o.extraArgs ?? []),
  ];
  const r = await runMeasured({
    argv: pinned(o.cpu, args),
    env: o.tui ? TUI_ENV : {},
    pty: o.tui ? { cols: 160, rows: 48 } : null,
    quitWhen: o.tui ? (text) => text.includes('Test stopped') : null,
    quitAfterMs: o.tui ? o.durationS * 1000 + 15_000 : null,
    timeoutMs: o.durationS * 1000 + 120_000,
    ...(o.onSample ? { onSample: o.onSample } : {}),
  });
  let summary;
  try {
    summary = JSON.parse(readFileSync(json, 'utf8'));
  } catch {
    throw new Error(`cicada wrote no summary (exit ${r.code}):\n${r.stderr.slice(-2000)}${o.tui ? '' : r.stdout.slice(-2000)}`);
  }
  const t = summary.totals;
  return {
    tool: o.label ?? (o.tui ? 'cicada tui' : 'cicada'),
    requests: t.requests,
    failures: t.failures,
    reqPerSec: t.requests / o.durationS,
    p50Ms: t.latencyMs?.percentiles.p50 ?? NaN,
    p90Ms: t.latencyMs?.percentiles.p90 ?? NaN,
    p99Ms: t.latencyMs?.percentiles.p99 ?? NaN,
    ...usage(r, t.requests),
    summary,
  };
}

/** One autocannon run: `-c connections -d durationS`. */
export async function runAutocannon(o) {
  const r = await runMeasured({
    argv: pinned(o.cpu, [process.execPath, autocannonMain, '-c', String(o.connections), '-d', String(o.durationS), '--json', o.url]),
    timeoutMs: o.durationS * 1000 + 60_000,
  });
  let out;
  try {
    out = JSON.parse(r.stdout.trim().split('\n').pop());
  } catch {
    throw new Error(`autocannon gave no JSON (exit ${r.code}):\n${r.stderr.slice(-2000)}`);
  }
  return {
    tool: 'autocannon',
    requests: out.requests.total,
    failures: out.errors + out.non2xx + out.timeouts,
    reqPerSec: out.requests.total / o.durationS,
    p50Ms: out.latency.p50,
    p90Ms: out.latency.p90,
    p99Ms: out.latency.p99,
    ...usage(r, out.requests.total),
  };
}

function usage(r, requests) {
  return {
    cpuPercent: (r.cpuMs / r.wallMs) * 100,
    perCore: requests / (r.cpuMs / 1000),
    wallMs: r.wallMs,
    cpuMs: r.cpuMs,
    peakRssBytes: r.peakRssBytes,
  };
}

/** The transport ceiling: raw-dispatch.mjs (undici Clients looping dispatch, counting only). */
export async function runRawDispatch(o) {
  const main = new URL('./raw-dispatch.mjs', import.meta.url).pathname;
  const r = await runMeasured({
    argv: pinned(o.cpu, [process.execPath, main, o.url, String(o.connections), String(o.durationS)]),
    timeoutMs: o.durationS * 1000 + 60_000,
  });
  let out;
  try {
    out = JSON.parse(r.stdout.trim().split('\n').pop());
  } catch {
    throw new Error(`raw-dispatch gave no JSON (exit ${r.code}):\n${r.stderr.slice(-2000)}`);
  }
  return { tool: 'undici raw', requests: out.requests, failures: out.errors, reqPerSec: out.requests / o.durationS, p50Ms: NaN, p90Ms: NaN, p99Ms: NaN, ...usage(r, out.requests) };
}
