/**
 * The scripted-user API and where code plugs in, run through the built CLI against a counting
 * server: hooks, flows (`onFailure`, `stopTask`), `stopUser`, `stopRun`, `record`, `log`, vars
 * shared with YAML captures, and every way the engine runs (`--processes`, the open model).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCsv, runCli, runDirs, workdir } from '../cli/cli.js';
import { startCountingServer, type CountingServer, type CountingServerOptions } from '../support/counting-server.js';

/** A counting server for one test (the tests run concurrently: each closes its own). */
async function withServer(opts: CountingServerOptions, test: (srv: CountingServer) => Promise<void>): Promise<void> {
  const srv = await startCountingServer(opts);
  try {
    await test(srv);
  } finally {
    await srv.close();
  }
}

/** stats.csv as `Type Name` → [requests, failures] (Aggregated excluded). */
function stats(dir: string): Record<string, [number, number]> {
  const [header, ...body] = readCsv(join(dir, 'stats.csv'));
  const out: Record<string, [number, number]> = {};
  for (const r of body) {
    if (r[1] !== 'Aggregated') out[`${r[0]} ${r[1]}`] = [Number(r[header!.indexOf('Request Count')]), Number(r[header!.indexOf('Failure Count')])];
  }
  return out;
}

async function run(files: Record<string, string>, args: string[]): Promise<{ dir: string; code: number | null; stderr: string; stdout: string }> {
  const cwd = workdir(files);
  const r = await runCli(['run', 's.yaml', '--headless', ...args], { cwd });
  const dir = runDirs(cwd)[0];
  if (dir === undefined) throw new Error(`no results (exit ${r.code}): ${r.stderr}`);
  return { dir, code: r.code, stderr: r.stderr, stdout: r.stdout };
}

const head = (url: string, users = 2): string => `host: ${url}\nusers: ${users}\nspawnRate: 100\nscript: ./tasks.ts\n`;

