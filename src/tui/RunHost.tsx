/**
 * Keeps the TUI up across runs: draws the app over the current run's session and, when `n` starts
 * a new test, swaps in the new run's session and store (the app starts afresh on it: tab 1, no
 * selection). The old store stops; the old run's results are already written by then.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { App } from './App.js';
import type { LiveState } from './live.js';
import type { PollingStore } from './store.js';
import type { NewTestSettings, TuiSession } from './types.js';

export interface RunHostProps {
  readonly first: TuiSession;
  /** A polling store over a session (the host stops it when the session is replaced). */
  readonly makeStore: (session: TuiSession) => PollingStore<LiveState>;
}

interface Current {
  readonly session: TuiSession;
  readonly store: PollingStore<LiveState>;
  /** How many runs came before this one: the app's key. */
  readonly index: number;
}

export function RunHost({ first, makeStore }: RunHostProps) {
  const [current, setCurrent] = useState<Current>(() => ({ session: first, store: makeStore(first), index: 0 }));
  const ref = useRef(current);
  ref.current = current;
  useEffect(() => () => ref.current.store.stop(), []);
  const onNewTest = useCallback(
    async (settings: NewTestSettings): Promise<string | null> => {
      const old = ref.current;
      const starter = old.session.newTest;
      if (starter === undefined) return 'a new test cannot be started from this screen';
      const next = await starter.start(settings);
      if (typeof next === 'string') return next;
      const now: Current = { session: next, store: makeStore(next), index: old.index + 1 };
      ref.current = now;
      setCurrent(now);
      old.store.stop();
      return null;
    },
    [makeStore],
  );
  return <App key={current.index} session={current.session} store={current.store} onNewTest={onNewTest} />;
}
