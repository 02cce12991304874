/** What the store hands the app on every tick: the snapshot plus the session's other live values. */
import type { MonitorSummary } from '../run/monitors/types.js';
import type { StatsSnapshot } from '../stats/types.js';
import type { ThresholdView, TuiSession, WorkerView } from './types.js';

export interface LiveState {
  readonly snapshot: StatsSnapshot;
  /** The newest warning, or null. */
  readonly warning: string | null;
  readonly warningCount: number;
  readonly thresholds: readonly ThresholdView[];
  /** A distributed run's workers, or null. */
  readonly workers: readonly WorkerView[] | null;
  readonly monitors: readonly MonitorSummary[];
}

/** Reads everything the app shows from the session, once. */
export function readLive(session: TuiSession): LiveState {
  const snapshot = session.snapshot();
  const warnings = session.warnings;
  return {
    snapshot,
    warning: warnings.length > 0 ? (warnings[warnings.length - 1] as string) : null,
    warningCount: warnings.length,
    thresholds: session.thresholdResults?.() ?? pendingThresholds(session),
    workers: session.workers?.() ?? null,
    monitors: session.monitors?.() ?? [],
  };
}

function pendingThresholds(session: TuiSession): ThresholdView[] {
  return session.scenario.thresholds.map((t) => ({ source: t.source, status: 'pending', actual: null, ...(t.monitor !== undefined ? { monitor: t.monitor.id } : {}) }));
}
