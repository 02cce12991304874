#!/usr/bin/env node
/**
 * The engine and the statistics without the network: a Runner with N users looping one GET with a
 * status check, whose undici `Client.dispatch` is replaced by a stub that answers `200 ok` on the
 * next turn of the event loop (setImmediate, like undici's own resume). What is left is cicada's own
 * cost per request — the user state machine, the Call handler, checks, `StatsCollector.request` —
 * plus the stub's. For profiling and for reading the cost of a change; verify a change with ab.mjs
 * (real sockets, side by side), not with this.
 *
 *   node test/bench/engine-loop.mjs [--users 50] [--seconds 5] [--dist DIR]   (after npm run build)
 *   node --cpu-prof test/bench/engine-loop.mjs && node test/bench/profile-summary.mjs CPU.*.cpuprofile
 */
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { Client } from 'undici';

const { values: args } = parseArgs({
  options: {
    users: { type: 'string', default: '50' },
    seconds: { type: 'string', default: '5' },
    dist: { type: 'string', default: new URL('../../dist', import.meta.url).pathname },
  },
});
const load = (p) => import(pathToFileURL(join(args.dist, p)).href);
const { parseScenario } = await load('scenario/load.js');
const { Runner } = await load('engine/runner.js');
const { StatsCollector } = await load('stats/collector.js');
// A dist from before the run clock (--dist of an older checkout) has no run/clock.js; its Runner keeps its own.
const { RunClock } = await load('run/clock.js').catch(() => ({ RunClock: null }));

const RAW_HEADERS = [Buffer.from('content-type'), Buffer.from('text/plain'), Buffer.from('content-length'), Buffer.from('2')];
const BODY = Buffer.from('ok');
const noop = () => {};
let stubbed = 0;
Client.prototype.dispatch = function dispatch(_opts, handler) {
  stubbed++;
  setImmediate(() => {
    handler.onConnect(noop);
    handler.onHeaders(200, RAW_HEADERS, noop, 'OK');
    handler.onData(BODY);
    handler.onComplete([]);
  });
  return true;
};

const scenario = parseScenario(
  ['name: engine-loop', 'host: http://127.0.0.1:9', 'userClasses:', '  - name: U', '    tasks:', '      - get: /', '        check: { status: 200 }', ''].join('\n'),
  'engine-loop.yaml',
  { overrides: { users: args.users, spawnRate: '100000', runTime: `${args.seconds}s` } },
);
const collector = new StatsCollector();
const runner = new Runner(scenario, { sink: collector, clock: RunClock === null ? undefined : new RunClock() });
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const ticker = setInterval(() => collector.tick(Date.now(), runner.status().users), 1000);
runner.start();
await runner.done;
clearInterval(ticker);
const wallMs = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
const requests = collector.snapshot(runner.status(), { eventLoopLagMs: 0, cpuPercent: 0, rssBytes: 0, heapUsedBytes: 0, saturated: false }).total.requests;
const cpuUs = cpu.user + cpu.system;
console.log(
  JSON.stringify({ users: Number(args.users), requests, dispatched: stubbed, wallMs: Math.round(wallMs), cpuMs: Math.round(cpuUs / 1000), usPerRequest: +(cpuUs / requests).toFixed(3), requestsPerCpuSecond: Math.round(requests / (cpuUs / 1e6)) }),
);
