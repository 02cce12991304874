/**
 * Locust's "final ratio": how many users of each class ran when the run stopped, and each task's
 * share — within its class (from the task weights; Locust's "Task ratio per User class") and of all
 * the work (class share × task share; Locust's "Total task ratio") — next to the task iterations
 * actually started. One model for the console, `summary.json` and both reports. Pure.
 */
import type { ClassStatus } from '../engine/types.js';

export interface TaskRatio {
  readonly name: string;
  readonly weight: number;
  /** Share of its class's iterations by weight, 0..1. */
  readonly ratio: number;
  /** `ratio` × the class's share of users, 0..1. */
  readonly totalRatio: number;
  /** Iterations started. */
  readonly runs: number;
}

export interface ClassRatio {
  readonly name: string;
  /** Users when the run stopped (or now, while it runs). */
  readonly users: number;
  readonly targetUsers: number;
  /** Share of all users, 0..1 (0 when there are none). */
  readonly ratio: number;
  /** Configured share (weight / sum of weights; fixed-count classes by their count). */
  readonly weightShare: number;
  readonly tasks: readonly TaskRatio[];
}

export interface FinalRatio {
  readonly users: number;
  readonly classes: readonly ClassRatio[];
}

export function finalRatio(classes: readonly ClassStatus[]): FinalRatio {
  const usersOf = (c: ClassStatus): number => c.usersAtStop ?? c.users;
  const users = classes.reduce((s, c) => s + usersOf(c), 0);
  return {
    users,
    classes: classes.map((c) => {
      const ratio = users > 0 ? usersOf(c) / users : 0;
      const weightSum = c.taskWeights.reduce((s, w) => s + w, 0);
      return {
        name: c.name,
        users: usersOf(c),
        targetUsers: c.targetUsers,
        ratio,
        weightShare: c.weightShare,
        tasks: c.taskNames.map((name, i) => {
          const weight = c.taskWeights[i] ?? 0;
          const share = weightSum > 0 ? weight / weightSum : 0;
          return { name, weight, ratio: share, totalRatio: share * ratio, runs: c.taskRuns[i] ?? 0 };
        }),
      };
    }),
  };
}
