/**
 * `--snapshot-every` while the TUI stays up after the run stopped: the run clock stands still, so
 * the timer writes no more snapshots (each would repeat the last). A real terminal (tmux), a
 * counting server; CI and CONTINUOUS_INTEGRATION unset for the TUI.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type CountingServer, startCountingServer } from '../support/counting-server.js';
import { cicadaCommand, tmuxServer } from '../support/tmux.js';

const tmux = tmuxServer('snapshot-every');

let server: CountingServer | null = null;
let dir: string | null = null;

afterAll(async () => {
  tmux.kill();
  await server?.close();
  if (dir !== null) rmSync(dir, { recursive: true, force: true });
});

describe('--snapshot-every in the TUI', () => {
  it('writes none while the stopped run waits on the screen: every snapshot holds a moment of its own', async () => {
    server = await startCountingServer({ delayMs: 1 });
    dir = mkdtempSync(join(tmpdir(), 'cicada-snapevery-e2e-'));
    writeFileSync(join(dir, 's.yaml'), ['name: snaps', `host: ${server.url}`, 'users: 2', 'spawnRate: 100', 'userClasses:', '  - tasks:', '      - get: /a', ''].join('\n'));
    const exitFile = join(dir, 'exit-code');
    // 1 s of load, then the stopped run stays on the screen for 4 s: four more turns of the timer.
    tmux.start(
      'snap',
      120,
      30,
      cicadaCommand({ cwd: dir, home: dir, args: 'run s.yaml -t 1s --snapshot-every 1s --autoquit 4', exitFile, holdSec: 60 }),
    );
    await tmux.waitForScreen('snap', (s) => s.includes('Test stopped.'), 'the run to stop', 20_000);
    await tmux.waitForScreen('snap', () => existsSync(exitFile) && readFileSync(exitFile, 'utf8').trim() !== '', 'cicada to leave by --autoquit', 20_000);
    expect(readFileSync(exitFile, 'utf8').trim()).toBe('0');
    const run = join(dir, 'results', readdirSync(join(dir, 'results')).find((d) => d !== 'latest')!);
    const snaps = readdirSync(join(run, 'snapshots'));
    expect(snaps.length).toBeGreaterThanOrEqual(1);
    const elapsed = snaps.map((d) => (JSON.parse(readFileSync(join(run, 'snapshots', d, 'summary.json'), 'utf8')) as { run: { elapsedMs: number } }).run.elapsedMs);
    expect(new Set(elapsed).size, `snapshots ${snaps.join(', ')} at run-clock ms ${elapsed.join(', ')}`).toBe(elapsed.length);
  }, 60_000);
});
