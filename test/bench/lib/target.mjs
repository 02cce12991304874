// The bench's targets, each in its own process pinned to the target CPU: nginx for throughput when
// it is installed (a temporary config: one worker, `return 200 "ok"`, no access log, keep-alive
// never capped), and always the node:http server of target-server.mjs, which serves the delay
// endpoints (and the throughput endpoint when there is no nginx).
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, pinned, tempDir, waitForPort } from './proc.mjs';

const here = new URL('.', import.meta.url).pathname;

export function findNginx() {
  for (const bin of ['nginx', '/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/local/nginx/sbin/nginx']) {
    if (spawnSync(bin, ['-v'], { stdio: 'ignore' }).status === 0) return bin;
  }
  return null;
}

/**
 * @param {{cpu: number|null, nginx: boolean}} o `nginx: false` forces the node server for throughput
 * @returns {Promise<{kind: 'nginx'|'node', throughputUrl: string, nodeUrl: string, pids: number[], stop: () => Promise<void>}>}
 */
export async function startTargets(o) {
  const children = [];
  const stop = async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
    await Promise.all(children.map((c) => (c.exitCode !== null || c.signalCode !== null ? null : new Promise((r) => c.once('exit', r)))));
  };
  try {
    const node = await startNode(o.cpu, children);
    const nodeUrl = `http://127.0.0.1:${node}`;
    const bin = o.nginx ? findNginx() : null;
    if (bin === null) return { kind: 'node', throughputUrl: `${nodeUrl}/`, nodeUrl, pids: children.map((c) => c.pid), stop };
    const port = await startNginx(bin, o.cpu, children);
    return { kind: 'nginx', throughputUrl: `http://127.0.0.1:${port}/`, nodeUrl, pids: children.map((c) => c.pid), stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

async function startNode(cpu, children) {
  const argv = pinned(cpu, [process.execPath, join(here, 'target-server.mjs')]);
  const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let buf = '';
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`the node target exited (${code})`)));
    child.stdout.setEncoding('utf8').on('data', (d) => {
      buf += d;
      const nl = buf.indexOf('\n');
      if (nl !== -1) resolve(JSON.parse(buf.slice(0, nl)).port);
    });
  });
}

async function startNginx(bin, cpu, children) {
  const dir = tempDir('nginx');
  const port = await freePort();
  const conf = join(dir, 'nginx.conf');
  writeFileSync(
    conf,
    `worker_processes 1;
daemon off;
master_process on;
pid ${dir}/nginx.pid;
error_log stderr warn;
worker_rlimit_nofile 65536;
events { worker_connections 32768; multi_accept on; }
http {
  access_log off;
  keepalive_requests 1000000000;
  keepalive_timeout 300s;
  server_tokens off;
  client_body_temp_path ${dir};
  proxy_temp_path ${dir};
  fastcgi_temp_path ${dir};
  uwsgi_temp_path ${dir};
  scgi_temp_path ${dir};
  server {
    listen 127.0.0.1:${port} backlog=4096;
    location / { default_type text/plain; return 200 "ok"; }
  }
}
`,
  );
  const argv = pinned(cpu, [bin, '-c', conf, '-p', dir, '-e', 'stderr']);
  const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr.setEncoding('utf8').on('data', (d) => (err += d));
  children.push(child);
  const exited = new Promise((_, reject) => child.on('exit', (code) => reject(new Error(`nginx exited (${code}): ${err.trim()}`))));
  exited.catch(() => {}); // stopping it later is no failure
  await Promise.race([waitForPort(port), exited]);
  return port;
}
