/**
 * Mounts the app (see `run-tui.ts`, which loads this module): draws it on the alternate screen and
 * resolves once the user has quit and the UI has left.
 */
import { render } from 'ink';
import { createElement } from 'react';
import { App } from './App.js';
import { type LiveState, readLive } from './live.js';
import { createPollingStore } from './store.js';
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
  const store = createPollingStore<LiveState>(() => readLive(session), { intervalMs: Math.round(1000 / fps) });

  stdout.write(ENTER_ALT_SCREEN);
  try {
    const app = render(createElement(ThemeProvider, { color }, createElement(App, { session, store })), {
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
    store.stop();
    stdout.write(LEAVE_ALT_SCREEN);
  }
}
