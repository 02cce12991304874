/**
 * `cicada demo-target` serves the bundled demo API; `cicada demo` (what `npm start` runs) starts it
 * as a separate process — so it does not steal the engine's event loop — and runs
 * `scenarios/demo.yaml` against it, stopping the target at exit.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import meow from 'meow';
import { renderRunHelp } from './flags.js';
import { consoleOutput, EXIT } from './output.js';
import { runContextFrom } from './run-cli.js';
import { runCommand } from './run.js';
import { version } from './version.js';

const demoMain = fileURLToPath(new URL('../demo/main.js', import.meta.url));
export const demoScenario = fileURLToPath(new URL('../../scenarios/demo.yaml', import.meta.url));

export const targetHelp = `
  Usage
    $ cicada demo-target [--port N] [--host H] [--seed N] [--quiet] [--no-latency]

  Serves a small JSON API that behaves like a real one: /health, POST /api/login (token),
  /api/me, /api/items, /api/items/:id (some 404), /api/search, /api/slow, /api/flaky (some 500),
  /api/limited (429 over ~50 req/s), /api/reports (x-api-key: demo-key), /api/cart (cookie).

  Options
    --port N       Port (default 8089; 0 picks a free one)
    --host H       Address to bind (default 127.0.0.1)
    --seed N       Seed for latency, failures and tokens
    --quiet        Do not list the routes
    --no-latency   Answer every route at once
`;

export async function demoTargetCommand(argv: readonly string[]): Promise<number> {
  const cli = meow(targetHelp, {
    description: false,
    importMeta: import.meta,
    argv: [...argv],
    version,
    allowUnknownFlags: false,
    flags: {
      port: { type: 'string', default: '8089' },
      host: { type: 'string' },
      seed: { type: 'string' },
      quiet: { type: 'boolean', default: false },
      noLatency: { type: 'boolean', default: false },
    },
  });
  const args = ['--port', cli.flags.port];
  if (cli.flags.host !== undefined) args.push('--host', cli.flags.host);
  if (cli.flags.seed !== undefined) args.push('--seed', cli.flags.seed);
  if (cli.flags.quiet) args.push('--quiet');
  if (cli.flags.noLatency) args.push('--no-latency');
  const child = spawn(process.execPath, [demoMain, ...args], { stdio: 'inherit' });
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(s, forward);
  return new Promise((resolve) => child.on('exit', (code) => resolve(code ?? 0)));
}

/** Starts the demo target on a free port; resolves with its URL once it listens. */
export function startDemoProcess(): Promise<{ url: string; child: ChildProcess }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [demoMain, '--port', '0', '--quiet'], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
    let out = '';
    const onData = (chunk: Buffer): void => {
      out += chunk.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m !== null) {
        child.stdout!.off('data', onData);
        child.stdout!.resume();
        resolve({ url: m[1]!, child });
      }
    };
    child.stdout!.on('data', onData);
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`the demo target exited (code ${code}) before listening`)));
  });
}

/** `cicada demo --help`: the demo's usage, then every `run` option (the demo accepts them all). */
export const demoHelp = `
  Usage
    $ cicada demo [UserClass ...] [run options]

  Starts the bundled demo target on a free port and runs scenarios/demo.yaml against it,
  in the live terminal UI (or headless with --headless). Accepts every 'cicada run' option.
${renderRunHelp().replace(/^\s*Usage\n.*\n/, '')}`;

export async function demoCommand(argv: readonly string[]): Promise<number> {
  const ctx = runContextFrom({
    argv,
    command: 'demo',
    version,
    out: consoleOutput,
    env: process.env,
    tty: Boolean(process.stdout.isTTY) && Boolean(process.stdin.isTTY),
    help: demoHelp,
    fixedTarget: demoScenario,
  });
  if (typeof ctx === 'number') return ctx;
  let demo: { url: string; child: ChildProcess };
  try {
    demo = await startDemoProcess();
  } catch (err) {
    consoleOutput.error(`could not start the demo target: ${(err as Error).message}`);
    return EXIT.crashed;
  }
  const stopTarget = (): void => {
    if (demo.child.exitCode === null) demo.child.kill('SIGTERM');
  };
  process.on('exit', stopTarget);
  try {
    consoleOutput.info(`demo target listening on ${demo.url}`);
    return await runCommand({ ...ctx, flags: { ...ctx.flags, host: demo.url } });
  } finally {
    stopTarget();
  }
}
