/**
 * The NATS connection both sides use, as JSON messages. The only module that imports the NATS
 * client. Connection problems become one clear sentence naming the URL.
 */
import { connect, type Msg, type NatsConnection } from '@nats-io/transport-node';

export class Bus {
  private constructor(
    private readonly nc: NatsConnection,
    readonly url: string,
  ) {}

  /**
   * Connects to `url`, retrying for up to `waitMs` (a worker may start before the server does).
   * Rejects with `cannot reach the bus at URL: why`.
   */
  static async open(url: string, name: string, waitMs = 0): Promise<Bus> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      try {
        const nc = await connect({
          servers: url,
          name,
          timeout: 3000,
          reconnect: true,
          maxReconnectAttempts: -1,
          reconnectTimeWait: 250,
          pingInterval: 5000,
        });
        return new Bus(nc, url);
      } catch (err) {
        if (Date.now() >= deadline) throw new Error(`cannot reach the bus at ${url}: ${describe(err)}`);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  }

  /** The server's largest message, bytes. */
  get maxPayload(): number {
    return this.nc.info?.max_payload ?? 1024 * 1024;
  }

  publish(subject: string, value: unknown): void {
    if (this.nc.isClosed()) return;
    this.nc.publish(subject, JSON.stringify(value));
  }

  /** Calls `handler` for each JSON message on `subject` until the returned function is called. */
  subscribe<T>(subject: string, handler: (value: T, msg: Msg) => void): () => void {
    const sub = this.nc.subscribe(subject, {
      callback: (err, msg) => {
        if (err !== null) return;
        let value: T;
        try {
          value = msg.json<T>();
        } catch {
          return; // not ours
        }
        handler(value, msg);
      },
    });
    return () => sub.unsubscribe();
  }

  /** One request, one JSON answer; rejects on timeout or when nobody listens. */
  async request<T>(subject: string, value: unknown, timeoutMs: number): Promise<T> {
    const msg = await this.nc.request(subject, JSON.stringify(value), { timeout: timeoutMs });
    return msg.json<T>();
  }

  respond(msg: Msg, value: unknown): void {
    msg.respond(JSON.stringify(value));
  }

  /** Sends what is buffered, then closes. */
  async close(): Promise<void> {
    if (this.nc.isClosed()) return;
    try {
      await this.nc.flush();
    } catch {
      // closing anyway
    }
    await this.nc.close();
  }

  async flush(): Promise<void> {
    await this.nc.flush();
  }
}

function describe(err: unknown): string {
  const e = err as { code?: string; message?: string; cause?: { code?: string } };
  const code = e.cause?.code ?? e.code;
  if (code === 'ECONNREFUSED') return 'connection refused (is nats-server running there?)';
  return e.message ?? String(err);
}
