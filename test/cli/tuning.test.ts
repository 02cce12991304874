/**
 * The tuning loop over the CLI (issue 16 part 2): two runs against a real server whose latency the
 * test changes between them; `results/latest` names the newest finished run; `--baseline latest`
 * puts the comparison in report.md (and report.html) and the verdict on the console; `cicada compare
 * latest` compares the newest run with the one before.
 */
import { existsSync, lstatSync, mkdirSync, readFileSync, realpathSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, runDirs, useServers, workdir } from './cli.js';
import { resolveRunRef } from '../../src/cli/run-refs.js';

const server = useServers();

const scenario = (url: string): string =>
  `name: tune\nhost: ${url}\nusers: 4\nspawnRate: 100\nuserClasses:\n  - name: U\n    wait: { constant: 5ms }\n    tasks:\n      - get: /a\n`;

describe('the tuning loop (CLI)', () => {
  it('latest, --baseline latest in the reports, and compare latest', async () => {
    let delay = 1;
    const srv = await server({ delayMs: () => delay });
    const cwd = workdir({ 's.yaml': scenario(srv.url) });
    const latest = join(cwd, 'results', 'latest');

    // No run yet: --baseline latest is bad input, nothing written.
    const none = await runCli(['run', 's.yaml', '--headless', '-t', '1s', '--baseline', 'latest'], { cwd });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/--baseline: no finished run under results\/ yet/);
    expect(runDirs(cwd)).toEqual([]);

    const first = await runCli(['run', 's.yaml', '--headless', '--only-summary', '-t', '2s'], { cwd });
    expect(first.code).toBe(0);
    const runs = (): string[] => runDirs(cwd).filter((d) => basename(d) !== 'latest');
    const [run1] = runs();
    expect(lstatSync(latest).isSymbolicLink()).toBe(true);
    expect(realpathSync(latest)).toBe(realpathSync(run1!));

    // The service gets slower; the next run takes the last one as its baseline.
    delay = 40;
    const second = await runCli(['run', 's.yaml', '--headless', '--only-summary', '-t', '2s', '--baseline', 'latest'], { cwd });
    expect(second.code).toBe(0);
    const run2 = runs().find((d) => d !== run1)!;
    expect(realpathSync(latest)).toBe(realpathSync(run2));
    expect(second.stderr).toMatch(new RegExp(`Against the baseline \\(latest = ${basename(run1!)}\\): REGRESSION — .*p95 \\+[\\d.]+%`));

    const md = readFileSync(join(run2, 'report.md'), 'utf8');
    expect(md).toContain('## Against the baseline');
    expect(md).toMatch(/\*\*Against the baseline \(latest = .*\): REGRESSION/);
    expect(md).toMatch(/GET \/a .*\n.*✗/); // the row and its marked change
    expect(md).toMatch(/Verdict: REGRESSION/);
    const html = readFileSync(join(run2, 'report.html'), 'utf8');
    expect(html).toContain('<section id="baseline"><h2>Against the baseline</h2>');

    // compare latest: the newest run (B) against the one before it (A); a regression exits 1.
    const cmp = await runCli(['compare', 'latest'], { cwd });
    expect(cmp.code).toBe(1);
    expect(cmp.stdout).toMatch(new RegExp(`\\bA  \\S*${basename(run1!)} `));
    expect(cmp.stdout).toMatch(/\bB  results\/latest /);
    expect(cmp.stdout).toMatch(/Verdict: REGRESSION/);

    // A run's name under results/ works as a reference too, both ways round.
    const back = await runCli(['compare', basename(run2), basename(run1!)], { cwd });
    expect(back.code).toBe(0);
    expect(back.stdout).toMatch(/Verdict: OK — no regression beyond tolerance \(\d+ metrics better/);
  }, 60_000);

  it('a results directory without symlinks gets a pointer file that resolves the same way', () => {
    const cwd = workdir({ latest: 'tune-20261206-015700\n' });
    // The run directory the pointer names.
    const dir = join(cwd, 'tune-20261206-015700');
    mkdirSync(dir);
    expect(resolveRunRef('latest', cwd)).toBe(dir);
    expect(resolveRunRef(join(cwd, 'latest'), cwd)).toBe(dir);
    expect(resolveRunRef('tune-20261206-015700', cwd)).toBe(dir);
    expect(resolveRunRef('nope', cwd)).toBeNull();
    expect(existsSync(join(cwd, 'latest'))).toBe(true);
  });

  it('baseline: in a profile compares each run with the last; latest before any run is no baseline yet; a missing run is bad input at file:line:col', async () => {
    let delay = 1;
    const srv = await server({ delayMs: () => delay });
    const profiled = `${scenario(srv.url)}profiles:\n  tune:\n    baseline: latest\n  stale:\n    baseline: tune-19990101-000000\n`;
    const cwd = workdir({ 's.yaml': profiled });

    const first = await runCli(['run', 's.yaml', '--headless', '--only-summary', '-t', '2s', '--profile', 'tune'], { cwd });
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(/s\.yaml:\d+:\d+: profiles\.tune\.baseline: no finished run under results\/ yet: this run has no baseline/);
    expect(first.stderr).not.toContain('Against the baseline');

    delay = 40;
    const second = await runCli(['run', 's.yaml', '--headless', '--only-summary', '-t', '2s', '--profile', 'tune'], { cwd });
    expect(second.code).toBe(0);
    expect(second.stderr).toMatch(/Against the baseline \(latest = tune-\d{8}-\d{6}\): REGRESSION/);
    const run2 = realpathSync(join(cwd, 'results', 'latest'));
    expect(readFileSync(join(run2, 'report.md'), 'utf8')).toContain('## Against the baseline');

    const before = runDirs(cwd).length;
    const stale = await runCli(['run', 's.yaml', '--headless', '-t', '1s', '--profile', 'stale'], { cwd });
    expect(stale.code).toBe(2);
    expect(stale.stderr).toMatch(/s\.yaml:14:15: profiles\.stale\.baseline: no such run: tune-19990101-000000/);
    expect(runDirs(cwd)).toHaveLength(before);
  }, 60_000);
});
