/**
 * The run clock counts only the time load was offered: a pause is not run time, and everything
 * stops at stop — throughput, history rows, the stability thirds and the report's actual run time
 * follow it. A real Session against a real server, paused and stopped as the TUI's keys do.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resultsFiles } from '../../src/cli/results-files.js';
import { stabilityByThirds } from '../../src/report/stability.js';
import { Secrets } from '../../src/run/secrets.js';
import { Session } from '../../src/run/session.js';
import { parseScenario } from '../../src/scenario/load.js';
import type { StatsSnapshot } from '../../src/stats/types.js';
import { startCountingServer, type CountingServer } from '../support/counting-server.js';
import { readCsv, workdir } from '../cli/cli.js';

let srv: CountingServer | null = null;
afterEach(async () => {
  await srv?.close();
  srv = null;
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function session(runTime: string | null): Promise<Session> {
  srv = await startCountingServer({ delayMs: 2 });
  const scenario = parseScenario(
    `name: clock\nhost: ${srv.url}\nusers: 4\nspawnRate: 100\n${runTime === null ? '' : `runTime: ${runTime}\n`}userClasses:\n  - name: U\n    wait: { constant: 10ms }\n    tasks: [ { get: /a } ]\n`,
    'clock.yaml',
    { env: {} },
  );
  return new Session({
    scenario,
    results: resultsFiles({ baseDir: join(workdir(), 'results'), scenarioName: scenario.name, csvPrefix: null, jsonFile: null }),
    fullHistory: false,
    commandLine: 'cicada run clock.yaml',
    version: 'test',
    secrets: new Secrets([], []),
    onWarning: () => {},
  });
}

/** Requests per second of load offered: from the first request (the statistics start) to the end of the run clock. */
function offeredRps(s: StatsSnapshot): number {
  const runStart = s.run.startedAt!;
  return s.total.requests / ((s.run.elapsedMs - (s.statsStartedAt - runStart)) / 1000);
}

function historyRows(dir: string): string[][] {
  return readCsv(join(dir, 'stats_history.csv')).slice(1);
}

describe('the run clock', () => {
  it('leaves a pause out: throughput is requests ÷ active seconds, no history rows while paused, actual run time = active time', async () => {
    const s = await session('3s');
    // Wall-clock brackets around each command: the active time must fit what the test saw, whatever
    // the machine's load makes the sleeps and the stopping tick last.
    const startedBefore = performance.now();
    s.start();
    await sleep(1200);
    s.runner.pause();
    const pausedAfter = performance.now();
    await sleep(2000);
    const resumedBefore = performance.now();
    s.runner.resume();
    const resumedAfter = performance.now();
    await s.runner.done;
    const doneAfter = performance.now();
    const final = await s.finish('run time reached', 0);
    const activeMs = final.run.elapsedMs;
    expect(activeMs).toBeGreaterThanOrEqual(3000);
    expect(activeMs).toBeLessThanOrEqual(doneAfter - startedBefore - (resumedBefore - pausedAfter));
    expect(final.total.requests).toBe(srv!.total);
    expect(final.total.requests).toBeGreaterThan(200);
    expect(Math.abs(final.total.rps / offeredRps(final) - 1)).toBeLessThan(0.02);
    // One row a second of load (the first second and the one the pause cut may be partial ones).
    const rows = historyRows(s.results.dir);
    expect(rows.length).toBeLessThanOrEqual(Math.ceil(activeMs / 1000) + 1);
    expect(final.history.length).toBe(rows.length);
    // The timestamps are wall-clock Unix seconds, as Locust's: the pause shows as a gap of about 2 s.
    const stamps = rows.map((r) => Number(r[0]));
    const steps = stamps.slice(1).map((t, i) => t - stamps[i]!);
    expect(Math.max(...steps)).toBeGreaterThanOrEqual(2);
    expect(Math.max(...steps)).toBeLessThanOrEqual(Math.ceil((resumedAfter - pausedAfter) / 1000) + 2); // a second of load, the pause, rounding
    const report = readFileSync(join(s.results.dir, 'report.md'), 'utf8');
    expect(report).toMatch(/3s configured, 3(\.\d+)?s actual/);
  });

  it('freezes at stop: a run stopped with x and left open keeps its clock, throughput, history and verdict', async () => {
    const s = await session(null);
    s.start();
    await sleep(3000);
    void s.runner.stop('stopped by user');
    await s.runner.done;
    const atStop = s.snapshot();
    const rowsAtStop = historyRows(s.results.dir).length;
    await sleep(3000); // the TUI stays up until q
    const later = s.snapshot();
    expect(later.run.elapsedMs).toBe(atStop.run.elapsedMs);
    expect(later.total.rps).toBeCloseTo(atStop.total.rps, 6);
    expect(Math.abs(later.total.rps / offeredRps(later) - 1)).toBeLessThan(0.02);
    const final = await s.finish('stopped by user', 0);
    expect(historyRows(s.results.dir).length).toBe(rowsAtStop);
    expect(final.history.length).toBe(rowsAtStop);
    expect(final.history.every((r) => r.userCount > 0)).toBe(true);
    // The verdict is the one at stop (a loaded machine may make the thirds differ: that is not the
    // point here), and the seconds after stop add no empty last third to it.
    const verdict = stabilityByThirds(final);
    expect(verdict?.verdict).toBe(stabilityByThirds(atStop)?.verdict);
    expect(verdict?.text ?? '').not.toMatch(/no request completed/);
    expect(final.total.requests).toBe(srv!.total);
  });
});
