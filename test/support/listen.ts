/**
 * Shared plumbing for the test servers: listen on loopback, remember every socket, and close so
 * that nothing is left behind (no listener, no socket, no timer) and vitest can exit.
 */

import type { Server, Socket } from 'node:net';

export const LOOPBACK = '127.0.0.1';

/** Listens on `port` (0 = ephemeral) on `host` (127.0.0.1); resolves with the bound port. */
export function listen(server: Server, port = 0, host = LOOPBACK): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      const address = server.address();
      if (address === null || typeof address === 'string') reject(new Error('no TCP address'));
      else resolve(address.port);
    });
  });
}

/** Every open socket of a server, so `close` can destroy them (keep-alive ones included). */
export class SocketTracker {
  readonly #open = new Set<Socket>();
  #accepted = 0;

  constructor(server: Server) {
    server.on('connection', (socket: Socket) => {
      this.#accepted++;
      this.#open.add(socket);
      socket.once('close', () => this.#open.delete(socket));
    });
  }

  /** Sockets accepted since start (never decreases). */
  get accepted(): number {
    return this.#accepted;
  }

  get open(): number {
    return this.#open.size;
  }

  destroyAll(): void {
    for (const socket of this.#open) socket.destroy();
    this.#open.clear();
  }
}

/** Stops listening and destroys every open socket; resolves when the server is fully closed. */
export function closeServer(server: Server, sockets: SocketTracker): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) {
      sockets.destroyAll();
      resolve();
      return;
    }
    server.close(() => resolve());
    sockets.destroyAll();
  });
}

/** Monotonic ms since process start, the clock of every timestamp the test servers record. */
export const nowMs = (): number => performance.now();

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
