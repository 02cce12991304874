/**
 * Command-line overrides: bad flags are problems naming the flag (`--users: ...`), reported
 * together with the file's problems; good flags override the file as documented.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile, scenarioFromUrl, ScenarioError } from '../../src/scenario/index.js';
import type { ScenarioOverrides } from '../../src/scenario/index.js';

const SCENARIOS = join(import.meta.dirname, '..', '..', 'scenarios');
const SMOKE = join(SCENARIOS, 'smoke.yaml');
const SLO = join(SCENARIOS, 'slo.yaml');
const ENV = { API_KEY: 'demo-key' };

function messageOf(run: () => unknown): string {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    return (e as Error).message;
  }
  throw new Error('loaded without problems');
}

const BAD_FLAGS: readonly [string, ScenarioOverrides, string, string][] = [
  ['negative users', { users: -5 }, SMOKE, '--users: must be a whole number >= 1, got "-5"'],
  ['zero users', { users: 0 }, SMOKE, '--users: must be a whole number >= 1, got "0"'],
  ['fractional users', { users: 1.5 }, SMOKE, '--users: must be a whole number >= 1, got "1.5"'],
  ['NaN users (meow parsed a word)', { users: Number.NaN }, SMOKE, '--users: must be a whole number >= 1, got "NaN"'],
  ['zero spawn rate', { spawnRate: 0 }, SMOKE, '--spawn-rate: must be a number > 0, got "0"'],
  ['bad run time', { runTime: '10 minutes' }, SMOKE, '--run-time: must be a duration longer than 0 like 30s, 5m or 1h30m, got "10 minutes"'],
  ['zero run time', { runTime: '0s' }, SMOKE, '--run-time: must be a duration longer than 0'],
  ['bad stop timeout', { stopTimeout: '-1s' }, SMOKE, '--stop-timeout: must be a duration like 10s (0 to stop at once), got "-1s"'],
  ['host without scheme', { host: 'localhost:8000' }, SMOKE, '--host: must be an http(s) URL like http://127.0.0.1:8089, got "localhost:8000" (add http://)'],
  ['host with query', { host: 'http://a.example/?q=1' }, SMOKE, '--host: must not have a query or fragment'],
  ['bad rate', { rate: 'lots' }, SMOKE, '--rate: must be a rate like 100/s, 600/m or a bare number per second and more than 0, got "lots"'],
  ['zero rate', { rate: '0/s' }, SMOKE, '--rate: must be a rate like'],
  ['bad threshold', { thresholds: ['p95 > '] }, SMOKE, '--threshold: missing value after `>` in "p95 >" (in "p95 > ")'],
  ['threshold on an unknown metric', { thresholds: ['latency < 1s'] }, SMOKE, '--threshold: unknown metric `latency`'],
  ['threshold on an unknown endpoint', { thresholds: ['/api/itemz: p95 < 1s'] }, SMOKE, '--threshold: no request is named `/api/itemz`; did you mean `/api/items`?'],
  ['unknown profile', { profile: '100rsp' }, SLO, '--profile: unknown profile "100rsp"; did you mean `100rps`? (profiles: 10rps, 100rps, 1000rps, ramp, steps)'],
  ['a profile in a file without profiles', { profile: 'fast' }, SMOKE, '--profile: unknown profile "fast" (the scenario defines no profiles:)'],
];

describe('bad flags', () => {
  it.each(BAD_FLAGS)('%s', (_what, overrides, file, expected) => {
    const message = messageOf(() => loadScenarioFile(file, { env: ENV, overrides }));
    expect(message.split('\n')).toHaveLength(1);
    expect(message.startsWith(expected)).toBe(true);
  });

  it('reports every bad flag at once, flags first, then the file', () => {
    const message = messageOf(() =>
      loadScenarioFile(join(import.meta.dirname, 'bad', 'users-zero.yaml'), { env: ENV, overrides: { users: -1, runTime: 'x', profile: 'p' } }),
    );
    const lines = message.split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^--users: /);
    expect(lines[1]).toMatch(/^--run-time: /);
    expect(lines[2]).toMatch(/^--profile: /);
    expect(lines[3]).toMatch(/users-zero\.yaml:4:8: users: must be a whole number >= 1, got 0$/);
  });

  it('checks flags even when the file cannot be read', () => {
    const message = messageOf(() => loadScenarioFile(join(SCENARIOS, 'nope.yaml'), { overrides: { users: 0 } }));
    expect(message.split('\n')).toEqual(['--users: must be a whole number >= 1, got "0"', `${join(SCENARIOS, 'nope.yaml')}: cannot read the scenario: no such file`]);
  });

  it('--host replaces a file host that would not resolve', () => {
    const file = join(import.meta.dirname, 'bad', 'runtime-ref-in-host.yaml');
    expect(loadScenarioFile(file, { env: ENV, overrides: { host: 'http://127.0.0.1:9' } }).host).toBe('http://127.0.0.1:9');
  });

  it('a host flag satisfies a file without host', () => {
    const s = loadScenarioFile(join(import.meta.dirname, 'bad', 'missing-host.yaml'), { env: ENV, overrides: { host: 'http://example.test:9000/' } });
    expect(s.host).toBe('http://example.test:9000');
  });
});

describe('good flags override the file', () => {
  it('-u -r -t -H and --stop-timeout replace the file values', () => {
    const s = loadScenarioFile(SMOKE, { env: ENV, overrides: { users: 50, spawnRate: 10, runTime: '1h30m', host: 'http://127.0.0.1:8000', stopTimeout: '5s' } });
    expect([s.users, s.spawnRate, s.runTimeMs, s.host, s.stopTimeoutMs]).toEqual([50, 10, 5_400_000, 'http://127.0.0.1:8000', 5000]);
    expect(s.load).toEqual({ kind: 'closed', stages: null });
  });

  it('--rate switches a closed-model file to the open model, capped by its users', () => {
    const s = loadScenarioFile(SMOKE, { env: ENV, overrides: { rate: '100/s' } });
    expect(s.load).toEqual({ kind: 'open', rate: 100, maxUsers: 5, stages: null });
    expect(s.users).toBe(5);
  });

  it('--rate with --users caps the open model at --users', () => {
    const s = loadScenarioFile(SMOKE, { env: ENV, overrides: { rate: '600/m', users: 40 } });
    expect(s.load).toEqual({ kind: 'open', rate: 10, maxUsers: 40, stages: null });
  });

  it('--users on an open-model file sets the cap', () => {
    const s = loadScenarioFile(SLO, { env: ENV, overrides: { users: 7 } });
    expect(s.load).toEqual({ kind: 'open', rate: 10, maxUsers: 7, stages: null });
  });

  it('--users on a load shape gives a constant load', () => {
    const s = loadScenarioFile(SLO, { env: ENV, overrides: { profile: 'steps', users: 30 } });
    expect(s.load).toEqual({ kind: 'closed', stages: null });
    expect(s.users).toBe(30);
  });

  it('--profile applies the profile', () => {
    const s = loadScenarioFile(SLO, { env: ENV, overrides: { profile: '1000rps' } });
    expect(s.profile).toBe('1000rps');
    expect(s.load).toEqual({ kind: 'open', rate: 1000, maxUsers: 500, stages: null });
    expect(s.runTimeMs).toBe(300_000);
    expect(s.thresholds.map((t) => t.source)).toEqual(['p95 < 1s', 'error_rate < 2%']);
  });

  it('--threshold replaces a file threshold on the same metric and endpoint and adds the rest', () => {
    const s = loadScenarioFile(SLO, { env: ENV, overrides: { thresholds: ['p95<300ms', 'max < 5s'] } });
    const sources = s.thresholds.map((t) => t.source);
    expect(sources).not.toContain('p95 < 500ms');
    expect(sources).toContain('GET /api/items: p95 < 250ms');
    expect(sources.slice(-2)).toEqual(['p95<300ms', 'max < 5s']);
    expect(s.thresholds.at(-1)).toMatchObject({ metric: 'max', value: 5000, op: '<', endpoint: null, loc: null, abortOnFail: false });
  });
});

describe('scenarioFromUrl (cicada run URL)', () => {
  it('makes one GET task on the URL, users started all at once', () => {
    const s = scenarioFromUrl('http://127.0.0.1:8089/api/search?q=tea#frag', { overrides: { users: 20, runTime: '10s' } });
    expect(s.host).toBe('http://127.0.0.1:8089');
    expect(s.name).toBe('127.0.0.1');
    expect([s.users, s.spawnRate, s.runTimeMs, s.file]).toEqual([20, 20, 10_000, null]);
    expect(s.userClasses).toHaveLength(1);
    const step = s.userClasses[0]!.tasks[0]!.steps[0]!;
    expect(step).toMatchObject({ kind: 'request', method: 'GET', url: '/api/search?q=tea', name: '/api/search?q=tea', timeoutMs: 60_000, maxRedirects: 5 });
  });

  it('defaults to one user and runs until stopped', () => {
    const s = scenarioFromUrl('https://example.test');
    expect([s.users, s.spawnRate, s.runTimeMs]).toEqual([1, 1, null]);
    expect(s.userClasses[0]!.tasks[0]!.name).toBe('/');
  });

  it('takes --rate and --threshold', () => {
    const s = scenarioFromUrl('http://a.test/x', { overrides: { rate: '50/s', thresholds: ['p99 < 1s', '/x: error_rate < 1%'] } });
    expect(s.load).toEqual({ kind: 'open', rate: 50, maxUsers: 50, stages: null });
    expect(s.thresholds).toHaveLength(2);
  });

  it('rejects a bad URL, --host and --profile together', () => {
    const message = messageOf(() => scenarioFromUrl('ftp://a.test/x', { overrides: { host: 'http://b.test', profile: 'p' } }));
    expect(message.split('\n')).toEqual([
      '--host: cannot be used with a URL: the URL already names the host',
      '--profile: cannot be used with a URL: profiles live in scenario files',
      'URL: must start with http:// or https://, got "ftp://a.test/x"',
    ]);
  });
});
