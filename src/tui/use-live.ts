/** Subscribes a component to the polling store: re-renders once per poll, never in between. */
import { useSyncExternalStore } from 'react';
import type { LiveState } from './live.js';
import type { PollingStore } from './store.js';

export function useLive(store: PollingStore<LiveState>): LiveState {
  return useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);
}
