/**
 * `cicada init`: the starter files (scenario, data, script) load as a valid scenario (and pass the published schema), run
 * against the demo target without a failure, and are never overwritten without --force.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoTarget, startDemoTarget } from '../../src/demo/server.js';
import { loadScenarioFile } from '../../src/scenario/index.js';
import { runCli, runDirs, statsRow, workdir } from './cli.js';

let target: DemoTarget;
beforeAll(async () => {
  target = await startDemoTarget({ quiet: true, latency: false, seed: 11 });
});
afterAll(async () => {
  await target?.close();
});

describe('cicada init', () => {
  it('writes a commented starter scenario and its data file that load, pass the schema and run clean', async () => {
    const cwd = workdir();
    const r = await runCli(['init', 'perf'], { cwd });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('wrote perf/scenario.yaml, perf/data/users.csv, perf/tasks.ts');
    expect(r.stderr).toContain('next: cicada run perf/scenario.yaml');
    const text = readFileSync(join(cwd, 'perf', 'scenario.yaml'), 'utf8');
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=https://unpkg.com/cicada-load/scenarios/cicada.schema.json');
    expect(text.split('\n').filter((l) => l.includes('#')).length).toBeGreaterThan(15);
    const scenario = loadScenarioFile(join(cwd, 'perf', 'scenario.yaml'), { env: {} });
    expect(scenario.data[0]!.rows.length).toBe(5);
    const schema = JSON.parse(readFileSync(fileURLToPath(new URL('../../scenarios/cicada.schema.json', import.meta.url)), 'utf8')) as object;
    const validate = new Ajv2020({ strict: true, strictRequired: false, allowUnionTypes: true }).compile(schema);
    expect(validate(parse(text)) ? [] : validate.errors).toEqual([]);

    const run = await runCli(['run', 'perf/scenario.yaml', '--host', target.url, '--headless', '--only-summary', '-u', '3', '-r', '30', '-t', '3s'], { cwd });
    expect(run.code).toBe(0);
    const [dir] = runDirs(cwd);
    const agg = statsRow(join(dir!, 'stats.csv'), 'Aggregated');
    expect(Number(agg['Request Count'])).toBeGreaterThan(3);
    expect(agg['Failure Count']).toBe('0');
    expect(statsRow(join(dir!, 'stats.csv'), '/api/login')['Request Count']).toBe('3');

    // The starter script works: a scenario that only calls it (after the same login) pages through the catalog.
    writeFileSync(join(cwd, 'perf', 'only-script.yaml'), [
      'script: ./tasks.ts',
      'data: { accounts: { csv: data/users.csv, order: unique } }',
      'userClasses:',
      '  - onStart:',
      '      - post: /api/login',
      '        json: { user: "${accounts.user}", password: "${accounts.password}" }',
      '        capture: { token: { json: $.token, secret: true } }',
      '    tasks: [ { call: browsePages } ]',
      '',
    ].join('\n'));
    const only = await runCli(['run', 'perf/only-script.yaml', '--host', target.url, '--headless', '--only-summary', '-u', '2', '-r', '20', '-t', '2s', '--results-dir', 'only'], { cwd });
    expect(only.code).toBe(0);
    const [onlyDir] = runDirs(cwd, 'only');
    const pages = statsRow(join(onlyDir!, 'stats.csv'), '/api/items?page=[n]');
    expect(Number(pages['Request Count'])).toBeGreaterThanOrEqual(6); // 3 full pages per call, at least once per user
    expect(pages['Failure Count']).toBe('0');
  });

  it('never overwrites: existing files are problems (exit 2) and stay as they were, unless --force', async () => {
    const cwd = workdir({ 'scenario.yaml': 'mine\n' });
    const r = await runCli(['init'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('scenario.yaml: already exists; init leaves it alone (--force overwrites)');
    expect(readFileSync(join(cwd, 'scenario.yaml'), 'utf8')).toBe('mine\n');
    expect(runDirs(cwd)).toEqual([]);
    const forced = await runCli(['init', '--force', '--host', 'https://api.example.com'], { cwd });
    expect(forced.code).toBe(0);
    expect(readFileSync(join(cwd, 'scenario.yaml'), 'utf8')).toMatch(/^host: https:\/\/api\.example\.com /m);
    const bad = await runCli(['init', 'a', '--host', 'ftp://x'], { cwd });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--host: /);
  });
});
