/**
 * The one transport interface between a coordinator and its workers. `thread-transport.ts`
 * implements it with worker threads (`--processes`); another implementation (NATS) carries the same
 * messages (`protocol.ts`) between machines. A transport only moves messages and notices workers
 * that are gone: joining, ordering, acknowledging and merging are the coordinator's
 * (`ClusterRunner`) and the worker's (`runWorker`) on top of it.
 *
 * Contract for implementations:
 * - messages are delivered whole, as sent (structured clone or JSON); loss and duplicates are
 *   tolerated by the protocol (reports are numbered and acknowledged), reordering too;
 * - handlers are called on the event loop, never concurrently, never from inside `send`;
 * - after `close()` nothing more is delivered.
 */
import type { Command, WorkerMessage } from './protocol.js';

/** What a coordinator's transport tells the coordinator. */
export interface CoordinatorEvents {
  /** A message from worker `index` (the transport knows the index: a thread, a subject, a hello). */
  message(index: number, message: WorkerMessage): void;
  /** Worker `index` is gone for good (thread exited, connection lost): its users are gone. */
  gone(index: number, reason: string): void;
}

/** The coordinator's side: a link to `count` workers, 0 … count-1. */
export interface CoordinatorTransport {
  /** Workers expected. */
  readonly count: number;
  /** Starts the workers or begins listening for them; `events` receives from now on. */
  open(events: CoordinatorEvents): void | Promise<void>;
  /** To one worker (acknowledgements, refusals). A worker that is gone is ignored. */
  send(index: number, command: Command): void;
  /** To every worker. */
  broadcast(command: Command): void;
  /** Lets go of the workers (threads that are still running are terminated) and of the connection. */
  close(): Promise<void>;
}

/** A worker's side: a link to its coordinator. */
export interface WorkerTransport {
  send(message: WorkerMessage): void;
  /** One handler; commands arrive in the order sent. */
  onCommand(handler: (command: Command) => void): void;
  /** The worker is done: flush what was sent and let go. */
  close(): void | Promise<void>;
}
