/**
 * Locust's keys in a headless run whose stdin is a terminal (Locust reads them in `--headless`
 * too): `w`/`W` add 1/10 users, `s`/`S` remove 1/10; and as in the TUI, `p` pauses or resumes,
 * `r` resets the statistics, `e` writes a snapshot, `x` or `q` stop the run (results written, exit
 * by the verdict), `?` lists the keys. The terminal is read in raw mode without Ink, a key at a
 * time; raw mode turns Ctrl-C into a byte, so it is handed on as the SIGINT it would have been.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { RunnerCommands } from '../engine/types.js';
import { MAX_USERS } from '../scenario/limits.js';
import { USER_KEY_STEPS } from '../tui/keymap.js';

export const HEADLESS_KEYS_HELP = 'keys: w/W +1/+10 users · s/S −1/−10 · p pause/resume · r reset stats · e snapshot · x or q stop · ? keys';

export interface HeadlessKeyOptions {
  /** The terminal (process.stdin); used only when it is a TTY. */
  readonly input: NodeJS.ReadStream;
  readonly runner: RunnerCommands;
  /** One line for the person at the terminal (stderr). */
  readonly say: (text: string) => void;
  /** Writes a snapshot; returns its directory. */
  readonly exportSnapshot: () => string;
  /** Ctrl-C: what SIGINT does. */
  readonly interrupt: () => void;
}

/** What one key does: a command for the runner and the line that says so; null for other keys. */
export function headlessKey(key: string, runner: RunnerCommands, exportSnapshot: () => string): string | null {
  const run = runner.status();
  const over = run.state === 'stopping' || run.state === 'stopped';
  const users = (delta: number): string => {
    if (over) return 'the test has stopped: that key no longer applies';
    const target = Math.max(0, Math.min(MAX_USERS, run.targetUsers + delta));
    runner.setUsers(target);
    return `users → ${target} (${target - run.targetUsers >= 0 ? '+' : ''}${target - run.targetUsers})`;
  };
  switch (key) {
    case 'w':
    case 'W':
    case 's':
    case 'S':
      return users(USER_KEY_STEPS[key]!);
    case 'p':
      if (over) return null;
      if (run.state === 'paused') {
        runner.resume();
        return 'resumed';
      }
      runner.pause();
      return 'paused: no new requests, in-flight ones finish (p resumes)';
    case 'r':
      if (over) return null;
      runner.resetStats();
      return 'statistics reset';
    case 'e':
      try {
        return `snapshot written: ${exportSnapshot()}`;
      } catch (err) {
        return `could not write a snapshot: ${(err as Error).message}`;
      }
    case 'x':
    case 'q':
      if (over) return null;
      void runner.stop(`stopped (${key} pressed)`);
      return 'stopping: requests in flight get a moment to finish';
    case '?':
      return HEADLESS_KEYS_HELP;
    default:
      return null;
  }
}

/**
 * Whether this process is in its terminal's foreground process group. A background job (`cicada
 * run ... &`, `timeout 5m cicada run ...`) that switches the terminal to raw mode or reads it is
 * stopped by SIGTTOU/SIGTTIN: keys are read only in the foreground. Unknown counts as no.
 */
export function inForeground(): boolean {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    // After "(name)": state ppid pgrp session tty_nr tpgid ...
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return f[2] !== undefined && f[2] === f[5];
  } catch {
    // not Linux: ask ps
  }
  try {
    const out = execFileSync('ps', ['-o', 'pgid=,tpgid=', '-p', String(process.pid)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 2000 });
    const [pgid, tpgid] = out.trim().split(/\s+/);
    return pgid !== undefined && pgid === tpgid;
  } catch {
    return false;
  }
}

/**
 * Starts reading keys when `input` is a terminal and this process is in the foreground; returns
 * what puts the terminal back. Ctrl-Z (a byte in raw mode) puts the terminal back and suspends
 * the process as the shell expects; keys come back when it is continued in the foreground.
 */
export function startHeadlessKeys(o: HeadlessKeyOptions): () => void {
  const input = o.input;
  if (input.isTTY !== true || !inForeground()) return () => {};
  let engaged = false;
  let ended = false;
  const onData = (chunk: Buffer | string): void => {
    for (const ch of String(chunk)) {
      if (ch === '\x03') {
        o.interrupt();
        continue;
      }
      if (ch === '\x1a') {
        suspend();
        return;
      }
      const line = headlessKey(ch, o.runner, o.exportSnapshot);
      if (line !== null) o.say(line);
    }
  };
  const engage = (): boolean => {
    if (engaged || ended) return engaged;
    try {
      input.setRawMode(true);
    } catch {
      return false;
    }
    engaged = true;
    input.on('data', onData);
    input.resume();
    return true;
  };
  const release = (): void => {
    if (!engaged) return;
    engaged = false;
    input.off('data', onData);
    try {
      input.setRawMode(false);
    } catch {
      // the terminal is gone
    }
    input.pause();
  };
  const onContinue = (): void => {
    if (!ended && inForeground()) {
      process.off('SIGCONT', onContinue);
      engage();
    }
  };
  const suspend = (): void => {
    release();
    process.on('SIGCONT', onContinue);
    process.kill(process.pid, 'SIGTSTP');
  };
  input.setEncoding('utf8');
  if (!engage()) return () => {};
  o.say(HEADLESS_KEYS_HELP);
  return () => {
    ended = true;
    process.off('SIGCONT', onContinue);
    release();
  };
}
