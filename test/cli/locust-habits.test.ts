/**
 * Locust's command-line habits through the built CLI: -V, -h, `cicada help [command]`, user classes
 * named after the scenario, -T/-E over `tags:`, and a CI job with a terminal attached running
 * headless (in tmux, where Ink would otherwise draw nothing).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
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
