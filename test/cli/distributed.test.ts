/**
 * Distributed runs for real: a nats-server started here, the coordinator (`cicada run --workers N
 * --bus URL`) and each worker (`cicada worker --bus URL`) as child processes of the built CLI, the
 * workers inside their own network namespaces (or on loopback aliases where namespaces are not
 * permitted: the test says which), against a counting server on the test network.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startCountingServer, type CountingServer } from '../support/counting-server.js';
import { startNatsServer, type NatsServer } from '../support/nats-server.js';
import { createTestNetwork, type TestNetwork } from '../support/netns.js';
import { runCli, runDirs, startCli, type RunningCli, workdir } from './cli.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

let net: TestNetwork;
beforeAll(() => {
  net = createTestNetwork(3);
  console.info(`distributed tests: workers in ${net.mode === 'netns' ? 'network namespaces' : `loopback aliases (${net.reason})`}`);
});
afterAll(() => net.close());

const open: { close(): Promise<void> | void }[] = [];
const procs: RunningCli[] = [];
afterEach(async () => {
  for (const p of procs.splice(0)) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
  await Promise.all(open.splice(0).map((o) => o.close()));
});

async function setup(): Promise<{ nats: NatsServer; srv: CountingServer }> {
  const nats = await startNatsServer({ host: net.hostAddress });
  open.push({ close: () => nats.stop() });
  const srv = await startCountingServer({ host: net.hostAddress });
  open.push(srv);
  return { nats, srv };
}

function coordinator(cwd: string, args: string[]): RunningCli {
  const p = startCli(['run', 's.yaml', '--headless', '--only-summary', ...args], { cwd });
  procs.push(p);
  return p;
}

function worker(i: number, args: string[], cwd?: string): RunningCli {
  const p = startCli(['worker', ...args], { command: (argv) => net.nodes[i]!.command(argv), ...(cwd === undefined ? {} : { cwd }) });
  procs.push(p);
  return p;
}

interface Summary {
  totals: { requests: number; failures: number };
  run: { stopReason: string | null; exitCode: number };
  distributed: {
    workersStarted: number;
    finalsRequests: number;
    workersLost: number;
    onWorkerLoss: string;
    partialIntervals: { seq: number; missing: number[] }[];
    workers: { index: number; state: string; merged: { requests: number }; final: { requests: number } | null; skewMs: number | null; lost: { at: string; lastReportAt: string | null; unreportedFromMs: number; reason: string } | null }[];
  };
}
const summaryOf = (cwd: string): Summary => JSON.parse(readFileSync(join(runDirs(cwd)[0]!, 'summary.json'), 'utf8')) as Summary;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A lost worker's record: unreported from its last message on — after it had reported (its window
 * starts past 0) and no later than its death (a report in flight may land a moment after the kill)
 * — and declared lost after 3 s of silence from then, on the coordinator's clock.
 */
function expectLossWindow(lost: NonNullable<Summary['distributed']['workers'][number]['lost']>, killedAt: number): void {
  expect(lost.unreportedFromMs).toBeGreaterThan(0);
  const lastAt = Date.parse(lost.lastReportAt!);
  expect(lastAt).toBeLessThanOrEqual(killedAt + 500);
  expect(Date.parse(lost.at) - lastAt).toBeGreaterThanOrEqual(3000);
}

/**
 * Waits until the coordinator has merged a report of worker `index` — its load is in the totals —
 * by asking the coordinator for snapshots (SIGUSR1) and reading what each says was merged. A fixed
 * sleep instead would be too short on a loaded machine (the first report comes a second after the
 * start, whenever that is).
 */
async function untilMerged(c: RunningCli, index: number, timeoutMs = 20_000): Promise<void> {
  const written = (): string[] => [...c.output().matchAll(/snapshot written \(SIGUSR1\): (.+)/g)].map((m) => m[1]!.trim());
  for (const end = Date.now() + timeoutMs; Date.now() < end; ) {
    const before = written().length;
    c.child.kill('SIGUSR1');
    // Until the run has started the signal is ignored: no snapshot comes, and it is asked again.
    for (const wait = Date.now() + 3000; written().length === before && Date.now() < wait; ) await sleep(50);
    const dir = written()[before];
    if (dir !== undefined) {
      const s = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as Summary;
      if ((s.distributed.workers.find((w) => w.index === index)?.merged.requests ?? 0) > 0) return;
    }
    await sleep(300);
  }
  throw new Error(`the coordinator merged nothing from worker ${index} within ${timeoutMs} ms; its output:\n${c.output()}`);
}

