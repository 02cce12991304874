/**
 * The entry of an engine worker thread (`--processes N`): its plan comes as `workerData`; it runs
 * `runWorker` over the thread transport and reports this thread's event-loop utilisation as its CPU.
 */
import { workerData } from 'node:worker_threads';
import { GeneratorMonitor } from '../stats/generator.js';
import type { WorkerPlan } from './protocol.js';
import { threadWorkerTransport } from './thread-transport.js';
import { runWorker } from './worker-agent.js';

const monitor = new GeneratorMonitor({ cpu: 'eventLoop' });
monitor.start();
void runWorker({
  plan: workerData as WorkerPlan,
  transport: threadWorkerTransport(),
  health: () => {
    const s = monitor.sample();
    return { cpuPercent: s.cpuPercent, eventLoopLagMs: s.eventLoopLagMs };
  },
}).finally(() => monitor.stop());
