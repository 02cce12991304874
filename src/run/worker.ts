/**
 * An engine worker thread (`--processes N`): runs the scenario's share of users with its own Runner
 * and StatsCollector, exports a statistics delta every second, and obeys the coordinator's commands.
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { Runner } from '../engine/runner.js';
import { StatsCollector } from '../stats/collector.js';
import { Secrets } from './secrets.js';
import type { FromWorker, ThreadHealth, ToWorker, WorkerInit } from './worker-protocol.js';

const init = workerData as WorkerInit;
const port = parentPort!;
const post = (m: FromWorker): void => port.postMessage(m);

const secrets = new Secrets(init.secretValues, init.secretHeaders);
const collector = new StatsCollector({ openModel: init.scenario.load.kind === 'open', onWarning: (message) => post({ type: 'warning', message }) });
const runner = new Runner(init.scenario, {
  sink: collector,
  onResetStats: () => collector.reset(),
  redact: (t) => secrets.redact(t),
  onSecret: (value) => {
    secrets.add(value);
    post({ type: 'secret', value });
  },
  onWarning: (message) => post({ type: 'warning', message }),
  userIdStart: init.index + 1,
  userIdStride: init.count,
});

const lag = monitorEventLoopDelay({ resolution: 10 });
lag.enable();
let elu = performance.eventLoopUtilization();
function health(): ThreadHealth {
  const next = performance.eventLoopUtilization();
  const used = performance.eventLoopUtilization(next, elu);
  elu = next;
  const lagMs = Math.max(0, lag.percentile(99) / 1e6 - 10);
  lag.reset();
  return { cpuPercent: used.utilization * 100, eventLoopLagMs: lagMs };
}

const reporter = setInterval(() => post({ type: 'report', delta: collector.exportDelta(), status: runner.status(), health: health() }), 1000);

port.on('message', (m: ToWorker) => {
  switch (m.type) {
    case 'setClassTargets':
      runner.setClassTargets(m.targets, m.spawnRate);
      break;
    case 'pause':
      runner.pause();
      break;
    case 'resume':
      runner.resume();
      break;
    case 'reset':
      runner.resetStats();
      break;
    case 'stop':
      void runner.stop(m.reason);
      break;
  }
});

if (init.classTargets !== null) runner.setClassTargets(init.classTargets, init.scenario.spawnRate / init.count);
runner.start();
void runner.done.then(() => {
  clearInterval(reporter);
  lag.disable();
  post({ type: 'stopped', delta: collector.exportDelta(), status: runner.status(), health: health() });
  port.close();
});
