/**
 * Runs a scenario built in code through the real `Runner` and the real `StatsCollector`, the way
 * `cli/session.ts` wires them, and returns the final snapshot — so a fault test sees exactly the
 * numbers a user would see in `stats.csv` and `failures.csv`.
 */
import { Runner, type RunnerOptions } from '../../src/engine/runner.js';
import { RunClock } from '../../src/run/clock.js';
import type { Scenario } from '../../src/scenario/types.js';
import { StatsCollector } from '../../src/stats/collector.js';
import type { EndpointStats, GeneratorHealth, StatsSnapshot } from '../../src/stats/types.js';
import { sleep } from '../support/listen.js';

export const HEALTH: GeneratorHealth = { eventLoopLagMs: 0, cpuPercent: 0, rssBytes: 0, heapUsedBytes: 0, saturated: false };

export interface LoadRun {
  readonly runner: Runner;
  readonly collector: StatsCollector;
  readonly warnings: string[];
  snapshot(): StatsSnapshot;
}

/** Starts `scn` (it must bound itself: a run time, or the caller stops it). */
export function startLoad(scn: Scenario, opts: Partial<RunnerOptions> & { collector?: StatsCollector } = {}): LoadRun {
  const warnings: string[] = [];
  const collector = opts.collector ?? new StatsCollector({ onWarning: (m) => warnings.push(m) });
  const runner = new Runner(scn, {
    stopGraceMs: 500,
    ...opts,
    sink: collector,
    clock: new RunClock(),
    onResetStats: () => collector.reset(),
    onWarning: (m) => warnings.push(m),
  });
  runner.start();
  return { runner, collector, warnings, snapshot: () => collector.snapshot(runner.status(), HEALTH, Date.now()) };
}

/** Runs `scn` to its end and returns the final snapshot. */
export async function runLoad(scn: Scenario, opts: Partial<RunnerOptions> = {}): Promise<StatsSnapshot & { warnings: string[] }> {
  const run = startLoad(scn, opts);
  await run.runner.done;
  return { ...run.snapshot(), warnings: run.warnings };
}

/** `{ key: occurrences }` of an endpoint's failures (all endpoints when `name` is omitted). */
export function failuresOf(snap: StatsSnapshot, name?: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const f of snap.failures) if (name === undefined || f.name === name) out[f.error] = (out[f.error] ?? 0) + f.occurrences;
  return out;
}

export function endpoint(snap: StatsSnapshot, name: string): EndpointStats {
  const e = snap.endpoints.find((x) => x.name === name);
  if (e === undefined) throw new Error(`no endpoint ${name} in ${snap.endpoints.map((x) => x.name).join(', ')}`);
  return e;
}

/**
 * Every request is counted once: the Aggregated row is the sum of the endpoints, and the failure
 * entries add up to the failure counts.
 */
export function expectCountedOnce(snap: StatsSnapshot): void {
  const sumRequests = snap.endpoints.reduce((n, e) => n + e.requests, 0);
  const sumFailures = snap.endpoints.reduce((n, e) => n + e.failures, 0);
  const entries = snap.failures.reduce((n, f) => n + f.occurrences, 0);
  if (sumRequests !== snap.total.requests) throw new Error(`endpoints add up to ${sumRequests}, Aggregated says ${snap.total.requests}`);
  if (sumFailures !== snap.total.failures) throw new Error(`endpoint failures add up to ${sumFailures}, Aggregated says ${snap.total.failures}`);
  if (entries !== snap.total.failures) throw new Error(`failure entries add up to ${entries}, Aggregated says ${snap.total.failures}`);
}

export async function until(cond: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`${what} not met within ${timeoutMs} ms`);
    await sleep(10);
  }
}

/**
 * Collects errors that escape to the process (`uncaughtException`, `unhandledRejection`) while a
 * test runs: in the CLI each of them is a crash (exit 3), so a fault test asserts there were none.
 */
export function watchUncaught(): { readonly errors: unknown[]; stop(): void } {
  const errors: unknown[] = [];
  const onError = (err: unknown): void => {
    errors.push(err);
  };
  process.on('uncaughtException', onError);
  process.on('unhandledRejection', onError);
  return {
    errors,
    stop: () => {
      process.off('uncaughtException', onError);
      process.off('unhandledRejection', onError);
    },
  };
}
