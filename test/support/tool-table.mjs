/**
 * The real programs the suite runs, each with the Debian package that provides it. One table for
 * the installer (ensure-tools.mjs) and the tests (tools.ts). `env` names a variable that may point
 * at another copy (CICADA_CHROMIUM=/path/to/chromium).
 */
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export const TOOLS = [
  { name: 'chromium', pkg: 'chromium', env: 'CICADA_CHROMIUM' },
  { name: 'tmux', pkg: 'tmux' },
  { name: 'nats-server', pkg: 'nats-server' },
  { name: 'nginx', pkg: 'nginx' },
  { name: 'prometheus', pkg: 'prometheus' },
  { name: 'prometheus-node-exporter', pkg: 'prometheus-node-exporter' },
  { name: 'tinyproxy', pkg: 'tinyproxy' },
  { name: 'ip', pkg: 'iproute2' },
  { name: 'tc', pkg: 'iproute2' },
  { name: 'openssl', pkg: 'openssl' },
  // Shells whose completion scripts `cicada completion` writes (bash is always there).
  { name: 'zsh', pkg: 'zsh' },
  { name: 'fish', pkg: 'fish' },
  { name: 'unshare', pkg: 'util-linux' },
  { name: 'mkfifo', pkg: 'coreutils' },
];

const SYSTEM_DIRS = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

/** The absolute path of a tool from the table, or null when it is not installed. */
export function findTool(tool) {
  if (tool.env && process.env[tool.env]) return existsSync(process.env[tool.env]) ? process.env[tool.env] : null;
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), ...SYSTEM_DIRS];
  for (const dir of dirs) {
    const p = join(dir, tool.name);
    if (existsSync(p)) return p;
  }
  return null;
}
