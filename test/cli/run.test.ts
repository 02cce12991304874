import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { closedPort } from '../support/fault-server.js';
import { readCsv, runCli, runDirs, startCli, statsRow, workdir, useServers } from './cli.js';

const server = useServers();

const scenario = (host: string, extra = ''): string => `
name: cli-test
host: ${host}
users: 4
spawnRate: 100
userClasses:
  - name: U
    tasks:
      - get: /a
      - get: /b
${extra}`;

const STATS_HEADER =
  'Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%';

describe('cicada run (headless)', () => {
  it('the Request Count in every output equals what the server received', async () => {
    const srv = await server({ delayMs: 1 });
    const cwd = workdir({ 's.yaml': scenario(srv.url) });
    const r = await runCli(['run', 's.yaml', '--headless', '-t', '2s', '--csv', 'out/loc', '--json', 'out/summary.json'], { cwd });
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.code).toBe(0);
    const [dir] = runDirs(cwd);
    expect(dir).toMatch(/cli-test-\d{8}-\d{6}$/);
    const agg = statsRow(join(dir!, 'stats.csv'), 'Aggregated');
    expect(Number(agg['Request Count'])).toBeGreaterThan(100);
    expect(Number(agg['Request Count'])).toBe(srv.total);
    expect(Number(statsRow(join(cwd, 'out/loc_stats.csv'), 'Aggregated')['Request Count'])).toBe(srv.total);
    const summary = JSON.parse(readFileSync(join(cwd, 'out/summary.json'), 'utf8')) as { totals: { requests: number } };
    expect(summary.totals.requests).toBe(srv.total);
    // The final console table shows the same total.
    const finalAgg = r.stdout.split('\n').filter((l) => /^\s+Aggregated/.test(l)).at(-2)!;
    expect(finalAgg.trim().split(/\s+/)[1]).toBe(String(srv.total));
    expect(Number(agg['Request Count'])).toBe(Number(statsRow(join(dir!, 'stats.csv'), '/a')['Request Count']) + Number(statsRow(join(dir!, 'stats.csv'), '/b')['Request Count']));
  });

  it("writes Locust's exact CSV headers", async () => {
    const srv = await server();
    const cwd = workdir({ 's.yaml': scenario(srv.url) });
    const r = await runCli(['run', 's.yaml', '--headless', '--only-summary', '-t', '1s', '--csv', 'x'], { cwd });
    expect(r.code).toBe(0);
    const firstLine = (f: string) => readFileSync(join(cwd, f), 'utf8').split(/\r?\n/)[0];
    expect(firstLine('x_stats.csv')).toBe(STATS_HEADER);
    expect(firstLine('x_failures.csv')).toBe('Method,Name,Error,Occurrences,First Seen,Last Seen');
    expect(firstLine('x_exceptions.csv')).toBe('Count,Message,Traceback,Nodes');
    expect(firstLine('x_stats_history.csv')).toBe(
      'Timestamp,User Count,Type,Name,Requests/s,Failures/s,50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%,Total Request Count,Total Failure Count,Total Median Response Time,Total Average Response Time,Total Min Response Time,Total Max Response Time,Total Average Content Size',
    );
    // --only-summary: no periodic tables, only the final one.
    expect(r.stdout.match(/Aggregated/g)!.length).toBe(2);
  });

  it('--csv-full-history writes a history row per endpoint, then Aggregated, each second', async () => {
    const srv = await server();
    const cwd = workdir({ 's.yaml': scenario(srv.url) });
    const r = await runCli(['run', 's.yaml', '--headless', '--only-summary', '-t', '3s', '--csv', 'h', '--csv-full-history'], { cwd });
    expect(r.code).toBe(0);
    const rows = readCsv(join(cwd, 'h_stats_history.csv')).slice(1);
    const names = rows.map((row) => row[3]);
    expect(names.filter((n) => n === 'Aggregated').length).toBeGreaterThanOrEqual(2);
    // A second in the middle of the run (the first may have seen only one of the endpoints).
    const stamps = [...new Set(rows.map((row) => row[0]))];
    const middle = stamps[Math.floor(stamps.length / 2)];
    expect(rows.filter((row) => row[0] === middle).map((row) => row[3])).toEqual(['/a', '/b', 'Aggregated']);
  });

  it('flags override the file', async () => {
    const srv = await server();
    const cwd = workdir({ 's.yaml': scenario('http://127.0.0.1:1') });
    const r = await runCli(['run', 's.yaml', '--headless', '--only-summary', '-H', srv.url, '-u', '2', '-r', '50', '-t', '1s'], { cwd });
    expect(r.code).toBe(0);
    expect(srv.connections).toBe(2);
    const summary = JSON.parse(readFileSync(join(runDirs(cwd)[0]!, 'summary.json'), 'utf8')) as { config: { users: number; host: string } };
    expect(summary.config.users).toBe(2);
    expect(summary.config.host).toBe(srv.url);
  });

  it('a run against a closed port completes with ECONNREFUSED failures', async () => {
    const port = await closedPort();
    const cwd = workdir({ 's.yaml': scenario(`http://127.0.0.1:${port}`, '    wait: { constant: 50ms }') });
    const r = await runCli(['run', 's.yaml', '--headless', '--only-summary', '-t', '1s'], { cwd });
    expect(r.code).toBe(1); // failed requests fail a run without thresholds, as in Locust
    expect(r.stdout.trimEnd().split('\n').at(-1)).toMatch(/^FAILED: (\d+) of \1 requests failed$/);
    const failures = readCsv(join(runDirs(cwd)[0]!, 'failures.csv'));
    expect(failures.slice(1).every((row) => row[2] === 'ECONNREFUSED')).toBe(true);
    const total = failures.slice(1).reduce((n, row) => n + Number(row[3]), 0);
    expect(total).toBeGreaterThan(10);
    expect(Number(statsRow(join(runDirs(cwd)[0]!, 'stats.csv'), 'Aggregated')['Failure Count'])).toBe(total);
    expect(r.stdout).toMatch(/ECONNREFUSED/);
  });

  it('--exit-code-on-error sets the exit code when any request failed', async () => {
    const srv = await server({ status: 503 });
    const cwd = workdir({ 's.yaml': scenario(srv.url) });
    const bare = await runCli(['run', 's.yaml', '--headless', '--only-summary', '-t', '1s', '--exit-code-on-error'], { cwd });
    expect(bare.code).toBe(1);
    const custom = await runCli(['run', 's.yaml', '--headless', '--only-summary', '-t', '1s', '--exit-code-on-error', '7'], { cwd });
    expect(custom.code).toBe(7);
    const byDefault = await runCli(['run', 's.yaml', '--headless', '--only-summary', '-t', '1s'], { cwd });
    expect(byDefault.code).toBe(1); // Locust's default: --exit-code-on-error 1
    expect(byDefault.stdout).toMatch(/HTTP 503/);
    const optOut = await runCli(['run', 's.yaml', '--headless', '--only-summary', '-t', '1s', '--exit-code-on-error', '0'], { cwd });
    expect(optOut.code).toBe(0);
  });

  it('exits 1 when a threshold fails, 0 when all pass, and records them in summary.json', async () => {
    const srv = await server({ delayMs: 20 });
    const cwd = workdir({ 's.yaml': scenario(srv.url) });
    const fail = await runCli(['run', 's.yaml', '--headless', '--only-summary', '-t', '1s', '--threshold', 'p95<5ms', '--threshold', 'error_rate<1%'], { cwd });
    expect(fail.code).toBe(1);
    const summary = JSON.parse(readFileSync(join(runDirs(cwd)[0]!, 'summary.json'), 'utf8')) as {
      thresholds: { expr: string; passed: boolean }[];
      run: { exitCode: number };
      config: { commandLine: string };
    };
    // The command line as it could be typed again.
    expect(summary.config.commandLine).toBe("cicada run s.yaml --headless --only-summary -t 1s --threshold 'p95<5ms' --threshold 'error_rate<1%'");
    expect(summary.thresholds.map((t) => [t.expr, t.passed])).toEqual([
      ['p95<5ms', false],
      ['error_rate<1%', true],
    ]);
    expect(summary.run.exitCode).toBe(1);
    const pass = await runCli(['run', 's.yaml', '--headless', '--only-summary', '-t', '1s', '--threshold', 'p95<2s'], { cwd });
    expect(pass.code).toBe(0);
  });

  it('a threshold with abort stops the run once its grace has passed', async () => {
    const srv = await server({ delayMs: 20 });
    const cwd = workdir({ 's.yaml': scenario(srv.url, 'thresholds:\n  - { expr: "p95 < 5ms", abort: true, grace: 1s }\n') });
    const t0 = Date.now();
    const r = await runCli(['run', 's.yaml', '--headless', '--only-summary', '-t', '30s'], { cwd });
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(r.code).toBe(1);
    const summary = JSON.parse(readFileSync(join(runDirs(cwd)[0]!, 'summary.json'), 'utf8')) as { run: { stopReason: string } };
    expect(summary.run.stopReason).toMatch(/^threshold p95 < 5ms failed/);
  });

  it('bad input exits 2 with every problem located, no stack trace, and writes nothing', async () => {
    const cwd = workdir({ 'bad.yaml': 'name: x\nhost: http://127.0.0.1:1\nusers: -3\nuserClasses:\n  - name: A\n    taks: []\n' });
    const r = await runCli(['run', 'bad.yaml', '--headless'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.yaml:3:8: users: must be a whole number >= 1, got -3/);
    expect(r.stderr).toMatch(/bad\.yaml:6:5: userClasses\[0\]\.taks: unknown key `taks`; did you mean `tasks`\?/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(cwd, 'results'))).toBe(false);
  });

  it('bad flags exit 2 naming the flag', async () => {
    const cwd = workdir({ 's.yaml': scenario('http://127.0.0.1:1') });
    const r = await runCli(['run', 's.yaml', '--headless', '-u', 'abc', '-t', 'soon'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--users: must be a whole number >= 1, got "abc"/);
    expect(r.stderr).toMatch(/--run-time: .*got "soon"/);
    const unknown = await runCli(['run', 's.yaml', '--usres', '3'], { cwd });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/usres/);
    expect(existsSync(join(cwd, 'results'))).toBe(false);
  });

  it('a URL runs as a one-request test', async () => {
    const srv = await server();
    const cwd = workdir();
    const r = await runCli(['run', `${srv.url}/ping`, '--headless', '--only-summary', '-u', '3', '-t', '1s'], { cwd });
    expect(r.code).toBe(0);
    expect(srv.byRoute()['GET /ping']).toBe(srv.total);
    expect(Number(statsRow(join(runDirs(cwd)[0]!, 'stats.csv'), 'Aggregated')['Request Count'])).toBe(srv.total);
  });

  it('--help shows examples and --version the version', async () => {
    const help = await runCli(['run', '--help']);
    expect(help.stdout).toMatch(/Examples/);
    expect(help.stdout).toMatch(/--exit-code-on-error/);
    const version = await runCli(['--version']);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe('interrupted runs still write complete results', () => {
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const) {
    it(`${signal} → exit ${code}, files complete, counts equal the server's`, async () => {
      const srv = await server({ delayMs: 5 });
      const cwd = workdir({ 's.yaml': scenario(srv.url) });
      const cli = startCli(['run', 's.yaml', '--headless', '--csv', 'loc'], { cwd });
      await cli.waitFor(/Aggregated/);
      cli.child.kill(signal);
      const r = await cli.result;
      expect(r.code).toBe(code);
      const dir = runDirs(cwd)[0]!;
      const agg = statsRow(join(dir, 'stats.csv'), 'Aggregated');
      expect(Number(agg['Request Count'])).toBeGreaterThan(0);
      expect(Number(agg['Request Count'])).toBe(srv.total);
      expect(Number(statsRow(join(cwd, 'loc_stats.csv'), 'Aggregated')['Request Count'])).toBe(srv.total);
      const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as { run: { exitCode: number; stopReason: string } };
      expect(summary.run.exitCode).toBe(code);
      expect(summary.run.stopReason).toBe(`interrupted by ${signal}`);
      expect(readCsv(join(dir, 'stats_history.csv')).length).toBeGreaterThan(1);
    });
  }

  it('a second SIGINT exits at once, still writing the files', async () => {
    const srv = await server({ delayMs: (req) => (req.url === '/slow' ? 20_000 : 1) });
    // Each user does /a, then waits on /slow: at the second Ctrl-C every user is mid-request.
    const cwd = workdir({
      's.yaml': `name: cli-test\nhost: ${srv.url}\nusers: 4\nspawnRate: 100\nstopTimeout: 30s\nuserClasses:\n  - name: U\n    tasks:\n      - flow: [ { get: /a }, { get: /slow } ]\n`,
    });
    const cli = startCli(['run', 's.yaml', '--headless'], { cwd });
    await cli.waitFor(/Aggregated/);
    cli.child.kill('SIGINT');
    await new Promise((r) => setTimeout(r, 300));
    const t0 = Date.now();
    cli.child.kill('SIGINT');
    const r = await cli.result;
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(r.code).toBe(130);
    expect(Number(statsRow(join(runDirs(cwd)[0]!, 'stats.csv'), 'Aggregated')['Request Count'])).toBeGreaterThan(0);
  });
});
