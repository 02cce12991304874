/**
 * Requests that were never sent (`not sent: ${token} is not set`) are failures, but not latency
 * samples: min, average and percentiles describe requests that reached the network only, in every
 * output (stats.csv, stats_history.csv, summary.json, the console).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCsv, runCli, runDirs, statsRow, workdir, useServers } from './cli.js';

const server = useServers();
const DELAY_MS = 20;
/**
 * The server's timer can fire early by however long its event loop was busy (libuv's clock is read
 * once per loop turn), several ms on a loaded machine; unsent requests recorded at 0 ms would pull
 * min and median to 0, far below this.
 */
const FLOOR_MS = DELAY_MS / 2;

// The login answers "ok" (no JSON), so the token is never captured and /needs-token is never sent.
const scenario = (host: string): string => `
name: not-sent
host: ${host}
users: 2
spawnRate: 100
userClasses:
  - name: U
    wait: 10ms
    onStart:
      - post: /login
        capture: { token: $.token }
    tasks:
      - get: /fast
      - get: /needs-token
        headers: { authorization: "Bearer \${token}" }
`;

interface Latency {
  min: number;
  avg: number;
  median: number;
  percentiles: Record<string, number>;
}
interface EndpointJson {
  name: string;
  requests: number;
  failures: number;
  notSent: number;
  latencyMs: Latency | null;
}

describe('requests never sent', () => {
  it('count as failures but leave min, average and percentiles to the requests that were sent', async () => {
    const srv = await server({ delayMs: DELAY_MS });
    const cwd = workdir({ 's.yaml': scenario(srv.url) });
    const r = await runCli(['run', 's.yaml', '--headless', '--only-summary', '-t', '2s', '--json', 'summary.json'], { cwd });
    expect(r.stderr).not.toMatch(/cicada failed/);
    const [dir] = runDirs(cwd);
    // The server never saw them; cicada counts them as requests and failures.
    expect(srv.byRoute()['GET /needs-token']).toBeUndefined();
    const summary = JSON.parse(readFileSync(join(cwd, 'summary.json'), 'utf8')) as { totals: EndpointJson; endpoints: EndpointJson[] };
    const unsent = summary.endpoints.find((e) => e.name === '/needs-token')!;
    expect(unsent.requests).toBeGreaterThan(10);
    expect(unsent.failures).toBe(unsent.requests);
    expect(summary.totals.requests).toBe(srv.total + unsent.requests);

    // Every latency sample is a request the server delayed by DELAY_MS: nothing below it.
    const total = summary.totals.latencyMs!;
    expect(total.min).toBeGreaterThanOrEqual(FLOOR_MS);
    expect(total.avg).toBeGreaterThanOrEqual(FLOOR_MS);
    expect(total.median).toBeGreaterThanOrEqual(FLOOR_MS);
    expect(total.percentiles.p50).toBeGreaterThanOrEqual(FLOOR_MS);
    const fast = summary.endpoints.find((e) => e.name === '/fast')!.latencyMs!;
    // The unsent rows change no percentile: Aggregated's are /fast's (plus two logins), within HDR precision.
    expect(Math.abs(total.percentiles.p50! - fast.percentiles.p50!)).toBeLessThan(1);

    expect(unsent.notSent).toBe(unsent.requests);
    expect(unsent.latencyMs).toBeNull();
    expect(summary.totals.notSent).toBe(unsent.requests);

    const agg = statsRow(join(dir!, 'stats.csv'), 'Aggregated');
    expect(Number(agg['Min Response Time'])).toBeGreaterThanOrEqual(FLOOR_MS);
    expect(Number(agg['Median Response Time'])).toBeGreaterThanOrEqual(FLOOR_MS);
    expect(Number(agg['Average Response Time'])).toBeGreaterThanOrEqual(FLOOR_MS);
    const row = statsRow(join(dir!, 'stats.csv'), '/needs-token');
    expect(Number(row['Request Count'])).toBe(unsent.requests);
    expect(row['50%']).toBe('N/A');
    expect(row['100%']).toBe('N/A');

    const [header, ...history] = readCsv(join(dir!, 'stats_history.csv'));
    const p50 = header!.indexOf('50%');
    const withLatency = history.filter((h) => h[p50] !== 'N/A');
    expect(withLatency.length).toBeGreaterThan(0);
    for (const h of withLatency) expect(Number(h[p50])).toBeGreaterThanOrEqual(FLOOR_MS);

    // The console's final table: Aggregated's Min is not 0.
    const aggLine = r.stdout.split('\n').find((l) => /^\s+Aggregated\s+\d/.test(l))!;
    const cells = aggLine.split('|')[1]!.trim().split(/\s+/).map(Number);
    expect(cells[1]).toBeGreaterThanOrEqual(FLOOR_MS); // Min
  });
});
