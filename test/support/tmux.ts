/**
 * A private tmux server for end-to-end tests of the TUI: its own socket (never the user's
 * sessions), a session run at a chosen size, the screen read with `capture-pane`, keys typed with
 * `send-keys`. The TUI under test must run with CI and CONTINUOUS_INTEGRATION unset (Ink treats
 * CI as non-interactive and draws only the last frame).
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { toolPath } from './tools.js';

/** The built CLI the tmux tests run. */
export const CICADA_CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

export interface CicadaCommand {
  /** The CLI's arguments, already quoted for the shell (`run 'plan.yaml' -t 2s`). */
  readonly args: string;
  /** Where the shell writes cicada's exit code when it ends. */
  readonly exitFile: string;
  /** HOME for the run (a temporary directory: no `~/.cicada.conf` of the user's); unchanged when absent. */
  readonly home?: string;
  /** The directory to run in. */
  readonly cwd?: string;
  /** Shell commands run after the exit code is written (e.g. `stty -a > FILE`). */
  readonly after?: string;
  /** Seconds the pane stays open after cicada ends, so its last screen can be read. */
  readonly holdSec: number;
}

/**
 * The shell command a tmux session runs cicada with, as a person's shell would: CI,
 * CONTINUOUS_INTEGRATION and NODE_ENV unset (Ink treats CI as non-interactive and draws only the
 * last frame), the exit code written to a file, then the pane held open.
 */
export function cicadaCommand(o: CicadaCommand): string {
  return [
    o.cwd !== undefined ? `cd '${o.cwd}' &&` : '',
    `env -u CI -u CONTINUOUS_INTEGRATION -u NODE_ENV${o.home !== undefined ? ` HOME='${o.home}'` : ''}`,
    `'${process.execPath}' '${CICADA_CLI}' ${o.args}`,
    `; echo $? > '${o.exitFile}';${o.after !== undefined ? ` ${o.after};` : ''} sleep ${o.holdSec}`,
  ]
    .filter((part) => part !== '')
    .join(' ');
}

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
