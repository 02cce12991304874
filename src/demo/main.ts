/**
 * Standalone entry for the demo target: `node dist/demo/main.js [--port N] [--host H] [--seed N]
 * [--quiet] [--no-latency]`. Once listening it prints exactly one line to stdout,
 * `cicada demo target listening on http://HOST:PORT`, so a parent that passed `--port 0` can read
 * the port. Spawned with an IPC channel, it also sends `{event: 'listening', url, port}` first, and
 * exits when the parent disconnects (or dies). SIGINT, SIGTERM and SIGHUP close it and exit 0. Bad
 * arguments exit 2, a listen error (port in use) exits 1.
 */

import { parseArgs } from 'node:util';
import { DEFAULT_DEMO_PORT, startDemoTarget } from './server.js';

const USAGE = `usage: node dist/demo/main.js [--port N] [--host H] [--seed N] [--quiet] [--no-latency]
  --port N       port to listen on (default ${DEFAULT_DEMO_PORT}; 0 picks a free one)
  --host H       address to bind (default 127.0.0.1)
  --seed N       seed for latency, flaky failures and tokens (default random)
  --quiet        do not print the route list to stderr
  --no-latency   answer every route at once`;

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

function integerArg(name: string, raw: string | undefined, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(n) || n < min || n > max) fail(`--${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  return n;
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string', short: 'p' },
        host: { type: 'string' },
        seed: { type: 'string' },
        quiet: { type: 'boolean', short: 'q' },
        'no-latency': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    fail(err instanceof Error ? err.message : String(err));
  }
  if (values.help === true) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const port = integerArg('port', values.port, 0, 65535) ?? DEFAULT_DEMO_PORT;
  const seed = integerArg('seed', values.seed, 0, 0xffffffff);

  let target;
  try {
    target = await startDemoTarget({
      port,
      host: values.host ?? '127.0.0.1',
      quiet: values.quiet === true,
      latency: values['no-latency'] !== true,
      ...(seed === undefined ? {} : { seed }),
    });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    process.stderr.write(
      code === 'EADDRINUSE'
        ? `cicada demo target: port ${port} is already in use (try --port 0)\n`
        : `cicada demo target: ${err instanceof Error ? err.message : String(err)}\n`,
    );
    process.exit(1);
  }

  let stopping = false;
  const shutdown = (): void => {
    if (stopping) return;
    stopping = true;
    // Should close hang, leave anyway.
    setTimeout(() => process.exit(0), 2000).unref();
    void target.close().then(() => process.exit(0));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  process.on('SIGHUP', shutdown);
  process.on('disconnect', shutdown);

  // The callback swallows the error of a parent that disconnected before the message went out.
  if (process.connected) process.send?.({ event: 'listening', url: target.url, port: target.port }, undefined, {}, () => {});
  process.stdout.write(`cicada demo target listening on ${target.url}\n`);
}

void main();
