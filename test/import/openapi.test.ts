/**
 * `cicada import openapi` on a real OpenAPI 3 document — the demo target's own, written the way
 * API teams publish theirs (shared $ref parameters and schemas, server variables, bearer and API-key
 * security, examples) — then the imported scenario run against the demo target: every operation is
 * called and only the endpoints built to fail do.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoTarget, startDemoTarget } from '../../src/demo/server.js';
import { runCli, runDirs, statsRow, workdir } from '../cli/cli.js';

const DOC = fileURLToPath(new URL('./fixtures/demo-openapi.yaml', import.meta.url));
let target: DemoTarget;
beforeAll(async () => {
  target = await startDemoTarget({ quiet: true, latency: false, seed: 3 });
});
afterAll(async () => {
  await target?.close();
});

describe('cicada import openapi', () => {
  it('one task per operation, in document order, named by path template, credentials as ${ENV}', async () => {
    const cwd = workdir();
    const r = await runCli(['import', 'openapi', DOC, '--host', target.url, '-o', 'api.yaml'], { cwd });
    expect(r.code).toBe(0);
    const text = readFileSync(join(cwd, 'api.yaml'), 'utf8');
    const doc = parse(text) as { host: string; userClasses: { tasks: Record<string, unknown>[] }[] };
    expect(doc.host).toBe(target.url);
    const tasks = doc.userClasses[0]!.tasks;
    const verbs = tasks.map((t) => Object.keys(t).find((k) => ['get', 'post'].includes(k))!);
    expect(tasks.map((t, i) => `${verbs[i]} ${String(t[verbs[i]!])}`)).toEqual([
      'get /health', 'post /api/login', 'get /api/me', 'get /api/items', 'post /api/items', 'get /api/items/7', 'get /api/search',
      'get /api/slow', 'get /api/flaky', 'get /api/limited', 'get /api/reports', 'post /api/cart', 'get /api/cart',
    ]);
    expect(tasks[5]).toMatchObject({ name: '/api/items/[id]', headers: { authorization: 'Bearer ${AUTH_TOKEN}' } });
    expect(tasks[1]).toEqual({ post: '/api/login', json: { user: 'alice', password: '${PASSWORD}' } });
    expect(tasks[3]).toMatchObject({ query: { page: '2' } });
    expect(tasks[4]).toMatchObject({ json: { name: 'Brass Kettle', price: 12.5 } });
    expect(tasks[6]).toMatchObject({ query: { q: 'tea' } });
    expect(tasks[10]).toEqual({ get: '/api/reports', headers: { 'x-api-key': '${API_KEY}' } });
    expect(text).toContain('# getItem: One item (about 3% of ids do not exist)');
    expect(text).not.toContain('wonderland');

    // Runs against the demo target with the credentials from the environment.
    const login = (await (await fetch(`${target.url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: 'alice', password: 'x' }) })).json()) as { token: string };
    const before = target.counts();
    // --exit-code-on-error 0: /api/flaky, /api/limited and a cart read before any cart fail by design.
    const run = await runCli(['run', 'api.yaml', '--headless', '--only-summary', '-u', '3', '-r', '30', '-t', '2s', '--exit-code-on-error', '0'], {
      cwd,
      env: { PASSWORD: 'wonderland', AUTH_TOKEN: login.token, API_KEY: 'demo-key' },
    });
    expect(login.token).toMatch(/\S{8}/);
    expect(run.code).toBe(0);
    const after = target.counts();
    for (const route of ['GET /health', 'POST /api/login', 'GET /api/me', 'GET /api/items', 'POST /api/items', 'GET /api/items/:id', 'GET /api/search', 'GET /api/slow', 'GET /api/flaky', 'GET /api/limited', 'GET /api/reports', 'POST /api/cart', 'GET /api/cart']) {
      expect((after[route] ?? 0) - (before[route] ?? 0), route).toBeGreaterThan(0);
    }
    const [dir] = runDirs(cwd);
    const stats = join(dir!, 'stats.csv');
    // Only the routes built to fail fail: flaky (5% 500), limited (429 above 50/s), and a cart read before any cart exists.
    for (const name of ['/health', '/api/login', '/api/me', '/api/items', '/api/items/[id]', '/api/search', '/api/slow', '/api/reports']) {
      expect(statsRow(stats, name)['Failure Count'], name).toBe('0');
    }
  });

  it('a relative server URL needs --host; Swagger 2 and non-OpenAPI files are bad input (exit 2)', async () => {
    const cwd = workdir({
      'rel.yaml': 'openapi: 3.1.0\ninfo: { title: t, version: "1" }\nservers: [ { url: /api/v3 } ]\npaths: { /pet: { get: { operationId: p } } }\n',
      'v2.json': '{"swagger": "2.0", "paths": {}}',
      'other.yaml': 'name: not an api\n',
    });
    const rel = await runCli(['import', 'openapi', 'rel.yaml'], { cwd });
    expect(rel.code).toBe(2);
    expect(rel.stderr).toContain('rel.yaml: the document\'s server URL "/api/v3" is not absolute: give the target with --host http://host:port');
    const ok = await runCli(['import', 'openapi', 'rel.yaml', '--host', 'http://127.0.0.1:8089'], { cwd });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/- get: \/api\/v3\/pet/);
    expect((await runCli(['import', 'openapi', 'v2.json'], { cwd })).stderr).toContain('a Swagger 2.0 document: convert it to OpenAPI 3 first');
    expect((await runCli(['import', 'openapi', 'other.yaml'], { cwd })).stderr).toContain('not an OpenAPI 3 document');
  });
});
