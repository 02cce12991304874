/**
 * The periodic flush during a run: the CSV files each time, `summary.json` (which carries the run's
 * history and grows with it) every time at first, then less often as the run grows; the reports at
 * the end.
 * A real Session against a real server; the files are watched by inode and mtime (each atomic write
 * is a new file renamed into place).
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Secrets } from '../../src/run/secrets.js';
import { Session, fullFlushDue } from '../../src/run/session.js';
import { resultsFiles } from '../../src/cli/results-files.js';
import { parseScenario } from '../../src/scenario/load.js';
import { startCountingServer, type CountingServer } from '../support/counting-server.js';
import { workdir } from './cli.js';

describe('fullFlushDue', () => {
  it('every flush in the first 50 s, then every tenth of the run so far, never more than a minute apart', () => {
    const every = 5000;
    // [since last full write, elapsed, due]
    const cases: [number, number, boolean][] = [
      [5000, 5000, true],
      [4990, 45_000, true], // timer jitter: a flush a few ms early still counts
      [5000, 120_000, false], // at 2 min: every 12 s
      [10_000, 120_000, true],
      [30_000, 600_000, false], // at 10 min: every minute
      [55_000, 600_000, false],
      [60_000, 600_000, true],
      [60_000, 36_000_000, true], // at 10 h, still every minute
    ];
    for (const [since, elapsed, due] of cases) expect(fullFlushDue(since, elapsed, every), `${since} ms since, ${elapsed} ms in`).toBe(due);
    expect(fullFlushDue(Infinity, 0, every)).toBe(true); // the first flush
  });
});

let srv: CountingServer | null = null;
afterEach(async () => {
  await srv?.close();
  srv = null;
});

describe('the periodic flush of a real run', () => {
  it('rewrites stats.csv at every flush and summary.json less often as the run grows; the reports and the final files at the end, equal to the server', async () => {
    srv = await startCountingServer({ delayMs: 5 });
    const scenario = parseScenario(
      `name: flush
host: ${srv.url}
users: 2
spawnRate: 100
runTime: 3s
userClasses:
  - name: U
    wait: { constant: 20ms }
    tasks:
      - get: /a
`,
      'flush.yaml',
      { env: {} },
    );
    const session = new Session({
      scenario,
      results: resultsFiles({ baseDir: join(workdir(), 'results'), scenarioName: scenario.name, csvPrefix: null, jsonFile: null }),
      fullHistory: false,
      commandLine: 'cicada run flush.yaml',
      version: 'test',
      secrets: new Secrets([], []),
      flushEveryMs: 100,
      // Any warning but the generator's own health (a busy shared machine is not the flush's fault).
      onWarning: (m) => {
        if (!m.startsWith('the load generator is saturated')) expect.fail(m);
      },
    });
    const dir = session.results.dir;
    const seen = { csv: new Set<string>(), json: new Set<string>(), md: new Set<string>() };
    const watch = setInterval(() => {
      for (const [kind, name] of [['csv', 'stats.csv'], ['json', 'summary.json'], ['md', 'report.md']] as const) {
        try {
          const st = statSync(join(dir, name), { bigint: true });
          seen[kind].add(`${st.ino}/${st.mtimeNs}`); // inode numbers are reused; with the mtime, one per write
        } catch {
          // not written yet
        }
      }
    }, 5);
    session.start();
    await session.runner.done;
    clearInterval(watch);
    const final = await session.finish('run time reached', 0);

    // 100 ms flushes for 3 s: ≈ 30 versions of stats.csv. summary.json: every flush for the first
    // 1.5 s (a tenth of the run is under 150 ms), then every 150–300 ms.
    expect(seen.csv.size).toBeGreaterThanOrEqual(20);
    expect(seen.json.size).toBeGreaterThanOrEqual(10);
    expect(seen.json.size).toBeLessThan(seen.csv.size * 0.85);
    // The reports are views of summary.json: written at the end (or by `cicada report DIR`), not during the run.
    expect(seen.md.size).toBe(0);
    expect(readFileSync(join(dir, 'report.md'), 'utf8')).toContain(`| Total requests | ${srv.total} |`);
    // The final write has both, with the counts the server saw.
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as { totals: { requests: number } };
    expect(summary.totals.requests).toBe(final.total.requests);
    expect(final.total.requests).toBe(srv.total);
    expect(readFileSync(join(dir, 'stats.csv'), 'utf8')).toContain(`,Aggregated,${srv.total},`);
  });
});
