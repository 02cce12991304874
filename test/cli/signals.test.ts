/**
 * Signals and write failures at the process boundary, beyond test/cli/run.test.ts (which covers
 * SIGINT/SIGTERM/SIGHUP exit codes and a second Ctrl-C): a results file that cannot be written
 * does not stop the others (a signal keeps its exit code; a run that ended by itself exits 3, issue 13);
 * SIGTERM while users are logging in; Ctrl-C
 * while users are still being spawned. Every run here stops itself (a run time or a signal).
 */
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sleep } from '../support/listen.js';
import { readCsv, runDirs, startCli, statsRow, workdir, useServers } from './cli.js';

const server = useServers();

async function until(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(20);
  }
}

interface Summary {
  totals: { requests: number; failures: number };
  run: { exitCode: number; stopReason: string };
}
const summaryOf = (dir: string): Summary => JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as Summary;
const requestCount = (csv: string): number => Number(statsRow(csv, 'Aggregated')['Request Count']);

describe('one results file that cannot be written', () => {
  it('does not stop the others, is reported once, and the run ends as it should (SIGINT → 130)', async () => {
    const srv = await server({ delayMs: 2 });
    const cwd = workdir({
      's.yaml': `name: writers\nhost: ${srv.url}\nusers: 3\nspawnRate: 100\nuserClasses:\n  - name: U\n    wait: { constant: 5ms }\n    tasks:\n      - get: /a\n`,
    });
    mkdirSync(join(cwd, 'blocker'));
    // Targets a run would refuse at the start (issue 13) are spoiled once it has written them: the
    // files written at the start are replaced before the first periodic write (at 5 s) — stats.csv
    // in the run directory and loc_stats.csv by directories, --json's folder by a file.
    const cli = startCli(['run', 's.yaml', '--headless', '--csv', 'loc', '--json', 'blocker/summary.json'], { cwd });
    await until(() => runDirs(cwd).length === 1 && existsSync(join(runDirs(cwd)[0]!, 'stats.csv')) && existsSync(join(cwd, 'loc_stats.csv')) && existsSync(join(cwd, 'blocker', 'summary.json')), 10_000, 'the first files');
    const dir = runDirs(cwd)[0]!;
    for (const path of [join(dir, 'stats.csv'), join(cwd, 'loc_stats.csv')]) {
      rmSync(path);
      mkdirSync(path);
    }
    rmSync(join(cwd, 'blocker'), { recursive: true });
    writeFileSync(join(cwd, 'blocker'), 'a file where a directory should be\n');
    // After the first periodic write (5 s), so the final one is the third: each failure is still named once.
    const inRunDir = join(dir, 'stats.csv').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    await cli.waitFor(new RegExp(`could not write ${inRunDir}`), 15_000);
    cli.child.kill('SIGINT');
    const r = await cli.result;
    expect(r.code).toBe(130);
    expect(r.stderr).not.toMatch(/cicada failed|^\s+at /m);
    // Each failed file is named once, however often the files were rewritten.
    for (const name of [join(dir, 'stats.csv'), 'loc_stats.csv', 'blocker/summary.json']) {
      const mentions = r.stderr.split('\n').filter((l) => l.startsWith(`warning: could not write ${name}:`));
      expect(mentions, `${name} in\n${r.stderr}`).toHaveLength(1);
    }
    // Everything else is complete, with the server's count.
    expect(statSync(join(dir, 'stats.csv')).isDirectory()).toBe(true);
    const summary = summaryOf(dir);
    expect(summary.totals.requests).toBe(srv.total);
    expect(summary.run.exitCode).toBe(130);
    expect(readCsv(join(dir, 'failures.csv'))[0]).toEqual(['Method', 'Name', 'Error', 'Occurrences', 'First Seen', 'Last Seen']);
    expect(readCsv(join(dir, 'exceptions.csv'))[0]).toEqual(['Count', 'Message', 'Traceback', 'Nodes']);
    expect(readCsv(join(dir, 'stats_history.csv')).length).toBeGreaterThan(1);
    expect(existsSync(join(cwd, 'loc_failures.csv'))).toBe(true);
    expect(readCsv(join(cwd, 'loc_stats_history.csv')).length).toBeGreaterThan(1);
    // The final console table shows the same total as the files.
    const finalAgg = r.stdout.split('\n').filter((l) => /^\s+Aggregated/.test(l)).at(-2)!;
    expect(finalAgg.trim().split(/\s+/)[1]).toBe(String(srv.total));
  });

  it('a run that ends by itself but whose final files could not all be written says so and exits 3', async () => {
    const srv = await server();
    const cwd = workdir({ 's.yaml': `name: w0\nhost: ${srv.url}\nusers: 2\nspawnRate: 100\nuserClasses:\n  - name: U\n    wait: { constant: 5ms }\n    tasks:\n      - get: /a\n` });
    const cli = startCli(['run', 's.yaml', '--headless', '--only-summary', '-t', '2s', '--csv', 'loc'], { cwd });
    await until(() => existsSync(join(cwd, 'loc_stats.csv')), 10_000, 'loc_stats.csv');
    rmSync(join(cwd, 'loc_stats.csv'));
    mkdirSync(join(cwd, 'loc_stats.csv'));
    const r = await cli.result;
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/warning: could not write .*loc_stats\.csv/);
    expect(r.stderr).toMatch(/error: the final results could not all be written \(loc_stats\.csv\)/);
    expect(requestCount(join(runDirs(cwd)[0]!, 'stats.csv'))).toBe(srv.total);
  });
});

