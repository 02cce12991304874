#!/usr/bin/env node
// The ceiling of cicada's transport: N undici Clients (pipelining 1), each looping GET on the raw
// `Client.dispatch` path with a legacy handler object that only counts — no statistics, no checks,
// no scenario. `npm run bench -- --raw` runs it next to cicada and autocannon.
//   node raw-dispatch.mjs URL CONNECTIONS SECONDS   → prints {"requests":N,"errors":N}
import { Client } from 'undici';

const [url, connections = '50', seconds = '10'] = process.argv.slice(2);
const u = new URL(url);
const options = { method: 'GET', path: u.pathname + u.search, headers: [], body: null };
let requests = 0;
let errors = 0;
let running = true;

class Loop {
  constructor() {
    this.client = new Client(u.origin, { pipelining: 1, headersTimeout: 0, bodyTimeout: 0 });
  }
  send() {
    this.client.dispatch(options, this);
  }
  onConnect() {}
  onHeaders() {
    return true;
  }
  onData() {
    return true;
  }
  onComplete() {
    requests++;
    if (running) this.send();
  }
  onError() {
    errors++;
    if (running) setTimeout(() => this.send(), 10);
  }
}

const loops = Array.from({ length: Number(connections) }, () => new Loop());
for (const l of loops) l.send();
setTimeout(() => {
  running = false;
  process.stdout.write(`${JSON.stringify({ requests, errors })}\n`);
  for (const l of loops) l.client.destroy().catch(() => {});
}, Number(seconds) * 1000);
