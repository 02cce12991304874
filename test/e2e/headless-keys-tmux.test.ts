/**
 * Locust's w/W/s/S in a headless run whose stdin is a terminal: tmux runs `cicada run --headless`
 * as a person's shell would (CI unset), the test types keys with send-keys, and the server sees
 * the users come and go (each user puts its id in the path). x stops the run; Ctrl-C (a byte in
 * raw mode) still ends it as SIGINT does; the terminal is back in its normal mode afterwards.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CountingServer, startCountingServer } from '../support/counting-server.js';
import { cicadaCommand, tmuxServer } from '../support/tmux.js';

/** A private tmux server, so the test never touches the user's own sessions. */
const server = tmuxServer('hkeys');
const tmux = server.run;
const screen = (session: string): string => tmux('capture-pane', '-p', '-S', '-200', '-t', session);
const press = (session: string, key: string): void => server.press(session, key);

async function waitFor<T>(probe: () => T | null | false, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const v = probe();
    if (v !== null && v !== false) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('headless run with a terminal on stdin: the run keys', () => {
  let srv: CountingServer;
  let dir: string;

  /** Starts `cicada run --headless` in a new tmux session; the exit code and `stty -a` land in files. */
  const start = (session: string): void => {
    const command = cicadaCommand({ home: dir, args: `run '${join(dir, 's.yaml')}' --headless --results-dir '${join(dir, session)}'`, exitFile: join(dir, `${session}.exit`), after: `stty -a > '${join(dir, `${session}.stty`)}'`, holdSec: 120 });
    tmux('new-session', '-d', '-s', session, '-x', '160', '-y', '50', command);
  };
  const exitCode = (session: string): Promise<number> =>
    waitFor(() => {
      const f = join(dir, `${session}.exit`);
      return existsSync(f) && readFileSync(f, 'utf8').trim() !== '' ? Number(readFileSync(f, 'utf8').trim()) : null;
    }, `${session} to exit`);
  /** User ids in the requests the server received from `fromSeq` on. */
  const idsSince = (fromSeq: number): Set<number> =>
    new Set(srv.received.filter((r) => r.seq > fromSeq).map((r) => Number(/^\/u\/(\d+)$/.exec(r.path)?.[1] ?? NaN)));
  /** Waits until the requests of some 0.7 s window (each after the last) came from exactly the users `ids`. */
  const usersBecome = async (ids: number[], what: string): Promise<void> => {
    await waitFor(
      (() => {
        let from = srv.total;
        let since = Date.now();
        return () => {
          if (Date.now() - since < 700) return null;
          const seen = [...idsSince(from)].sort((a, b) => a - b);
          if (JSON.stringify(seen) === JSON.stringify(ids)) return true;
          from = srv.total;
          since = Date.now();
          return null;
        };
      })(),
      what,
    );
  };

  beforeAll(async () => {
    srv = await startCountingServer();
    dir = mkdtempSync(join(tmpdir(), 'cicada-hkeys-'));
    writeFileSync(
      join(dir, 's.yaml'),
      `name: keys\nhost: ${srv.url}\nusers: 3\nspawnRate: 100\nuserClasses:\n  - name: U\n    wait: { constant: 50ms }\n    tasks:\n      - get: /u/\${userId}\n        name: /u\n`,
    );
  });

  afterAll(async () => {
    try {
      tmux('kill-server');
    } catch {
      // already gone
    }
    await srv?.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('w/W add 1/10 users and s/S remove 1/10 (the server sees them), x stops with the results written', async () => {
    start('keys');
    await waitFor(() => screen('keys').includes('keys: w/W +1/+10 users'), 'the key hint');
    await usersBecome([1, 2, 3], 'users 1-3 at the server');
    press('keys', 'w');
    await waitFor(() => screen('keys').includes('users → 4 (+1)'), 'the line for w');
    await usersBecome([1, 2, 3, 4], 'a 4th user at the server');
    press('keys', 'W');
    await waitFor(() => screen('keys').includes('users → 14 (+10)'), 'the line for W');
    await usersBecome([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14], '14 users at the server');
    press('keys', 'S');
    await waitFor(() => screen('keys').includes('users → 4 (-10)'), 'the line for S');
    // The most recently started stop first.
    await usersBecome([1, 2, 3, 4], 'users 5-14 gone from the server');
    press('keys', 's');
    await waitFor(() => screen('keys').includes('users → 3 (-1)'), 'the line for s');
    await usersBecome([1, 2, 3], 'user 4 gone from the server');
    press('keys', 'x');
    expect(await exitCode('keys')).toBe(0);
    const out = screen('keys');
    expect(out).toContain('stopping: requests in flight get a moment to finish');
    expect(out).toMatch(/Aggregated/);
    const runs = readdirSync(join(dir, 'keys')).filter((d) => d !== 'latest');
    const summary = JSON.parse(readFileSync(join(dir, 'keys', runs[0]!, 'summary.json'), 'utf8')) as { run: { stopReason: string }; totals: { requests: number } };
    expect(summary.run.stopReason).toBe('stopped (x pressed)');
    expect(summary.totals.requests).toBe(srv.total);
    // The terminal is back in its cooked mode for the shell.
    const stty = readFileSync(join(dir, 'keys.stty'), 'utf8');
    expect(stty).toMatch(/(^|\s)icanon(\s|$)/);
    expect(stty).toMatch(/(^|\s)echo(\s|$)/);
  });

  it('Ctrl-C in raw mode is still SIGINT: results written, exit 130', async () => {
    start('ctrlc');
    await waitFor(() => screen('ctrlc').includes('keys: w/W'), 'the key hint');
    await waitFor(() => screen('ctrlc').includes('Aggregated'), 'a first table');
    press('ctrlc', 'C-c');
    expect(await exitCode('ctrlc')).toBe(130);
    expect(screen('ctrlc')).toMatch(/SIGINT: stopping/);
    const runs = readdirSync(join(dir, 'ctrlc')).filter((d) => d !== 'latest');
    expect(existsSync(join(dir, 'ctrlc', runs[0]!, 'summary.json'))).toBe(true);
    expect(readFileSync(join(dir, 'ctrlc.stty'), 'utf8')).toMatch(/(^|\s)icanon(\s|$)/);
  });
});
