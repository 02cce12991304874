/**
 * Broken scripts give their documented result (scenarios/README.md: "Failures are counted, never fatal" and
 * "When a scenario is wrong"): load problems stop the run before it starts (exit 2, file:line:col, nothing written); problems
 * while running are counted (exceptions.csv with the user's own lines) and the users carry on.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCsv, runCli, runDirs, workdir } from '../cli/cli.js';
import { startCountingServer, type CountingServer } from '../support/counting-server.js';

/** A counting server for one test (tests here run concurrently: each closes its own). */
async function withServer(test: (srv: CountingServer) => Promise<void>): Promise<void> {
  const srv = await startCountingServer();
  try {
    await test(srv);
  } finally {
    await srv.close();
  }
}

const scenario = (url: string, tasks: string, extra = ''): string =>
  `host: ${url}\nusers: 2\nspawnRate: 100\nscript: ./tasks.ts\n${extra}userClasses:\n  - name: U\n    tasks:\n${tasks}`;

/** exceptions.csv rows as { count, message, traceback, where }. */
function exceptions(dir: string): { count: number; message: string; traceback: string; where: string }[] {
  const [, ...rows] = readCsv(join(dir, 'exceptions.csv'));
  return rows.map((r) => ({ count: Number(r[0]), message: r[1]!, traceback: r[2]!, where: r[3]! }));
}

