import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { classShare, splitClassTargets, scaleScenario, share } from '../../src/run/split.js';
import { request, scenario as buildScenario, task, userClass } from '../engine/build.js';
import { readCsv, runCli, runDirs, startCli, statsRow, useServers, workdir } from './cli.js';

const server = useServers();

describe('splitting work across engine processes', () => {
  it('shares whole users evenly', () => {
    expect([0, 1, 2].map((i) => share(10, i, 3))).toEqual([4, 3, 3]);
    expect([0, 1].map((i) => share(1, i, 2))).toEqual([1, 0]);
  });

  it('splits each class evenly and keeps worker totals within one', () => {
    const parts = splitClassTargets([140, 50, 8, 2], 2);
    expect(parts).toEqual([
      [70, 25, 4, 1],
      [70, 25, 4, 1],
    ]);
    const odd = splitClassTargets([3, 2, 1], 2);
    expect(odd.map((p) => p.reduce((a, b) => a + b))).toEqual([3, 3]);
    expect([0, 1, 2].map((c) => odd[0]![c]! + odd[1]![c]!)).toEqual([3, 2, 1]);
  });

  it('scales users, rates and stages per process', () => {
    const s = buildScenario('http://x', [userClass('U', [task(request('GET', '/'))])], {
      users: 5,
      spawnRate: 10,
      load: { kind: 'open', rate: 100, maxUsers: 5, stages: [{ durationMs: 1000, rate: 300 }] },
    });
    const a = scaleScenario(s, 0, 2);
    const b = scaleScenario(s, 1, 2);
    expect(a.users + b.users).toBe(5);
    expect(a.spawnRate).toBe(5);
    expect(a.load.kind === 'open' && a.load.rate).toBe(50);
    expect(a.load.kind === 'open' && a.load.stages![0]!.rate).toBe(150);
    expect(a.load.kind === 'open' && b.load.kind === 'open' && a.load.maxUsers + b.load.maxUsers).toBe(5);
  });

  it('closed model: user counts stay the whole run\'s (each worker keeps its part of the whole allocation), spawn rates are split', () => {
    const s = buildScenario('http://x', [userClass('U', [task(request('GET', '/'))])], {
      users: 50,
      spawnRate: 30,
      load: { kind: 'closed', stages: [{ durationMs: 1000, users: 23, spawnRate: 30 }, { durationMs: 1000, users: 50, spawnRate: 90 }] },
    });
    const parts = [0, 1, 2].map((i) => scaleScenario(s, i, 3));
    expect(parts.map((p) => p.users)).toEqual([50, 50, 50]);
    expect(parts[0]!.load.kind === 'closed' && parts[0]!.load.stages!.map((st) => [st.users, st.spawnRate])).toEqual([
      [23, 10],
      [50, 30],
    ]);
    // 16/6/1/0 of 23 (weights 70/25/4/1) dealt to 3 workers adds up again.
    const shares = [0, 1, 2].map((i) => classShare(i, 3)([16, 6, 1, 0]));
    expect(shares.reduce((x, y) => x.map((v, k) => v + y[k]!))).toEqual([16, 6, 1, 0]);
    expect(shares.map((p) => p.reduce((a, b) => a + b))).toEqual([8, 8, 7]);
  });
});

