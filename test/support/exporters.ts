/**
 * Real Prometheus programs for the monitor tests, each on its own loopback port with its files in a
 * temporary directory: Debian's node_exporter (a few collectors) and the Prometheus server (a
 * scrape config of the test's choosing). `stop()` ends the process and removes its files.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOOPBACK, sleep } from './listen.js';
import { toolPath } from './tools.js';

export interface RunningTool {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  readonly child: ChildProcess;
  /** Output so far (for failure messages). */
  output(): string;
  stop(): Promise<void>;
}

/** A port free right now on loopback (the program binds it a moment later). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, LOOPBACK, resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

async function startTool(bin: string, args: (port: number) => string[], ready: string, dir: string | null): Promise<RunningTool> {
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const child = spawn(bin, args(port), { stdio: ['ignore', 'pipe', 'pipe'], ...(dir !== null ? { cwd: dir } : {}) });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    const url = `http://${LOOPBACK}:${port}`;
    const deadline = Date.now() + 15_000;
    let up = false;
    while (Date.now() < deadline && child.exitCode === null) {
      try {
        const res = await fetch(`${url}${ready}`);
        await res.arrayBuffer();
        if (res.ok) {
          up = true;
          break;
        }
      } catch {
        // not listening yet
      }
      await sleep(100);
    }
    const stop = async (): Promise<void> => {
      if (child.exitCode === null && child.signalCode === null) {
        const gone = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await Promise.race([gone, sleep(5000)]);
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      }
      if (dir !== null) rmSync(dir, { recursive: true, force: true });
    };
    if (up) return { url, child, output: () => out, stop };
    child.kill('SIGKILL');
    // The port was taken between finding it and binding it: try another.
    if (attempt < 2 && /address already in use/i.test(out)) continue;
    if (dir !== null) rmSync(dir, { recursive: true, force: true });
    throw new Error(`${bin} did not start: ${out.slice(-2000)}`);
  }
}

/** node_exporter with only the cpu, meminfo and loadavg collectors. */
export function startNodeExporter(): Promise<RunningTool> {
  return startTool(
    toolPath('prometheus-node-exporter'),
    (port) => [`--web.listen-address=${LOOPBACK}:${port}`, '--collector.disable-defaults', '--collector.cpu', '--collector.meminfo', '--collector.loadavg'],
    '/metrics',
    null,
  );
}

/** A Prometheus server scraping `targets` (host:port) every second, with its storage in a temporary directory. */
export function startPrometheus(targets: readonly string[]): Promise<RunningTool> {
  const dir = mkdtempSync(join(tmpdir(), 'cicada-prometheus-'));
  const config = [
    'global:',
    '  scrape_interval: 1s',
    '  evaluation_interval: 1s',
    'scrape_configs:',
    '  - job_name: test',
    '    static_configs:',
    `      - targets: [${targets.map((t) => `'${t}'`).join(', ')}]`,
    '',
  ].join('\n');
  writeFileSync(join(dir, 'prometheus.yml'), config);
  return startTool(
    toolPath('prometheus'),
    (port) => [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=${LOOPBACK}:${port}`],
    '/-/ready',
    dir,
  );
}
