/** What the store hands the app on every tick: the snapshot plus the session's other live values. */
import type { MonitorSummary } from '../run/monitors/types.js';
import type { LogEntry } from '../run/run-log.js';
import type { StatsSnapshot } from '../stats/types.js';
import type { ThresholdView, TuiSession, WorkerView } from './types.js';

export interface LiveState {
  readonly snapshot: StatsSnapshot;
  /** The newest warning, or null. */
  readonly warning: string | null;
  /** When the newest warning was raised (epoch ms); null without a session log. */
  readonly warningAt: number | null;
  /** Every warning and notice, newest last (empty without a session log). */
  readonly log: readonly LogEntry[];
  /** Warnings so far (in the log when there is one). */
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
  const log = session.log?.() ?? null;
  const latest = log === null ? null : latestWarning(log);
  return {
    snapshot,
    warning: log !== null ? (latest?.text ?? null) : warnings.length > 0 ? (warnings[warnings.length - 1] as string) : null,
    warningAt: latest?.at ?? null,
    log: log ?? [],
    warningCount: log !== null ? log.reduce((n, e) => n + (e.level === 'warning' ? 1 : 0), 0) : warnings.length,
    thresholds: session.thresholdResults?.() ?? pendingThresholds(session),
    workers: session.workers?.() ?? null,
    monitors: session.monitors?.() ?? [],
  };
}

function latestWarning(log: readonly LogEntry[]): LogEntry | null {
  for (let i = log.length - 1; i >= 0; i--) if (log[i]!.level === 'warning') return log[i]!;
  return null;
}

function pendingThresholds(session: TuiSession): ThresholdView[] {
  return session.scenario.thresholds.map((t) => ({ source: t.source, status: 'pending', actual: null, ...(t.monitor !== undefined ? { monitor: t.monitor.id } : {}) }));
}
