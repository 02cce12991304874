/**
 * `--html FILE`, `--csv PREFIX` and `--json` when the TUI runs several tests (`n` after a stop): each
 * run writes its own — the first under the names given, each later one beside them with `-N`
 * (`rep-2.html`, `out/x-2_stats.csv`) — and `--json -` prints every run's summary on stdout, in
 * order; on exit the console says which files are whose. A real terminal (tmux) against a counting
 * server; CI and CONTINUOUS_INTEGRATION unset for the TUI (Ink draws only the last frame under CI).
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type CountingServer, startCountingServer } from '../support/counting-server.js';
import { readCsv } from '../cli/cli.js';
import { cicadaCommand, tmuxServer } from '../support/tmux.js';

const tmux = tmuxServer('outputs');
const press = (key: string): void => tmux.press('out', key);

/** Polls until `probe` gives a value (not null or false); fails with the screen after `timeoutMs`. */
async function waitFor<T>(probe: () => T | null | false, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const got = probe();
    if (got !== null && got !== false) return got;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`timed out waiting for ${what}; the screen was:\n${tmux.screen('out')}`);
}

let server: CountingServer | null = null;
let dir: string | null = null;

afterAll(async () => {
  tmux.kill();
  await server?.close();
  if (dir !== null) rmSync(dir, { recursive: true, force: true });
});

interface Summary {
  schema: string;
  config: { users: number; resultsDir: string };
  totals: { requests: number };
}

/** The pretty-printed JSON documents in `text`, each from a line `{` to the next line `}`. */
function jsonDocuments(text: string): Summary[] {
  const docs: Summary[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] !== '{') continue;
    const end = lines.indexOf('}', i);
    docs.push(JSON.parse(lines.slice(i, end + 1).join('\n')) as Summary);
    i = end;
  }
  return docs;
}

const requestsIn = (statsCsv: string): number => Number(readCsv(statsCsv).find((r) => r[1] === 'Aggregated')![2]);

describe('outputs of several runs in one TUI session', () => {
  it('--html, --csv and --json -: each run its own files, numbered after the first; every summary on stdout; the exit says whose', async () => {
    server = await startCountingServer({ delayMs: 1 });
    dir = mkdtempSync(join(tmpdir(), 'cicada-outputs-e2e-'));
    writeFileSync(
      join(dir, 'tune.yaml'),
      ['name: tune', `host: ${server.url}`, 'users: 2', 'spawnRate: 100', 'userClasses:', '  - name: U', '    wait: { constant: 5ms }', '    tasks:', '      - get: /a', ''].join('\n'),
    );
    // Room for both summaries in the scrollback.
    writeFileSync(join(dir, 'tmux.conf'), 'set -g history-limit 50000\n');
    const command = cicadaCommand({ cwd: dir, home: dir, args: `run tune.yaml -t 2s --html rep.html --csv out/x --json -`, exitFile: join(dir, 'exit-code'), holdSec: 120 });
    tmux.run('-f', join(dir, 'tmux.conf'), 'new-session', '-d', '-s', 'out', '-x', '120', '-y', '30', command);

    await tmux.waitForScreen('out', (s) => s.includes('Test stopped.') && s.includes('n new test'), 'the first run to stop', 20_000);
    // Run 1's files are there as soon as it stops, under the names given.
    await waitFor(() => existsSync(join(dir!, 'rep.html')), "run 1's --html copy");
    const firstRequests = requestsIn(join(dir, 'out', 'x_stats.csv'));
    expect(firstRequests).toBeGreaterThan(0);
    // The second run asks for 3 users, so its files are told apart by content too.
    press('n');
    await tmux.waitForScreen('out', (s) => s.includes('New test'), 'the new-test form');
    press('BSpace');
    press('3');
    press('Enter');
    await waitFor(() => existsSync(join(dir!, 'rep-2.html')), "run 2's --html copy");
    press('q');
    const code = await waitFor(() => {
      try {
        return readFileSync(join(dir!, 'exit-code'), 'utf8').trim() || null;
      } catch {
        return null;
      }
    }, 'cicada to exit');
    expect(code).toBe('0');

    const runs = readdirSync(join(dir, 'results')).filter((d) => d !== 'latest').sort().map((d) => join(dir!, 'results', d));
    expect(runs).toHaveLength(2);
    // --html: each run's own report.html, byte for byte.
    expect(readFileSync(join(dir, 'rep.html'), 'utf8')).toBe(readFileSync(join(runs[0]!, 'report.html'), 'utf8'));
    expect(readFileSync(join(dir, 'rep-2.html'), 'utf8')).toBe(readFileSync(join(runs[1]!, 'report.html'), 'utf8'));
    // --csv: each run's own Locust files, equal to its results directory's.
    expect(readdirSync(join(dir, 'out')).sort()).toEqual(
      ['x-2_exceptions.csv', 'x-2_failures.csv', 'x-2_stats.csv', 'x-2_stats_history.csv', 'x_exceptions.csv', 'x_failures.csv', 'x_stats.csv', 'x_stats_history.csv'],
    );
    for (const [prefix, run] of [['x', runs[0]!], ['x-2', runs[1]!]] as const) {
      for (const f of ['stats.csv', 'stats_history.csv', 'failures.csv']) expect(readFileSync(join(dir, 'out', `${prefix}_${f}`), 'utf8'), `${prefix}_${f}`).toBe(readFileSync(join(run, f), 'utf8'));
    }
    expect(requestsIn(join(dir, 'out', 'x_stats.csv'))).toBe(firstRequests);
    // The two runs together are every request the server answered.
    expect(requestsIn(join(dir, 'out', 'x_stats.csv')) + requestsIn(join(dir, 'out', 'x-2_stats.csv'))).toBe(server.total);

    // --json -: both summaries on stdout, in order, after the TUI left; the exit says whose files are whose.
    // The exit-code file can be there before tmux has drawn the last output: wait for the last line.
    const after = await waitFor(() => {
      const all = tmux.run('capture-pane', '-p', '-J', '-S', '-', '-t', 'out');
      return all.includes('--json -: 2 summaries on stdout') ? all : null;
    }, 'the exit lines in the scrollback');
    const docs = jsonDocuments(after);
    expect(docs.map((d) => [d.schema, d.config.resultsDir, d.config.users])).toEqual([
      ['cicada.summary/1', runs[0], 2],
      ['cicada.summary/1', runs[1], 3],
    ]);
    expect(docs.map((d) => d.totals.requests)).toEqual([firstRequests, requestsIn(join(dir, 'out', 'x-2_stats.csv'))]);
    expect(after).toMatch(new RegExp(`Run 1: ${runs[0]} — PASSED\\n  also written: rep\\.html, out/x_\\*\\.csv\\n`));
    expect(after).toMatch(new RegExp(`Results: ${runs[1]}\\n  also written: rep-2\\.html, out/x-2_\\*\\.csv\\n`));
    expect(after).toContain('--json -: 2 summaries on stdout, one per run, in the order they ran');
  }, 90_000);
});
