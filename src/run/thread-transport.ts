/**
 * The transport of `--processes N`: each worker is a worker thread of this process, started with
 * its plan as `workerData`; messages are posted (structured clone). A thread that exits or throws
 * is gone. See `transport.ts` for the contract.
 */
import { parentPort, Worker } from 'node:worker_threads';
import type { Command, WorkerMessage, WorkerPlan } from './protocol.js';
import type { CoordinatorEvents, CoordinatorTransport, WorkerTransport } from './transport.js';

export class ThreadTransport implements CoordinatorTransport {
  readonly count: number;
  private readonly threads: (Worker | null)[];

  /** `plans[i]` is worker i's plan; the threads start at `open`. */
  constructor(private readonly plans: readonly WorkerPlan[]) {
    this.count = plans.length;
    this.threads = plans.map(() => null);
  }

  open(events: CoordinatorEvents): void {
    this.plans.forEach((plan, index) => {
      const thread = new Worker(new URL('./worker.js', import.meta.url), { workerData: plan });
      this.threads[index] = thread;
      thread.on('message', (m: WorkerMessage) => events.message(index, m));
      thread.on('error', (err) => events.gone(index, `failed: ${err.message}`));
      thread.on('exit', (code) => {
        this.threads[index] = null;
        events.gone(index, `exited (code ${code})`);
      });
    });
  }

  send(index: number, command: Command): void {
    this.threads[index]?.postMessage(command);
  }

  broadcast(command: Command): void {
    for (const t of this.threads) t?.postMessage(command);
  }

  async close(): Promise<void> {
    await Promise.all(this.threads.map((t) => t?.terminate()));
  }
}

/** Inside a worker thread: the link to the coordinator. */
export function threadWorkerTransport(): WorkerTransport {
  const port = parentPort;
  if (port === null) throw new Error('not in a worker thread');
  return {
    send: (m) => port.postMessage(m),
    onCommand: (handler) => {
      port.on('message', (c: Command) => handler(c));
    },
    close: () => port.close(),
  };
}
