/**
 * `cicada import curl` on real "Copy as cURL" output — Chrome's (bash: one option a line, -b for
 * cookies, $'…' bodies) and Firefox's (one line, -X POST) — retargeted with --host at the demo
 * target, then run there.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { curlRequest, shellWords } from '../../src/cli/import/curl.js';
import { splitCommands } from '../../src/cli/import/command.js';
import { type DemoTarget, startDemoTarget } from '../../src/demo/server.js';
import { runCli, runDirs, statsRow, workdir } from '../cli/cli.js';

const fixture = (name: string): string => readFileSync(fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url)), 'utf8');
let target: DemoTarget;
beforeAll(async () => {
  target = await startDemoTarget({ quiet: true, latency: false, seed: 5 });
});
afterAll(async () => {
  await target?.close();
});

describe('cicada import curl', () => {
  it("reads bash quoting as the shell does, $'…' included", () => {
    expect(shellWords(`curl 'a b' "c \\"d\\"" $'it\\'s \\u2014 \\x41\\n' e\\ f`)).toEqual(['curl', 'a b', 'c "d"', "it's — A\n", 'e f']);
    expect(shellWords("curl 'open")).toBe('unclosed single quote');
    expect(splitCommands(fixture('chrome-copy-as-curl.sh'))).toHaveLength(4);
  });

  it('turns Chrome\'s and Firefox\'s lines into tasks: browser headers dropped, secrets to ${ENV}, and it runs', async () => {
    const cwd = workdir();
    const chrome = splitCommands(fixture('chrome-copy-as-curl.sh'));
    const firefox = splitCommands(fixture('firefox-copy-as-curl.sh'));
    const r = await runCli(['import', 'curl', ...chrome, ...firefox, '--host', target.url, '--name', 'copied', '-o', 'copied.yaml'], { cwd });
    expect(r.stderr).toContain('wrote copied.yaml: 6 requests');
    const text = readFileSync(join(cwd, 'copied.yaml'), 'utf8');
    expect(text).not.toMatch(/Mozilla|sec-ch-ua|Sec-Fetch|Accept-Language|demo-key|wonderland|4f1c2e9a7b3d|c2lnbmF0dXJl/i);
    const tasks = (parse(text) as { userClasses: { tasks: Record<string, unknown>[] }[] }).userClasses[0]!.tasks;
    expect(tasks).toEqual([
      { post: '/api/login', json: { user: 'alice', password: '${PASSWORD}' } },
      { get: '/api/items/7', name: '/api/items/[id]', headers: { authorization: 'Bearer ${AUTH_TOKEN}' } },
      { post: '/api/cart', headers: { cookie: '${COOKIE}' }, json: { itemId: 7, quantity: 1, note: "gift — it's for Bob" } },
      { get: '/api/search', headers: { accept: 'application/json' }, query: { q: 'tea', page: '1' } },
      { get: '/api/reports', headers: { 'x-api-key': '${API_KEY}' } },
      { post: '/api/items', headers: { authorization: 'Bearer ${AUTH_TOKEN}' }, json: { name: 'Brass Kettle', price: 12.5 } },
    ]);

    const login = (await (await fetch(`${target.url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: 'alice', password: 'x' }) })).json()) as { token: string };
    const before = target.counts();
    const run = await runCli(['run', 'copied.yaml', '--headless', '--only-summary', '-u', '2', '-r', '20', '-t', '2s'], {
      cwd,
      env: { PASSWORD: 'wonderland', AUTH_TOKEN: login.token, API_KEY: 'demo-key', COOKIE: 'session=none' },
    });
    expect(login.token).toMatch(/\S{8}/);
    expect(run.code).toBe(0);
    const [dir] = runDirs(cwd);
    expect(statsRow(join(dir!, 'stats.csv'), 'Aggregated')['Failure Count']).toBe('0');
    const after = target.counts();
    for (const route of ['POST /api/login', 'GET /api/items/:id', 'POST /api/cart', 'GET /api/search', 'GET /api/reports', 'POST /api/items']) {
      expect((after[route] ?? 0) - (before[route] ?? 0), route).toBeGreaterThan(0);
    }
  });

  it('a line that is not curl, an unknown option or -F is bad input naming the command (exit 2)', async () => {
    expect(curlRequest("wget 'http://x/'")).toMatch(/starts with `curl`/);
    expect(curlRequest("curl -F 'f=@a.png' http://x/")).toMatch(/-F \(multipart form upload\) is not supported/);
    const r = await runCli(['import', 'curl', "curl 'http://127.0.0.1:8089/' --frobnicate"], { cwd: workdir() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('curl command 1: unknown curl option --frobnicate');
  });
});
