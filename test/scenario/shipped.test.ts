/**
 * Every scenario in scenarios/ loads without problems, and the ones the README leans on build the
 * load and classes they describe.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile, parseScenario, ScenarioError } from '../../src/scenario/index.js';
import type { RequestStep, Scenario, Step } from '../../src/scenario/index.js';

const SCENARIOS = join(import.meta.dirname, '..', '..', 'scenarios');
const ENV = { API_KEY: 'demo-key' };
const load = (name: string, profile?: string): Scenario =>
  loadScenarioFile(join(SCENARIOS, name), { env: ENV, overrides: profile === undefined ? {} : { profile } });
const request = (step: Step | undefined): RequestStep => {
  if (step?.kind !== 'request') throw new Error('not a request');
  return step;
};

const files = readdirSync(SCENARIOS).filter((f) => f.endsWith('.yaml'));

describe('shipped scenarios', () => {
  it('include the files the README promises', () => {
    expect(files).toEqual(expect.arrayContaining(['demo.yaml', 'smoke.yaml', 'auth-flow.yaml', 'api-key.yaml', 'user-classes.yaml', 'slo.yaml']));
  });

  it.each(files)('%s loads without problems', (f) => {
    const s = load(f);
    expect(s.userClasses.length).toBeGreaterThan(0);
    expect(s.host).toBe('http://127.0.0.1:8089');
  });

  it.each(['10rps', '100rps', '1000rps', 'ramp', 'steps'])('slo.yaml loads with --profile %s', (p) => {
    expect(load('slo.yaml', p).profile).toBe(p);
  });

  it('demo.yaml: 20 users, two classes, CSV feeders, no run time', () => {
    const s = load('demo.yaml');
    expect([s.users, s.spawnRate, s.runTimeMs]).toEqual([20, 5, null]);
    expect(s.userClasses.map((c) => [c.name, c.weight])).toEqual([['Shopper', 3], ['Visitor', 1]]);
    expect(s.data.map((d) => [d.name, d.order, d.columns, d.rows.length])).toEqual([
      ['accounts', 'unique', ['user', 'password'], 50],
      ['terms', 'random', ['term'], 10],
    ]);
    expect(s.data[1]!.rows).toContainEqual(['jade, misty']);
    expect(s.data[0]!.file).toBe(join(SCENARIOS, 'data', 'accounts.csv'));
    const item = s.userClasses[0]!.tasks.find((t) => t.name === '/api/items/[id]')!;
    expect(request(item.steps[0]).url).toEqual({ parts: ['/api/items/', { kind: 'randomInt', min: 1, max: 2000 }], source: '/api/items/${randomInt(1, 2000)}' });
  });

  it('user-classes.yaml: 200 users at 20/s for 30 minutes, weights 70/25/4/1', () => {
    const s = load('user-classes.yaml');
    expect([s.users, s.spawnRate, s.runTimeMs, s.stopTimeoutMs]).toEqual([200, 20, 1_800_000, 10_000]);
    expect(s.userClasses.map((c) => c.weight)).toEqual([70, 25, 4, 1]);
    expect(s.thresholds.map((t) => [t.metric, t.op, t.value])).toEqual([
      ['p50', '<', 200],
      ['p95', '<', 500],
      ['p99', '<', 1000],
      ['error_rate', '<', 0.005],
      ['rps', '>', 100],
    ]);
    expect(s.userClasses[2]!.wait).toEqual({ kind: 'pacing', ms: 10_000 });
  });

  it('auth-flow.yaml: the login is sent without the bearer header the later requests carry', () => {
    const s = load('auth-flow.yaml');
    const c = s.userClasses[0]!;
    const login = request(c.onStart[0]);
    expect(login.headers.map(([n]) => n)).not.toContain('authorization');
    expect(login.captures).toMatchObject([{ name: 'token', from: 'json', secret: true }]);
    const me = request(c.tasks[0]!.steps[0]);
    expect(me.headers).toEqual([['authorization', { parts: ['Bearer ', { kind: 'capture', name: 'token' }], source: 'Bearer ${token}' }]]);
    const create = c.tasks.find((t) => t.name === 'create')!;
    expect(request(create.steps[0]).captures.map((x) => x.from)).toEqual(['header', 'regex']);
    expect(request(create.steps[1]).url).toEqual({ parts: [{ kind: 'capture', name: 'itemPath' }], source: '${itemPath}' });
  });

  it('api-key.yaml: the key comes from the environment, is a secret, and a class can blank it', () => {
    const s = load('api-key.yaml');
    expect(s.secretValues).toEqual(['demo-key']);
    expect(s.secretHeaders).toContain('x-api-key');
    expect(request(s.userClasses[0]!.tasks[0]!.steps[0]).headers).toEqual([['x-api-key', 'demo-key']]);
    expect(request(s.userClasses[1]!.tasks[0]!.steps[0]).headers).toEqual([['x-api-key', '']]);
  });

  it('api-key.yaml without API_KEY names the variable and the way out', () => {
    try {
      loadScenarioFile(join(SCENARIOS, 'api-key.yaml'), { env: {} });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ScenarioError);
      expect((e as Error).message).toMatch(/api-key\.yaml:\d+:\d+: defaults\.headers\.x-api-key: undefined variable \$\{API_KEY\}: set it in the environment or define it under vars$/);
    }
  });

  it('slo.yaml: open model by default, stages in profiles', () => {
    expect(load('slo.yaml').load).toEqual({ kind: 'open', rate: 10, maxUsers: 20, stages: null });
    const ramp = load('slo.yaml', 'ramp');
    expect(ramp.load).toMatchObject({ kind: 'open', rate: 0, maxUsers: 200 });
    expect(ramp.runTimeMs).toBe(300_000);
    const steps = load('slo.yaml', 'steps');
    expect(steps.load).toEqual({
      kind: 'closed',
      stages: [
        { durationMs: 60_000, users: 10, spawnRate: 10 },
        { durationMs: 60_000, users: 50, spawnRate: 10 },
        { durationMs: 60_000, users: 100, spawnRate: 20 },
      ],
    });
    expect([steps.users, steps.runTimeMs]).toEqual([100, 180_000]);
    const abort = load('slo.yaml').thresholds.find((t) => t.abortOnFail)!;
    expect(abort).toMatchObject({ metric: 'error_rate', value: 0.1, abortGraceMs: 30_000 });
  });
});

describe('scenarios/README.md', () => {
  it('its opening example is a valid scenario', () => {
    const readme = readFileSync(join(SCENARIOS, 'README.md'), 'utf8');
    const example = /```yaml\n([\s\S]*?)```/.exec(readme)![1]!;
    const s = parseScenario(example, join(SCENARIOS, 'readme-example.yaml'), { env: ENV });
    expect([s.name, s.users, s.userClasses.length, s.thresholds.length]).toEqual(['sustained', 200, 2, 2]);
  });

  it('lists every shipped scenario', () => {
    const readme = readFileSync(join(SCENARIOS, 'README.md'), 'utf8');
    for (const f of files) expect(readme).toContain(`(${f})`);
  });
});
