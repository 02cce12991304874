/**
 * `cicada worker --bus nats://HOST:4222 [--index I --count N] [--plan FILE] [--wait T]`: joins a
 * distributed run as one worker — on an SSH box, in a Kubernetes pod (`cicada k8s`), or beside the
 * coordinator — runs its share of the users, reports each second, and exits when the run ends.
 * Exit 0 after its final report was acknowledged; 2 when refused (version, plan or index) or given
 * bad input; 1 when the bus or the coordinator could not be reached or the final went unanswered.
 */
import { hostname } from 'node:os';
import meow from 'meow';
import { loadScenarioFile, scenarioFromUrl } from '../scenario/load.js';
import { ScenarioError } from '../scenario/errors.js';
import type { Scenario } from '../scenario/types.js';
import { GeneratorMonitor } from '../stats/generator.js';
import { Bus } from '../run/bus/nats.js';
import { joinRun, natsWorkerTransport } from '../run/bus/nats-transport.js';
import { planHash } from '../run/bus/plan.js';
import { type Command, workerAmong, workerName } from '../run/protocol.js';
import type { WorkerTransport } from '../run/transport.js';
import { runWorker } from '../run/worker-agent.js';
import { parseDuration } from '../scenario/duration.js';
import { checkBusUrl } from './bus-flags.js';
import { EXIT, type Output } from './output.js';
import { materializeBundle, readPlanBundle } from './plan-bundle.js';
import { loadScript } from '../scenario/script.js';
import { version } from './version.js';

export const help = `
  Usage
    $ cicada worker --bus nats://HOST:4222 [options]

  Joins the distributed run that 'cicada run <scenario> --workers N --bus nats://HOST:4222'
  coordinates, runs its share of the users, and exits when the run ends. Start it before or after
  the coordinator: it waits (--wait). The plan comes from the coordinator unless --plan gives
  this worker its own copy (then both must be the same files, or the worker is refused).

  Options
    --bus URL        The NATS server both sides connect to (required)
    --index I        This worker's index, 0 to N-1 (default: JOB_COMPLETION_INDEX when set,
                     as in a Kubernetes Indexed Job, else the lowest free one)
    --count N        How many workers the run has; refused if the coordinator says otherwise
    --plan FILE      Use this copy of the scenario (and the data files beside it)
    --wait T         How long to wait for the bus and a coordinator (default 10m)

  Exit codes
    0 done · 1 bus or coordinator unreachable, or the final report unacknowledged · 2 refused or bad input
`;

