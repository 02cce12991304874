/**
 * User classes as Locust 2.x allocates them, seen by a real server: each user announces its class
 * once (onStart), so the server counts users per class. Weights 70/25/4/1 with 50 users start
 * 35/12/2/1 (Locust's dispatcher), in one process and split over engine threads alike; the console,
 * summary.json and the reports show the final ratio; a class left without a user is warned about.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, runDirs, workdir, useServers } from './cli.js';

const server = useServers();

const klass = (name: string, weight: number): string => `
  - name: ${name}
    weight: ${weight}
    wait: 200ms
    onStart: [ { get: /start/${name} } ]
    tasks:
      - { get: /work, name: /work/${name}, weight: 3 }
      - { get: /health, weight: 1 }`;

const scenario = (host: string): string => `
name: classes
host: ${host}
users: 50
spawnRate: 1000
userClasses:${klass('AuthenticatedUser', 70)}${klass('BrowsingUser', 25)}${klass('AdminUser', 4)}${klass('HealthCheckUser', 1)}
`;

interface SummaryClass {
  name: string;
  users: number;
  ratio: number;
  tasks: { name: string; ratio: number; totalRatio: number; runs: number }[];
}

describe('user class counts (Locust 2.x dispatcher)', () => {
  it('70/25/4/1 with 50 users start 35/12/2/1 — one process or two engine threads — and every output shows the final ratio', async () => {
    const one = await server();
    const two = await server();
    const cwdOne = workdir({ 's.yaml': scenario(one.url) });
    const cwdTwo = workdir({ 's.yaml': scenario(two.url) });
    const [a, b] = await Promise.all([
      runCli(['run', 's.yaml', '--headless', '--only-summary', '-t', '2s'], { cwd: cwdOne }),
      runCli(['run', 's.yaml', '--headless', '--only-summary', '-t', '2s', '--processes', '2'], { cwd: cwdTwo }),
    ]);
    for (const [r, srv] of [[a, one], [b, two]] as const) {
      expect(r.stderr).not.toMatch(/cicada failed|gets no user/);
      const routes = srv.byRoute();
      expect([routes['GET /start/AuthenticatedUser'], routes['GET /start/BrowsingUser'], routes['GET /start/AdminUser'], routes['GET /start/HealthCheckUser']]).toEqual([35, 12, 2, 1]);
    }
    const summary = JSON.parse(readFileSync(join(runDirs(cwdOne)[0]!, 'summary.json'), 'utf8')) as { classes: SummaryClass[] };
    expect(summary.classes.map((c) => [c.name, c.users, c.ratio])).toEqual([
      ['AuthenticatedUser', 35, 0.7],
      ['BrowsingUser', 12, 0.24],
      ['AdminUser', 2, 0.04],
      ['HealthCheckUser', 1, 0.02],
    ]);
    expect(summary.classes[0]!.tasks.map((t) => [t.name, t.ratio, t.totalRatio])).toEqual([['/work/AuthenticatedUser', 0.75, 0.525], ['/health', 0.25, 0.175]]);
    expect(summary.classes[0]!.tasks[0]!.runs).toBeGreaterThan(0);
    const twoSummary = JSON.parse(readFileSync(join(runDirs(cwdTwo)[0]!, 'summary.json'), 'utf8')) as { classes: SummaryClass[] };
    expect(twoSummary.classes.map((c) => c.users)).toEqual([35, 12, 2, 1]);
    // The console's final ratio, Locust's --show-task-ratio layout with the user counts.
    expect(a.stdout).toContain('Final ratio: 50 users');
    expect(a.stdout).toMatch(/\n\s+35\s+70\.0%\s+70\.0%\s+AuthenticatedUser\n\s+75\.0%\s+52\.5%\s+\/work\/AuthenticatedUser\s+\d+\n/);
    expect(a.stdout).toMatch(/\n\s+1\s+2\.0%\s+2\.0%\s+HealthCheckUser\n/);
    const md = readFileSync(join(runDirs(cwdOne)[0]!, 'report.md'), 'utf8');
    expect(md).toContain('| **BrowsingUser** | 12 | 24% | 24% |');
    expect(readFileSync(join(runDirs(cwdOne)[0]!, 'report.html'), 'utf8')).toContain('User classes: final ratio');
  });

  it('warns once when a weighted class gets no user, naming from how many users it gets one', async () => {
    const srv = await server();
    const cwd = workdir({ 's.yaml': scenario(srv.url) });
    const r = await runCli(['run', 's.yaml', '--headless', '--only-summary', '-t', '1s', '-u', '10'], { cwd });
    const warnings = r.stderr.split('\n').filter((l) => l.includes('gets no user'));
    expect(warnings).toEqual([
      "warning: user class AdminUser (weight 4 of 100) gets no user with 10 users, so its tasks never run; it gets one from 12 users on (Locust's allocation)",
      expect.stringMatching(/^warning: user class HealthCheckUser \(weight 1 of 100\) gets no user with 10 users, so its tasks never run; it gets one from \d+ users on/),
    ]);
    expect(srv.byRoute()['GET /start/AdminUser']).toBeUndefined();
    expect(srv.byRoute()['GET /start/AuthenticatedUser']).toBe(7);
  });
});
