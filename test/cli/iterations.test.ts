/**
 * `-i/--iterations N` (locust-plugins' flag): the run ends after N task iterations in all — every
 * user, every engine — and the iterations running then finish. Counted at a real server.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, runDirs, useServers, workdir } from './cli.js';

const server = useServers();

/** Each iteration is GET /a then GET /b, so a cut iteration shows as /a without its /b. */
const plan = (host: string, users = 5): string => `name: iters
host: ${host}
users: ${users}
spawnRate: 100
userClasses:
  - name: U
    wait: { constant: 5ms }
    onStart:
      - get: /login
    tasks:
      - name: pair
        flow:
          - get: /a
          - get: /b
`;

interface Summary {
  config: { iterations: number | null };
  run: { stopReason: string };
  totals: { requests: number };
}

const summaryOf = (cwd: string): Summary => JSON.parse(readFileSync(join(runDirs(cwd)[0]!, 'summary.json'), 'utf8')) as Summary;

describe('-i/--iterations', () => {
  it('closed model: exactly N iterations reach the server, each whole, and the run ends by itself', async () => {
    const srv = await server({ delayMs: 3 });
    const cwd = workdir({ 's.yaml': plan(srv.url) });
    const r = await runCli(['run', 's.yaml', '-i', '37', '--headless', '--only-summary'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    const routes = srv.byRoute();
    expect(routes['GET /a']).toBe(37);
    expect(routes['GET /b']).toBe(37);
    expect(routes['GET /login']).toBe(5); // every user started (and left after its last iteration)
    const s = summaryOf(cwd);
    expect(s.config.iterations).toBe(37);
    expect(s.run.stopReason).toBe('iteration limit reached');
    expect(s.totals.requests).toBe(srv.total);
  });

  it('--processes 2 and fewer users than engines: the parts still add up to N', async () => {
    // Slow enough that the engine with more users ends its part well before the other.
    const [a, b] = await Promise.all([server({ delayMs: 20 }), server({ delayMs: 20 })]);
    const [cwdA, cwdB] = [workdir({ 's.yaml': plan(a.url, 3) }), workdir({ 's.yaml': plan(b.url, 1) })];
    const [ra, rb] = await Promise.all([
      runCli(['run', 's.yaml', '--iterations', '25', '--processes', '2', '--headless', '--only-summary'], { cwd: cwdA }),
      runCli(['run', 's.yaml', '-i', '7', '--processes', '2', '--headless', '--only-summary'], { cwd: cwdB }),
    ]);
    expect(ra.code, ra.stderr).toBe(0);
    expect(rb.code, rb.stderr).toBe(0);
    expect([a.byRoute()['GET /a'], a.byRoute()['GET /b']]).toEqual([25, 25]);
    expect([b.byRoute()['GET /a'], b.byRoute()['GET /b']]).toEqual([7, 7]);
    expect(summaryOf(cwdA).totals.requests).toBe(a.total);
    expect(summaryOf(cwdB).run.stopReason).toBe('iteration limit reached');
  });

  it('open model (--rate): N iterations arrive, run, and the run ends', async () => {
    const srv = await server();
    const cwd = workdir({ 's.yaml': plan(srv.url) });
    const r = await runCli(['run', 's.yaml', '--rate', '100/s', '-u', '10', '-i', '30', '--headless', '--only-summary'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    expect(srv.byRoute()['GET /a']).toBe(30);
    expect(srv.byRoute()['GET /b']).toBe(30);
    expect(summaryOf(cwd).run.stopReason).toBe('iteration limit reached');
  });

  it('-t still bounds the run; a bad N is refused with the flag named (exit 2, nothing run)', async () => {
    const srv = await server({ delayMs: 50 });
    const cwd = workdir({ 's.yaml': plan(srv.url, 1) });
    const [timed, zero, word] = await Promise.all([
      runCli(['run', 's.yaml', '-i', '1000000', '-t', '1s', '--headless', '--only-summary'], { cwd }),
      runCli(['run', 's.yaml', '-i', '0', '--headless'], { cwd }),
      runCli(['run', 's.yaml', '--iterations', 'lots', '--headless'], { cwd }),
    ]);
    expect(timed.code, timed.stderr).toBe(0);
    expect(srv.byRoute()['GET /a']).toBeLessThan(100);
    expect(zero.code).toBe(2);
    expect(zero.stderr).toMatch(/--iterations: must be a whole number >= 1, got "0"/);
    expect(word.code).toBe(2);
    expect(word.stderr).toMatch(/--iterations: must be a whole number >= 1, got "lots"/);
  });
});
