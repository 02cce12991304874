/**
 * The tuning loop in a real terminal (issue 16 parts 1 and 3): tmux runs `cicada run` against a
 * local server; the first run ends by its run time, the test makes the server slower, presses `n`
 * and Enter, and the second run shows worse p95 against the first, live; then `q`. Both runs have
 * their own results directory, `results/latest` names the second, whose report.md holds the
 * comparison with the first. CI and CONTINUOUS_INTEGRATION are unset for the TUI (Ink draws only
 * the last frame under CI).
 */
import { mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type CountingServer, startCountingServer } from '../support/counting-server.js';
import { cicadaCommand, tmuxServer } from '../support/tmux.js';

const panes = tmuxServer('tuning');
const tmux = panes.run;
const screen = (): string => panes.screen('tune');
/** The screen and what scrolled off it (the final summaries after the TUI leaves). */
const scrollback = (): string => tmux('capture-pane', '-p', '-J', '-S', '-500', '-t', 'tune');
const press = (key: string): void => panes.press('tune', key);
const waitForScreen = (test: (s: string) => boolean, what: string, timeoutMs = 20_000): Promise<string> => panes.waitForScreen('tune', test, what, timeoutMs);

let server: CountingServer | null = null;
let dir: string | null = null;

afterAll(async () => {
  try {
    tmux('kill-server');
  } catch {
    // already gone
  }
  await server?.close();
  if (dir !== null) rmSync(dir, { recursive: true, force: true });
});

describe('the tuning loop in tmux', () => {
  it('run, make the server slower, n, Enter: the second run shows worse p95 against the first', async () => {
    let delayMs = 1;
    server = await startCountingServer({ delayMs: () => delayMs });
    dir = mkdtempSync(join(tmpdir(), 'cicada-tuning-e2e-'));
    writeFileSync(
      join(dir, 'tune.yaml'),
      ['name: tune', `host: ${server.url}`, 'users: 20', 'spawnRate: 100', 'userClasses:', '  - name: U', '    wait: { constant: 5ms }', '    tasks:', '      - get: /a', ''].join('\n'),
    );
    const results = join(dir, 'results');
    const command = cicadaCommand({ cwd: dir, home: dir, args: `run tune.yaml -t 4s --results-dir results`, exitFile: join(dir, 'exit-code'), holdSec: 120 });
    tmux('new-session', '-d', '-s', 'tune', '-x', '120', '-y', '30', command);

    // Run 1 ends by its run time; the screen stays, offering n.
    const stopped = await waitForScreen((s) => s.includes('Test stopped.') && s.includes('n new test'), 'the first run to stop');
    expect(stopped).not.toContain('vs baseline');
    const firstCount = server.total;
    expect(firstCount).toBeGreaterThan(40);

    // The change being tuned: the service gets slower. Then n opens the form, prefilled.
    delayMs = 1000;
    press('n');
    const form = await waitForScreen((s) => s.includes('New test'), 'the new-test form');
    expect(form).toMatch(/users \[ 20\s*▏?\s*\]/);
    expect(form).toMatch(/spawn rate \[ 100 \]/);
    expect(form).toContain(`host [ ${server.url} ]`);
    expect(form).toMatch(/Enter starts · Tab next field · Esc cancels · baseline: this run \(tune-\d{8}-\d{6}\)/);
    press('Enter');

    // Run 2, live against run 1: worse p95 on the row and in the status bar.
    const worse = await waitForScreen((s) => /p95 \+[\d.]+%✗ vs baseline → \d+ worse/.test(s) && /GET\s+\/a\b.*\+[\d.]+%✗/.test(s), 'worse p95 against the first run');
    expect(worse).toMatch(/Δp95/);
    expect(worse).toMatch(/Δ vs tune-\d{8}-\d{6}/);

    // The Charts tab draws the first run as a second, dotted line.
    press('2');
    await waitForScreen((s) => /·· tune-\d{8}-\d{6}/.test(s), "the first run's line on the Charts tab");
    press('1');

    await waitForScreen((s) => s.includes('Test stopped.'), 'the second run to stop');
    press('q');
    await waitForScreen(() => {
      try {
        return readFileSync(join(dir!, 'exit-code'), 'utf8').trim() !== '';
      } catch {
        return false;
      }
    }, 'cicada to exit');
    expect(readFileSync(join(dir, 'exit-code'), 'utf8').trim()).toBe('0');
    // The exit-code file can be there before tmux has drawn the last output: wait for the verdict line.
    let after = scrollback();
    const drawnBy = Date.now() + 10_000;
    while (!(/Against the baseline/.test(after) && /Run 1: /.test(after)) && Date.now() < drawnBy) {
      await new Promise((r) => setTimeout(r, 150));
      after = scrollback();
    }
    expect(after).toMatch(/Run 1: .*results\/tune-\d{8}-\d{6}/);
    expect(after).toMatch(/Against the baseline \(tune-\d{8}-\d{6}\): REGRESSION/);

    const runs = readdirSync(results).filter((d) => d !== 'latest').sort();
    expect(runs).toHaveLength(2);
    expect(basename(realpathSync(join(results, 'latest')))).toBe(runs[1]);
    const md = readFileSync(join(results, runs[1]!, 'report.md'), 'utf8');
    expect(md).toContain(`**Against the baseline (${runs[0]}): REGRESSION`);
    expect(readFileSync(join(results, runs[0]!, 'report.md'), 'utf8')).not.toContain('Against the baseline');
  }, 90_000);
});
