/**
 * The Workers tab in a real terminal: tmux runs the coordinator's TUI (`cicada run --workers 2
 * --bus URL`), two `cicada worker` processes join through a nats-server started here, and the test
 * reads the screen: `workers 2/2` in the status bar, each worker on tab 7, and `q` ends the run.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCli, type RunningCli } from '../cli/cli.js';
import { startCountingServer, type CountingServer } from '../support/counting-server.js';
import { startNatsServer, type NatsServer } from '../support/nats-server.js';
import { cicadaCommand, tmuxServer } from '../support/tmux.js';

const server = tmuxServer('workers');
const tmux = server.run;
const screen = (): string => server.screen('coord');
const press = (key: string): void => server.press('coord', key);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const waitForScreen = (test: (s: string) => boolean, what: string, timeoutMs = 15_000): Promise<string> => server.waitForScreen('coord', test, what, timeoutMs);

describe('the Workers tab in tmux (coordinator TUI, real workers over NATS)', () => {
  let nats: NatsServer;
  let srv: CountingServer;
  let dir: string;
  const workers: RunningCli[] = [];

  beforeAll(async () => {
    nats = await startNatsServer();
    srv = await startCountingServer({ delayMs: 2 });
    dir = mkdtempSync(join(tmpdir(), 'cicada-workers-e2e-'));
    writeFileSync(join(dir, 's.yaml'), `name: wtab\nhost: ${srv.url}\nusers: 4\nspawnRate: 100\nuserClasses:\n  - name: U\n    wait: { constant: 50ms }\n    tasks: [ { get: /a } ]\n`);
    // CI and CONTINUOUS_INTEGRATION make Ink draw only the last frame: the TUI must run without them.
    const command = cicadaCommand({
      args: `run '${join(dir, 's.yaml')}' --workers 2 --bus ${nats.url} --results-dir '${join(dir, 'results')}'`,
      exitFile: join(dir, 'exit-code'),
      holdSec: 120,
    });
    tmux('new-session', '-d', '-s', 'coord', '-x', '120', '-y', '36', command);
    await waitForScreen((s) => s.includes('waiting for 2 workers'), 'the coordinator at the barrier');
    for (let i = 0; i < 2; i++) workers.push(startCli(['worker', '--bus', nats.url]));
  });

  afterAll(async () => {
    try {
      tmux('kill-server');
    } catch {
      // already gone
    }
    for (const w of workers) if (w.child.exitCode === null) w.child.kill('SIGKILL');
    await nats?.stop();
    await srv?.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('shows workers 2/2, each worker on tab 7 with host, state, users, RPS, CPU and report age; q ends the run', async () => {
    await waitForScreen((s) => s.includes('workers 2/2') && s.includes('RUNNING'), 'workers 2/2 in the status bar');
    press('7');
    const tab = await waitForScreen((s) => /Last report/.test(s) && (s.match(/running/g) ?? []).length >= 2, 'both workers running on the Workers tab');
    expect(tab).toMatch(/#\s+Host\s+State\s+Users\s+RPS\s+CPU\s+Last report\s+Clock skew/);
    const rows = tab.split('\n').filter((l) => /^\s*›?\s*[01]\s+\S+ \(pid \d+\)\s+running/.test(l));
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(row).toMatch(/running\s+2\s+[\d.]+\s+\d+%\s+(\d+ms|\d+(\.\d)?s)\s+[+-]?[\d.]+ ms/);
    // Each worker's own console names the number its row shows under #.
    for (const w of workers) {
      const index = /worker (\d) \(of 0–1\) in run/.exec(w.output())![1]!;
      expect(rows.find((r) => r.includes(`(pid ${w.child.pid!})`))).toMatch(new RegExp(`^\\s*›?\\s*${index}\\s`));
    }
    press('q');
    const deadline = Date.now() + 20_000;
    while (!existsSync(join(dir, 'exit-code')) && Date.now() < deadline) await sleep(150);
    expect(readFileSync(join(dir, 'exit-code'), 'utf8').trim()).toBe('0');
    const results = await Promise.all(workers.map((w) => w.result));
    expect(results.map((r) => r.code)).toEqual([0, 0]);
  }, 60_000);
});
