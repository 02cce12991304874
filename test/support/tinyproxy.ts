/**
 * Debian's real `tinyproxy`, in the foreground on a loopback port, with its own config and log in
 * a temporary directory. The log is the witness: every request that went through the proxy is a
 * `Request (file descriptor N): GET http://host/path HTTP/1.1` (or `CONNECT host:port`) line.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toolPath } from './tools.js';

export interface Tinyproxy {
  /** `http://127.0.0.1:PORT`. */
  readonly url: string;
  /** The request lines tinyproxy logged, in order: `GET http://127.0.0.1:1234/a HTTP/1.1`, `CONNECT 127.0.0.1:443 HTTP/1.1`. */
  requests(): string[];
  close(): Promise<void>;
}

/** A port free right now (the kernel's pick), for a program that cannot be told to pick one. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export async function startTinyproxy(): Promise<Tinyproxy> {
  const bin = toolPath('tinyproxy');
  const dir = mkdtempSync(join(tmpdir(), 'cicada-tinyproxy-'));
  const log = join(dir, 'tinyproxy.log');
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const conf = join(dir, 'tinyproxy.conf');
    // No ConnectPort line: CONNECT is allowed to any port (the test targets use ephemeral ones).
    writeFileSync(conf, [`Port ${port}`, 'Listen 127.0.0.1', 'Timeout 30', `LogFile "${log}"`, 'LogLevel Info', 'MaxClients 64', 'Allow 127.0.0.1', 'DisableViaHeader Yes', ''].join('\n'));
    const child = spawn(bin, ['-d', '-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (c: Buffer) => (stderr += c));
    const up = await waitUntil(() => child.exitCode !== null || (existsSync(log) && readFileSync(log, 'utf8').includes('Accepting connections')), 5000);
    if (up && child.exitCode === null) return handle(child, port, log);
    child.kill('SIGKILL');
    if (attempt >= 3) throw new Error(`tinyproxy did not start on port ${port}: ${stderr}${existsSync(log) ? readFileSync(log, 'utf8') : ''}`);
  }
}

function handle(child: ChildProcess, port: number, log: string): Tinyproxy {
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () =>
      readFileSync(log, 'utf8')
        .split('\n')
        .map((line) => /Request \(file descriptor \d+\): (.*)$/.exec(line)?.[1])
        .filter((r): r is string => r !== undefined),
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (condition()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return condition();
}
