/**
 * The real CLI in a real terminal: tmux runs `cicada run` against the demo target, and the test
 * reads the screen with `capture-pane` and types with `send-keys`, as a person would. Needs tmux and
 * a build (`npm test` builds first); skipped when either is missing.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoTarget, startDemoTarget } from '../../src/demo/server.js';
import { CICADA_CLI, cicadaCommand, tmuxServer } from '../support/tmux.js';

/** A private tmux server, so the test never touches the user's own sessions. */
const server = tmuxServer('e2e');
const tmux = server.run;
const screen = (): string => server.screen('cicada');
const press = (key: string): void => server.press('cicada', key);
const waitForScreen = (test: (s: string) => boolean, what: string, timeoutMs = 10_000): Promise<string> => server.waitForScreen('cicada', test, what, timeoutMs);

/** The Aggregated row's request count on the Statistics tab. */
function aggregatedRequests(s: string): number | null {
  const m = /Aggregated\s+(\d+)/.exec(s);
  return m === null ? null : Number(m[1]);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the TUI in tmux (real CLI, real terminal)', () => {
  let target: DemoTarget;
  let dir: string;

  beforeAll(async () => {
    target = await startDemoTarget({ quiet: true, latency: false, seed: 7 });
    dir = mkdtempSync(join(tmpdir(), 'cicada-tui-e2e-'));
    writeFileSync(
      join(dir, 'e2e.yaml'),
      [
        'name: e2e',
        'host: http://127.0.0.1:1',
        'users: 3',
        'spawnRate: 10',
        'userClasses:',
        '  - name: Browser',
        '    wait: { constant: 100ms }',
        '    tasks:',
        '      - get: /health',
        '      - get: /api/items',
        '',
      ].join('\n'),
    );
    // CI and CONTINUOUS_INTEGRATION make Ink draw only the last frame: the TUI must run without them.
    const command = cicadaCommand({ home: dir, args: `run '${join(dir, 'e2e.yaml')}' --host ${target.url} --results-dir '${join(dir, 'results')}'`, exitFile: join(dir, 'exit-code'), holdSec: 120 });
    tmux('new-session', '-d', '-s', 'cicada', '-x', '120', '-y', '40', command);
  });

  afterAll(async () => {
    try {
      tmux('kill-server');
    } catch {
      // already gone
    }
    await target?.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('shows the table with counts growing, W adds users, p pauses, e exports, q exits by the verdict with results', async () => {
    // The table, with counts growing.
    const first = await waitForScreen(
      (s) => (aggregatedRequests(s) ?? 0) > 0 && s.includes('/health') && s.includes('/api/items'),
      'the first requests of both tasks in the table',
    );
    expect(first).toContain('RUNNING');
    expect(first).toContain('/api/items');
    expect(first).toContain('/health');
    const n1 = aggregatedRequests(first) as number;
    await waitForScreen((s) => (aggregatedRequests(s) ?? 0) > n1 + 5, 'the request count to grow');

    // W: ten more users.
    press('W');
    await waitForScreen((s) => s.includes('users 13/13'), 'users 13/13 after W');

    // p: PAUSED, and the count stops growing (in-flight requests finish first).
    press('p');
    await waitForScreen((s) => s.includes('PAUSED'), 'PAUSED after p');
    // The requests in flight at the pause have finished once the table counts all the target received.
    const settled = await waitForScreen((s) => aggregatedRequests(s) === target.counts()['total'], 'the table to count every request the target received');
    const paused = aggregatedRequests(settled) as number;
    const served = target.counts()['total'];
    await sleep(1500);
    expect(aggregatedRequests(screen())).toBe(paused);
    expect(target.counts()['total']).toBe(served);

    // e: a snapshot of every CSV and summary.json, and its path on screen.
    press('e');
    const exported = await waitForScreen((s) => s.includes('exported →'), 'the export path after e');
    expect(exported).toMatch(/snapshots\/\d+s/);
    const runDir = join(dir, 'results', readdirSync(join(dir, 'results')).filter((d) => d !== 'latest')[0] as string);
    const snapshots = join(runDir, 'snapshots');
    const snapshot = join(snapshots, readdirSync(snapshots)[0] as string);
    for (const f of ['stats.csv', 'failures.csv', 'exceptions.csv', 'summary.json']) expect(existsSync(join(snapshot, f)), f).toBe(true);

    // q: leaves the alternate screen, prints the final summary, exits by the run's verdict, final
    // results written. The demo's /api/items answers 401 without a token: failed requests fail a
    // run without thresholds (Locust's --exit-code-on-error 1), and the last line says so.
    press('q');
    const deadline = Date.now() + 15_000;
    while (!existsSync(join(dir, 'exit-code')) && Date.now() < deadline) await sleep(150);
    expect(readFileSync(join(dir, 'exit-code'), 'utf8').trim()).toBe('1');
    // The exit code file can be there before tmux has drawn the last output: wait for the verdict line.
    const after = await waitForScreen((s) => /FAILED: \d+ of \d+ requests failed/.test(s) && s.includes('Results:'), 'the final summary');
    expect(after).toContain('Aggregated');
    expect(after).toContain(`Results: ${runDir}`);
    expect(after).not.toContain('1 Statistics');
    for (const f of ['stats.csv', 'stats_history.csv', 'failures.csv', 'summary.json']) expect(existsSync(join(runDir, f)), f).toBe(true);
    const summary = JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8')) as { run: { stopReason: string } };
    expect(summary.run.stopReason).toBe('quit');
  }, 60_000);
  it('Ctrl-C in the TUI ends the run as SIGINT does: final results written, exit 130', async () => {
    const runDir = join(dir, 'int');
    const code = join(dir, 'int.code');
    const command = cicadaCommand({ args: `run '${join(dir, 'e2e.yaml')}' --host ${target.url} --results-dir '${runDir}'`, exitFile: code, holdSec: 120 });
    tmux('new-session', '-d', '-s', 'int', '-x', '120', '-y', '40', command);
    const pane = (): string => tmux('capture-pane', '-p', '-t', 'int');
    const started = Date.now() + 10_000;
    while (!/Aggregated\s+[1-9]/.test(pane()) && Date.now() < started) await sleep(150);
    tmux('send-keys', '-t', 'int', 'C-c');
    const deadline = Date.now() + 15_000;
    while (!existsSync(code) && Date.now() < deadline) await sleep(150);
    expect(readFileSync(code, 'utf8').trim()).toBe('130');
    const deadlineScreen = Date.now() + 10_000;
    while (!pane().includes('FAILED: interrupted by SIGINT') && Date.now() < deadlineScreen) await sleep(150); // tmux may draw the last output after the exit
    expect(pane()).toContain('FAILED: interrupted by SIGINT (Ctrl-C)');
    const run = join(runDir, readdirSync(runDir)[0] as string);
    const summary = JSON.parse(readFileSync(join(run, 'summary.json'), 'utf8')) as { run: { stopReason: string; exitCode: number } };
    expect(summary.run).toMatchObject({ stopReason: 'interrupted by SIGINT', exitCode: 130 });
  }, 30_000);

  it('a dropped terminal (SIGHUP) ends the run, writes the results and exits', async () => {
    const runDir = join(dir, 'hup');
    const pidFile = join(dir, 'hup.pid');
    const command = [
      `echo $$ > '${pidFile}'; exec env -u CI -u CONTINUOUS_INTEGRATION -u NODE_ENV HOME='${dir}'`,
      `'${process.execPath}' '${CICADA_CLI}' run '${join(dir, 'e2e.yaml')}' --host ${target.url} --results-dir '${runDir}' 2> '${join(dir, 'hup.err')}'`,
    ].join(' ');
    tmux('new-session', '-d', '-s', 'hup', '-x', '100', '-y', '30', command);
    const pane = (): string => tmux('capture-pane', '-p', '-t', 'hup');
    const deadline = Date.now() + 10_000;
    while (!/Aggregated\s+[1-9]/.test(pane()) && Date.now() < deadline) await sleep(150);
    const pid = Number(readFileSync(pidFile, 'utf8'));
    // Closing the window hangs up on the process, like a dropped SSH session: nobody will press q.
    tmux('kill-session', '-t', 'hup');
    const gone = Date.now() + 10_000;
    while (existsSync(`/proc/${pid}`) && Date.now() < gone) await sleep(100);
    expect(existsSync(`/proc/${pid}`)).toBe(false);
    const run = join(runDir, readdirSync(runDir)[0] as string);
    const summary = JSON.parse(readFileSync(join(run, 'summary.json'), 'utf8')) as { run: { stopReason: string; exitCode: number }; totals: { requests: number } };
    expect(summary.run.stopReason).toBe('interrupted by SIGHUP');
    expect(summary.run.exitCode).toBe(129);
    expect(summary.totals.requests).toBeGreaterThan(0);
    // It ends by the hangup itself: no crash report, and not Node 20's abort at exit when it cannot
    // restore a terminal that is gone.
    expect(readFileSync(join(dir, 'hup.err'), 'utf8')).not.toMatch(/Assertion failed|cicada failed/);
  }, 30_000);
});
