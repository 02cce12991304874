/**
 * `--metrics-port N`: live Prometheus metrics while the run lasts, scraped directly (read with the
 * strict exposition parser the monitors use) and by a real Prometheus server started here. The
 * target answers its first 30 requests and then holds every later one, so cicada's count stands
 * still at exactly what the server answered and the scraped counters can be compared with it.
 */
import { existsSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseExposition, type Exposition } from '../../src/run/monitors/exposition.js';
import { freePort, startPrometheus } from '../support/exporters.js';
import { runCli, startCli, useServers, workdir } from './cli.js';

const server = useServers();

const ANSWERED = 30;

/** A target that answers /missing with 404, everything else with 200, and holds requests after the 30th. */
async function holdingTarget() {
  let seen = 0;
  const held: string[] = [];
  const srv = await server({
    status: (req: IncomingMessage) => (req.url === '/missing' ? 404 : 200),
    delayMs: (req: IncomingMessage) => {
      if (++seen <= ANSWERED) return 0;
      held.push(req.url ?? '');
      return 60_000;
    },
  });
  /** Requests per route the server answered (received minus held). */
  const answered = (route: string, path: string): number => (srv.byRoute()[route] ?? 0) - held.filter((p) => p === path).length;
  return { srv, answered };
}

const plan = (host: string): string =>
  `name: metrics\nhost: ${host}\nusers: 3\nspawnRate: 100\nuserClasses:\n  - name: U\n    wait: { constant: 20ms }\n    tasks:\n      - get: /ok\n        weight: 2\n      - get: /missing\n`;

const sample = (e: Exposition, name: string, labels: Record<string, string> = {}): number | undefined =>
  e.samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels.some(([lk, lv]) => lk === k && lv === v)))?.value;

