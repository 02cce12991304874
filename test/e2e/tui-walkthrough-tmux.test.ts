/**
 * A person at the TUI in a real 120×40 terminal (tmux), against a slow endpoint (800 ms), with
 * `--metrics-port 0`: what they look for is on the screen — where Prometheus scrapes (status bar and
 * Logs tab, the URL live), and once they stop the test no run time is "left" and the last line names
 * the results directory, not the snapshot taken earlier. Each step waits for what it asserts.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CountingServer, startCountingServer } from '../support/counting-server.js';
import { tmuxServer } from '../support/tmux.js';

const cli = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const tmux = tmuxServer('walkthrough');
const NAME = 'walk';
const waitFor = (test: (s: string) => boolean, what: string, timeoutMs?: number): Promise<string> => tmux.waitForScreen(NAME, test, what, timeoutMs);
const lineWith = (s: string, start: string): string => s.split('\n').find((l) => l.startsWith(start)) ?? '';

describe('sitting in front of the TUI at 120×40 (tmux, slow endpoint, --metrics-port 0)', () => {
  let slow: CountingServer;
  let dir: string;

  beforeAll(async () => {
    slow = await startCountingServer({ delayMs: 800, body: '{"ok":true}' });
    dir = mkdtempSync(join(tmpdir(), 'cicada-walk-e2e-'));
    writeFileSync(
      join(dir, 'slow.yaml'),
      ['name: slow', `host: ${slow.url}`, 'users: 3', 'spawnRate: 10', 'userClasses:', '  - name: Reader', '    wait: { constant: 100ms }', '    tasks:', '      - get: /slow', ''].join('\n'),
    );
    const command = [
      `env -u CI -u CONTINUOUS_INTEGRATION -u NODE_ENV HOME='${dir}'`,
      `'${process.execPath}' '${cli}' run '${join(dir, 'slow.yaml')}' -t 2m --metrics-port 0 --results-dir '${join(dir, 'results')}'`,
      `; echo $? > '${join(dir, 'exit-code')}'; sleep 60`,
    ].join(' ');
    tmux.start(NAME, 120, 40, command);
  });

  afterAll(async () => {
    tmux.kill();
    await slow?.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  let metricsUrl = '';

  it('shows where the live metrics are served beside the results directory, and that URL answers', async () => {
    const s = await waitFor((x) => /metrics → http:\/\/127\.0\.0\.1:\d+\/metrics/.test(x) && /GET\s+\/slow\s+\d/.test(x), 'the metrics URL and a first /slow row');
    const last = lineWith(s, 'results → ');
    expect(last).toMatch(/^results → \S+\/results\/slow-\d{8}-\d{6}  metrics → http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    metricsUrl = /metrics → (\S+)/.exec(last)![1]!;
    const scraped = await (await fetch(metricsUrl)).text();
    expect(scraped).toMatch(/cicada_requests_total\{method="GET",name="\/slow"\} [1-9]/);
  });

  it('lists the URL in the Logs tab before the test started', async () => {
    tmux.press(NAME, '9');
    const s = await waitFor((x) => x.includes(`Prometheus metrics: ${metricsUrl}`), 'the metrics notice in the Logs tab');
    const rows = s.split('\n');
    const at = rows.findIndex((l) => l.includes('Prometheus metrics:'));
    expect(rows.findIndex((l) => l.includes('test started'))).toBeGreaterThan(at);
  });

  it('after x, says nothing is left of the run time and names the results directory, not the snapshot', async () => {
    tmux.press(NAME, '1');
    tmux.press(NAME, 'e');
    await waitFor((x) => lineWith(x, 'exported → ').includes('/snapshots/'), 'the snapshot on the last status line');
    tmux.press(NAME, 'x');
    const s = await waitFor((x) => x.includes('STOPPED') && x.includes('Test stopped.'), 'the stopped test');
    const first = s.split('\n')[0] ?? '';
    expect(first).toContain('stopped by user');
    expect(first).not.toContain('left');
    expect(first).toMatch(/▕[█░]+▏ \d+%/);
    expect(lineWith(s, 'results → ')).toMatch(/\/results\/slow-\d{8}-\d{6}  metrics → /);
    expect(s).not.toContain('exported →');
    tmux.press(NAME, 'q');
    const code = join(dir, 'exit-code');
    await waitFor(() => existsSync(code), 'cicada to exit');
    expect(readFileSync(code, 'utf8').trim()).toBe('0');
  });
});
