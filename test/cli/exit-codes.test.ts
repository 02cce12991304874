/**
 * Exit codes Locust's way, and the final summary's last line saying what set them (issue 9 parts 5
 * and 6): without thresholds any failed request exits 1 (`--exit-code-on-error 0` opts out); with
 * thresholds they alone decide unless `--exit-code-on-error` is given; Ctrl-C exits 130.
 */
import { describe, expect, it } from 'vitest';
import { type CliResult, runCli, startCli, workdir, useServers } from './cli.js';

const server = useServers();

const scenario = (host: string): string => `
name: exit-codes
host: ${host}
users: 2
spawnRate: 100
userClasses:
  - name: U
    wait: 20ms
    tasks:
      - get: /a
`;

const lastLine = (r: CliResult): string => r.stdout.trimEnd().split('\n').at(-1)!;
const run = (cwd: string, ...extra: string[]): Promise<CliResult> =>
  runCli(['run', 's.yaml', '--headless', '--only-summary', '-t', '1s', ...extra], { cwd });

describe('exit codes and the verdict line', () => {
  it('without thresholds: any failed request exits 1 and says so; --exit-code-on-error 0 or N changes that; no failure passes', async () => {
    const failing = await server({ status: 503 });
    const ok = await server();
    const bad = workdir({ 's.yaml': scenario(failing.url) });
    const good = workdir({ 's.yaml': scenario(ok.url) });
    const [byDefault, optOut, seven, clean] = await Promise.all([
      run(bad),
      run(bad, '--exit-code-on-error', '0'),
      run(bad, '--exit-code-on-error', '7'),
      run(good),
    ]);
    expect(byDefault.code).toBe(1);
    expect(lastLine(byDefault)).toMatch(/^FAILED: (\d+) of \1 requests failed$/);
    expect(optOut.code).toBe(0);
    expect(lastLine(optOut)).toMatch(/^PASSED \(\d+ of \d+ requests failed: allowed by --exit-code-on-error 0\)$/);
    expect(seven.code).toBe(7);
    expect(lastLine(seven)).toMatch(/^FAILED: \d+ of \d+ requests failed \(--exit-code-on-error 7\)$/);
    expect(clean.code).toBe(0);
    expect(lastLine(clean)).toBe('PASSED');
    expect(clean.stdout).not.toContain('Thresholds');
  });

  it('with thresholds they alone decide, unless --exit-code-on-error is given; each is listed with ✓/✗, target and actual', async () => {
    const failing = await server({ status: 503 });
    const slow = await server({ delayMs: 15 });
    const bad = workdir({ 's.yaml': scenario(failing.url) });
    const late = workdir({ 's.yaml': scenario(slow.url) });
    const [met, metButErrors, missed] = await Promise.all([
      run(bad, '--threshold', 'requests>5'),
      run(bad, '--threshold', 'requests>5', '--exit-code-on-error', '3'),
      run(late, '--threshold', 'p95<5ms', '--threshold', 'requests>5'),
    ]);
    expect(met.code).toBe(0);
    expect(met.stdout.trimEnd()).toMatch(/\nThresholds\n {2}✓ requests>5 +target > 5 +actual \d+\n\nPASSED \(every threshold met; \d+ of \d+ requests failed, which with thresholds only --exit-code-on-error makes a failure\)$/);
    expect(metButErrors.code).toBe(3);
    expect(lastLine(metButErrors)).toMatch(/^FAILED: \d+ of \d+ requests failed \(--exit-code-on-error 3\)$/);
    expect(missed.code).toBe(1);
    expect(missed.stdout).toMatch(/\n\nThresholds\n {2}✗ p95<5ms +target < 5 ms +actual \d+(\.\d+)? ms\n {2}✓ requests>5 /);
    expect(lastLine(missed)).toMatch(/^FAILED: 1 of 2 thresholds failed: p95<5ms \(\d+(\.\d)? ms\)$/);
  });

  it('Ctrl-C (SIGINT) exits 130 and the verdict says the run was interrupted', async () => {
    const ok = await server();
    const cwd = workdir({ 's.yaml': scenario(ok.url) });
    const cli = startCli(['run', 's.yaml', '--headless', '--threshold', 'requests>0'], { cwd });
    await cli.waitFor(/Aggregated/); // the first periodic table: the run is under way
    cli.child.kill('SIGINT');
    const r = await cli.result;
    expect(r.code).toBe(130);
    expect(r.stdout).toContain('✓ requests>0');
    expect(lastLine(r)).toBe('FAILED: interrupted by SIGINT (Ctrl-C)');
  });
});
