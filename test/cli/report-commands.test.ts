import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LiveReports } from '../../src/cli/report-files.js';
import { ResultsWriter } from '../../src/cli/results.js';
import { startCountingServer, type CountingServer } from '../support/counting-server.js';
import { degradingRun, meta } from '../report/run-fixture.js';
import { runCli, runDirs, statsRow, workdir } from './cli.js';

const scenario = (host: string): string => `
name: report-cli
host: ${host}
users: 4
spawnRate: 100
userClasses:
  - name: U
    tasks:
      - get: /a
      - get: /b
      - get: /c
`;

let fast: CountingServer;
let slow: CountingServer;
let cwd: string;
let dirA: string;
let dirB: string;

// Two real runs: B answers /b 40 ms later than A. /c is rate limited (429) every third request.
beforeAll(async () => {
  const status = (req: { url?: string }): number => (req.url === '/c' && Math.random() < 0.34 ? 429 : 200);
  fast = await startCountingServer({ delayMs: 2, status });
  slow = await startCountingServer({ delayMs: (req) => (req.url === '/b' ? 40 : 2), status });
  cwd = workdir({ 'a.yaml': scenario(fast.url), 'b.yaml': scenario(slow.url) });
  const a = await runCli(['run', 'a.yaml', '--headless', '--only-summary', '-t', '2s', '--threshold', 'p95<1s', '--results-dir', 'ra'], { cwd });
  const b = await runCli(['run', 'b.yaml', '--headless', '--only-summary', '-t', '2s', '--threshold', 'p95<1s', '--results-dir', 'rb'], { cwd });
  expect([a.code, b.code]).toEqual([0, 0]);
  dirA = runDirs(cwd, 'ra')[0]!;
  dirB = runDirs(cwd, 'rb')[0]!;
}, 60_000);

afterAll(async () => {
  await Promise.all([fast?.close(), slow?.close()]);
});

describe('reports in every results directory', () => {
  it('report.md and report.html are written with the CSVs, with the same totals', () => {
    const md = readFileSync(join(dirA, 'report.md'), 'utf8');
    expect(existsSync(join(dirA, 'report.html'))).toBe(true);
    const requests = Number(statsRow(join(dirA, 'stats.csv'), 'Aggregated')['Request Count']);
    expect(requests).toBe(fast.total);
    expect(md).toContain(`| Total requests | ${requests} |`);
    expect(md).toContain('**✅ Passed** — all 1 thresholds met.');
    expect(md).toContain('| p95 response time | < 1000 ms |');
    expect(md).toMatch(/> ⚠️ \*\*Rate limited: [\d,]+ requests \([\d.]+% of all\) got HTTP 429 Too Many Requests\*\*/);
    expect(md).toContain('| First third |');
    const html = readFileSync(join(dirA, 'report.html'), 'utf8');
    expect(html).toContain('<svg class="chart"');
  });

  it('mid-run snapshots get them too', () => {
    const base = workdir();
    const writer = new ResultsWriter({
      baseDir: base,
      scenarioName: 'snap',
      csvPrefix: null,
      jsonFile: null,
      onWarning: (m) => {
        throw new Error(m);
      },
      extraFiles: new LiveReports({ redact: (t) => t.replaceAll('secret-token', '***') }).render,
    });
    const run = degradingRun();
    const snapshot = { ...run.snapshot, history: run.history, failures: [{ ...run.snapshot.failures[0]!, error: 'HTTP 500 secret-token' }] };
    const dir = writer.writeSnapshot(snapshot, meta({ endedAt: null, exitCode: null }));
    const md = readFileSync(join(dir, 'report.md'), 'utf8');
    expect(md).toContain('A snapshot, ');
    expect(md).not.toContain('still in progress');
    expect(md).toContain('`HTTP 500 ***`');
    expect(md).not.toContain('secret-token');
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toContain('data-series="p95"');
  });

  it('a snapshot that cannot be written whole is an error naming what is missing, after the warning saying why', () => {
    const warnings: string[] = [];
    const writer = new ResultsWriter({ baseDir: workdir(), scenarioName: 'snap', csvPrefix: null, jsonFile: null, onWarning: (m) => warnings.push(m) });
    writer.appendFile('monitors.csv', 'Timestamp,mem (bytes)\r\n1,2\r\n');
    // Someone cleared the run's directory of the streamed file while the run went on.
    rmSync(join(writer.dir, 'monitors.csv'));
    const run = degradingRun();
    expect(() => writer.writeSnapshot(run.snapshot, meta({ endedAt: null, exitCode: null }))).toThrow(/the snapshot in .*snapshots\/\S+ is incomplete: monitors\.csv could not be written/);
    expect(warnings).toEqual([expect.stringMatching(/could not write .*monitors\.csv: ENOENT/)]);
    writer.close();
  });
});

