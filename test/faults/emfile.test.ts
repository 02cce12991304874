/**
 * Running out of file descriptors: the built CLI under `ulimit -n 64` with 200 users. The run goes
 * on to its end, the connections that could not be opened are counted as `EMFILE` failures (never
 * seen by the server), the hint to raise `ulimit -n` is printed once, and every results file —
 * the streamed history included — is complete.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI, readCsv, runDirs, statsRow, testHome, workdir, type CliResult } from '../cli/cli.js';
import { startCountingServer, type CountingServer } from '../support/counting-server.js';

let srv: CountingServer | null = null;
afterEach(async () => {
  await srv?.close();
  srv = null;
});

/** The CLI with at most `maxFiles` open file descriptors. */
function runLimited(maxFiles: number, args: string[], cwd: string): Promise<CliResult> {
  const child = spawn('bash', ['-c', `ulimit -n ${maxFiles} && exec "$0" "$@"`, process.execPath, CLI, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: testHome(), NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c));
  child.stderr.on('data', (c: Buffer) => (stderr += c));
  return new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
}

describe('out of file descriptors (EMFILE)', () => {
  it('the run goes on, EMFILE is counted, the ulimit hint is shown once, and every file is complete', async () => {
    srv = await startCountingServer({ delayMs: 5 });
    const cwd = workdir({
      's.yaml': `name: emfile\nhost: ${srv.url}\nusers: 200\nspawnRate: 1000\nuserClasses:\n  - name: U\n    wait: { constant: 10ms }\n    tasks:\n      - get: /a\n`,
    });
    const r = await runLimited(64, ['run', 's.yaml', '--headless', '--only-summary', '-t', '3s', '--csv', 'loc'], cwd);
    expect(r.stderr).not.toMatch(/cicada failed|^\s+at /m);
    expect(r.code).toBe(1); // the run ended normally; its EMFILE failures fail it, as any failed request does
    expect(r.stdout.trimEnd().split('\n').at(-1)).toMatch(/^FAILED: \d+ of \d+ requests failed$/);
    const hints = r.stderr.split('\n').filter((l) => l.includes('ulimit -n'));
    expect(hints).toHaveLength(1);
    expect(hints[0]).toMatch(/^warning: EMFILE: cicada ran out of file descriptors/);

    const dir = runDirs(cwd)[0]!;
    const failures = readCsv(join(dir, 'failures.csv')).slice(1);
    expect(failures.map((f) => f[2])).toEqual(['EMFILE']);
    const emfile = Number(failures[0]![3]);
    expect(emfile).toBeGreaterThan(0);
    // Each EMFILE is an attempt the server never saw; everything else it saw.
    const agg = statsRow(join(dir, 'stats.csv'), 'Aggregated');
    expect(Number(agg['Request Count'])).toBe(srv.total + emfile);
    expect(Number(agg['Failure Count'])).toBe(emfile);
    expect(srv.total).toBeGreaterThan(0);
    // History rows were streamed while descriptors ran out (the file was opened before the users started).
    for (const history of [join(dir, 'stats_history.csv'), join(cwd, 'loc_stats_history.csv')]) {
      expect(readCsv(history).length - 1, history).toBeGreaterThanOrEqual(3);
    }
    // So was the run's log (opened before the users started too): the hint and the stop are in it.
    const runLog = readFileSync(join(dir, 'run.log'), 'utf8');
    expect(runLog).toMatch(/\] WARNING: EMFILE: cicada ran out of file descriptors/);
    expect(runLog).toMatch(/\] INFO: stopped: run time reached\n$/);
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as { run: { stopReason: string } };
    expect(summary.run.stopReason).toBe('run time reached');
  });
});
