/**
 * Runs the built CLI (`dist/cli/main.js`) as a child process, the way a user or CI job does.
 * `npm test` builds first; these tests need that build.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';
import { readResultsCsv } from '../../src/report/load-results.js';
import { startCountingServer, type CountingServer } from '../support/counting-server.js';

export const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunningCli {
  child: ChildProcess;
  /** Resolves when the process exits. */
  result: Promise<CliResult>;
  /** Resolves once stdout or stderr has contained `pattern`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** stdout then stderr, as printed so far. */
  output(): string;
}

/**
 * Children still running when a test file ends (a test failed or timed out before they exited) are
 * killed, so a failed test never leaves a load generator running behind it. Per file, not per test:
 * `it.concurrent` tests share hooks, and one test's end must not kill another's child.
 */
const live = new Set<ChildProcess>();
afterAll(() => {
  for (const child of live) child.kill('SIGKILL');
  live.clear();
});

/** An empty home directory for the CLI: a real `~/.cicada.conf` must never change what tests see. */
let emptyHome: string | null = null;
export function testHome(): string {
  emptyHome ??= mkdtempSync(join(tmpdir(), 'cicada-home-'));
  return emptyHome;
}

/**
 * Starts the CLI with a clean environment (no CI variables leaking into behaviour we assert on) and
 * an empty HOME unless `env.HOME` says otherwise.
 */
export function startCli(
  args: string[],
  opts: { cwd?: string; env?: Record<string, string>; command?: (argv: readonly string[]) => [string, string[]] } = {},
): RunningCli {
  // `command` wraps the invocation (e.g. `ip netns exec NS ...`: a worker inside a namespace).
  const [file, argv] = opts.command?.([process.execPath, CLI, ...args]) ?? [process.execPath, [CLI, ...args]];
  const child = spawn(file, argv, {
    cwd: opts.cwd,
    env: { PATH: process.env.PATH ?? '', HOME: testHome(), NO_COLOR: '1', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  child.on('exit', () => live.delete(child));
  let stdout = '';
  let stderr = '';
  const waiters: { pattern: RegExp; resolve: () => void }[] = [];
  const check = (): void => {
    for (let i = waiters.length - 1; i >= 0; i--) {
      if (waiters[i]!.pattern.test(stdout + stderr)) waiters.splice(i, 1)[0]!.resolve();
    }
  };
  child.stdout!.on('data', (c: Buffer) => ((stdout += c), check()));
  child.stderr!.on('data', (c: Buffer) => ((stderr += c), check()));
  const result = new Promise<CliResult>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return {
    child,
    result,
    output: () => stdout + stderr,
    waitFor(pattern, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern}; output so far:\n${stdout}\n${stderr}`)), timeoutMs);
        waiters.push({ pattern, resolve: () => (clearTimeout(timer), resolve()) });
        check();
      });
    },
  };
}

export function runCli(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): Promise<CliResult> {
  return startCli(args, opts).result;
}

/** A temporary working directory with the given files. */
export function workdir(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'cicada-test-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

/** The run directories under `<cwd>/results` (not `latest`, which names the newest of them). */
export function runDirs(cwd: string, base = 'results'): string[] {
  try {
    return readdirSync(join(cwd, base))
      .filter((d) => d !== 'latest')
      .map((d) => join(cwd, base, d));
  } catch {
    return [];
  }
}

/** Parses a CSV file written by cicada (with the parser `cicada report` reads results with). */
export function readCsv(path: string): string[][] {
  return readResultsCsv(readFileSync(path, 'utf8'), path);
}

/** The stats.csv row for `name` as a header→value record. */
export function statsRow(path: string, name: string): Record<string, string> {
  const [header, ...rows] = readCsv(path);
  const row = rows.find((r) => r[1] === name);
  if (row === undefined) throw new Error(`no row ${name} in ${path}`);
  return Object.fromEntries(header!.map((h, i) => [h, row[i]!]));
}

/**
 * A counting server per call, closed when the file's tests are done: `const server = useServers();`
 * at the top of a test file, then `await server({ delayMs: 5 })` in a test. Not after each test:
 * it.concurrent tests share hooks, so one test ending would close the servers of those still running.
 */
export function useServers(): (opts?: Parameters<typeof startCountingServer>[0]) => Promise<CountingServer> {
  const servers: CountingServer[] = [];
  afterAll(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });
  return async (opts = {}) => {
    const s = await startCountingServer(opts);
    servers.push(s);
    return s;
  };
}