async function until<T>(probe: () => Promise<T | null>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown = null;
  while (Date.now() < deadline) {
    try {
      const v = await probe();
      if (v !== null) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}${last === null ? '' : ` (${String(last)})`}`);
}

describe('--metrics-port', () => {
  it.each([[[] as string[]], [['--processes', '2']]])('serves per-endpoint counters, status codes, cumulative latency buckets, users, RPS and state; the counts are the server’s (%j)', async (extra) => {
    const { srv, answered } = await holdingTarget();
    const cwd = workdir({ 's.yaml': plan(srv.url) });
    const cli = startCli(['run', 's.yaml', '--headless', '--only-summary', '-t', '30s', '--metrics-port', '0', '--exit-code-on-error', '0', ...extra], { cwd });
    let stderr = '';
    cli.child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    try {
      await cli.waitFor(/metrics: http:\/\/127\.0\.0\.1:\d+\/metrics/);
      const url = /metrics: (http:\/\/127\.0\.0\.1:\d+\/metrics)/.exec(stderr)![1]!;
      // Held: the count stands still at what the server answered.
      const text = await until(async () => {
        const res = await fetch(url);
        const body = await res.text();
        const e = parseExposition(body);
        const total = e.samples.filter((s) => s.name === 'cicada_requests_total').reduce((n, s) => n + s.value, 0);
        return total === ANSWERED && srv.responded === ANSWERED ? { body, type: res.headers.get('content-type') } : null;
      }, `${ANSWERED} requests at the metrics endpoint`);
      expect(text.type).toBe('text/plain; version=0.0.4; charset=utf-8');
      const e = parseExposition(text.body);
      expect(e.types.get('cicada_requests_total')).toBe('counter');
      expect(e.types.get('cicada_response_time_seconds')).toBe('histogram');
      expect(e.types.get('cicada_users')).toBe('gauge');
      const ok = { method: 'GET', name: '/ok' };
      const missing = { method: 'GET', name: '/missing' };
      expect(sample(e, 'cicada_requests_total', ok)).toBe(answered('GET /ok', '/ok'));
      expect(sample(e, 'cicada_requests_total', missing)).toBe(answered('GET /missing', '/missing'));
      expect(sample(e, 'cicada_failures_total', missing)).toBe(answered('GET /missing', '/missing'));
      expect(sample(e, 'cicada_failures_total', ok)).toBe(0);
      expect(sample(e, 'cicada_responses_total', { ...missing, code: '404' })).toBe(answered('GET /missing', '/missing'));
      expect(sample(e, 'cicada_responses_total', { ...ok, code: '200' })).toBe(answered('GET /ok', '/ok'));
      // Buckets: cumulative, ascending le, +Inf = _count = requests timed.
      for (const labels of [ok, missing]) {
        const buckets = e.samples.filter((s) => s.name === 'cicada_response_time_seconds_bucket' && s.labels.some(([k, v]) => k === 'name' && v === labels.name));
        expect(buckets.map((b) => b.labels.find(([k]) => k === 'le')![1])).toEqual(['0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '2.5', '5', '10', '+Inf']);
        for (let i = 1; i < buckets.length; i++) expect(buckets[i]!.value).toBeGreaterThanOrEqual(buckets[i - 1]!.value);
        expect(buckets.at(-1)!.value).toBe(sample(e, 'cicada_requests_total', labels));
        expect(sample(e, 'cicada_response_time_seconds_count', labels)).toBe(sample(e, 'cicada_requests_total', labels));
        expect(sample(e, 'cicada_response_time_seconds_sum', labels)).toBeGreaterThan(0);
      }
      expect(sample(e, 'cicada_users')).toBe(3);
      expect(sample(e, 'cicada_target_users')).toBe(3);
      // The current rate (complete seconds of the last 10) once the second of those requests is over.
      const rps = await until(async () => {
        const v = sample(parseExposition(await (await fetch(url)).text()), 'cicada_requests_per_second') ?? 0;
        return v > 0 ? v : null;
      }, 'a current rate above 0', 5_000);
      expect(rps).toBeLessThanOrEqual(ANSWERED);
      expect(sample(e, 'cicada_state', { state: 'running' })).toBe(1);
      expect(sample(e, 'cicada_state', { state: 'stopped' })).toBe(0);
      expect((await fetch(url.replace('/metrics', '/'))).status).toBe(404);
    } finally {
      cli.child.kill('SIGTERM');
      await cli.result;
    }
  });

  it('a real Prometheus scrapes it: its sum of cicada_requests_total is the server’s count', async () => {
    const { srv } = await holdingTarget();
    const port = await freePort();
    const prometheus = await startPrometheus([`127.0.0.1:${port}`]);
    const cwd = workdir({ 's.yaml': plan(srv.url) });
    const cli = startCli(['run', 's.yaml', '--headless', '--only-summary', '-t', '40s', '--metrics-port', String(port), '--exit-code-on-error', '0'], { cwd });
    try {
      await cli.waitFor(new RegExp(`metrics: http://127\\.0\\.0\\.1:${port}/metrics`));
      const query = async (q: string): Promise<number | null> => {
        const res = await fetch(`${prometheus.url}/api/v1/query?query=${encodeURIComponent(q)}`);
        const body = (await res.json()) as { data: { result: { value: [number, string] }[] } };
        const v = body.data.result[0]?.value[1];
        return v === undefined ? null : Number(v);
      };
      const seen = await until(async () => {
        const v = await query('sum(cicada_requests_total{job="test"})');
        return v === ANSWERED ? v : null;
      }, `Prometheus to scrape ${ANSWERED} requests`, 30_000);
      expect(seen).toBe(srv.responded);
      expect(await query('up{job="test"}')).toBe(1);
      expect(await query('sum(cicada_response_time_seconds_count{job="test"})')).toBe(ANSWERED);
      expect(await query('cicada_users{job="test"}')).toBe(3);
      // A quantile from the buckets: the target answers at once, so well under a second.
      const p95 = await query('histogram_quantile(0.95, sum by (le) (cicada_response_time_seconds_bucket{job="test"}))');
      expect(p95).not.toBeNull();
      expect(p95!).toBeLessThan(1);
    } finally {
      cli.child.kill('SIGTERM');
      await cli.result;
      await prometheus.stop();
    }
  });

  it('a bad port or a taken one is refused before the run (exit 2, nothing written)', async () => {
    const srv = await server();
    const cwd = workdir({ 's.yaml': plan(srv.url) });
    const taken = await server();
    const [bad, inUse, hostOnly] = await Promise.all([
      runCli(['run', 's.yaml', '--headless', '-t', '1s', '--metrics-port', '70000'], { cwd }),
      runCli(['run', 's.yaml', '--headless', '-t', '1s', '--metrics-port', String(taken.port)], { cwd }),
      runCli(['run', 's.yaml', '--headless', '-t', '1s', '--metrics-host', '0.0.0.0'], { cwd }),
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--metrics-port: must be a port number from 0 to 65535 \(0: a free one\), got "70000"/);
    expect(inUse.code).toBe(2);
    expect(inUse.stderr).toMatch(new RegExp(`--metrics-port: cannot listen on 127\\.0\\.0\\.1:${taken.port}: .*EADDRINUSE`));
    expect(hostOnly.code).toBe(2);
    expect(hostOnly.stderr).toMatch(/--metrics-host: only with --metrics-port/);
    expect(srv.total).toBe(0);
    expect(existsSync(join(cwd, 'results'))).toBe(false);
  });
});
