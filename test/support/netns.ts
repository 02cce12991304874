/**
 * A small private network for distributed tests: N Linux network namespaces (`ip netns`), each
 * joined by a veth pair to a bridge the test creates in the host namespace, on a /24 of 10.x that
 * no interface here uses. Programs started with `node.command(...)` run inside their namespace and
 * can reach only the bridge address (`hostAddress`), where the test's servers listen.
 *
 * Where namespaces are not permitted (no CAP_NET_ADMIN, a container without `ip netns`), the
 * network falls back to loopback aliases: every node is 127.0.0.x, the host is 127.0.0.1, programs
 * run as ordinary children. `mode` and `reason` say which was used, so a test can report it.
 *
 * Names are unique per process and call (`cicada-<id>-<i>`, `cb<id>`, `cv<id><i>a/b`), and
 * everything is removed by `close()` — and, should the test process die first, by an exit hook.
 */
import { spawnSync } from 'node:child_process';
import { toolPath } from './tools.js';

export interface NetNode {
  /** The namespace's name, or null on loopback. */
  readonly namespace: string | null;
  /** This node's own address (in its namespace, or a loopback alias). */
  readonly address: string;
  /** `[file, args]` that runs `argv` inside this node's namespace (as is on loopback). */
  command(argv: readonly string[]): [string, string[]];
  /**
   * Delays every packet this node sends by `ms` with `tc netem`, when the kernel has it. Returns
   * null when applied, else why not (the caller falls back to another way of being late).
   */
  delay(ms: number): string | null;
}

export interface TestNetwork {
  readonly mode: 'netns' | 'loopback';
  /** Why namespaces were not used (null when they were). */
  readonly reason: string | null;
  /** Where the test's servers listen so every node reaches them. */
  readonly hostAddress: string;
  readonly nodes: readonly NetNode[];
  /** Removes the namespaces, veth pairs and bridge. Idempotent. */
  close(): void;
}

export interface TestNetworkOptions {
  /** `loopback` skips namespaces (to exercise the fallback); default `auto`. */
  readonly mode?: 'auto' | 'loopback';
}

let created = 0;
const live = new Set<TestNetwork>();
let exitHooked = false;

export function createTestNetwork(count: number, opts: TestNetworkOptions = {}): TestNetwork {
  if (!(count >= 1 && count <= 50)) throw new Error(`createTestNetwork: 1..50 nodes, got ${count}`);
  if (opts.mode === 'loopback') return loopback(count, 'loopback requested');
  const ip = toolPath('ip');
  const id = `${(process.pid % 1296).toString(36).padStart(2, '0')}${(created++ % 36).toString(36)}`;
  const bridge = `cb${id}`;
  const namespaces: string[] = [];
  const remove = (): void => {
    for (const ns of namespaces) run(ip, ['netns', 'del', ns]);
    run(ip, ['link', 'del', bridge]);
  };
  const probe = run(ip, ['netns', 'add', `cicada-${id}-0`]);
  if (probe !== null) return loopback(count, `ip netns add failed: ${probe}`);
  namespaces.push(`cicada-${id}-0`);
  try {
    const subnet = freeSubnet(ip);
    const hostAddress = `${subnet}.1`;
    must(ip, ['link', 'add', bridge, 'type', 'bridge']);
    must(ip, ['addr', 'add', `${hostAddress}/24`, 'dev', bridge]);
    must(ip, ['link', 'set', bridge, 'up']);
    const nodes: NetNode[] = [];
    for (let i = 0; i < count; i++) {
      const ns = `cicada-${id}-${i}`;
      if (i > 0) {
        must(ip, ['netns', 'add', ns]);
        namespaces.push(ns);
      }
      const outside = `cv${id}${i}a`;
      const inside = `cv${id}${i}b`;
      const address = `${subnet}.${i + 2}`;
      must(ip, ['link', 'add', outside, 'type', 'veth', 'peer', 'name', inside]);
      must(ip, ['link', 'set', outside, 'master', bridge, 'up']);
      must(ip, ['link', 'set', inside, 'netns', ns]);
      must(ip, ['netns', 'exec', ns, ip, 'addr', 'add', `${address}/24`, 'dev', inside]);
      must(ip, ['netns', 'exec', ns, ip, 'link', 'set', inside, 'up']);
      must(ip, ['netns', 'exec', ns, ip, 'link', 'set', 'lo', 'up']);
      nodes.push({
        namespace: ns,
        address,
        command: (argv) => [ip, ['netns', 'exec', ns, ...argv]],
        delay: (ms) => run(ip, ['netns', 'exec', ns, toolPath('tc'), 'qdisc', 'replace', 'dev', inside, 'root', 'netem', 'delay', `${ms}ms`]),
      });
    }
    const net: TestNetwork = {
      mode: 'netns',
      reason: null,
      hostAddress,
      nodes,
      close: () => {
        if (!live.delete(net)) return;
        remove();
      },
    };
    track(net);
    return net;
  } catch (err) {
    remove();
    throw err;
  }
}

function loopback(count: number, reason: string): TestNetwork {
  const nodes: NetNode[] = Array.from({ length: count }, (_, i) => ({
    namespace: null,
    address: `127.0.0.${i + 10}`,
    command: (argv) => [argv[0]!, argv.slice(1)],
    delay: () => 'no namespaces: tc netem would delay the whole loopback interface',
  }));
  return { mode: 'loopback', reason, hostAddress: '127.0.0.1', nodes, close: () => {} };
}

/** A 10.x.y prefix no interface here has an address in. */
function freeSubnet(ip: string): string {
  const used = spawnSync(ip, ['-o', '-4', 'addr', 'show'], { encoding: 'utf8' }).stdout;
  for (let attempt = 0; attempt < 100; attempt++) {
    const prefix = `10.${200 + Math.floor(Math.random() * 50)}.${Math.floor(Math.random() * 256)}`;
    if (!used.includes(` ${prefix}.`)) return prefix;
  }
  throw new Error('no free 10.x.y.0/24 for a test network');
}

/** Runs a command; null when it succeeded, else its error output. */
function run(file: string, args: readonly string[]): string | null {
  const r = spawnSync(file, args, { encoding: 'utf8', timeout: 10_000 });
  if (r.status === 0) return null;
  return (r.stderr || r.error?.message || `exit ${String(r.status)}`).trim();
}

function must(file: string, args: readonly string[]): void {
  const problem = run(file, args);
  if (problem !== null) throw new Error(`${file} ${args.join(' ')}: ${problem}`);
}

function track(net: TestNetwork): void {
  live.add(net);
  if (exitHooked) return;
  exitHooked = true;
  // A test that dies between create and close must not leave namespaces or a bridge behind.
  process.once('exit', () => {
    for (const n of [...live]) n.close();
  });
}
