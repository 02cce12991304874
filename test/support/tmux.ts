/**
 * A private tmux server for end-to-end tests of the TUI: its own socket (never the user's
 * sessions), a session run at a chosen size, the screen read with `capture-pane`, keys typed with
 * `send-keys`. The TUI under test must run with CI and CONTINUOUS_INTEGRATION unset (Ink treats
 * CI as non-interactive and draws only the last frame).
 */
import { execFileSync } from 'node:child_process';
import { toolPath } from './tools.js';

export interface TmuxServer {
  /** Runs `tmux -L <socket> ...args` and returns its output. */
  run(...args: string[]): string;
  /** Starts session `name`, `columns`×`rows`, running the shell `command`. */
  start(name: string, columns: number, rows: number, command: string): void;
  screen(name: string): string;
  press(name: string, key: string): void;
  /** Polls session `name`'s screen until `test` accepts it; fails with the last screen after `timeoutMs`. */
  waitForScreen(name: string, test: (s: string) => boolean, what: string, timeoutMs?: number): Promise<string>;
  /** Ends the server and every session in it (no error when already gone). */
  kill(): void;
}

export function tmuxServer(label: string): TmuxServer {
  const bin = toolPath('tmux');
  const socket = `cicada-${label}-${process.pid}`;
  const run = (...args: string[]): string => execFileSync(bin, ['-L', socket, ...args], { encoding: 'utf8' });
  const screen = (name: string): string => run('capture-pane', '-p', '-t', name);
  return {
    run,
    start: (name, columns, rows, command) => void run('new-session', '-d', '-s', name, '-x', String(columns), '-y', String(rows), command),
    screen,
    press: (name, key) => void run('send-keys', '-t', name, key),
    async waitForScreen(name, test, what, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      let last = '';
      while (Date.now() < deadline) {
        last = screen(name);
        if (test(last)) return last;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`timed out waiting for ${what}; the screen was:\n${last}`);
    },
    kill() {
      try {
        run('kill-server');
      } catch {
        // already gone
      }
    },
  };
}
