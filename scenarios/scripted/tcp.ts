import { connect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { User } from 'cicada-load';

/** A line-protocol connection: one request line, one answer line. */
class LineConnection {
  private buffered = '';
  private waiting: ((line: string) => void) | null = null;

  private constructor(private readonly socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      this.buffered += chunk;
      const nl = this.buffered.indexOf('\n');
      if (nl === -1 || this.waiting === null) return;
      const line = this.buffered.slice(0, nl);
      this.buffered = this.buffered.slice(nl + 1);
      const w = this.waiting;
      this.waiting = null;
      w(line);
    });
  }

  /** Connects to `host` and switches the connection to the echo protocol (HTTP upgrade, then raw TCP). */
  static async open(host: string): Promise<LineConnection> {
    const { hostname, port } = new URL(host);
    const socket = connect({ host: hostname, port: Number(port) });
    socket.unref(); // never keeps the process alive
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    socket.write(`GET /tcp/echo HTTP/1.1\r\nhost: ${hostname}:${port}\r\nupgrade: echo\r\nconnection: upgrade\r\n\r\n`);
    const head = await new Promise<string>((resolve, reject) => {
      let text = '';
      const onData = (chunk: Buffer): void => {
        text += chunk.toString('latin1');
        const end = text.indexOf('\r\n\r\n');
        if (end === -1) return;
        socket.off('data', onData);
        if (text.length > end + 4) socket.unshift(Buffer.from(text.slice(end + 4), 'latin1'));
        resolve(text.slice(0, end));
      };
      socket.on('data', onData);
      socket.once('error', reject);
      socket.once('close', () => reject(new Error('closed during the upgrade')));
    });
    if (!head.startsWith('HTTP/1.1 101')) throw new Error(`upgrade refused: ${head.split('\r\n')[0]}`);
    return new LineConnection(socket);
  }

  /** Sends one line and waits for the answer line (rejects when the connection fails). */
  request(line: string): Promise<string> {
    return new Promise((resolve, reject) => {
      this.waiting = resolve;
      this.socket.once('error', reject);
      this.socket.once('close', () => reject(new Error('connection closed')));
      this.socket.write(`${line}\n`);
    });
  }

  close(): void {
    this.socket.destroy();
  }
}

/** Times one PING/PONG round trip (and, the first time, the connection) as `tcp` rows. */
export async function ping(u: User): Promise<void> {
  let conn = u.state.conn as LineConnection | undefined;
  if (conn === undefined) {
    const started = performance.now();
    try {
      conn = await LineConnection.open(u.host);
    } catch (err) {
      u.record('connect', performance.now() - started, { kind: 'tcp', error: err as Error });
      return;
    }
    u.record('connect', performance.now() - started, { kind: 'tcp' });
    u.state.conn = conn;
  }
  const text = `${u.id}-${u.iteration}`;
  const started = performance.now();
  try {
    const answer = await conn.request(`PING ${text}`);
    const error = answer === `PONG ${text}` ? null : `unexpected answer ${JSON.stringify(answer.slice(0, 40))}`;
    u.record('PING', performance.now() - started, { kind: 'tcp', bytes: answer.length + 1, error });
  } catch (err) {
    u.record('PING', performance.now() - started, { kind: 'tcp', error: err as Error });
    conn.close();
    u.state.conn = undefined;
  }
}

/** onStop: close the connection. */
export function hangUp(u: User): void {
  (u.state.conn as LineConnection | undefined)?.close();
  u.state.conn = undefined;
}
