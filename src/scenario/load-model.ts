/**
 * The final load: closed model (users, or user stages) or open model (an arrival rate, or rate
 * stages, with a user cap), with every default filled in. Pure.
 *
 * Defaults: `users` 1 and `spawnRate` 1/s (Locust's), `runTime` none (until stopped) or the sum of
 * the stages, `stopTimeout` 0. Open model: `maxUsers` the peak rate rounded up (enough while an
 * iteration takes under a second), `spawnRate` = `maxUsers` (users are started as they are needed),
 * `rate` 0 when `rateStages` ramp from nothing.
 */
import type { Settings } from './settings.js';
import type { LoadModel, UserStage } from './types.js';

export const DEFAULT_USERS = 1;
export const DEFAULT_SPAWN_RATE = 1;

export interface Load {
  readonly users: number;
  readonly spawnRate: number;
  readonly runTimeMs: number | null;
  readonly stopTimeoutMs: number;
  readonly load: LoadModel;
}

export function buildLoad(s: Settings): Load {
  const stopTimeoutMs = s.stopTimeoutMs ?? 0;
  if (s.rate !== undefined || s.rateStages !== undefined) {
    const rate = s.rate ?? 0;
    const stages = s.rateStages ?? null;
    const peak = Math.max(rate, ...(stages ?? []).map((x) => x.rate));
    const maxUsers = s.maxUsers ?? Math.max(1, Math.ceil(peak));
    return {
      users: maxUsers,
      spawnRate: s.spawnRate ?? maxUsers,
      runTimeMs: s.runTimeMs ?? (stages === null ? null : sum(stages)),
      stopTimeoutMs,
      load: { kind: 'open', rate, maxUsers, stages },
    };
  }
  const spawnRate = s.spawnRate ?? DEFAULT_SPAWN_RATE;
  if (s.stages !== undefined) {
    const stages: UserStage[] = s.stages.map((x) => ({ durationMs: x.durationMs, users: x.users, spawnRate: x.spawnRate ?? spawnRate }));
    return {
      users: Math.max(...stages.map((x) => x.users)),
      spawnRate: stages[0]?.spawnRate ?? spawnRate,
      runTimeMs: s.runTimeMs ?? sum(stages),
      stopTimeoutMs,
      load: { kind: 'closed', stages },
    };
  }
  return {
    users: s.users ?? DEFAULT_USERS,
    spawnRate,
    runTimeMs: s.runTimeMs ?? null,
    stopTimeoutMs,
    load: { kind: 'closed', stages: null },
  };
}

function sum(stages: readonly { readonly durationMs: number }[]): number {
  return stages.reduce((t, x) => t + x.durationMs, 0);
}
