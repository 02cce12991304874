/**
 * Snapshots without a screen (issue 16 part 4): SIGUSR1 and --snapshot-every write a headless run's
 * snapshot into snapshots/<elapsed>/ and print its path; its counts are the server's at that moment,
 * give or take the requests in flight.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, runDirs, startCli, useServers, workdir } from './cli.js';

const server = useServers();

const scenario = (url: string, users: number): string =>
  `name: snaps\nhost: ${url}\nusers: ${users}\nspawnRate: 100\nuserClasses:\n  - name: U\n    wait: { constant: 5ms }\n    tasks:\n      - get: /a\n`;

interface Summary {
  totals: { requests: number };
}
const summaryAt = (dir: string): Summary => JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as Summary;

describe('headless snapshots', () => {
  it('SIGUSR1 mid-run writes a consistent snapshot and prints its path; the run goes on', async () => {
    const srv = await server({ delayMs: 3 });
    const users = 4;
    const cwd = workdir({ 's.yaml': scenario(srv.url, users) });
    const cli = startCli(['run', 's.yaml', '--headless', '--only-summary', '-t', '30s'], { cwd });
    // Wait until the run is well under way.
    while (srv.total < 200) await new Promise((r) => setTimeout(r, 20));
    const before = srv.total;
    cli.child.kill('SIGUSR1');
    await cli.waitFor(/snapshot written \(SIGUSR1\): (.+)\n/);
    const after = srv.total;
    cli.child.kill('SIGINT');
    const r = await cli.result;
    expect(r.code).toBe(130);
    const dir = /snapshot written \(SIGUSR1\): (.+)\n/.exec(r.stderr)![1]!;
    expect(dir.startsWith(join(runDirs(cwd)[0]!, 'snapshots'))).toBe(true);
    for (const f of ['stats.csv', 'failures.csv', 'exceptions.csv', 'summary.json', 'report.md', 'report.html']) expect(existsSync(join(dir, f)), f).toBe(true);
    // cicada counts a request when its answer arrives, the server when it arrives there: at the
    // moment of the snapshot, the difference is at most the requests in flight (one per user).
    const snap = summaryAt(dir).totals.requests;
    expect(snap).toBeGreaterThanOrEqual(before - users);
    expect(snap).toBeLessThanOrEqual(after);
    // The run went on after it and its final count is the server's.
    const final = summaryAt(runDirs(cwd)[0]!).totals.requests;
    expect(final).toBeGreaterThan(snap);
    expect(final).toBe(srv.total);
  });

  it('--snapshot-every writes one each period', async () => {
    const srv = await server({ delayMs: 2 });
    const cwd = workdir({ 's.yaml': scenario(srv.url, 2) });
    const r = await runCli(['run', 's.yaml', '--headless', '--only-summary', '-t', '3.5s', '--snapshot-every', '1s'], { cwd });
    expect(r.code).toBe(0);
    const printed = [...r.stderr.matchAll(/snapshot written \(--snapshot-every\): (.+)\n/g)].map((m) => m[1]!);
    expect(printed.length).toBeGreaterThanOrEqual(2);
    const listed = readdirSync(join(runDirs(cwd)[0]!, 'snapshots')).map((d) => join(runDirs(cwd)[0]!, 'snapshots', d));
    expect(listed.sort()).toEqual([...printed].sort());
    // Later snapshots hold more requests than earlier ones.
    const counts = printed.map((d) => summaryAt(d).totals.requests);
    expect(counts[1]!).toBeGreaterThan(counts[0]!);
  });

  it('a bad --snapshot-every is bad input (exit 2, nothing written)', async () => {
    const cwd = workdir({ 's.yaml': scenario('http://127.0.0.1:9', 1) });
    const r = await runCli(['run', 's.yaml', '--headless', '--snapshot-every', '10ms'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--snapshot-every: must be a duration of at least 1s/);
    expect(runDirs(cwd)).toEqual([]);
  });
});
