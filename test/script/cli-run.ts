/**
 * The built CLI for tests that run side by side (`describe.concurrent`): test/cli/cli.ts kills every
 * child still running when any test ends, which would kill a neighbour's run. Here each child is
 * bounded by its own timeout instead (SIGKILL), so none outlives its test for long.
 */
import { spawn } from 'node:child_process';
import { CLI, type CliResult } from '../cli/cli.js';

export function runCliBounded(args: string[], opts: { cwd: string; timeoutMs?: number }): Promise<CliResult> {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: opts.cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: opts.timeoutMs ?? 60_000,
    killSignal: 'SIGKILL',
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c));
  child.stderr.on('data', (c: Buffer) => (stderr += c));
  return new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
}
