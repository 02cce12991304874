/**
 * A real Session's log, as the Logs tab lists it: the run's notices (start, ramps, pause, resume,
 * reset, export, stop) in order with both clocks, and its warnings — a target where nothing
 * listens, connections near the descriptor limit — once each, redacted like every warning.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resultsFiles } from '../../src/cli/results-files.js';
import { Secrets } from '../../src/run/secrets.js';
import { Session } from '../../src/run/session.js';
import { runLogLine } from '../../src/run/run-log.js';
import { parseScenario } from '../../src/scenario/load.js';
import { startCountingServer, type CountingServer } from '../support/counting-server.js';
import { startRestartableServer, type RestartableServer } from '../support/fault-server.js';
import { workdir } from '../cli/cli.js';

let srv: CountingServer | null = null;
let restartable: RestartableServer | null = null;
let sessions: Session[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const s of sessions) await s.finish('test over', 0);
  sessions = [];
  await srv?.close();
  await restartable?.close();
  srv = null;
  restartable = null;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(cond: () => boolean, what: string, timeoutMs = 8000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

function session(host: string, users: number, extra: { descriptorLimit?: number } = {}): { s: Session; warned: string[] } {
  const scenario = parseScenario(
    `name: logs\nhost: ${host}\nusers: ${users}\nspawnRate: 100\nuserClasses:\n  - name: U\n    wait: { constant: 20ms }\n    tasks: [ { get: /a } ]\n`,
    'logs.yaml',
    { env: {} },
  );
  const dir = workdir();
  dirs.push(dir);
  const warned: string[] = [];
  const s = new Session({
    scenario,
    results: resultsFiles({ baseDir: join(dir, 'results'), scenarioName: scenario.name, csvPrefix: null, jsonFile: null }),
    fullHistory: false,
    commandLine: 'cicada run logs.yaml',
    version: 'test',
    secrets: new Secrets([], []),
    onWarning: (m) => warned.push(m),
    ...extra,
  });
  sessions.push(s);
  return { s, warned };
}

const texts = (s: Session): string[] => s.log.entries().map((e) => `${e.level}: ${e.text}`);

describe('the session log', () => {
  it('notes each change of the run in order, with wall and run-clock times', async () => {
    srv = await startCountingServer({ delayMs: 1 });
    const { s } = session(srv.url, 3);
    const before = Date.now();
    s.start();
    await until(() => s.snapshot().run.state === 'running', 'all users running');
    s.runner.setUsers(1, 50);
    s.snapshot(); // as the TUI reads right after a key
    await until(() => s.snapshot().run.users === 1 && s.snapshot().run.state === 'running', 'ramped down to 1 user');
    s.runner.pause();
    s.snapshot();
    await sleep(300);
    s.runner.resume();
    s.snapshot();
    s.runner.resetStats();
    const dir = s.exportSnapshot();
    await s.runner.stop('stopped by user');
    s.snapshot();
    // `stopping` shows only when a status read falls between the stop and its end (in flight requests).
    const log = texts(s).filter((t) => !t.startsWith('notice: stopping'));
    expect(log).toEqual([
      'notice: test started: 3 users at 100/s',
      'notice: 3 users running',
      'notice: ramping down to 1 user at 50/s',
      'notice: 1 user running',
      'notice: paused: no new requests, the run clock stands still',
      'notice: resumed',
      'notice: statistics reset',
      `notice: snapshot written: ${dir}`,
      'notice: stopped: stopped by user',
    ]);
    const entries = s.log.entries();
    for (const e of entries) expect(e.at).toBeGreaterThanOrEqual(before);
    // Times never go backwards, and the run clock stood still while paused.
    for (let i = 1; i < entries.length; i++) {
      expect(entries[i]!.at).toBeGreaterThanOrEqual(entries[i - 1]!.at);
      expect(entries[i]!.elapsedMs).toBeGreaterThanOrEqual(entries[i - 1]!.elapsedMs);
    }
    const paused = entries.find((e) => e.text.startsWith('paused'))!;
    const resumed = entries.find((e) => e.text === 'resumed')!;
    expect(resumed.at - paused.at).toBeGreaterThanOrEqual(250);
    expect(resumed.elapsedMs - paused.elapsedMs).toBeLessThan(100);
    // run.log in the results directory holds every entry, a line each; the snapshot holds those
    // before it (its own notice comes after it was written).
    const lines = entries.map(runLogLine);
    expect(readFileSync(join(s.results.dir, 'run.log'), 'utf8')).toBe(lines.join(''));
    expect(lines[0]).toMatch(/^\[\d{4}-\d\d-\d\dT[\d:.]+Z\] \[0:00\] INFO: test started: 3 users at 100\/s\n$/);
    const snapshotAt = entries.findIndex((e) => e.text.startsWith('snapshot written'));
    expect(readFileSync(join(dir, 'run.log'), 'utf8')).toBe(lines.slice(0, snapshotAt).join(''));
  });

  it('notes a change of users that completed between two reads as done, in words (never "users → 4 users")', async () => {
    srv = await startCountingServer({ delayMs: 1 });
    const { s } = session(srv.url, 3);
    s.start();
    await until(() => s.snapshot().run.state === 'running', 'all users running');
    s.runner.setUsers(4, 100);
    // Read only once the runner is done: the session sees running → running with a new target.
    await until(() => s.runner.status().users === 4 && s.runner.status().state === 'running', '4 users running');
    s.snapshot();
    s.runner.setUsers(2, 100);
    await until(() => s.runner.status().users === 2 && s.runner.status().state === 'running', '2 users running');
    s.snapshot();
    const log = texts(s);
    expect(log.some((t) => t.includes('users →'))).toBe(false);
    // The session's own once-a-second read may catch a ramp midway; then it is noted as it started.
    expect(log).toContainEqual(expect.stringMatching(/^notice: (4 users running at 100\/s \(was 3\)|spawning up to 4 users at 100\/s)$/));
    expect(log).toContainEqual(expect.stringMatching(/^notice: (2 users running at 100\/s \(was 4\)|ramping down to 2 users at 100\/s)$/));
  });

  it('warns once, in words, when nothing listens at the host, and notes when it answers again', async () => {
    restartable = await startRestartableServer();
    await restartable.stop(); // as if the target had not been started yet
    const port = restartable.port;
    const { s, warned } = session(`http://127.0.0.1:${port}`, 2);
    s.start();
    const expected = `nothing is listening at 127.0.0.1:${port} — is it running? (connection refused)`;
    await until(() => warned.includes(expected), 'the dead-target warning');
    await sleep(2200);
    expect(warned.filter((w) => w === expected)).toHaveLength(1);
    expect(texts(s).filter((t) => t === `warning: ${expected}`)).toHaveLength(1);
    // The target comes up on that port: the log says it answers again.
    await restartable.restart();
    await until(() => texts(s).includes(`notice: http://127.0.0.1:${port} answers again`), 'the target answering again', 15_000);
  });

  it('warns when open connections reach 90% of the descriptor limit it was given', async () => {
    srv = await startCountingServer({ delayMs: 1 });
    const { s, warned } = session(srv.url, 10, { descriptorLimit: 10 });
    s.start();
    await until(() => warned.some((w) => w.includes('file descriptors')), 'the descriptor warning');
    const w = warned.find((x) => x.includes('file descriptors'))!;
    expect(w).toMatch(/^(9|10) connections open of a limit of 10 file descriptors \(ulimit -n\): at the limit new connections fail with EMFILE/);
    expect(s.descriptorLimit).toBe(10);
  });
});
