/**
 * `cicada import har` on a real recording: headless Chromium logs in to the demo target, lists
 * items, opens three, searches, fills a cart and reads a report, recorded over the DevTools
 * protocol as DevTools itself would save it. The imported scenario groups the item ids, captures
 * the token instead of freezing it, takes the password and the API key out into ${ENV}, leaves the
 * cart cookie to the cookie jar — and runs against the demo target without a failure.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../src/scenario/index.js';
import { type DemoTarget, startDemoTarget } from '../../src/demo/server.js';
import { openPage } from '../e2e/browser.js';
import { runCli, runDirs, statsRow, workdir } from '../cli/cli.js';
import { type Har, recordHar } from '../support/har-recorder.js';

let target: DemoTarget;
let har: Har;
beforeAll(async () => {
  target = await startDemoTarget({ quiet: true, latency: false, seed: 7 });
  const page = await openPage(`${target.url}/health`);
  try {
    // The page must be the target's document (same origin) before the session's fetches run.
    for (let i = 0; i < 100 && (await page.evaluate<string>('location.origin')) !== target.url; i++) {
      if (i % 20 === 0) await page.send('Page.navigate', { url: `${target.url}/health` });
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(await page.evaluate<string>('location.origin')).toBe(target.url);
    const recording = await recordHar(page);
    const r = await page.send<{ result: { value?: unknown }; exceptionDetails?: unknown }>('Runtime.evaluate', {
      awaitPromise: true,
      returnByValue: true,
      expression: `(async () => {
        const base = location.origin;
        const json = { 'content-type': 'application/json' };
        const login = await (await fetch(base + '/api/login', { method: 'POST', headers: json, body: JSON.stringify({ user: 'alice', password: 'wonderland' }) })).json();
        const auth = { authorization: 'Bearer ' + login.token };
        await fetch(base + '/api/me', { headers: auth });
        const list = await (await fetch(base + '/api/items?page=2', { headers: auth })).json();
        for (const item of list.items.slice(0, 3)) await fetch(base + '/api/items/' + item.id, { headers: auth });
        await fetch(base + '/api/search?q=tea');
        await fetch(base + '/api/cart', { method: 'POST', headers: json, body: JSON.stringify({ itemId: list.items[0].id, quantity: 2 }) });
        await fetch(base + '/api/cart');
        await fetch(base + '/api/reports', { headers: { 'x-api-key': 'demo-key' } });
        return list.items.length;
      })()`,
    });
    expect(r.exceptionDetails).toBeUndefined();
    har = await recording.stop();
  } finally {
    await page.close();
  }
}, 60_000);
afterAll(async () => {
  await target?.close();
});

describe('cicada import har (a recording made by headless Chromium)', () => {
  it('the recording is a real browser HAR: 11 requests, the browser\'s own headers and cookies', () => {
    const entries = har.log.entries as { request: { url: string; headers: { name: string; value: string }[] } }[];
    expect(har.log.browser.version).toMatch(/Chrome/);
    expect(entries.map((e) => new URL(e.request.url).pathname)).toEqual([
      '/api/login', '/api/me', '/api/items', expect.stringMatching(/^\/api\/items\/\d+$/), expect.stringMatching(/^\/api\/items\/\d+$/),
      expect.stringMatching(/^\/api\/items\/\d+$/), '/api/search', '/api/cart', '/api/cart', '/api/reports',
    ]);
    expect(entries[8]!.request.headers.some((h) => h.name.toLowerCase() === 'cookie' && h.value.startsWith('session='))).toBe(true);
    expect(entries[0]!.request.headers.some((h) => h.name.toLowerCase() === 'user-agent' && /HeadlessChrome/.test(h.value))).toBe(true);
  });

  it('writes a scenario that groups ids, captures the token, moves secrets to ${ENV} and runs clean', async () => {
    const cwd = workdir();
    writeFileSync(join(cwd, 'session.har'), JSON.stringify(har));
    const imported = await runCli(['import', 'har', 'session.har', '-o', 'recorded.yaml'], { cwd });
    expect(imported.stderr).toContain('wrote recorded.yaml: 10 requests');
    expect(imported.code).toBe(0);
    const text = readFileSync(join(cwd, 'recorded.yaml'), 'utf8');
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=https://unpkg.com/cicada-load/scenarios/cicada.schema.json');
    expect(text).toMatch(/^# {3}PASSWORD: the password field of POST \/api\/login$/m);
    expect(text).toMatch(/^# {3}API_KEY: the x-api-key header of GET \/api\/reports$/m);
    expect(text).not.toContain('wonderland');
    expect(text).not.toContain('demo-key');
    expect(text).not.toMatch(/HeadlessChrome|sec-ch-ua|session=/);
    const doc = parse(text) as { host: string; userClasses: { onStart: Record<string, unknown>[]; tasks: { flow: Record<string, unknown>[] }[] }[] };
    expect(doc.host).toBe(target.url);
    const cls = doc.userClasses[0]!;
    expect(cls.onStart).toEqual([{ post: '/api/login', json: { user: 'alice', password: '${PASSWORD}' }, capture: { token: { json: '$.token', secret: true } } }]);
    const flow = cls.tasks[0]!.flow;
    expect(flow[0]).toEqual({ get: '/api/me', headers: { authorization: 'Bearer ${token}' } });
    expect(flow[1]).toEqual({ get: '/api/items', headers: { authorization: 'Bearer ${token}' }, query: { page: '2' } });
    expect(flow.slice(2, 5).map((s) => s.name)).toEqual(['/api/items/[id]', '/api/items/[id]', '/api/items/[id]']);
    expect(flow[8]).toEqual({ get: '/api/reports', headers: { 'x-api-key': '${API_KEY}' } });

    // It loads as a scenario, and runs against the target it was recorded from.
    const env = { PASSWORD: 'wonderland', API_KEY: 'demo-key' };
    expect(loadScenarioFile(join(cwd, 'recorded.yaml'), { env }).userClasses[0]!.tasks[0]!.steps.length).toBe(9);
    const before = target.counts();
    const r = await runCli(['run', 'recorded.yaml', '--headless', '--only-summary', '-u', '2', '-r', '10', '-t', '2s'], { cwd, env });
    expect(r.code).toBe(0);
    const [run] = runDirs(cwd);
    const agg = statsRow(join(run!, 'stats.csv'), 'Aggregated');
    expect(Number(agg['Failure Count'])).toBe(0);
    expect(Number(statsRow(join(run!, 'stats.csv'), '/api/items/[id]')['Request Count'])).toBeGreaterThan(0);
    const after = target.counts();
    for (const route of ['POST /api/login', 'GET /api/me', 'GET /api/items/:id', 'GET /api/cart', 'GET /api/reports']) {
      expect((after[route] ?? 0) - (before[route] ?? 0), route).toBeGreaterThan(0);
    }
  });

  it('a file that is not a HAR is bad input (exit 2) naming the file', async () => {
    const cwd = workdir({ 'x.har': '{"log": {}}', 'y.har': 'not json' });
    const a = await runCli(['import', 'har', 'x.har'], { cwd });
    expect(a.code).toBe(2);
    expect(a.stderr).toContain('x.har: not a HAR file: no log.entries list');
    const b = await runCli(['import', 'har', 'y.har'], { cwd });
    expect(b.stderr).toMatch(/y\.har: not JSON/);
    const c = await runCli(['import', 'har', 'missing.har'], { cwd });
    expect(c.stderr).toContain('missing.har: cannot read it: no such file');
  });
});
