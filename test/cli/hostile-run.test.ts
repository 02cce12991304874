/**
 * Issue 13 at the process boundary: signals at any moment (SIGTERM while cicada is still starting,
 * a second Ctrl-C with requests in flight, also with --processes 2), limits on numbers with no sane
 * meaning, summary.json from the first second, redirect hops per endpoint in summary.json.
 * Every run stops itself (a run time or a signal).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { reply, startHostileServer } from '../support/hostile-server.js';
import { sleep } from '../support/listen.js';
import { runDirs, startCli, statsRow, useServers, workdir } from './cli.js';

const server = useServers();

async function until(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(10);
  }
}

interface Summary {
  totals: { requests: number; failures: number };
  run: { exitCode: number | null; stopReason: string | null; state: string };
  endpoints: { name: string; requests: number; redirects: number }[];
  failures: { error: string; occurrences: number }[];
}
const summaryOf = (dir: string): Summary => JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as Summary;

describe('a second Ctrl-C counts the requests in flight as aborted and writes the final state', () => {
  for (const processes of [1, 2]) {
    it(`--processes ${processes}: counts equal the server's, state stopped`, async () => {
      const srv = await server({ delayMs: (req) => (req.url === '/slow' ? 20_000 : 1) });
      const cwd = workdir({
        's.yaml': `name: twice\nhost: ${srv.url}\nusers: 6\nspawnRate: 100\nstopTimeout: 30s\nuserClasses:\n  - name: U\n    tasks:\n      - flow: [ { get: /a }, { get: /slow } ]\n`,
      });
      const cli = startCli(['run', 's.yaml', '--headless', '--processes', String(processes)], { cwd });
      await until(() => (srv.byRoute()['GET /slow'] ?? 0) >= 6, 15_000, 'every user waiting on /slow');
      cli.child.kill('SIGINT');
      await sleep(300);
      const t0 = Date.now();
      cli.child.kill('SIGINT');
      const r = await cli.result;
      expect(Date.now() - t0).toBeLessThan(3000);
      expect(r.code).toBe(130);
      const dir = runDirs(cwd)[0]!;
      const s = summaryOf(dir);
      expect(s.totals.requests).toBe(srv.total);
      expect(s.run.state).toBe('stopped');
      expect(s.run.exitCode).toBe(130);
      const aborted = s.failures.find((f) => f.error === 'aborted: run stopped');
      expect(aborted?.occurrences).toBe(srv.byRoute()['GET /slow']);
      expect(Number(statsRow(join(dir, 'stats.csv'), 'Aggregated')['Request Count'])).toBe(srv.total);
    });
  }
});

describe('signals while cicada is still starting', () => {
  it.concurrent.each([60, 150, 300])('SIGTERM %i ms after start: exit 143 (or killed before Node ran any code), nothing half-written', async (ms) => {
    const srv = await server({ delayMs: 1 });
    const cwd = workdir({ 's.yaml': `name: early\nhost: ${srv.url}\nusers: 2\nspawnRate: 100\nuserClasses:\n  - name: U\n    tasks: [ { get: /a } ]\n` });
    const cli = startCli(['run', 's.yaml', '--headless', '-t', '20s'], { cwd });
    await sleep(ms);
    const t0 = Date.now();
    cli.child.kill('SIGTERM');
    const r = await cli.result;
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(r.stderr).not.toMatch(/cicada failed|^\s+at /m);
    if (r.signal === 'SIGTERM') {
      // Node had not started cicada's code: nothing can have been written.
      expect(runDirs(cwd)).toEqual([]);
      return;
    }
    expect(r.code).toBe(143);
    for (const dir of runDirs(cwd)) {
      const s = summaryOf(dir);
      expect(s.run.exitCode).toBe(143);
      expect(s.totals.requests).toBe(srv.total);
    }
  });
});

describe('numbers with no sane meaning are refused or bounded', () => {
  it('--processes beyond the users runs one engine thread per user, and says so', async () => {
    const srv = await server({ delayMs: 1 });
    const cwd = workdir({ 's.yaml': `name: few\nhost: ${srv.url}\nusers: 2\nspawnRate: 100\nuserClasses:\n  - name: U\n    wait: { constant: 20ms }\n    tasks: [ { get: /a } ]\n` });
    const cli = startCli(['run', 's.yaml', '--headless', '-t', '1s', '--processes', '8'], { cwd });
    const r = await cli.result;
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/--processes 8 with at most 2 users: running 2 engine threads/);
    const s = summaryOf(runDirs(cwd)[0]!);
    expect(s.totals.requests).toBe(srv.total);
  });
});

describe('summary.json', () => {
  it('exists from the first second, so `cicada report` works after a kill -9 at any time', async () => {
    const srv = await server({ delayMs: 1 });
    const cwd = workdir({ 's.yaml': `name: early-summary\nhost: ${srv.url}\nusers: 1\nspawnRate: 100\nuserClasses:\n  - name: U\n    wait: { constant: 50ms }\n    tasks: [ { get: /a } ]\n` });
    const cli = startCli(['run', 's.yaml', '--headless', '-t', '20s'], { cwd });
    // From the run's first moment: written before the first request reached the server (not "within
    // 3 s of the process starting", which a busy machine's start-up alone can exceed).
    await until(() => srv.total >= 1, 15_000, 'the first request');
    const written = runDirs(cwd).length === 1 && existsSync(join(runDirs(cwd)[0]!, 'summary.json'));
    cli.child.kill('SIGKILL');
    await cli.result;
    expect(written).toBe(true);
    expect(summaryOf(runDirs(cwd)[0]!).run.exitCode).toBeNull();
  });

  it('keeps the redirects followed per endpoint; each chain is one request (also with --processes 2)', async () => {
    const srv = await startHostileServer((req, res) => {
      if (req.url === '/start') return reply(res, 302, '', { location: '/middle' });
      if (req.url === '/middle') return reply(res, 307, '', { location: '/end' });
      reply(res, 200, 'done');
    });
    try {
      const cwd = workdir({ 's.yaml': `name: hops\nhost: ${srv.url}\nusers: 2\nspawnRate: 100\nuserClasses:\n  - name: U\n    wait: { constant: 20ms }\n    tasks: [ { get: /start } ]\n` });
      const cli = startCli(['run', 's.yaml', '--headless', '-t', '2s', '--processes', '2'], { cwd });
      const r = await cli.result;
      expect(r.code).toBe(0);
      const s = summaryOf(runDirs(cwd)[0]!);
      const row = s.endpoints.find((e) => e.name === '/start')!;
      expect(row.requests).toBe(srv.count('/end'));
      expect(row.redirects).toBe(2 * row.requests);
      expect(s.endpoints.map((e) => e.name)).toEqual(['/start']);
    } finally {
      await srv.close();
    }
  });
});
