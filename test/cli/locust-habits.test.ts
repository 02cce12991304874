/**
 * Locust's command-line habits through the built CLI: -V, -h, `cicada help [command]`, user classes
 * named after the scenario, -T/-E over `tags:`, and a CI job with a terminal attached running
 * headless (in tmux, where Ink would otherwise draw nothing).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { version } from '../../src/cli/version.js';
import { toolPath } from '../support/tools.js';
import { CLI, runCli, runDirs, testHome, useServers, workdir } from './cli.js';

const server = useServers();

const twoClasses = (host: string): string => `name: habits
host: ${host}
users: 4
spawnRate: 100
userClasses:
  - name: Reader
    tags: [read]
    wait: { constant: 20ms }
    tasks:
      - get: /r
  - name: Writer
    wait: { constant: 20ms }
    tasks:
      - post: /w
        tags: [write]
      - get: /untagged
`;

describe('help and version', () => {
  it('-V and --version print the version, before or after the command', async () => {
    for (const args of [['-V'], ['--version'], ['run', '-V']]) {
      const r = await runCli(args);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.stdout.trim()).toBe(version);
    }
  });

  it('cicada help [command] is the command’s --help; -h is --help', async () => {
    const [viaHelp, viaFlag, viaShort, main, bad] = await Promise.all([
      runCli(['help', 'run']),
      runCli(['run', '--help']),
      runCli(['run', '-h']),
      runCli(['help']),
      runCli(['help', 'nope']),
    ]);
    expect(viaHelp.stdout).toMatch(/Usage\s+\$ cicada run/);
    expect(viaHelp.stdout).toBe(viaFlag.stdout);
    expect(viaShort.stdout).toBe(viaFlag.stdout);
    expect(main.stdout).toMatch(/Commands[\s\S]*completion bash\|zsh\|fish/);
    expect((await runCli(['-h'])).stdout).toBe(main.stdout);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^error: help: unknown command "nope"/);
    for (const c of ['demo', 'demo-target', 'report', 'compare', 'worker', 'k8s', 'completion']) {
      const [a, b] = await Promise.all([runCli(['help', c]), runCli([c, '--help'])]);
      expect(a.stdout, c).toMatch(/Usage/);
      expect(a.stdout.trim(), c).toBe(b.stdout.trim());
    }
  });
});

describe('choosing what runs', () => {
  it('user classes named on the command line: only those run', async () => {
    const srv = await server();
    const cwd = workdir({ 's.yaml': twoClasses(srv.url) });
    const r = await runCli(['run', 's.yaml', 'Writer', '--headless', '--only-summary', '-t', '1s'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    expect(srv.byRoute()['GET /r']).toBeUndefined();
    expect(srv.byRoute()['POST /w']).toBeGreaterThan(0);
    expect(srv.byRoute()['GET /untagged']).toBeGreaterThan(0);
  });

  it('-T runs only tagged tasks (a class tag counts); -E leaves tagged tasks out', async () => {
    const srv = await server();
    const cwd = workdir({ 's.yaml': twoClasses(srv.url) });
    const r = await runCli(['run', 's.yaml', '-T', 'write,read', '--headless', '--only-summary', '-t', '1s'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    expect(Object.keys(srv.byRoute()).sort()).toEqual(['GET /r', 'POST /w']);
    srv.reset();
    const e = await runCli(['run', 's.yaml', '--exclude-tags', 'read', '-E', 'write', '--headless', '--only-summary', '-t', '1s'], { cwd });
    expect(e.code, e.stderr).toBe(0);
    // Locust's rule: the last -E wins, so only `write` is excluded.
    expect(Object.keys(srv.byRoute()).sort()).toEqual(['GET /r', 'GET /untagged']);
  });
});

describe('information instead of a run: -l, --show-task-ratio, --show-task-ratio-json, --equal-weights', () => {
  const plan = `name: ratio
host: http://127.0.0.1:1
users: 8
userClasses:
  - name: Reader
    weight: 3
    tasks:
      - get: /a
        weight: 4
      - get: /b
  - name: Writer
    tasks: [ { post: /w } ]
`;

  it("prints Locust's shapes and starts nothing", async () => {
    const cwd = workdir({ 'p.yaml': plan });
    const [list, ratio, json, equal] = await Promise.all([
      runCli(['run', 'p.yaml', '-l'], { cwd }),
      runCli(['run', 'p.yaml', '--show-task-ratio'], { cwd }),
      runCli(['run', 'p.yaml', '--show-task-ratio-json'], { cwd }),
      runCli(['run', 'p.yaml', '--show-task-ratio-json', '--equal-weights'], { cwd }),
    ]);
    expect(list.stdout).toBe('Available Users:\n    Reader\n    Writer\n');
    expect(ratio.stdout.split('\n')).toEqual([
      '',
      ' Task ratio per User class',
      '-'.repeat(80),
      ' 75.0       Reader',
      '   80.0       /a',
      '   20.0       /b',
      ' 25.0       Writer',
      '   100.0      /w',
      '',
      ' Total task ratio',
      '-'.repeat(80),
      ' 75.0       Reader',
      '   60.0       /a',
      '   15.0       /b',
      ' 25.0       Writer',
      '   25.0       /w',
      '',
    ]);
    // Numbers to 9 places (0.75 × 0.8 is 0.6000000000000001 in floating point).
    const rounded = JSON.parse(json.stdout, (_k, v: unknown) => (typeof v === 'number' ? Math.round(v * 1e9) / 1e9 : v)) as unknown;
    expect(rounded).toEqual({
      per_class: { Reader: { ratio: 0.75, tasks: { '/a': { ratio: 0.8 }, '/b': { ratio: 0.2 } } }, Writer: { ratio: 0.25, tasks: { '/w': { ratio: 1 } } } },
      total: { Reader: { ratio: 0.75, tasks: { '/a': { ratio: 0.6 }, '/b': { ratio: 0.15 } } }, Writer: { ratio: 0.25, tasks: { '/w': { ratio: 0.25 } } } },
    });
    expect((JSON.parse(equal.stdout) as { per_class: { Reader: { tasks: Record<string, { ratio: number }> } } }).per_class.Reader.tasks).toEqual({ '/a': { ratio: 0.5 }, '/b': { ratio: 0.5 } });
    for (const r of [list, ratio, json, equal]) expect(r.code).toBe(0);
    expect(existsSync(join(cwd, 'results'))).toBe(false);
  });
});

describe('outputs: --json -, --html FILE, --reset-stats', () => {
  it('--json - puts summary.json (and only it) on stdout; --html writes report.html with {u} {r} {t} filled in', async () => {
    const srv = await server();
    const cwd = workdir({ 's.yaml': twoClasses(srv.url) });
    const r = await runCli(['run', 's.yaml', '-t', '1s', '--json', '-', '--html', 'out/r_{u}_{r}_{t}.html'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    const [dir] = runDirs(cwd);
    const summary = JSON.parse(r.stdout) as { schema: string; totals: { requests: number } };
    expect(summary.schema).toBe('cicada.summary/1');
    expect(r.stdout.trimEnd()).toBe(readFileSync(join(dir!, 'summary.json'), 'utf8').trimEnd());
    expect(summary.totals.requests).toBe(srv.total);
    expect(r.stderr).toMatch(/Aggregated/); // the tables went to stderr
    expect(readdirSync(join(cwd, 'out'))).toEqual(['r_4_100_1.html']);
    expect(readFileSync(join(cwd, 'out', 'r_4_100_1.html'), 'utf8')).toBe(readFileSync(join(dir!, 'report.html'), 'utf8'));
  });

  it.each([[[] as string[]], [['--processes', '2']]])('summary.json counts responses by status code per endpoint and in total (%j), equal to what the server sent', async (extra) => {
    const srv = await server({ status: (req) => (req.url === '/missing' ? 404 : req.url === '/gone' ? 500 : 200) });
    const plan = `name: codes\nhost: ${srv.url}\nusers: 4\nspawnRate: 100\nuserClasses:\n  - name: U\n    wait: { constant: 10ms }\n    tasks:\n      - get: /ok\n      - get: /missing\n      - get: /gone\n`;
    const cwd = workdir({ 's.yaml': plan });
    const r = await runCli(['run', 's.yaml', '-t', '1s', '--headless', '--only-summary', '--exit-code-on-error', '0', ...extra], { cwd });
    expect(r.code, r.stderr).toBe(0);
    type E = { name: string; requests: number; statusCodes: Record<string, number> };
    const summary = JSON.parse(readFileSync(join(runDirs(cwd)[0]!, 'summary.json'), 'utf8')) as { totals: E; endpoints: E[] };
    const by = Object.fromEntries(summary.endpoints.map((e) => [e.name, e.statusCodes]));
    const routes = srv.byRoute();
    expect(by).toEqual({ '/gone': { '500': routes['GET /gone'] }, '/missing': { '404': routes['GET /missing'] }, '/ok': { '200': routes['GET /ok'] } });
    expect(summary.totals.statusCodes).toEqual({ '200': routes['GET /ok'], '404': routes['GET /missing'], '500': routes['GET /gone'] });
    expect(summary.totals.requests).toBe(srv.total);
  });

  it('--reset-stats starts the statistics again once the ramp-up is complete', async () => {
    const srv = await server();
    const cwd = workdir({ 's.yaml': twoClasses(srv.url).replace('spawnRate: 100', 'spawnRate: 4') });
    const r = await runCli(['run', 's.yaml', '-t', '2s', '--headless', '--only-summary', '--reset-stats'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(readFileSync(join(runDirs(cwd)[0]!, 'summary.json'), 'utf8')) as { run: { startedAtMs: number; statsStartedAt: string }; totals: { requests: number } };
    // 4 users at 4/s: the ramp ends after ≈ 0.75 s; the requests before it are not counted.
    expect(Date.parse(summary.run.statsStartedAt) - summary.run.startedAtMs).toBeGreaterThanOrEqual(700);
    expect(summary.totals.requests).toBeGreaterThan(0);
    expect(summary.totals.requests).toBeLessThan(srv.total);
  });
});

describe('-L/--loglevel and --logfile', () => {
  it('--logfile takes the messages (with time and level) off stderr; -L drops the levels below it', async () => {
    const srv = await server();
    const cwd = workdir({ 's.yaml': twoClasses(srv.url) });
    const env = { CICADA_USRES: '1' }; // a near miss: one warning
    const args = ['run', 's.yaml', '-t', '1s', '--headless', '--only-summary'];
    const [toFile, errorsOnly, bad] = await Promise.all([
      runCli([...args, '--logfile', 'logs/run.log'], { cwd, env }),
      runCli([...args, '-L', 'error'], { cwd, env }),
      runCli([...args, '--loglevel', 'loud'], { cwd }),
    ]);
    expect(toFile.code).toBe(0);
    expect(toFile.stderr).toBe('');
    expect(toFile.stdout).toMatch(/Aggregated/); // tables are not log lines
    const log = readFileSync(join(cwd, 'logs', 'run.log'), 'utf8').split('\n').filter((l) => l !== '');
    expect(log[0]).toMatch(/^\[\d{4}-\d\d-\d\dT[\d:.]+Z\] WARNING: CICADA_USRES: not a cicada setting/);
    expect(log.at(-1)).toMatch(/^\[[^\]]+\] INFO: Results: /);
    expect(errorsOnly.code).toBe(0);
    expect(errorsOnly.stderr).toBe('');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('error: --loglevel: must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL, got "loud"\n');
  });
});

describe('--autoquit in the TUI', () => {
  it('the TUI leaves by itself N seconds after the run ends', async () => {
    const srv = await server();
    const dir = workdir({ 's.yaml': twoClasses(srv.url) });
    const tmux = (...args: string[]): string => execFileSync(toolPath('tmux'), ['-L', `cicada-aq-${process.pid}`, ...args], { encoding: 'utf8' });
    const done = join(dir, 'exit-code');
    tmux('new-session', '-d', '-s', 'aq', '-x', '120', '-y', '40', `cd '${dir}' && env -u CI -u CONTINUOUS_INTEGRATION -u NODE_ENV HOME='${testHome()}' '${process.execPath}' '${CLI}' run s.yaml -t 2s --autoquit 1; echo $? > '${done}'; sleep 30`);
    try {
      const end = Date.now() + 20_000;
      while (!existsSync(done) && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
      expect(readFileSync(done, 'utf8').trim()).toBe('0');
      const summary = JSON.parse(readFileSync(join(runDirs(dir)[0]!, 'summary.json'), 'utf8')) as { run: { stopReason: string } };
      expect(summary.run.stopReason).toBe('run time reached');
    } finally {
      tmux('kill-server');
    }
  });
});

describe('CI with a terminal attached', () => {
  it('runs headless (the console table, not a silent TUI) and ends by itself', async () => {
    const srv = await server();
    const dir = workdir({ 's.yaml': twoClasses(srv.url) });
    const tmux = (...args: string[]): string => execFileSync(toolPath('tmux'), ['-L', `cicada-ci-${process.pid}`, ...args], { encoding: 'utf8' });
    const done = join(dir, 'exit-code');
    tmux('new-session', '-d', '-s', 'ci', '-x', '120', '-y', '40', `cd '${dir}' && env CI=true HOME='${testHome()}' NO_COLOR=1 '${process.execPath}' '${CLI}' run s.yaml -t 3s; echo $? > '${done}'; sleep 30`);
    try {
      const end = Date.now() + 20_000;
      while (!existsSync(done) && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
      expect(readFileSync(done, 'utf8').trim()).toBe('0');
      const out = tmux('capture-pane', '-p', '-t', 'ci', '-S', '-500');
      // The periodic headless table (State: line, every 2 s) and the final summary.
      expect(out).toMatch(/State: running/);
      expect(out.match(/Aggregated/g)!.length).toBeGreaterThanOrEqual(3);
      expect(runDirs(dir)).toHaveLength(1);
    } finally {
      tmux('kill-server');
    }
  });
});
