/**
 * The TUI's entry point, called by the CLI when stdout is a terminal. Draws the app on the alternate
 * screen (so the final summary the CLI prints afterwards lands on the normal screen) and resolves
 * once the user quits (q / Ctrl-C) and the UI has left. It never exits the process, never waits for
 * the runner to finish and never prints the summary: the CLI does those.
 *
 * React is loaded here, on first use, in its production build unless NODE_ENV says otherwise: the
 * development build records every component render as a performance measure that Node keeps for
 * the life of the process (about 140 KB a frame, 2 GB an hour at 4 frames a second) and draws about
 * twice as slowly. React picks its build from NODE_ENV when first imported, so nothing here may
 * import React or Ink statically.
 */
import type { TuiOptions, TuiSession } from './types.js';

export type { ThresholdView, TuiOptions, TuiSession } from './types.js';

let loading: Promise<typeof import('./mount.js')> | null = null;

/**
 * Loads React, Ink and the app (a few hundred ms of module evaluation that blocks the event loop).
 * Call it before the run starts so loading does not stall the first requests; `runTui` calls it too.
 */
export function preloadTui(): Promise<void> {
  if (loading === null) {
    if (process.env['NODE_ENV'] === undefined) process.env['NODE_ENV'] = 'production';
    loading = import('./mount.js');
  }
  return loading.then(() => undefined);
}

export async function runTui(session: TuiSession, opts: TuiOptions = {}): Promise<void> {
  await preloadTui();
  const { mountTui } = await (loading as Promise<typeof import('./mount.js')>);
  return mountTui(session, opts);
}