describe('cicada run --processes', () => {
  it('counts equal what the server received, and each process reports its health', async () => {
    const srv = await server({ delayMs: 1 });
    const cwd = workdir({
      's.yaml': `name: procs\nhost: ${srv.url}\nusers: 6\nspawnRate: 100\nuserClasses:\n  - name: U\n    tasks: [ { get: /a } ]\n`,
    });
    const r = await runCli(['run', 's.yaml', '--headless', '--only-summary', '-t', '2s', '--processes', '2'], { cwd });
    expect(r.code).toBe(0);
    const dir = runDirs(cwd)[0]!;
    expect(Number(statsRow(join(dir, 'stats.csv'), 'Aggregated')['Request Count'])).toBe(srv.total);
    expect(srv.total).toBeGreaterThan(100);
    expect(srv.connections).toBe(6);
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as { generator: { processes: { index: number }[] }; totals: { requests: number } };
    expect(summary.generator.processes.map((p) => p.index)).toEqual([0, 1]);
    expect(summary.totals.requests).toBe(srv.total);
  });

  it('class counts follow the weights exactly across processes (70/25/4/1 of 200)', async () => {
    const srv = await server();
    const cls = (name: string, weight: number) => `  - name: ${name}\n    weight: ${weight}\n    wait: { constant: 60s }\n    tasks: [ { get: /${name} } ]\n`;
    const cwd = workdir({
      's.yaml': `name: weights\nhost: ${srv.url}\nusers: 200\nspawnRate: 1000\nuserClasses:\n${cls('A', 70)}${cls('B', 25)}${cls('C', 4)}${cls('D', 1)}`,
    });
    const r = await runCli(['run', 's.yaml', '--headless', '--only-summary', '-t', '2s', '--processes', '2'], { cwd });
    expect(r.code).toBe(0);
    // Each user sends exactly one request (then waits 60 s): the server's count per path is the class size.
    expect(srv.byRoute()).toEqual({ 'GET /A': 140, 'GET /B': 50, 'GET /C': 8, 'GET /D': 2 });
  });

  it('ramps at the spawn rate asked for and reaches the target (40 users at 10/s over 2 threads)', async () => {
    const srv = await server();
    const cwd = workdir({
      's.yaml': `name: ramp\nhost: ${srv.url}\nusers: 40\nspawnRate: 10\nuserClasses:\n  - name: U\n    wait: { constant: 250ms }\n    tasks: [ { get: /a } ]\n`,
    });
    const r = await runCli(['run', 's.yaml', '--headless', '-t', '6s', '--processes', '2'], { cwd });
    expect(r.code).toBe(0);
    // The console shows each thread's users and CPU under the status line; they add up to its users.
    const headers = [...r.stdout.matchAll(/Users: (\d+)\/40.*\nEngines: #0 (\d+) users \d+% CPU   #1 (\d+) users \d+% CPU\n/g)];
    expect(headers.length).toBeGreaterThanOrEqual(2);
    for (const [, users, a, b] of headers) expect(Number(a) + Number(b)).toBe(Number(users));
    // Each user has its own connection: the first request on each is that user's start, as the server saw it.
    const firstAt = new Map<number, number>();
    for (const q of srv.received) if (!firstAt.has(q.connection)) firstAt.set(q.connection, q.atMs);
    const starts = [...firstAt.values()].sort((a, b) => a - b);
    expect(starts).toHaveLength(40);
    const t = starts.map((at) => (at - starts[0]!) / 1000);
    // 10 users a second over both threads: the 21st user about 2 s after the first, the 40th about 3.9 s.
    expect(t[20]!).toBeGreaterThan(1.5);
    expect(t[20]!).toBeLessThan(2.8);
    expect(t[39]!).toBeGreaterThan(3.4);
    expect(t[39]!).toBeLessThan(4.8);
    // The history agrees: 40 users once the ramp is done.
    const history = readCsv(join(runDirs(cwd)[0]!, 'stats_history.csv'));
    const users = history.slice(1).map((row) => Number(row[history[0]!.indexOf('User Count')]));
    expect(Math.max(...users)).toBe(40);
  });

  it('Ctrl-C still writes complete results with the merged counts', async () => {
    const srv = await server({ delayMs: 2 });
    const cwd = workdir({ 's.yaml': `name: procs\nhost: ${srv.url}\nusers: 4\nspawnRate: 100\nuserClasses:\n  - name: U\n    tasks: [ { get: /a } ]\n` });
    const cli = startCli(['run', 's.yaml', '--headless', '--processes', '2'], { cwd });
    await cli.waitFor(/Aggregated/);
    cli.child.kill('SIGINT');
    const r = await cli.result;
    expect(r.code).toBe(130);
    expect(Number(statsRow(join(runDirs(cwd)[0]!, 'stats.csv'), 'Aggregated')['Request Count'])).toBe(srv.total);
  });
});
