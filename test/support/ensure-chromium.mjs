#!/usr/bin/env node
/**
 * Makes sure a headless browser is there for test/e2e/html-report.test.ts (`npm test` runs this
 * before vitest). Uses $CICADA_CHROMIUM, else Debian's /usr/bin/chromium; when it is missing and
 * this runs as root where apt-get exists (a clean CI machine), installs Debian's `chromium`
 * package, saying so. Anything else fails loudly with what to do: the browser test is part of the
 * suite, not optional.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const wanted = process.env.CICADA_CHROMIUM || '/usr/bin/chromium';

function fail(message) {
  console.error(`ensure-chromium: ${message}`);
  process.exit(1);
}

if (existsSync(wanted)) process.exit(0);
if (process.env.CICADA_CHROMIUM) fail(`CICADA_CHROMIUM=${wanted} does not exist`);

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (!existsSync('/usr/bin/apt-get')) {
  fail(`${wanted} is missing and there is no apt-get here. Install Chromium and set CICADA_CHROMIUM=/path/to/chromium.`);
}
if (!isRoot) {
  fail(`${wanted} is missing. Install it with: sudo apt-get install -y chromium (or set CICADA_CHROMIUM=/path/to/chromium).`);
}

const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
for (const args of [['update'], ['install', '-y', 'chromium']]) {
  console.log(`ensure-chromium: ${wanted} is missing; running apt-get ${args.join(' ')}`);
  const r = spawnSync('apt-get', args, { stdio: 'inherit', env });
  if (r.status !== 0) fail(`apt-get ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
}
if (!existsSync(wanted)) fail(`apt-get installed chromium, but ${wanted} is still missing`);
console.log(`ensure-chromium: installed ${wanted}`);
