/**
 * Snapshots without a screen (issue 16 part 4): SIGUSR1 and --snapshot-every write a headless run's
 * snapshot into snapshots/<elapsed>/ and print its path; its counts are the server's at that moment,
 * give or take the requests in flight.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startNodeExporter } from '../support/exporters.js';
import { readCsv, runCli, runDirs, startCli, useServers, workdir } from './cli.js';

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

  it('a snapshot is a whole results directory: the streamed files as they stood (monitors, history, script log), and cicada report renders it', async () => {
    const srv = await server({ delayMs: 3 });
    const exporter = await startNodeExporter();
    try {
      const cwd = workdir({
        's.yaml': `name: whole\nhost: ${srv.url}\nusers: 2\nspawnRate: 100\nscript: ./hooks.ts\nuserClasses:\n  - name: U\n    wait: { constant: 5ms }\n    onStart:\n      - call: hello\n    tasks:\n      - get: /a\n`,
        'hooks.ts': 'import type { User } from "cicada-load";\nexport function hello(u: User): void {\n  u.log("hello from user", u.id);\n}\n',
      });
      const cli = startCli(
        ['run', 's.yaml', '--headless', '--only-summary', '-t', '30s', '--monitor', `mem=${exporter.url}/metrics#node_memory_MemTotal_bytes`, '--threshold', 'mem.max > 1MB', '--csv', 'locust', '--json', 'out.json'],
        { cwd },
      );
      const live = (name: string): string => {
        const dir = runDirs(cwd)[0];
        return dir === undefined || !existsSync(join(dir, name)) ? '' : readFileSync(join(dir, name), 'utf8');
      };
      const dataRows = (text: string): number => text.split('\r\n').filter((l) => /^\d+,/.test(l)).length;
      // Under way: two monitor samples and two history rows streamed.
      const deadline = Date.now() + 20_000;
      while ((dataRows(live('monitors.csv')) < 2 || dataRows(live('stats_history.csv')) < 2) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      cli.child.kill('SIGUSR1');
      await cli.waitFor(/snapshot written \(SIGUSR1\): (.+)\n/);
      cli.child.kill('SIGINT');
      const r = await cli.result;
      expect(r.code, r.stderr).toBe(130);
      const run = runDirs(cwd)[0]!;
      const snap = /snapshot written \(SIGUSR1\): (.+)\n/.exec(r.stderr)![1]!;
      const files = ['stats.csv', 'stats_history.csv', 'failures.csv', 'exceptions.csv', 'monitors.csv', 'summary.json', 'report.md', 'report.html', 'script.log', 'run.log'];
      expect(readdirSync(snap).sort()).toEqual([...files].sort());
      // The streamed files as they stood: the start of the run's own, with as many rows as the
      // snapshot's summary.json counted at that moment.
      const summary = JSON.parse(readFileSync(join(snap, 'summary.json'), 'utf8')) as {
        run: { snapshot?: boolean; endedAt: string | null };
        totals: { requests: number };
        history: { totalRequests: number }[];
        monitors: { samples: number; gaps: number }[];
        thresholds: { expr: string; passed: boolean | null }[];
      };
      expect(summary.run).toMatchObject({ snapshot: true, endedAt: null });
      for (const name of ['monitors.csv', 'stats_history.csv', 'script.log', 'run.log']) {
        const part = readFileSync(join(snap, name), 'utf8');
        expect(part.length, name).toBeGreaterThan(0);
        expect(readFileSync(join(run, name), 'utf8').startsWith(part), name).toBe(true);
      }
      expect(readFileSync(join(snap, 'script.log'), 'utf8')).toMatch(/Z U 1: hello from user 1$/m);
      expect(readFileSync(join(snap, 'run.log'), 'utf8')).toMatch(/^\[\S+Z\] \[0:00\] INFO: test started: 2 users at 100\/s$/m);
      expect(readFileSync(join(run, 'run.log'), 'utf8')).toMatch(/\] INFO: stopped: /);
      const monitorRows = readCsv(join(snap, 'monitors.csv'));
      expect(monitorRows[0]).toEqual(['Timestamp', 'mem (bytes)']);
      expect(monitorRows.length - 1).toBe(summary.monitors[0]!.samples + summary.monitors[0]!.gaps);
      expect(monitorRows.length - 1).toBeGreaterThanOrEqual(2);
      const historyRows = readCsv(join(snap, 'stats_history.csv')).slice(1);
      expect(historyRows.length).toBe(summary.history.length);
      expect(Number(historyRows.at(-1)![17])).toBe(summary.history.at(-1)!.totalRequests);
      expect(summary.totals.requests).toBeGreaterThanOrEqual(summary.history.at(-1)!.totalRequests);
      expect(summary.thresholds).toMatchObject([{ expr: 'mem.max > 1MB', passed: true }]);
      // The run's own summary is final, not a snapshot; --csv and --json files are the run's alone.
      const final = JSON.parse(readFileSync(join(run, 'summary.json'), 'utf8')) as { run: Record<string, unknown>; totals: { requests: number } };
      expect(final.run.snapshot).toBeUndefined();
      expect(final.totals.requests).toBeGreaterThan(summary.totals.requests);
      expect((JSON.parse(readFileSync(join(cwd, 'out.json'), 'utf8')) as { totals: { requests: number } }).totals.requests).toBe(final.totals.requests);
      // cicada report renders it as a snapshot (no --partial needed), with the target's health.
      const written = readFileSync(join(snap, 'report.md'), 'utf8');
      const rep = await runCli(['report', snap], { cwd });
      expect(rep.code, rep.stderr).toBe(0);
      const md = readFileSync(join(snap, 'report.md'), 'utf8');
      expect(md).toBe(written);
      expect(md).toContain('## System metrics');
      expect(md).toMatch(/\| 127\.0\.0\.1:\d+ \| mem \| max > 1 MB \| .* \| ✅ Pass \|/);
      expect(md).toMatch(/A snapshot, [\d.]+s into the run/);
      expect(md).toContain(`its own results are in \`${run}\``);
      expect(md).not.toContain('still in progress');
    } finally {
      await exporter.stop();
    }
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
