/**
 * A real `nats-server` (Debian's package) for one test: an ephemeral port on a given local address
 * (127.0.0.1 by default), its own temporary directory, started and stopped by the test. Nothing is
 * left behind: `stop()` ends the process (SIGTERM, then SIGKILL) and removes the directory.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOOPBACK } from './listen.js';
import { toolPath } from './tools.js';

export interface NatsServer {
  /** `nats://HOST:PORT`, for `--bus`. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly pid: number;
  /** Everything the server wrote (its log), for failure messages. */
  log(): string;
  stop(): Promise<void>;
}

export interface NatsServerOptions {
  /** The address to listen on (default 127.0.0.1; a test network's bridge address for namespaces). */
  readonly host?: string;
  /** How long to wait for the server to accept connections (default 10 s). */
  readonly startTimeoutMs?: number;
}

export async function startNatsServer(opts: NatsServerOptions = {}): Promise<NatsServer> {
  const host = opts.host ?? LOOPBACK;
  const dir = mkdtempSync(join(tmpdir(), 'cicada-nats-'));
  // `-p -1` picks a free port; the server writes it to `<dir>/nats-server_<pid>.ports`.
  const child = spawn(toolPath('nats-server'), ['-a', host, '-p', '-1', '--ports_file_dir', dir, '--no_advertise'], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c));
  child.stderr!.on('data', (c: Buffer) => (output += c));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    await stopChild(child, exited);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const port = await waitForPort(dir, child, opts.startTimeoutMs ?? 10_000, () => output);
    await waitForAccept(host, port, 5_000);
    return { url: `nats://${host}:${port}`, host, port, pid: child.pid!, log: () => output, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

async function waitForPort(dir: string, child: ChildProcess, timeoutMs: number, log: () => string): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`nats-server exited at start:\n${log()}`);
    const file = readdirSync(dir).find((f) => f.endsWith('.ports'));
    if (file !== undefined) {
      try {
        const ports = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { nats?: string[] };
        const port = Number(/:(\d+)$/.exec(ports.nats?.[0] ?? '')?.[1]);
        if (port > 0) return port;
      } catch {
        // written but not complete yet
      }
    }
    await sleepMs(20);
  }
  throw new Error(`nats-server did not report its port within ${timeoutMs} ms:\n${log()}`);
}

function waitForAccept(host: string, port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = (): void => {
      const socket = connect(port, host);
      socket.once('data', () => {
        // The server greets with INFO: it is serving.
        socket.destroy();
        resolve();
      });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error(`nats-server on ${host}:${port} does not accept connections`));
        else setTimeout(attempt, 20);
      });
    };
    attempt();
  });
}

async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
  await exited;
  clearTimeout(timer);
}

const sleepMs = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
