/**
 * Mounts the app (see `run-tui.ts`, which loads this module): draws it on the alternate screen and
 * resolves once the user has quit and the UI has left — after any number of runs started with `n`.
 */
import { render } from 'ink';
import { createElement } from 'react';
import { RunHost } from './RunHost.js';
import { type LiveState, readLive } from './live.js';
import { createPollingStore, type PollingStore } from './store.js';
import { ThemeProvider, colorFromEnv } from './theme.js';
import type { TuiOptions, TuiSession } from './types.js';

const ENTER_ALT_SCREEN = '\x1b[?1049h\x1b[H';
const LEAVE_ALT_SCREEN = '\x1b[?1049l';
/** Frames are never drawn more often than this, whatever the poll rate. */
const MAX_FPS = 10;

export async function mountTui(session: TuiSession, opts: TuiOptions = {}): Promise<void> {
  const stdout = opts.stdout ?? process.stdout;
  const stdin = opts.stdin ?? process.stdin;
  const fps = Math.min(MAX_FPS, Math.max(1, opts.fps ?? 4));
  const color = opts.noColor === undefined ? colorFromEnv() : !opts.noColor;
  const stores: PollingStore<LiveState>[] = [];
  const makeStore = (s: TuiSession): PollingStore<LiveState> => {
    const store = createPollingStore<LiveState>(() => readLive(s), { intervalMs: Math.round(1000 / fps) });
    stores.push(store);
    return store;
  };

  stdout.write(ENTER_ALT_SCREEN);
  try {
    const app = render(createElement(ThemeProvider, { color }, createElement(RunHost, { first: session, makeStore })), {
      stdout,
      stdin,
      exitOnCtrlC: false,
      patchConsole: false,
      maxFps: MAX_FPS,
    });
    const leave = (): void => app.unmount();
    if (opts.signal?.aborted === true) leave();
    opts.signal?.addEventListener('abort', leave, { once: true });
    try {
      await app.waitUntilExit();
    } finally {
      opts.signal?.removeEventListener('abort', leave);
    }
  } finally {
    for (const store of stores) store.stop();
    stdout.write(LEAVE_ALT_SCREEN);
  }
}
