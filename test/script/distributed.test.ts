/**
 * Remote workers get the script with the plan: a scripted scenario whose module imports a helper
 * runs on two `cicada worker`s started in an empty folder (they have only what the coordinator
 * sends), over a real nats-server, and the merged totals equal what the target counted.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../src/scenario/index.js';
import { scenarioFiles } from '../../src/scenario/script.js';
import { runDirs, startCli, workdir } from '../cli/cli.js';
import { startCountingServer } from '../support/counting-server.js';
import { startNatsServer } from '../support/nats-server.js';

const files = (url: string): Record<string, string> => ({
  's.yaml': `host: ${url}\nusers: 4\nspawnRate: 100\nscript: ./tasks.ts\ndata:\n  ids: { csv: ids.csv }\nuserClasses:\n  - tasks: [ { call: visit } ]\n`,
  'ids.csv': 'id\n1\n2\n',
  'tasks.ts': "import type { User } from 'cicada-load';\nimport { pathFor } from './paths.js';\nexport async function visit(u: User): Promise<void> {\n  await u.get(pathFor(u.data('ids').id!), { name: '/item', check: { status: 200 } });\n}\n",
  'paths.ts': 'export function pathFor(id: string): string {\n  return `/item/${id}`;\n}\n',
});

describe('scripts on remote workers', () => {
  it('scenarioFiles lists the scenario, its data, the script and the files it imports', () => {
    const cwd = workdir(files('http://127.0.0.1:9'));
    expect(scenarioFiles(loadScenarioFile(join(cwd, 's.yaml'))).map((f) => f.slice(cwd.length + 1))).toEqual(['s.yaml', 'ids.csv', 'tasks.ts', 'paths.ts']);
  });

  it('two workers with nothing but the plan run the script; totals equal the target’s count', async () => {
    const nats = await startNatsServer();
    const srv = await startCountingServer();
    try {
      const cwd = workdir(files(srv.url));
      const c = startCli(['run', 's.yaml', '--headless', '--only-summary', '-t', '2s', '--workers', '2', '--bus', nats.url], { cwd });
      const empty = workdir();
      const w = [startCli(['worker', '--bus', nats.url], { cwd: empty }), startCli(['worker', '--bus', nats.url], { cwd: empty })];
      const [rc, r0, r1] = await Promise.all([c.result, w[0]!.result, w[1]!.result]);
      expect(rc.code, `${rc.stderr}\n${rc.stdout}`).toBe(0);
      expect([r0.code, r1.code], r0.stderr + r1.stderr).toEqual([0, 0]);
      const summary = JSON.parse(readFileSync(join(runDirs(cwd)[0]!, 'summary.json'), 'utf8')) as { totals: { requests: number; failures: number } };
      expect(srv.total).toBeGreaterThan(20);
      expect(summary.totals).toMatchObject({ requests: srv.total, failures: 0 });
      expect(Object.keys(srv.byRoute()).sort()).toEqual(['GET /item/1', 'GET /item/2']);
    } finally {
      await srv.close();
      await nats.stop();
    }
  });
});
