/**
 * The Charts tab in a real 200×50 terminal: tmux runs `cicada run` against the demo target with
 * thresholds, the test switches to tab 2 and reads the screen with `capture-pane`. The charts span
 * the whole width within the first seconds, over an elapsed-time axis, with the thresholds drawn.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoTarget, startDemoTarget } from '../../src/demo/server.js';
import { textWidth } from '../../src/tui/format.js';
import { cicadaCommand, tmuxServer } from '../support/tmux.js';

const tmux = tmuxServer('charts');
const waitForScreen = (test: (s: string) => boolean, what: string): Promise<string> => tmux.waitForScreen('charts', test, what);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The plot rows under the chart titled `title`. */
function chartRows(s: string, title: string): string[] {
  const lines = s.split('\n');
  const start = lines.findIndex((l) => l.startsWith(title));
  if (start < 0) return [];
  const out: string[] = [];
  for (const l of lines.slice(start + 1)) {
    if (!/^.{8}[┤┼]/.test(l)) break;
    out.push(l);
  }
  return out;
}

/** Seconds on the status bar's `elapsed 12s` / `elapsed 1m02s`. */
function elapsedSeconds(s: string): number | null {
  const m = /elapsed (?:(\d+)m)?(\d+(?:\.\d+)?)s/.exec(s);
  return m === null ? null : Number(m[1] ?? 0) * 60 + Number(m[2]);
}

describe('the Charts tab in tmux at 200×50', () => {
  let target: DemoTarget;
  let dir: string;

  beforeAll(async () => {
    target = await startDemoTarget({ quiet: true, latency: false, seed: 11 });
    dir = mkdtempSync(join(tmpdir(), 'cicada-charts-e2e-'));
    writeFileSync(
      join(dir, 'charts.yaml'),
      [
        'name: charts',
        'host: http://127.0.0.1:1',
        'users: 3',
        'spawnRate: 10',
        // /api/items answers 401 without a token: about half the requests fail.
        'thresholds: [ rps > 10, error_rate < 60%, p95 < 1s ]',
        'userClasses:',
        '  - name: Browser',
        '    wait: { constant: 100ms }',
        '    tasks:',
        '      - get: /health',
        '      - get: /api/items',
        '',
      ].join('\n'),
    );
    const command = cicadaCommand({ home: dir, args: `run '${join(dir, 'charts.yaml')}' --host ${target.url} --results-dir '${join(dir, 'results')}'`, exitFile: join(dir, 'exit-code'), holdSec: 60 });
    tmux.start('charts', 200, 50, command);
  });

  afterAll(async () => {
    tmux.kill();
    await target?.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('spans the full width from the first seconds, with an elapsed axis, threshold lines and named windows', async () => {
    await waitForScreen((s) => s.includes('1 Statistics'), 'the TUI');
    tmux.press('charts', '2');
    const s = await waitForScreen(
      (x) => chartRows(x, 'Requests per second').some((row) => textWidth(row) === 200) && x.includes('elapsed 0:00'),
      'a full-width chart',
    );
    if (process.env['CICADA_CAPTURE_DIR'] !== undefined) writeFileSync(join(process.env['CICADA_CAPTURE_DIR'], 'charts-200x50.txt'), s);
    // Within the first seconds of the run (the status bar's clock), not after 200 of them.
    const elapsed = elapsedSeconds(s);
    expect(elapsed).not.toBeNull();
    expect(elapsed!).toBeLessThan(15);
    for (const title of ['Requests per second', 'Failure rate', 'Median (ms)', '95th percentile (ms)']) {
      const rows = chartRows(s, title);
      expect(rows.length, title).toBeGreaterThanOrEqual(2);
      for (const row of rows) expect(textWidth(row)).toBeLessThanOrEqual(200);
      expect(rows.some((row) => textWidth(row) === 200), `${title} reaches column 200`).toBe(true);
    }
    const lines = s.split('\n');
    const axis = lines.find((l) => l.startsWith('elapsed 0:00'))!;
    expect(axis).toMatch(/^elapsed 0:00 +0:0\d/);
    // Both windows named once requests have completed.
    const later = await waitForScreen(
      (x) => /p95 \(last 10s\) [\d.]+ ms · \(run\) [\d.]+ ms/.test(x) && /RPS \(last 10s\) [\d.]+\/s · \(run\) [\d.]+\/s/.test(x),
      'the window labels',
    );
    // Thresholds: the RPS and failure-rate ones drawn as dashed lines (about half the requests
    // fail, so 60% is within reach); the p95 one named, on or off the scale (a loaded machine's
    // loopback latency varies).
    const dashed = (x: string, title: string) => chartRows(x, title).some((row) => row.includes('╌'));
    const drawn = await waitForScreen((x) => dashed(x, 'Requests per second') && dashed(x, 'Failure rate'), 'the threshold lines');
    expect(drawn).toContain('╌╌ rps > 10');
    expect(drawn).toContain('╌╌ error_rate < 60%');
    expect(drawn).toContain('╌╌ p95 < 1s');
    expect(later).toContain('╌╌ p95 < 1s');

    tmux.press('charts', 'q');
    const deadline = Date.now() + 15_000;
    while (!existsSync(join(dir, 'exit-code')) && Date.now() < deadline) await sleep(150);
    expect(readFileSync(join(dir, 'exit-code'), 'utf8').trim()).not.toBe('');
  }, 45_000);
});
