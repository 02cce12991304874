/**
 * How a run is divided between engines (worker threads today, machines later): users, class
 * targets, rates and stages split by (index, count) so the whole stays exact.
 */
import type { Scenario } from '../scenario/types.js';

/** `n` split into `count` near-equal whole parts; part `index`. */
export function share(n: number, index: number, count: number): number {
  return Math.floor(n / count) + (index < n % count ? 1 : 0);
}

/**
 * Splits per-class targets across workers so each class is spread evenly and worker totals differ
 * by at most one: class units are dealt round-robin, continuing where the previous class stopped.
 */
export function splitClassTargets(targets: readonly number[], count: number): number[][] {
  const out = Array.from({ length: count }, () => targets.map(() => 0));
  let next = 0;
  targets.forEach((t, c) => {
    for (let k = 0; k < t; k++) {
      out[next]![c]! += 1;
      next = (next + 1) % count;
    }
  });
  return out;
}

/**
 * The scenario one worker runs: its share of rates, spawn rates, open-model users and stages. In the
 * closed model the user counts (`users`, each stage's `users`) stay the whole run's: the worker's
 * runner allocates them over the classes and keeps its part (`shareOf`), so class counts are exact
 * across workers at every target, stages included.
 */
export function scaleScenario(s: Scenario, index: number, count: number): Scenario {
  const load = s.load;
  if (load.kind === 'closed') {
    const stages = load.stages === null ? null : load.stages.map((st) => ({ ...st, spawnRate: st.spawnRate / count }));
    return { ...s, spawnRate: s.spawnRate / count, load: { kind: 'closed', stages }, iterations: iterationShare(s, index, count) };
  }
  const scaledLoad: Scenario['load'] = {
    kind: 'open',
    rate: load.rate / count,
    maxUsers: Math.max(1, share(load.maxUsers, index, count)),
    stages: load.stages === null ? null : load.stages.map((st) => ({ ...st, rate: st.rate / count })),
  };
  return { ...s, users: share(s.users, index, count), spawnRate: s.spawnRate / count, load: scaledLoad, iterations: iterationShare(s, index, count) };
}

/**
 * `-i N` split so the parts add up to N: among the engines that get users (with fewer users than
 * engines, the first ones: classes are dealt round-robin from engine 0; in the open model, all),
 * each engine its near-equal part.
 */
export function iterationShare(s: Scenario, index: number, count: number): number | null {
  if (s.iterations === undefined || s.iterations === null) return null;
  const engines = s.load.kind === 'open' ? count : Math.max(1, Math.min(count, s.users));
  return index < engines ? share(s.iterations, index, engines) : 0;
}

/** Worker `index` of `count`'s part of the whole run's class counts (for the runner's `shareOf`). */
export function classShare(index: number, count: number): (whole: readonly number[]) => number[] {
  return (whole) => splitClassTargets(whole, count)[index]!;
}
