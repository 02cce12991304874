/**
 * The five scripted examples (scenarios/scripted/) run against the demo target through the built
 * CLI, and what cicada counted equals what the target counted (`/__cicada/counts`).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoTarget, type DemoTarget } from '../../src/demo/server.js';
import { readCsv, runCli, runDirs, workdir } from '../cli/cli.js';

const SCRIPTED = join(import.meta.dirname, '..', '..', 'scenarios', 'scripted');

interface Row {
  readonly requests: number;
  readonly failures: number;
}

/** stats.csv as `Type Name` → counts (the Aggregated row excluded). */
function rows(dir: string): Map<string, Row> {
  const [header, ...body] = readCsv(join(dir, 'stats.csv'));
  const at = (name: string): number => header!.indexOf(name);
  const out = new Map<string, Row>();
  for (const r of body) {
    if (r[1] === 'Aggregated') continue;
    out.set(`${r[0]} ${r[1]}`, { requests: Number(r[at('Request Count')]), failures: Number(r[at('Failure Count')]) });
  }
  return out;
}

interface Ran {
  readonly counts: Record<string, number>;
  readonly stats: Map<string, Row>;
  readonly stderr: string;
  readonly code: number | null;
}

/** Runs one example for 2 s against its own demo target; `--stop-timeout` lets tasks finish. */
async function runExample(name: string): Promise<Ran> {
  const target: DemoTarget = await startDemoTarget({ quiet: true, latency: false });
  try {
    const cwd = workdir();
    const r = await runCli(['run', join(SCRIPTED, `${name}.yaml`), '--headless', '-t', '2s', '-u', '4', '-r', '100', '--stop-timeout', '10s', '-H', target.url], { cwd });
    const dir = runDirs(cwd)[0];
    if (dir === undefined) throw new Error(`no results: ${r.stderr}`);
    return { counts: target.counts(), stats: rows(dir), stderr: r.stderr, code: r.code };
  } finally {
    await target.close();
  }
}

describe('scripted examples against the demo target', () => {
  const runs = new Map<string, Ran>();
  beforeAll(async () => {
    // Side by side: each has its own target; together they take one run's time.
    const names = ['orders', 'feed', 'signed', 'tcp', 'nested'];
    const results = await Promise.all(names.map(runExample));
    names.forEach((n, i) => runs.set(n, results[i]!));
  }, 60_000);
  afterAll(() => runs.clear());

  const get = (name: string): Ran => {
    const r = runs.get(name)!;
    // 0, or 1 when failures fail a run (orders: some items are out of stock); never bad input or a crash.
    if (name === 'orders') expect([0, 1], r.stderr).toContain(r.code);
    else expect(r.code, r.stderr).toBe(0);
    return r;
  };

  it('orders: a 200 with an error text is a failure keyed by the server’s words, as often as the server refused', () => {
    const { counts, stats } = get('orders');
    const row = stats.get('POST /api/orders')!;
    expect(row.requests).toBe(counts['POST /api/orders']);
    expect(row.requests).toBeGreaterThan(5);
    expect(row.failures).toBe(counts['POST /api/orders → error'] ?? 0);
  });

  it('feed: every task follows next links through all 5 pages, each page counted once', () => {
    const { counts, stats } = get('feed');
    const row = stats.get('GET /api/feed?page=[n]')!;
    expect(row).toEqual({ requests: counts['GET /api/feed'], failures: 0 });
    expect(row.requests % 5).toBe(0);
    expect(row.requests).toBeGreaterThanOrEqual(20);
  });

  it('signed: every HMAC-signed request passes the server’s signature check', () => {
    const { counts, stats } = get('signed');
    const row = stats.get('POST /api/signed')!;
    expect(row).toEqual({ requests: counts['POST /api/signed'], failures: 0 });
    expect(row.requests).toBeGreaterThan(5);
  });

  it('tcp: PING round trips and connections recorded with record() equal the echo server’s counts', () => {
    const { counts, stats } = get('tcp');
    expect(stats.get('tcp PING')).toEqual({ requests: counts['TCP PING'], failures: 0 });
    expect(stats.get('tcp connect')).toEqual({ requests: counts['GET /tcp/echo'], failures: 0 });
    expect(counts['TCP PING']).toBeGreaterThan(10);
  });

  it('nested: item views and cart adds equal the server’s; interrupted flows add nothing to the cart', () => {
    const { counts, stats } = get('nested');
    const views = stats.get('GET /api/items/[id]')!;
    const carts = stats.get('POST /api/cart')!;
    expect(views).toEqual({ requests: counts['GET /api/items/:id'], failures: 0 });
    expect(carts).toEqual({ requests: counts['POST /api/cart'], failures: 0 });
    // Each flow views 1-5 items, then adds to the cart unless interrupted.
    expect(carts.requests).toBeGreaterThan(0);
    expect(carts.requests).toBeLessThanOrEqual(views.requests);
  });
});