export async function workerCommand(argv: readonly string[], out: Output, env: Record<string, string | undefined>): Promise<number> {
  const cli = meow(help, {
    description: false,
    importMeta: import.meta,
    argv: [...argv],
    version,
    allowUnknownFlags: false,
    flags: {
      bus: { type: 'string' },
      index: { type: 'string' },
      count: { type: 'string' },
      plan: { type: 'string' },
      wait: { type: 'string', default: '10m' },
    },
  });
  const problems: string[] = [];
  const f = cli.flags;
  if (cli.input.length > 0) problems.push(`unexpected argument "${cli.input[0]!}": the plan comes from the coordinator, or from --plan FILE`);
  if (f.bus === undefined) problems.push('--bus: required, the NATS server of the run (--bus nats://10.0.0.5:4222)');
  else problems.push(...checkBusUrl(f.bus));
  const indexText = f.index ?? env.JOB_COMPLETION_INDEX;
  const indexFlag = f.index !== undefined ? '--index' : 'JOB_COMPLETION_INDEX';
  if (indexText !== undefined && !/^\d{1,4}$/.test(indexText)) problems.push(`${indexFlag}: must be a whole number from 0, got "${indexText}"`);
  if (f.count !== undefined && !/^[1-9]\d{0,3}$/.test(f.count)) problems.push(`--count: must be a whole number from 1, got "${f.count}"`);
  const index = indexText === undefined ? null : Number(indexText);
  const count = f.count === undefined ? null : Number(f.count);
  if (index !== null && count !== null && index >= count) problems.push(`${indexFlag}: ${index} is out of range for --count ${count} (0 to ${count - 1})`);
  const waitMs = parseDuration(f.wait) ?? 0;
  if (parseDuration(f.wait) === null) problems.push(`--wait: not a duration: "${f.wait}" (like 30s, 10m)`);
  // With its own copy, a bad plan is bad input here, before anything joins.
  let own: { path: string; hash: string } | null = null;
  if (f.plan !== undefined && problems.length === 0) {
    try {
      const bundle = readPlanBundle(loadScenarioFile(f.plan, { env }), null);
      if ('problem' in bundle) problems.push(`--plan: ${bundle.problem}`);
      else own = { path: f.plan, hash: planHash(bundle) };
    } catch (err) {
      if (!(err instanceof ScenarioError)) throw err;
      problems.push(err.message);
    }
  }
  if (problems.length > 0) {
    for (const p of problems) out.error(p);
    return EXIT.badInput;
  }

  let bus: Bus;
  try {
    bus = await Bus.open(f.bus!, `cicada-worker@${hostname()}:${process.pid}`, waitMs);
  } catch (err) {
    out.error((err as Error).message);
    return EXIT.failed;
  }
  let admission;
  try {
    admission = await joinRun({
      bus,
      version,
      planHash: own?.hash ?? null,
      planPath: own?.path ?? null,
      index,
      count,
      waitMs,
      onWaiting: (where) =>
        out.info(
          where === 'coordinator'
            ? `waiting for a coordinator on ${f.bus!} (cicada run <scenario> --workers N --bus ${f.bus!})`
            : `joined; waiting for the start (the coordinator starts when its --expect-workers are here)`,
        ),
    });
  } catch (err) {
    out.error((err as Error).message);
    await bus.close();
    return EXIT.failed;
  }
  if (!admission.ok) {
    out.error(`refused by the coordinator: ${admission.reason}`);
    await bus.close();
    return EXIT.badInput;
  }
  const reply = admission;
  // Alive on the bus from now on, also while the plan loads.
  const base = natsWorkerTransport(bus, reply.run, reply.index);

  let scenario: Scenario;
  try {
    const options = { env: { ...env, ...reply.env }, overrides: reply.overrides };
    const bundle = reply.bundle;
    if (bundle === null) scenario = loadScenarioFile(own!.path, options);
    else if (bundle.kind === 'url') scenario = scenarioFromUrl(bundle.url, options);
    else scenario = loadScenarioFile(materializeBundle(bundle), options);
    // The scenario's script (shipped in the bundle): load problems are the plan's problems.
    await loadScript(scenario);
  } catch (err) {
    const message = `${workerName(reply.index)} cannot load the coordinator's plan: ${(err as Error).message}`;
    out.error(message);
    base.send({ type: 'warning', message });
    await base.close();
    return EXIT.badInput;
  }
  // It asked for an index beyond those that came (--expect-workers below --workers): the run numbers them from 0.
  const renumbered = index !== null && index !== reply.index ? `, not ${index}: fewer workers came than the coordinator asked for, and they are numbered from 0` : '';
  out.info(`${workerAmong(reply.index, reply.count)} in run ${reply.run} (plan ${reply.planHash})${renumbered}; starting with the others`);

  const monitor = new GeneratorMonitor();
  monitor.start();
  // Ctrl-C / SIGTERM (a pod being deleted): stop the users and send the final report first.
  let obey: ((c: Command) => void) | null = null;
  const onSignal = (signal: NodeJS.Signals): void => {
    out.info(`${signal}: stopping this worker's users`);
    obey?.({ type: 'stop', reason: `${workerName(reply.index)} got ${signal}` });
  };
  const transport: WorkerTransport = {
    ...base,
    onCommand: (h) => {
      obey = h;
      base.onCommand(h);
    },
  };
  for (const s of ['SIGINT', 'SIGTERM'] as const) process.on(s, onSignal);
  try {
    const end = await runWorker({
      plan: { scenario, planHash: reply.planHash, version, host: hostname(), index: reply.index, count: reply.count },
      transport,
      health: () => {
        const s = monitor.sample();
        return { cpuPercent: s.cpuPercent, eventLoopLagMs: s.eventLoopLagMs };
      },
    });
    if (end.kind === 'refused') {
      out.error(`refused by the coordinator: ${end.reason}`);
      return EXIT.badInput;
    }
    if (!end.acknowledged) {
      out.error('the coordinator did not acknowledge the final report; its totals may miss this worker\'s last second');
      return EXIT.failed;
    }
    out.info(`${workerName(reply.index)}: done, final report acknowledged`);
    return EXIT.ok;
  } finally {
    monitor.stop();
    for (const s of ['SIGINT', 'SIGTERM'] as const) process.off(s, onSignal);
  }
}
