/**
 * Runs the effects of a key on the session: runner commands, export, stop, quit. Quit asks the runner
 * to stop and leaves at once (the CLI awaits `runner.done` and writes the results); it never waits here.
 */
import { useApp } from 'ink';
import { useCallback } from 'react';
import type { Effect } from './keys.js';
import type { LiveState } from './live.js';
import type { PollingStore } from './store.js';
import type { NewTestSettings, TuiSession } from './types.js';
import type { UiState } from './ui-state.js';

export function useCommands(
  session: TuiSession,
  store: PollingStore<LiveState>,
  update: (change: (s: UiState) => UiState) => void,
  /** Starts the new test of `n` (the host swaps the session); resolves to a problem, or null. */
  onNewTest?: (settings: NewTestSettings) => Promise<string | null>,
): (effects: readonly Effect[]) => void {
  const { exit } = useApp();
  return useCallback(
    (effects: readonly Effect[]) => {
      if (effects.length === 0) return;
      const runner = session.runner;
      for (const e of effects) {
        switch (e.kind) {
          case 'setUsers':
            if (e.spawnRate === undefined) runner.setUsers(e.users);
            else runner.setUsers(e.users, e.spawnRate);
            break;
          case 'pause':
            runner.pause();
            break;
          case 'resume':
            runner.resume();
            break;
          case 'reset':
            runner.resetStats();
            break;
          case 'export': {
            try {
              const dir = session.exportSnapshot();
              update((s) => ({ ...s, lastExport: dir, flash: { text: `snapshot written: ${dir}`, tone: 'good', at: Date.now() } }));
            } catch (err) {
              const message = err instanceof Error ? err.message : String(err);
              update((s) => ({ ...s, flash: { text: `export failed: ${message}`, tone: 'error', at: Date.now() } }));
            }
            break;
          }
          case 'stop':
            runner.stop('stopped by user').catch(() => undefined);
            break;
          case 'quit':
            runner.stop('quit').catch(() => undefined);
            exit();
            return;
          case 'newTest': {
            const fail = (text: string): void => update((s) => ({ ...s, newTest: s.newTest === null ? null : { ...s.newTest, starting: false, error: text } }));
            if (onNewTest === undefined) fail('a new test cannot be started from this screen');
            else onNewTest(e.settings).then((problem) => (problem === null ? undefined : fail(problem)), (err: unknown) => fail(err instanceof Error ? err.message : String(err)));
            break;
          }
          case 'interrupt':
            if (session.interrupt !== undefined) session.interrupt();
            else runner.stop('interrupted by SIGINT').catch(() => undefined);
            exit();
            return;
        }
      }
      store.refresh();
    },
    [session, store, update, exit, onNewTest],
  );
}