const cls = (name: string, weight: number, wait: string) =>
  `  - name: ${name}\n    weight: ${weight}\n    wait: { constant: ${wait} }\n    onStart: [ { get: /start/${name} } ]\n    tasks: [ { get: /${name} } ]\n`;

// Each test starts a nats-server, a coordinator and workers as processes: on a loaded machine that alone takes
// many seconds, so they get longer than the suite's 30 s (a wait, never a looser assertion).
describe('cicada run --workers N --bus URL with cicada worker', { timeout: 90_000 }, () => {
  it('merged totals = the sum of the workers\' finals = what the target counted, and class counts stay exact (70/25/4/1)', async () => {
    const { nats, srv } = await setup();
    const cwd = workdir({ 's.yaml': `name: dist\nhost: ${srv.url}\nusers: 100\nspawnRate: 1000\nuserClasses:\n${cls('A', 70, '0.5s')}${cls('B', 25, '0.5s')}${cls('C', 4, '0.5s')}${cls('D', 1, '0.5s')}` });
    const c = coordinator(cwd, ['-t', '3s', '--workers', '2', '--bus', nats.url]);
    const w = [worker(0, ['--bus', nats.url]), worker(1, ['--bus', nats.url])];
    const [rc, r0, r1] = await Promise.all([c.result, w[0]!.result, w[1]!.result]);
    expect(rc.code, `${rc.stderr}\n${rc.stdout}`).toBe(0);
    expect([r0.code, r1.code], r0.stderr + r1.stderr).toEqual([0, 0]);
    expect(r0.stderr).toMatch(/worker \d \(of 0–1\) in run \w+ \(plan [0-9a-f]{16}\)/);
    const routes = srv.byRoute();
    // Each user's onStart runs once: the server's count per class is the class size, over both workers.
    expect([routes['GET /start/A'], routes['GET /start/B'], routes['GET /start/C'], routes['GET /start/D']]).toEqual([70, 25, 4, 1]);
    const s = summaryOf(cwd);
    expect(srv.total).toBeGreaterThan(300);
    expect(s.totals.requests).toBe(srv.total);
    expect(s.distributed.finalsRequests).toBe(srv.total);
    expect(s.distributed.workers.map((x) => x.final?.requests)).toEqual(s.distributed.workers.map((x) => x.merged.requests));
    expect(s.distributed.workers.every((x) => x.final!.requests > 0)).toBe(true);
    expect(s.distributed.workers.every((x) => x.skewMs !== null && Math.abs(x.skewMs) < 100)).toBe(true);
    expect(rc.stderr).toContain(`workers: 2 of 2 sent their final report (${srv.total} requests; ${srv.total} merged)`);
  });

  it('with stages, at every stage target the classes\' users over 3 workers are the whole run\'s allocation (Locust\'s dispatcher)', async () => {
    const { nats, srv } = await setup();
    // Each user calls /start/<class> once when it starts and /stop/<class> when it stops (ramp-down
    // and the end alike), so the server knows how many users of each class are live at any moment.
    const life = (name: string, weight: number) =>
      `  - name: ${name}\n    weight: ${weight}\n    wait: { constant: 1s }\n    onStart: [ { get: /start/${name} } ]\n    onStop: [ { get: /stop/${name} } ]\n    tasks: [ { get: /${name} } ]\n`;
    // 23, 50 and 7 users over 3 workers: each worker allocating its own share would give
    // 17/6/0/0, 35/12/3/0 and 4/3/0/0; the whole run's allocation is 16/6/1/0, 35/12/2/1, 5/2/0/0.
    const stages = 'stages:\n  - { duration: 2500ms, users: 23, spawnRate: 300 }\n  - { duration: 2500ms, users: 50, spawnRate: 300 }\n  - { duration: 2500ms, users: 7, spawnRate: 300 }\n';
    const cwd = workdir({ 's.yaml': `name: dist\nhost: ${srv.url}\n${stages}userClasses:\n${life('A', 70)}${life('B', 25)}${life('C', 4)}${life('D', 1)}` });
    const c = coordinator(cwd, ['--workers', '3', '--bus', nats.url]);
    const w = [0, 1, 2].map((i) => worker(i, ['--bus', nats.url]));
    const [rc, ...rw] = await Promise.all([c.result, ...w.map((x) => x.result)]);
    expect(rc.code, `${rc.stderr}\n${rc.stdout}`).toBe(0);
    expect(rw.map((r) => r.code)).toEqual([0, 0, 0]);
    // Replay the starts and stops in arrival order; keep the class counts that held for 300 ms or more.
    const names = ['A', 'B', 'C', 'D'];
    const live = [0, 0, 0, 0];
    const held: string[] = [];
    let since = 0;
    let last = '';
    const settle = (atMs: number): void => {
      if (last !== '' && atMs - since >= 300 && held.at(-1) !== last) held.push(last);
    };
    for (const r of srv.received) {
      const m = /^\/(start|stop)\/([A-D])$/.exec(r.path);
      if (m === null) continue;
      settle(r.atMs);
      live[names.indexOf(m[2]!)]! += m[1] === 'start' ? 1 : -1;
      last = live.join('/');
      since = r.atMs;
    }
    settle(Infinity);
    expect(held).toEqual(['16/6/1/0', '35/12/2/1', '5/2/0/0', '0/0/0/0']);
    // And every worker stopped with its part: the sum of the finals is what the target counted.
    const s = summaryOf(cwd);
    expect(s.totals.requests).toBe(srv.total);
    expect(s.distributed.finalsRequests).toBe(srv.total);
  });

  it('a worker killed with kill -9 is reported missing within 3 s and, by default, stops the run (exit 1)', async () => {
    const { nats, srv } = await setup();
    const cwd = workdir({ 's.yaml': `name: dist\nhost: ${srv.url}\nusers: 6\nspawnRate: 100\nuserClasses:\n${cls('A', 1, '0.05s')}` });
    const c = coordinator(cwd, ['-t', '60s', '--workers', '2', '--bus', nats.url]);
    // Indexes as Kubernetes gives them (JOB_COMPLETION_INDEX, in the pod's name): messages name the same number.
    const w = [worker(0, ['--bus', nats.url, '--index', '0']), worker(1, ['--bus', nats.url, '--index', '1'])];
    await c.waitFor(/starting with 2 workers/);
    await untilMerged(c, 1);
    const killedAt = Date.now();
    w[1]!.child.kill('SIGKILL');
    await c.waitFor(/lost: missing: no message for 3(\.\d)?s; stopping the run \(--on-worker-loss abort\)/, 10_000);
    const [rc, r0] = await Promise.all([c.result, w[0]!.result]);
    expect(rc.code).toBe(1);
    expect(r0.code).toBe(0); // the survivor stopped and its final was acknowledged
    const s = summaryOf(cwd);
    expect(s.run.stopReason).toMatch(/^worker 1 \(.*\) lost: missing: no message for 3(\.\d)?s$/);
    expect(s.distributed.workersLost).toBe(1);
    const lost = s.distributed.workers.find((x) => x.lost !== null)!;
    expect(lost.index).toBe(1);
    // Every message that names a worker names it by that number (never counted from 1).
    expect(new Set([...rc.stderr.matchAll(/\bworker (\d+)\b/g)].map((m) => m[1]))).toEqual(new Set(['1']));
    expect(lost.final).toBeNull();
    expectLossWindow(lost.lost!, killedAt);
    // Declared lost within 3 s of the kill (plus the 100 ms tick and some slack), by the coordinator's
    // own clock — not when this test read the message through a pipe.
    expect(Date.parse(lost.lost!.at) - killedAt).toBeLessThanOrEqual(3_600);
    // What the coordinator has is what it merged; the dead worker's last second never arrived.
    expect(s.totals.requests).toBe(s.distributed.workers.reduce((n, x) => n + x.merged.requests, 0));
    expect(s.totals.requests).toBeLessThanOrEqual(srv.total);
  });

  it('with --on-worker-loss continue the run goes on and the report flags the loss and its unreported window', async () => {
    const { nats, srv } = await setup();
    const cwd = workdir({ 's.yaml': `name: dist\nhost: ${srv.url}\nusers: 6\nspawnRate: 100\nuserClasses:\n${cls('A', 1, '0.05s')}` });
    // 10 s: room for its first report, the kill and the 3 s until it is missing, with the run still going.
    const c = coordinator(cwd, ['-t', '10s', '--workers', '2', '--bus', nats.url, '--on-worker-loss', 'continue']);
    const w = [worker(0, ['--bus', nats.url, '--index', '0']), worker(1, ['--bus', nats.url, '--index', '1'])];
    await c.waitFor(/starting with 2 workers/);
    await untilMerged(c, 1);
    const killedAt = Date.now();
    w[1]!.child.kill('SIGKILL');
    await c.waitFor(/lost: missing: no message for 3(\.\d)?s; going on without it/, 10_000);
    const [rc, r0] = await Promise.all([c.result, w[0]!.result]);
    expect(rc.code).toBe(0);
    expect(r0.code).toBe(0);
    const s = summaryOf(cwd);
    expect(s.run.stopReason).not.toMatch(/lost/);
    expect(s.distributed.onWorkerLoss).toBe('continue');
    const lost = s.distributed.workers.find((x) => x.lost !== null)!;
    const alive = s.distributed.workers.find((x) => x.lost === null)!;
    expectLossWindow(lost.lost!, killedAt);
    expect(alive.final!.requests).toBe(alive.merged.requests);
    expect(rc.stderr).toMatch(/worker \d \(.*\) was lost [\d.]+s into the run: its requests since then are not in the totals/);
    // The run's report.md calls the loss out, and `cicada report DIR` writes the same file again.
    const dir = runDirs(cwd)[0]!;
    const before = readFileSync(join(dir, 'report.md'), 'utf8');
    expect(before).toMatch(/Worker \d \(.*\) was lost/);
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toMatch(/Worker \d \(.*\) was lost/);
    rmSync(join(dir, 'report.md'));
    const again = await runCli(['report', dir]);
    expect(again.code, again.stderr).toBe(0);
    expect(readFileSync(join(dir, 'report.md'), 'utf8')).toBe(before);
  });

  it('a delayed worker still lands in the totals', async () => {
    const { nats, srv } = await setup();
    const cwd = workdir({ 's.yaml': `name: dist\nhost: ${srv.url}\nusers: 6\nspawnRate: 100\nuserClasses:\n${cls('A', 1, '0.05s')}` });
    const c = coordinator(cwd, ['-t', '6s', '--workers', '2', '--bus', nats.url]);
    const w = [worker(0, ['--bus', nats.url, '--index', '0']), worker(1, ['--bus', nats.url, '--index', '1'])];
    // Delayed once it runs and reports (before that, standing still would only hold up the start).
    await c.waitFor(/starting with 2 workers/);
    await untilMerged(c, 1);
    // Every packet worker 1 sends is late by 900 ms (tc netem), or, where the kernel has no netem,
    // the whole worker stands still for 1.5 s (SIGSTOP): its reports arrive after their grace.
    const netem = net.nodes[1]!.delay(900);
    console.info(netem === null ? 'delayed worker: tc netem 900 ms' : `delayed worker: SIGSTOP 1.5 s (${netem})`);
    if (netem !== null) {
      w[1]!.child.kill('SIGSTOP');
      await sleep(1500);
      w[1]!.child.kill('SIGCONT');
    }
    const [rc, r0, r1] = await Promise.all([c.result, w[0]!.result, w[1]!.result]);
    expect(rc.code, `${rc.stderr}\n${rc.stdout}`).toBe(0);
    expect([r0.code, r1.code]).toEqual([0, 0]);
    const s = summaryOf(cwd);
    expect(s.distributed.workersLost).toBe(0);
    expect(s.totals.requests).toBe(srv.total);
    expect(s.distributed.finalsRequests).toBe(srv.total);
    // The seconds it was late were merged without it (partial); its reports still counted, later.
    expect(r1.stderr).toMatch(/worker 1 \(of 0–1\)/);
    expect(s.distributed.partialIntervals.length).toBeGreaterThan(0);
    expect(s.distributed.partialIntervals.some((p) => p.missing.includes(1))).toBe(true);
  });

  it('a worker of another cicada version is refused; a worker restarted with the same index is refused and never replays its share', async () => {
    const { nats, srv } = await setup();
    // Another version of cicada: this build, with another version in its package.json.
    const other = mkdtempSync(join(tmpdir(), 'cicada-other-'));
    open.push({ close: () => rmSync(other, { recursive: true, force: true }) });
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    writeFileSync(join(other, 'package.json'), JSON.stringify({ ...pkg, version: `${pkg.version}-other` }));
    cpSync(join(ROOT, 'dist'), join(other, 'dist'), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules'), join(other, 'node_modules'));
    const otherCli = (argv: readonly string[]): [string, string[]] => net.nodes[2]!.command([argv[0]!, join(other, 'dist', 'cli', 'main.js'), ...argv.slice(2)]);

    // Each user calls /start/A once: 4 users over 2 workers. The other version comes along with them.
    const cwd = workdir({ 's.yaml': `name: dist\nhost: ${srv.url}\nusers: 4\nspawnRate: 100\nuserClasses:\n${cls('A', 1, '0.1s')}` });
    const c = coordinator(cwd, ['-t', '60s', '--workers', '2', '--bus', nats.url, '--on-worker-loss', 'continue']);
    const old = startCli(['worker', '--bus', nats.url], { command: otherCli });
    procs.push(old);
    const w = [worker(0, ['--bus', nats.url, '--index', '0']), worker(1, ['--bus', nats.url, '--index', '1'])];
    const ro = await old.result;
    expect(ro.code).toBe(2);
    expect(ro.stderr).toContain(`refused by the coordinator: version mismatch: the worker runs cicada ${pkg.version}-other (bus protocol 1), the coordinator cicada ${pkg.version} (bus protocol 1); run the same version on both`);

    // Once all 4 users have started (2 of them worker 1's), worker 1 dies.
    for (const end = Date.now() + 20_000; srv.byRoute()['GET /start/A'] !== 4 && Date.now() < end; ) await sleep(50);
    expect(srv.byRoute()['GET /start/A']).toBe(4);
    w[1]!.child.kill('SIGKILL');
    // Its pod comes back with the same index (and, here, the same plan): the run has started, so it is refused.
    const again = worker(2, ['--bus', nats.url, '--index', '1']);
    const ra = await again.result;
    expect(ra.code).toBe(2);
    expect(ra.stderr).toMatch(/refused by the coordinator: the run has started; index 1 already ran in it \(.*\) and a restarted worker would replay its share of the profile/);
    // However long that took, the run is still going: stop it now (Ctrl-C).
    c.child.kill('SIGINT');
    const [rc, r0] = await Promise.all([c.result, w[0]!.result]);
    expect(rc.code, `${rc.stderr}\n${rc.stdout}`).toBe(130);
    expect(r0.code).toBe(0);
    expect(rc.stderr).toMatch(/refused worker .* \(pid \d+\): version mismatch/);
    // Nothing was replayed: each of the 4 users started once, and worker 0's final is all it sent.
    expect(srv.byRoute()['GET /start/A']).toBe(4);
    const s = summaryOf(cwd);
    expect(s.distributed.workersStarted).toBe(2);
    expect(s.distributed.workers.map((x) => [x.index, x.final === null])).toEqual([
      [0, false],
      [1, true],
    ]);
  });

  it('a worker keeps the index it asked for when it can; when fewer came it is told the number it got', async () => {
    const { nats, srv } = await setup();
    const cwd = workdir({ 's.yaml': `name: dist\nhost: ${srv.url}\nusers: 2\nspawnRate: 100\nuserClasses:\n${cls('A', 1, '0.1s')}` });
    // 1 of 3 expected: the worker that asked for index 2 is the run's only one, worker 0.
    const c = coordinator(cwd, ['-t', '1s', '--workers', '3', '--expect-workers', '1', '--bus', nats.url]);
    const w = worker(0, ['--bus', nats.url, '--index', '2']);
    const [rc, r] = await Promise.all([c.result, w.result]);
    expect(rc.code, `${rc.stderr}\n${rc.stdout}`).toBe(0);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/worker 0 \(the only one\) in run \w+ \(plan [0-9a-f]{16}\), not 2: fewer workers came than the coordinator asked for, and they are numbered from 0; starting with the others/);
    expect(r.stderr).toContain('worker 0: done, final report acknowledged');
    expect(summaryOf(cwd).distributed.workers.map((x) => x.index)).toEqual([0]);
  });

  it('a worker with a different plan is refused, saying why on both sides; the barrier then gives up', async () => {
    const { nats, srv } = await setup();
    const plan = `name: dist\nhost: ${srv.url}\nusers: 2\nuserClasses:\n${cls('A', 1, '1s')}`;
    const cwd = workdir({ 's.yaml': plan, 'other.yaml': plan.replace('users: 2', 'users: 3') });
    // The worker first, asking until a coordinator answers: the coordinator's 3 s barrier then counts
    // from a moment the worker is already there (a worker started after it may take longer than 3 s
    // to come up on a loaded machine, find the barrier gone, and wait for another coordinator).
    const w = worker(0, ['--bus', nats.url, '--plan', join(cwd, 'other.yaml')]);
    await w.waitFor(/waiting for a coordinator/);
    const c = coordinator(cwd, ['-t', '5s', '--workers', '1', '--bus', nats.url, '--expect-workers-max-wait', '3s']);
    const r = await w.result;
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/refused by the coordinator: plan mismatch: the worker's plan .*other\.yaml has hash [0-9a-f]{16}, the coordinator's [0-9a-f]{16}; give both the same files/);
    const rc = await c.result;
    expect(rc.stderr).toMatch(/refused worker .* \(pid \d+\): plan mismatch/);
    expect(rc.stderr).toContain('only 0 of 1 expected workers joined within 3s');
    expect(rc.code).toBe(1);
    expect(srv.total).toBe(0);
  });
});
