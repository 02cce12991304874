/**
 * The distributed tests' harnesses do what they claim: a real nats-server on an ephemeral port that
 * is gone after stop(); namespaces that reach the bridge address (and only the test's servers on
 * it) and are removed by close(), or the loopback fallback, saying which one was used.
 */
import { spawn, spawnSync } from 'node:child_process';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startCountingServer } from '../support/counting-server.js';
import { startNatsServer } from '../support/nats-server.js';
import { createTestNetwork, type TestNetwork } from '../support/netns.js';
import { toolPath } from '../support/tools.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

/** Whether a TCP connection to host:port is accepted. */
function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, host);
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

/** Runs `node -e` on a node of the network and returns what it printed. */
function nodeEval(net: TestNetwork, i: number, code: string): Promise<string> {
  const [file, args] = net.nodes[i]!.command([process.execPath, '-e', code]);
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c));
    child.stderr.on('data', (c: Buffer) => (out += c));
    child.once('error', reject);
    child.once('close', () => resolve(out.trim()));
  });
}

describe('startNatsServer', () => {
  it('serves NATS on an ephemeral loopback port and is gone after stop()', async () => {
    const nats = await startNatsServer();
    expect(nats.url).toMatch(/^nats:\/\/127\.0\.0\.1:\d+$/);
    expect(await accepts(nats.host, nats.port)).toBe(true);
    await nats.stop();
    expect(await accepts(nats.host, nats.port)).toBe(false);
  });
});

describe('createTestNetwork', () => {
  it('puts nodes in their own namespaces that reach the bridge address, and removes everything (or says why not)', async () => {
    const net = createTestNetwork(2);
    cleanups.push(() => net.close());
    // Where namespaces are not permitted the network says so (and the next test covers loopback).
    console.info(`test network: ${net.mode}${net.reason === null ? '' : ` (${net.reason})`}`);
    if (net.mode === 'loopback') {
      expect(net.reason).toMatch(/ip netns add failed/);
      return;
    }
    expect(net.reason).toBeNull();
    const srv = await startCountingServer({ host: net.hostAddress });
    cleanups.push(() => srv.close());
    const seen = await Promise.all(
      [0, 1].map((i) => nodeEval(net, i, `fetch(${JSON.stringify(srv.url + '/from' + i)}).then(r => r.text()).then(t => console.log(t), e => console.log('ERR', e.cause?.code))`)),
    );
    expect(seen).toEqual([expect.any(String), expect.any(String)]);
    expect(srv.byRoute()).toEqual({ 'GET /from0': 1, 'GET /from1': 1 });
    // A namespace has its own loopback: the host's 127.0.0.1 servers are out of reach from inside.
    const hostOnly = await startCountingServer();
    cleanups.push(() => hostOnly.close());
    expect(await nodeEval(net, 0, `fetch(${JSON.stringify(hostOnly.url)}).then(() => console.log('reached'), e => console.log('ERR', e.cause?.code))`)).toBe('ERR ECONNREFUSED');
    const names = net.nodes.map((n) => n.namespace!);
    net.close();
    const list = spawnSync(toolPath('ip'), ['netns', 'list'], { encoding: 'utf8' }).stdout;
    for (const ns of names) expect(list).not.toContain(ns);
    expect(spawnSync(toolPath('ip'), ['-o', '-4', 'addr', 'show'], { encoding: 'utf8' }).stdout).not.toContain(` ${net.hostAddress}/`);
  });

  it('falls back to loopback aliases and says so', async () => {
    const net = createTestNetwork(3, { mode: 'loopback' });
    expect(net.mode).toBe('loopback');
    expect(net.reason).toBe('loopback requested');
    expect(net.nodes.map((n) => n.address)).toEqual(['127.0.0.10', '127.0.0.11', '127.0.0.12']);
    const srv = await startCountingServer({ host: net.hostAddress });
    cleanups.push(() => srv.close());
    expect(await nodeEval(net, 2, `fetch(${JSON.stringify(srv.url + '/x')}).then(r => console.log(r.status))`)).toBe('200');
    expect(net.nodes[0]!.delay(50)).toMatch(/no namespaces/);
  });
});