describe('signals at awkward moments', () => {
  it('SIGTERM while users are mid-login: logins get the grace, then count as aborted; exit 143, counts equal', async () => {
    const srv = await server({ delayMs: (req) => (req.url === '/login' ? 20_000 : 1) });
    const cwd = workdir({
      's.yaml': `name: login
host: ${srv.url}
users: 6
spawnRate: 100
userClasses:
  - name: U
    onStart:
      - post: /login
        json: { user: "u\${userId}" }
        capture: { token: { json: $.token, secret: true } }
    tasks:
      - get: /me
        headers: { authorization: "Bearer \${token}" }
    onStop:
      - post: /logout
`,
    });
    const cli = startCli(['run', 's.yaml', '--headless', '--only-summary'], { cwd });
    await until(() => (srv.byRoute()['POST /login'] ?? 0) === 6, 10_000, 'six logins in flight');
    const t0 = Date.now();
    cli.child.kill('SIGTERM');
    const r = await cli.result;
    expect(r.code).toBe(143);
    // The default grace for requests in flight is 2 s; the logins (answered after 20 s) do not get longer.
    expect(Date.now() - t0).toBeLessThan(6000);
    const dir = runDirs(cwd)[0]!;
    const failures = readCsv(join(dir, 'failures.csv')).slice(1);
    expect(failures.map((f) => [f[0], f[1], f[2], f[3]])).toEqual([['POST', '/login', 'aborted: run stopped', '6']]);
    // Nothing after the signal: no tasks, and no onStop for users that never finished starting.
    expect(srv.byRoute()).toEqual({ 'POST /login': 6 });
    expect(requestCount(join(dir, 'stats.csv'))).toBe(srv.total);
    expect(summaryOf(dir).run).toMatchObject({ exitCode: 143, stopReason: 'interrupted by SIGTERM' });
  });

  it('Ctrl-C while users are still being spawned: spawning stops, exit 130, counts equal', async () => {
    const srv = await server({ delayMs: 2 });
    const cwd = workdir({
      's.yaml': `name: spawning\nhost: ${srv.url}\nusers: 100\nspawnRate: 5\nuserClasses:\n  - name: U\n    wait: { constant: 20ms }\n    tasks:\n      - get: /a\n`,
    });
    const cli = startCli(['run', 's.yaml', '--headless'], { cwd });
    await until(() => srv.connections >= 3, 10_000, 'a few users started');
    cli.child.kill('SIGINT');
    const usersAtSignal = srv.connections;
    const t0 = Date.now();
    const r = await cli.result;
    expect(r.code).toBe(130);
    expect(Date.now() - t0).toBeLessThan(4000);
    // Spawning stopped with the signal (one user may have been starting at that instant).
    expect(srv.connections).toBeLessThanOrEqual(usersAtSignal + 1);
    expect(srv.connections).toBeLessThan(20);
    const dir = runDirs(cwd)[0]!;
    expect(requestCount(join(dir, 'stats.csv'))).toBe(srv.total);
    expect(summaryOf(dir).run).toMatchObject({ exitCode: 130, stopReason: 'interrupted by SIGINT' });
    expect(r.stderr).toMatch(/SIGINT: stopping/);
  });
});
