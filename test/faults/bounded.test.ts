/**
 * Memory that does not grow with the run: request names beyond 500 fold into one row (with one
 * warning), a templated URL's default name keeps `${...}` so its many URLs are one row, and the
 * history kept in memory is a ring while every row goes to stats_history.csv.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ResultsWriter } from '../../src/cli/results.js';
import { parseScenario } from '../../src/scenario/load.js';
import { StatsCollector } from '../../src/stats/collector.js';
import { readCsv, runCli, runDirs, workdir } from '../cli/cli.js';
import { startCountingServer, type CountingServer } from '../support/counting-server.js';
import { HEALTH, expectCountedOnce, runLoad } from './harness.js';

let srv: CountingServer | null = null;
afterEach(async () => {
  await srv?.close();
  srv = null;
});

describe('many distinct names', () => {
  it('a scenario with 600 request steps: 500 rows, the rest under one "(other: names beyond 500)" row, one warning', async () => {
    srv = await startCountingServer();
    const tasks = Array.from({ length: 600 }, (_, i) => `      - get: /item/${i + 1}\n`).join('');
    const cwd = workdir({ 's.yaml': `name: names\nhost: ${srv.url}\nusers: 10\nspawnRate: 1000\nuserClasses:\n  - name: U\n    tasks:\n${tasks}` });
    const r = await runCli(['run', 's.yaml', '--headless', '--only-summary', '-t', '1500ms'], { cwd });
    expect(r.code).toBe(0);
    // (other warnings, such as a saturated generator on a busy machine, are not about names)
    const warnings = r.stderr.split('\n').filter((l) => l.startsWith('warning: ') && l.includes('names'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/more than 500 distinct request names; "GET \/item\/501" and later new names are grouped under "\(other: names beyond 500\)"/);
    const rows = readCsv(join(runDirs(cwd)[0]!, 'stats.csv')).slice(1);
    const names = rows.map((row) => row[1]!);
    expect(names).toContain('(other: names beyond 500)');
    expect(names.filter((n) => n.startsWith('/item/')).every((n) => Number(n.slice(6)) <= 500)).toBe(true);
    expect(rows.length).toBeLessThanOrEqual(500 + 2); // + the overflow row + Aggregated
    const count = (name: string): number => Number(rows.find((row) => row[1] === name)![2]);
    // Every request counted once: the server's total, and what it saw beyond /item/500 is the overflow row.
    expect(count('Aggregated')).toBe(srv.total);
    const beyond = Object.entries(srv.byRoute()).filter(([route]) => Number(route.split('/')[2]) > 500).reduce((n, [, c]) => n + c, 0);
    expect(count('(other: names beyond 500)')).toBe(beyond);
    const summary = JSON.parse(readFileSync(join(runDirs(cwd)[0]!, 'summary.json'), 'utf8')) as Record<string, unknown>;
    expect(JSON.stringify(summary)).toContain('(other: names beyond 500)');
  });

  it('templated URLs, relative and absolute, are one row each by default (the name keeps ${...})', async () => {
    srv = await startCountingServer();
    const scn = parseScenario(
      `name: templated
host: ${srv.url}
users: 50
spawnRate: 10000
runTime: 1s
userClasses:
  - name: U
    wait: { constant: 5ms }
    tasks:
      - get: /users/\${userId}/items/\${uuid}
      - get: ${srv.url}/abs/\${randomInt(1, 1000000)}?n=\${iteration}
`,
      'templated.yaml',
      { env: {} },
    );
    const snap = await runLoad(scn);
    expect(snap.endpoints.map((e) => e.name).sort()).toEqual([`${srv.url}/abs/\${randomInt(1, 1000000)}?n=\${iteration}`, '/users/${userId}/items/${uuid}'].sort());
    // ...while the server saw as many distinct URLs as requests (every one has a fresh uuid or random number).
    expect(new Set(srv.received.map((q) => q.url)).size).toBeGreaterThan(Math.min(50, srv.total * 0.9));
    expect(snap.total.requests).toBe(srv.total);
    expect(snap.overflowNames).toBe(0);
    expectCountedOnce(snap);
  });

  it('names beyond the cap reuse one row however many there are (memory does not grow per name)', () => {
    const warnings: string[] = [];
    const c = new StatsCollector({ onWarning: (m) => warnings.push(m) });
    for (let i = 0; i < 500; i++) c.endpoint('GET', `/n/${i}`);
    const footprintAtCap = c.footprintBytes();
    const overflow = new Set<number>();
    for (let i = 500; i < 20_000; i++) overflow.add(c.endpoint('GET', `/n/${i}`));
    expect(overflow.size).toBe(1);
    expect(c.footprintBytes() - footprintAtCap).toBeLessThan(footprintAtCap / 100); // one more row
    expect(warnings).toHaveLength(1);
  });
});

describe('history', () => {
  it('a ring in memory (the latest N rows), every row streamed to stats_history.csv', () => {
    const dir = workdir();
    const collector = new StatsCollector({ historyRing: 5, clock: () => 1_700_000_000_000 });
    const results = new ResultsWriter({ baseDir: dir, scenarioName: 'ring', csvPrefix: null, jsonFile: null, onWarning: (m) => expect.fail(m) });
    const row = collector.endpoint('GET', '/a');
    const start = 1_700_000_000_000;
    for (let s = 1; s <= 30; s++) {
      for (let i = 0; i < s; i++) collector.request(row, 1000 + i, 1000 + i, 10, null);
      results.appendHistory(collector.tick(start + s * 1000, 3));
    }
    results.close();
    const status = { state: 'running', users: 3, targetUsers: 3, spawnRate: 1, startedAt: start, elapsedMs: 30_000, remainingMs: null, inFlight: 0, targetRate: null, classes: [], stopReason: null } as const;
    const snap = collector.snapshot(status, HEALTH, start + 30_500);
    // In memory: the last 5 seconds only.
    expect(snap.history.map((h) => h.timestamp)).toEqual([26, 27, 28, 29, 30].map((s) => (start + s * 1000) / 1000));
    // On disk: all 30, oldest first, each with the cumulative count at its second.
    const csv = readCsv(join(results.dir, 'stats_history.csv'));
    const header = csv[0]!;
    const data = csv.slice(1).filter((r) => r.length > 1);
    expect(data).toHaveLength(30);
    const total = header.indexOf('Total Request Count');
    expect(data.map((r) => Number(r[total]))).toEqual(Array.from({ length: 30 }, (_, i) => ((i + 1) * (i + 2)) / 2));
    expect(data.map((r) => Number(r[0]))).toEqual(Array.from({ length: 30 }, (_, i) => (start + (i + 1) * 1000) / 1000));
  });
});
