/**
 * The run's state as people should read it. The engine says `spawning` whenever the user count is
 * moving toward its target, down as well as up; shown as is, `SPAWNING 25/20` reads as if users
 * were being added. Going down is `ramping down`.
 */
import type { RunnerStatus, RunState } from '../engine/types.js';

export type ShownState = RunState | 'ramping down';

export function shownState(run: Pick<RunnerStatus, 'state' | 'users' | 'targetUsers'>): ShownState {
  return run.state === 'spawning' && run.users > run.targetUsers ? 'ramping down' : run.state;
}
