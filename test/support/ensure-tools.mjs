#!/usr/bin/env node
/**
 * Makes sure every real program the suite tests against is installed (`npm test` runs this before
 * vitest): headless Chromium for the HTML report, tmux for the TUI end-to-end tests, nats-server
 * for distributed runs, nginx as a fast target, Prometheus and node_exporter for monitors,
 * tinyproxy for proxies, iproute2 for network namespaces. What is missing is installed with
 * Debian's apt-get (one `apt-get update`, one `apt-get install`) when this runs as root, saying so.
 * Anything else fails loudly with what to do: these tests are part of the suite, never skipped.
 *
 * The tests find the programs with `toolPath()` from test/support/tools.ts, which reads the same
 * table.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { TOOLS, findTool } from './tool-table.mjs';

function fail(message) {
  console.error(`ensure-tools: ${message}`);
  process.exit(1);
}

const missing = TOOLS.filter((t) => findTool(t) === null);
if (missing.length === 0) process.exit(0);

const names = missing.map((t) => `${t.name} (Debian package ${t.pkg})`).join(', ');
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (!existsSync('/usr/bin/apt-get')) fail(`missing: ${names}, and there is no apt-get here. Install them and run again.`);
if (!isRoot) fail(`missing: ${names}. Install them with: sudo apt-get install -y ${missing.map((t) => t.pkg).join(' ')}`);

const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
const pkgs = [...new Set(missing.map((t) => t.pkg))];
for (const args of [['update'], ['install', '-y', '--no-install-recommends', ...pkgs]]) {
  console.log(`ensure-tools: missing ${names}; running apt-get ${args.join(' ')}`);
  const r = spawnSync('apt-get', args, { stdio: 'inherit', env });
  if (r.status !== 0) fail(`apt-get ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
}
const still = TOOLS.filter((t) => findTool(t) === null);
if (still.length > 0) fail(`apt-get ran, but these are still missing: ${still.map((t) => t.name).join(', ')}`);
console.log(`ensure-tools: installed ${pkgs.join(', ')}`);