describe('cicada report DIR', () => {
  it('writes report.md and report.html again from summary.json and stats_history.csv', async () => {
    const before = readFileSync(join(dirA, 'report.md'), 'utf8');
    rmSync(join(dirA, 'report.md'));
    rmSync(join(dirA, 'report.html'));
    const r = await runCli(['report', dirA]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual([join(dirA, 'report.md'), join(dirA, 'report.html')]);
    // The same file: the live report is rendered from the run as summary.json states it.
    expect(readFileSync(join(dirA, 'report.md'), 'utf8')).toBe(before);
    const html = readFileSync(join(dirA, 'report.html'), 'utf8');
    const points = Number(/data-series="rps" data-points="(\d+)"/.exec(html)?.[1]);
    expect(points).toBeGreaterThanOrEqual(2);
  });

  it('exits 2 with a clear message when DIR is missing or not a results directory', async () => {
    const missing = await runCli(['report', join(cwd, 'nope')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`error: ${join(cwd, 'nope')}: no such directory`);

    const parent = await runCli(['report', 'ra'], { cwd });
    expect(parent.code).toBe(2);
    expect(parent.stderr).toMatch(/error: ra is not a cicada results directory \(it has no summary\.json\); it holds runs — the newest is ra\/report-cli-\d{8}-\d{6}/);

    const broken = join(cwd, 'broken');
    mkdirSync(broken);
    writeFileSync(join(broken, 'summary.json'), '{"schema": "something-else/1"}');
    const foreign = await runCli(['report', broken]);
    expect(foreign.code).toBe(2);
    expect(foreign.stderr).toContain('summary.json is not a cicada summary');

    const none = await runCli(['report']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('a results directory is required');
  });
});

describe('cicada compare A B', () => {
  it('flags the slower endpoint and exits 1', async () => {
    const r = await runCli(['compare', dirA, dirB]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`  A  ${dirA}   report-cli · `);
    expect(r.stdout).toMatch(/✗ GET \/b\s+p50\s+[\d.]+ ms → [\d.]+ ms/);
    expect(r.stdout).toMatch(/Verdict: REGRESSION — \d+ metrics? beyond tolerance/);
  });

  it('exits 0 when nothing got worse (a run against itself, or a generous tolerance)', async () => {
    const same = await runCli(['compare', dirA, dirA]);
    expect(same.code).toBe(0);
    expect(same.stdout).toContain('Verdict: OK — no regression beyond tolerance.');
    const generous = await runCli(['compare', join(dirB, 'summary.json'), dirB, '--tolerance', '50%', '--error-tolerance', '5%']);
    expect(generous.code).toBe(0);
  });

  it('--json gives the comparison for scripts', async () => {
    const r = await runCli(['compare', dirA, dirB, '--json']);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout) as { schema: string; verdict: string; regressions: { endpoint: string; metric: string }[] };
    expect(j.schema).toBe('cicada.compare/1');
    expect(j.verdict).toBe('regression');
    expect(j.regressions.some((g) => g.endpoint === 'GET /b' && g.metric === 'p95')).toBe(true);
  });

  it('exits 2 on bad input', async () => {
    const cases: [string[], RegExp][] = [
      // One run is compared with the run before it; there is none beside this one.
      [['compare', dirA], /no earlier run beside it to compare with; give two/],
      [['compare'], /two runs are required/],
      [['compare', dirA, join(cwd, 'missing')], /missing: no such directory or file/],
      [['compare', dirA, cwd], /is not a cicada results directory/],
      [['compare', dirA, dirB, '--tolerance', 'lots'], /--tolerance: expected a percentage like 10%, got "lots"/],
      [['compare', dirA, dirB, '--error-tolerance', '-1'], /--error-tolerance: expected percentage points like 0\.5%/],
      [['compare', dirA, dirB, dirA], /compare takes two runs, got 3/],
    ];
    for (const [args, message] of cases) {
      const r = await runCli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
    }
  });
});
