#!/usr/bin/env node
// The bench's node:http target, run in its own process (pinned by the caller). Routes:
//   /                   200 "ok" at once (the throughput target when nginx is not installed)
//   /delay/<ms>         200 "ok" after <ms> milliseconds (10,000 users against a 1 s endpoint)
//   /spread/<lo>/<hi>   200 "ok" after a uniformly random lo..hi ms (statistics agreement)
// Prints `{"port":N}` on stdout once listening. Keep-alive connections are kept for a minute and
// never capped, like nginx with the bench's config.
import { createServer } from 'node:http';

const OK = Buffer.from('ok');
const HEADERS = { 'content-type': 'text/plain', 'content-length': '2' };

function reply(res) {
  res.writeHead(200, HEADERS);
  res.end(OK);
}

const server = createServer((req, res) => {
  const url = req.url ?? '/';
  if (url === '/') return reply(res);
  const parts = url.split('/');
  if (parts[1] === 'delay') return void setTimeout(reply, Number(parts[2]) || 0, res);
  if (parts[1] === 'spread') {
    const lo = Number(parts[2]) || 0;
    const hi = Number(parts[3]) || lo;
    return void setTimeout(reply, lo + Math.random() * (hi - lo), res);
  }
  res.writeHead(404, HEADERS);
  res.end(OK);
});
server.keepAliveTimeout = 60_000;
server.headersTimeout = 65_000;
server.requestTimeout = 0;
server.maxRequestsPerSocket = 0;
server.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`);
});
process.on('SIGTERM', () => process.exit(0));
