/**
 * The app over a session whose statistics a test fixes (a snapshot, or a real collector read on each
 * poll), for tests of keys and views that give the runner no command; unmounted after each test.
 */
import { afterEach } from 'vitest';
import { App } from '../../src/tui/App.js';
import { type LiveState, readLive } from '../../src/tui/live.js';
import { createPollingStore } from '../../src/tui/store.js';
import type { TuiSession } from '../../src/tui/types.js';
import type { UiState } from '../../src/tui/ui-state.js';
import type { StatsSnapshot } from '../../src/stats/types.js';
import { scenarioFixture } from './fixtures.js';
import { renderAt, type Rendered } from './render.js';

/** A session over `read()` (a fixed snapshot, or a collector's); its runner ignores commands. */
export function fixedSession(read: () => StatsSnapshot, extra: Partial<TuiSession> = {}): TuiSession {
  const nothing = (): void => {};
  return {
    snapshot: read,
    runner: { setUsers: nothing, pause: nothing, resume: nothing, resetStats: nothing, stop: () => Promise.resolve(), status: () => read().run, done: Promise.resolve() },
    exportSnapshot: () => '/tmp/none',
    results: { dir: '/home/dev/results/shop-20231114-221200' },
    warnings: [],
    scenario: scenarioFixture({ thresholds: [] }),
    ...extra,
  };
}

const mounted: (() => void)[] = [];
afterEach(() => {
  for (const f of mounted.splice(0)) f();
});

/** Renders the app over `session` in a `columns`×`rows` terminal, polling every 50 ms. */
export function mountApp(session: TuiSession, columns: number, rows: number, initial?: Partial<UiState>): Rendered {
  const store = createPollingStore<LiveState>(() => readLive(session), 50);
  const r = renderAt(<App session={session} store={store} {...(initial === undefined ? {} : { initial })} />, columns, rows);
  mounted.push(() => r.unmount(), () => store.stop());
  return r;
}