// Five CLI runs side by side, two of them one after another with worker threads loading the script:
// 10 s on a quiet machine, over 22 s at load 20. Each run ends by itself (-t, stopRun); the
// timeout only guards against a hang.
describe.concurrent('scripted users', { timeout: 90_000 }, () => {
  it('before: may change method, URL, headers and body; after: passes a 500 or fails a 200 with its message', () =>
    withServer({ status: (req) => (req.url === '/broken' ? 500 : 200), body: '{"ok":false}' }, async (srv) => {
      const { dir } = await run(
        {
          's.yaml': `${head(srv.url)}userClasses:\n  - tasks:\n      - get: /original\n        name: signed\n        before: rewrite\n      - get: /broken\n        after: acceptBroken\n      - get: /fine\n        after: rejectFine\n`,
          'tasks.ts': [
            'import type { OutgoingRequest, Response, User } from "cicada-load";',
            'export function rewrite(u: User, req: OutgoingRequest): void {',
            '  req.method = "PUT";',
            '  req.url = req.url.replace("/original", "/rewritten?user=" + u.id);',
            '  req.headers["x-signed"] = "yes";',
            '  req.body = "payload";',
            '}',
            'export function acceptBroken(_u: User, res: Response): void { if (res.status === 500) res.pass(); }',
            'export async function rejectFine(u: User, res: Response): Promise<void> { if (res.json().ok === false) u.fail("server said ok: false"); }',
            '',
          ].join('\n'),
        },
        ['-t', '1s'],
      );
      const routes = srv.byRoute();
      const s = stats(dir);
      expect(routes['GET /original']).toBeUndefined();
      expect(s['GET signed']).toEqual([routes['PUT /rewritten'], 0]); // recorded under the YAML request's row
      const last = srv.recent.filter((r) => r.path === '/rewritten').at(-1)!;
      expect([last.method, last.headers['x-signed'], last.body]).toEqual(['PUT', 'yes', 'payload']);
      expect(last.url).toMatch(/^\/rewritten\?user=\d$/);
      expect(s['GET /broken']).toEqual([routes['GET /broken'], 0]);
      expect(s['GET /fine']).toEqual([routes['GET /fine'], routes['GET /fine']]);
      expect(readFileSync(join(dir, 'failures.csv'), 'utf8')).toContain('GET,/fine,server said ok: false,');
    }));

  it('flows: a failed step ends the flow by default; onFailure: continue goes on; stopTask() ends it always', () =>
    withServer({ status: (req) => (req.url!.startsWith('/fail') ? 503 : 200) }, async (srv) => {
      await run(
        {
          's.yaml': [
            head(srv.url, 3) + 'userClasses:',
            '  - name: Stops',
            '    tasks:',
            '      - flow: [ { get: /fail-a }, { get: /after-a } ]',
            '  - name: Continues',
            '    tasks:',
            '      - onFailure: continue',
            '        flow: [ { get: /fail-b }, { call: throws }, { get: /after-b } ]',
            '  - name: Interrupts',
            '    tasks:',
            '      - onFailure: continue',
            '        flow: [ { call: interrupt }, { get: /after-c } ]',
            '',
          ].join('\n'),
          'tasks.ts': [
            'import type { User } from "cicada-load";',
            'export function throws(): void { throw new Error("a step failed"); }',
            'export async function interrupt(u: User): Promise<void> { await u.get("/before-c"); u.stopTask(); }',
            '',
          ].join('\n'),
        },
        ['-t', '1s', '--stop-timeout', '5s'],
      );
      const r = srv.byRoute();
      expect(r['GET /fail-a']).toBeGreaterThan(0);
      expect(r['GET /after-a']).toBeUndefined();
      expect(r['GET /fail-b']).toBeGreaterThan(0);
      expect(r['GET /after-b']).toBe(r['GET /fail-b']); // finished tasks: every flow reached its end
      expect(r['GET /before-c']).toBeGreaterThan(0);
      expect(r['GET /after-c']).toBeUndefined();
    }));

  it('stopUser() stops that user for good; stopRun(reason) ends the run early with the reason', () =>
    withServer({}, async (srv) => {
      const { stdout, dir } = await run(
        {
          's.yaml': `${head(srv.url, 3)}userClasses:\n  - tasks: [ { call: three } ]\n`,
          'tasks.ts': 'import type { User } from "cicada-load";\nexport async function three(u: User): Promise<void> {\n  await u.get("/x");\n  if (u.iteration === 3) u.stopUser();\n}\n',
        },
        ['-t', '1500ms'],
      );
      expect(srv.total).toBe(9); // 3 users × 3 iterations, none replaced
      expect(stats(dir)['GET /x']).toEqual([9, 0]);
      expect(stdout).toMatch(/Users: 0\/0/);
      const early = await run(
        {
          's.yaml': `${head(srv.url, 1)}userClasses:\n  - tasks: [ { call: enough } ]\n`,
          'tasks.ts': 'import type { User } from "cicada-load";\nexport async function enough(u: User): Promise<void> {\n  await u.get("/y");\n  if (u.iteration === 5) u.stopRun("five is enough");\n}\n',
        },
        ['-t', '30s'],
      );
      expect(stats(early.dir)['GET /y']).toEqual([5, 0]);
      const summary = JSON.parse(readFileSync(join(early.dir, 'summary.json'), 'utf8')) as { run: { stopReason: string } };
      expect(JSON.stringify(summary)).toContain('five is enough');
    }));

  it('record() makes rows of its kind; log() goes to script.log; vars are shared with YAML captures both ways', () =>
    withServer({ body: '{"token":"tok-123"}' }, async (srv) => {
      const { dir } = await run(
        {
          's.yaml': [
            head(srv.url, 1) + 'userClasses:',
            '  - onStart:',
            '      - post: /login',
            '        capture: { token: $.token, next: $.token }',
            '      - call: useToken',
            '    tasks:',
            '      - get: /next/${next}',
            '        name: /next',
            '',
          ].join('\n'),
          'tasks.ts': [
            'import type { User } from "cicada-load";',
            'export function useToken(u: User): void {',
            '  u.log("token is", u.vars.token, { id: u.id });',
            '  u.vars.next = u.vars.token + "-from-script";',
            '  u.record("query", 12.5, { kind: "sql", bytes: 100 });',
            '  u.record("query", 40, { kind: "sql", error: new Error("deadlock") });',
            '}',
            '',
          ].join('\n'),
        },
        ['-t', '1s'],
      );
      expect(stats(dir)['sql query']).toEqual([2, 1]);
      expect(readFileSync(join(dir, 'failures.csv'), 'utf8')).toContain('sql,query,deadlock,1');
      expect(srv.received.some((r) => r.path === '/next/tok-123-from-script')).toBe(true);
      expect(readFileSync(join(dir, 'script.log'), 'utf8')).toMatch(/^\S+Z User 1: token is tok-123 \{ id: 1 \}$/m);
    }));

  it('runs in --processes 2 (each thread loads the module) and in the open model (an iteration is one call)', () =>
    withServer({}, async (srv) => {
      const files = {
        's.yaml': `${head(srv.url, 4)}userClasses:\n  - tasks: [ { call: two } ]\n`,
        'tasks.ts': 'import type { User } from "cicada-load";\nexport async function two(u: User): Promise<void> {\n  await u.get("/one", { check: { status: 200 } });\n  await u.get("/two");\n}\n',
      };
      const threads = await run(files, ['-t', '1s', '--processes', '2', '--stop-timeout', '5s']);
      expect(threads.code, threads.stderr).toBe(0);
      const t = stats(threads.dir);
      const r1 = srv.byRoute();
      expect(t['GET /one']).toEqual([r1['GET /one'], 0]);
      expect(t['GET /two']).toEqual([r1['GET /one'], 0]); // whole iterations only
      srv.reset();
      const open = await run(files, ['-t', '2s', '--rate', '20/s', '--stop-timeout', '5s']);
      const o = stats(open.dir);
      const r2 = srv.byRoute();
      expect(o['GET /one']).toEqual([r2['GET /one'], 0]);
      expect(o['GET /two']).toEqual([r2['GET /one'], 0]);
      expect(r2['GET /one']).toBeGreaterThanOrEqual(20); // 20 iterations/s for 2 s (less the start on a busy machine)
      expect(r2['GET /one']).toBeLessThanOrEqual(42);
    }));
});