describe.concurrent('a script that cannot be loaded stops the run before it starts (exit 2)', () => {
  it('a syntax error, at its line and column in the script', async () => {
    const cwd = workdir({
      's.yaml': scenario('http://127.0.0.1:9', '      - call: browse\n'),
      'tasks.ts': 'import type { User } from "cicada-load";\nexport async function browse(u: User) {\n  const x = ;\n}\n',
    });
    const r = await runCli(['run', 's.yaml', '--headless', '-t', '1s'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: tasks\.ts:3:13: syntax error: Unexpected ";"/m);
    expect(runDirs(cwd)).toEqual([]);
  });

  it('a TypeScript error in a file the script imports, at that file', async () => {
    const cwd = workdir({
      's.yaml': scenario('http://127.0.0.1:9', '      - call: browse\n'),
      'tasks.ts': 'import { helper } from "./helper.js";\nexport async function browse() { helper(); }\n',
      'helper.ts': 'export function helper(): void {\n  let y: number = ;\n}\n',
    });
    const r = await runCli(['run', 's.yaml', '--headless', '-t', '1s'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: helper\.ts:2:19: syntax error: /m);
  });

  it('a throw while importing, at the line that threw', async () => {
    const cwd = workdir({
      's.yaml': scenario('http://127.0.0.1:9', '      - call: browse\n'),
      'tasks.ts': 'const config: { url?: string } = {};\nif (!config.url) throw new Error("config.url is not set");\nexport async function browse() {}\n',
    });
    const r = await runCli(['run', 's.yaml', '--headless', '-t', '1s'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: tasks\.ts:2:24: the script threw while loading: Error: config\.url is not set$/m);
    expect(runDirs(cwd)).toEqual([]);
  });

  it('a name that is not exported, at the YAML that names it, with a suggestion', async () => {
    const cwd = workdir({
      's.yaml': scenario('http://127.0.0.1:9', '      - call: brwose\n      - get: /x\n        after: check\n'),
      'tasks.ts': 'export async function browse() {}\nexport const check = 5;\n',
    });
    const r = await runCli(['run', 's.yaml', '--headless', '-t', '1s'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('s.yaml:8:15: userClasses[0].tasks[0].call: `brwose` is not exported by tasks.ts; did you mean `browse`? (its functions: browse)');
    expect(r.stderr).toContain('s.yaml:10:16: userClasses[0].tasks[1].after: `check` in tasks.ts is number, not a function');
  });

  it('a call without `script:`, and a script that does not exist', async () => {
    const cwd = workdir({
      'a.yaml': 'host: http://127.0.0.1:9\nuserClasses:\n  - tasks: [ { call: browse } ]\n',
      'b.yaml': 'host: http://127.0.0.1:9\nscript: ./nope.ts\nuserClasses:\n  - tasks: [ { call: browse } ]\n',
    });
    const a = await runCli(['run', 'a.yaml', '--headless', '-t', '1s'], { cwd });
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/^error: a\.yaml:3:22: userClasses\[0\]\.tasks\[0\]\.call: `browse` names a script function, but the scenario has no `script:`/m);
    const b = await runCli(['run', 'b.yaml', '--headless', '-t', '1s'], { cwd });
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/^error: b\.yaml:2:9: script: no such file: "\.\/nope\.ts"/m);
  });
});

describe.concurrent('a script that fails while running is counted, never fatal', () => {
  it('a throw in a task: exceptions.csv with the user’s file:line:col, the task ends, the user carries on', () =>
    withServer(async (srv) => {
      const cwd = workdir({
        's.yaml': scenario(srv.url, '      - call: browse\n'),
        'tasks.ts': [
          'import type { User } from "cicada-load";',
          'interface Item { id: number }',
          'export async function browse(u: User): Promise<void> {',
          '  await u.get("/list");',
          '  const item: Item | undefined = undefined;',
          '  if (u.iteration % 2 === 0) throw new Error("no item " + (item as Item | undefined)?.id);',
          '  await u.get("/after");',
          '}',
          '',
        ].join('\n'),
      });
      const r = await runCli(['run', 's.yaml', '--headless', '-t', '1s'], { cwd });
      // The run goes on; its errors in the test itself fail it at the end, as in Locust.
      expect(r.code, r.stderr).toBe(1);
      expect(r.stdout.trimEnd().split('\n').at(-1)).toMatch(/^FAILED: \d+ errors in the test itself$/);
      const [x] = exceptions(runDirs(cwd)[0]!);
      expect(x!.message).toBe('Error: no item undefined');
      expect(x!.traceback).toMatch(/^Error: no item undefined\n\s+at browse \(.*tasks\.ts:6:36\)$/);
      expect(x!.where).toBe('U/browse');
      const routes = srv.byRoute();
      // Every iteration got /list; the odd ones (no throw) also /after: the users went on after each throw.
      expect(x!.count).toBeGreaterThan(5);
      expect(routes['GET /list']! - routes['GET /after']!).toBeGreaterThanOrEqual(x!.count);
      expect(routes['GET /list']! - routes['GET /after']!).toBeLessThanOrEqual(x!.count + 2); // at most one unfinished iteration per user
    }));

  it('an await that never resolves ends at the call’s timeout, as an exception; the user goes on', () =>
    withServer(async (srv) => {
      const cwd = workdir({
        's.yaml': scenario(srv.url, '      - call: hang\n        timeout: 300ms\n'),
        'tasks.ts': 'import type { User } from "cicada-load";\nexport async function hang(u: User): Promise<void> {\n  await u.get("/x");\n  await new Promise(() => {});\n}\n',
      });
      // One user, three iterations (-i), each ended by its timeout: a count, not what fits in a run time.
      const r = await runCli(['run', 's.yaml', '--headless', '-u', '1', '-i', '3', '-t', '60s'], { cwd });
      expect(r.code, r.stderr).toBe(1); // the timeouts are errors in the test itself
      const [x] = exceptions(runDirs(cwd)[0]!);
      expect(x!.message).toBe('ScriptTimeoutError: call hang did not finish within 300ms (its timeout): the task was ended');
      expect(x!.count).toBe(3); // the user went on after each
      expect(srv.byRoute()['GET /x']).toBe(3);
    }));

  it('a promise the script never awaits that rejects: counted as an exception, not a crash', async () => {
    const cwd = workdir({
      's.yaml': scenario('http://127.0.0.1:9', '      - call: careless\n', 'runTime: 1s\n'),
      'tasks.ts': 'import type { User } from "cicada-load";\nexport async function careless(u: User): Promise<void> {\n  void Promise.reject(new Error("nobody waits for me"));\n  await u.sleep(100);\n}\n',
    });
    const r = await runCli(['run', 's.yaml', '--headless'], { cwd });
    // Not a crash (that would be exit 3): the run ends normally, failed by the errors in the test itself.
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/^FAILED: .*error/m);
    const [x] = exceptions(runDirs(cwd)[0]!);
    expect(x!.message).toBe('Error: nobody waits for me');
    expect(x!.where).toBe('script: a promise nobody awaited was rejected');
    expect(x!.count).toBeGreaterThanOrEqual(4);
  });

  it('a throw in a before hook: counted, the request is not sent; an after hook that throws fails its request', () =>
    withServer(async (srv) => {
      const cwd = workdir({
        's.yaml': scenario(srv.url, '      - get: /a\n        before: boom\n      - get: /b\n        after: bang\n'),
        'tasks.ts': 'export function boom() { throw new TypeError("before broke"); }\nexport function bang() { throw new RangeError("after broke"); }\n',
      });
      const r = await runCli(['run', 's.yaml', '--headless', '-t', '1s'], { cwd });
      expect(r.code).toBe(1); // failed requests and errors in the test itself
      const dir = runDirs(cwd)[0]!;
      const messages = exceptions(dir).map((x) => x.message).sort();
      expect(messages).toEqual(['RangeError: after broke', 'TypeError: before broke']);
      expect(srv.byRoute()['GET /a']).toBeUndefined();
      const failures = readFileSync(join(dir, 'failures.csv'), 'utf8');
      expect(failures).toMatch(/GET,\/b,after: RangeError thrown,\d+/);
      expect(existsSync(join(dir, 'stats.csv'))).toBe(true);
    }));
});
