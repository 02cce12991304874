/**
 * `node dist/demo/main.js` (what `npm start` and `cicada demo-target` run as a separate process):
 * one ready line on stdout carrying the port, clean exit on signals. Needs the build (`npm test`
 * builds first); skipped when dist/ is absent.
 */

import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';

const MAIN = fileURLToPath(new URL('../../dist/demo/main.js', import.meta.url));
const READY = /^cicada demo target listening on (http:\/\/127\.0\.0\.1:(\d+))$/;

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

interface Started {
  readonly child: ChildProcess;
  readonly url: string;
  readonly port: number;
  /** Resolves with the exit code and everything printed on stdout. */
  readonly exited: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

function startMain(args: string[], ipc = false): Promise<Started> {
  const child = spawn(process.execPath, [MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe', ...(ipc ? ['ipc' as const] : [])] });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (s: string) => (stdout += s));
  child.stderr!.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  // 'exit' plus the ends of both pipes: after an IPC disconnect Node may never emit 'close'.
  const exitCode = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ended = (stream: NodeJS.ReadableStream): Promise<void> => new Promise((resolve) => stream.once('end', () => resolve()));
  const exited = Promise.all([exitCode, ended(child.stdout!), ended(child.stderr!)]).then(([code]) => ({ code, stdout, stderr }));
  return new Promise((resolve, reject) => {
    const onData = (): void => {
      const line = stdout.split('\n')[0]!;
      if (!stdout.includes('\n')) return;
      child.stdout!.off('data', onData);
      const match = READY.exec(line);
      if (match === null) reject(new Error(`unexpected first line: ${line}`));
      else resolve({ child, url: match[1]!, port: Number(match[2]), exited });
    };
    child.stdout!.on('data', onData);
    void exited.then(({ code }) => reject(new Error(`exited ${code} before ready: ${stderr}`)));
  });
}

describe('demo target entry (dist/demo/main.js)', () => {
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
    it(`prints one ready line, serves, and exits 0 on ${signal}`, async () => {
      const started = await startMain(['--port', '0', '--quiet', '--no-latency']);
      expect(started.port).toBeGreaterThan(0);
      const res = await request(`${started.url}/health`);
      expect(await res.body.json()).toEqual({ status: 'ok' });
      started.child.kill(signal);
      const { code, stdout, stderr } = await started.exited;
      expect(code).toBe(0);
      expect(stdout).toBe(`cicada demo target listening on ${started.url}\n`);
      expect(stderr).toBe('');
    });
  }

  it('prints the routes to stderr unless --quiet', async () => {
    const started = await startMain(['--port', '0']);
    started.child.kill('SIGTERM');
    const { stderr, stdout } = await started.exited;
    expect(stderr).toContain('/api/login');
    expect(stdout.split('\n').filter(Boolean)).toHaveLength(1);
  });

  it('exits when the parent disconnects its IPC channel', async () => {
    const started = await startMain(['--port', '0', '--quiet'], true);
    started.child.disconnect();
    expect((await started.exited).code).toBe(0);
  });

  it('exits 1 when the port is taken and 2 on bad arguments', async () => {
    const first = await startMain(['--port', '0', '--quiet']);
    const taken = spawn(process.execPath, [MAIN, '--port', String(first.port), '--quiet']);
    children.push(taken);
    let takenErr = '';
    taken.stderr.setEncoding('utf8').on('data', (s: string) => (takenErr += s));
    expect(await new Promise((resolve) => taken.once('close', resolve))).toBe(1);
    expect(takenErr).toContain('already in use');
    first.child.kill('SIGTERM');
    await first.exited;

    const bad = spawn(process.execPath, [MAIN, '--port', 'eighty']);
    children.push(bad);
    expect(await new Promise((resolve) => bad.once('close', resolve))).toBe(2);
  });
});
