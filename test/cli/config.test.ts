/**
 * Defaults without typing them: ~/.cicada.conf, ./cicada.conf, --config FILE and CICADA_* variables
 * under the command line, each value remembering where it came from. Every test uses its own
 * temporary HOME and working directory, never the real home.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseArgv } from '../../src/cli/args.js';
import { resolveRunFlags } from '../../src/cli/config.js';
import { ALL_FLAGS, envName, kebab, runHelp } from '../../src/cli/flags.js';
import { runCli, runDirs, useServers, workdir } from './cli.js';

const server = useServers();

/** A temporary HOME and working directory with the given config files. */
function dirs(files: { home?: string; cwd?: string; other?: string } = {}): { home: string; cwd: string } {
  const home = workdir();
  const cwd = workdir();
  if (files.home !== undefined) writeFileSync(join(home, '.cicada.conf'), files.home);
  if (files.cwd !== undefined) writeFileSync(join(cwd, 'cicada.conf'), files.cwd);
  if (files.other !== undefined) writeFileSync(join(cwd, 'other.conf'), files.other);
  return { home, cwd };
}

describe('precedence: flags > CICADA_* > --config > ./cicada.conf > ~/.cicada.conf', () => {
  const files = { home: 'users = 1\nrun-time = 1m\nspawn-rate = 7\n', cwd: 'users = 2\nrun-time = 2m\n', other: 'users = 3\n' };

  it('each layer overrides the ones below it, flag by flag, and says where each value came from', () => {
    const { home, cwd } = dirs(files);
    const r = (argv: string[], env: Record<string, string> = {}) => resolveRunFlags({ argv, env, home, cwd });
    expect(r([]).flags.users).toBe('2');
    expect(r([]).flags.runTime).toBe('2m');
    expect(r([]).flags.spawnRate).toBe('7');
    expect(r([]).sources).toEqual({ users: 'cicada.conf:1: users', runTime: 'cicada.conf:2: run-time', spawnRate: '~/.cicada.conf:3: spawn-rate' });
    expect(r(['--config', 'other.conf']).flags.users).toBe('3');
    expect(r(['--config', 'other.conf']).sources.users).toBe('other.conf:1: users');
    expect(r(['--config', 'other.conf'], { CICADA_USERS: '4' }).flags.users).toBe('4');
    expect(r(['--config', 'other.conf'], { CICADA_USERS: '4' }).sources.users).toBe('CICADA_USERS');
    const top = r(['--config', 'other.conf', '-u', '5'], { CICADA_USERS: '4' });
    expect(top.flags.users).toBe('5');
    expect(top.sources.users).toBeUndefined(); // the command line: messages say --users
    expect(top.configFiles).toEqual([join(home, '.cicada.conf'), join(cwd, 'cicada.conf'), join(cwd, 'other.conf')]);
    // CICADA_CONFIG names the extra file as --config does.
    expect(r([], { CICADA_CONFIG: 'other.conf' }).flags.users).toBe('3');
  });

  it('without any file or variable, the table defaults apply', () => {
    const { home, cwd } = dirs();
    const r = resolveRunFlags({ argv: [], env: {}, home, cwd });
    expect(r.flags).toMatchObject({ headless: false, resultsDir: 'results', threshold: [], onlySummary: false });
    expect(r.flags.users).toBeUndefined();
    expect(r.configFiles).toEqual([]);
    expect(r.problems).toEqual([]);
  });

  it('a list is taken whole from the highest layer; --no-FLAG turns off a boolean a file turned on', () => {
    const { home, cwd } = dirs({ cwd: 'headless = true\nthreshold = [p95<500ms, error_rate<1%]\ntags = [smoke, read]\n' });
    const fromFile = resolveRunFlags({ argv: [], env: {}, home, cwd }).flags;
    expect(fromFile.threshold).toEqual(['p95<500ms', 'error_rate<1%']);
    expect(fromFile.headless).toBe(true);
    expect(fromFile.tags).toBe('smoke,read');
    const fromFlags = resolveRunFlags({ argv: ['--threshold', 'p99<1s', '--no-headless'], env: {}, home, cwd }).flags;
    expect(fromFlags.threshold).toEqual(['p99<1s']);
    expect(fromFlags.headless).toBe(false);
    expect(resolveRunFlags({ argv: [], env: { CICADA_HEADLESS: 'false' }, home, cwd }).flags.headless).toBe(false);
  });
});

describe('config file format (Locust’s key = value)', () => {
  it('reads key = value, key: value, a bare boolean key, comments, sections, quotes and snake_case keys', () => {
    const { home, cwd } = dirs({
      cwd: ['# a comment', '; another', '[cicada]', 'users = 10', 'spawn_rate: 5', 'only-summary', "host = 'http://127.0.0.1:9'", 'run-time = 30s  # trailing comment', ''].join('\n'),
    });
    const r = resolveRunFlags({ argv: [], env: {}, home, cwd });
    expect(r.problems).toEqual([]);
    expect(r.flags).toMatchObject({ users: '10', spawnRate: '5', onlySummary: true, host: 'http://127.0.0.1:9', runTime: '30s' });
  });

  it('reports every bad line at its file:line, with the key as written', () => {
    const { home, cwd } = dirs({ cwd: 'usres = 3\nheadless = maybe\n= 5\nhelp = true\nexit-code-on-error = many\n' });
    const r = resolveRunFlags({ argv: [], env: {}, home, cwd });
    expect(r.problems).toEqual([
      'cicada.conf:1: usres: unknown key; did you mean users? (the keys are the long flag names: cicada run --help)',
      'cicada.conf:3: expected `key = value`, got "= 5"',
      'cicada.conf:4: help: cannot be set in a config file',
      'cicada.conf:2: headless: must be true or false, got "maybe"',
      'cicada.conf:5: exit-code-on-error: must be a number, got "many"',
    ]);
  });

  it('a --config file that cannot be read is a problem; a missing ./cicada.conf is not', () => {
    const { home, cwd } = dirs();
    mkdirSync(join(cwd, 'adir'));
    expect(resolveRunFlags({ argv: ['--config', 'nope.conf'], env: {}, home, cwd }).problems).toEqual(['--config: cannot read the config file nope.conf: no such file']);
    expect(resolveRunFlags({ argv: [], env: { CICADA_CONFIG: 'adir' }, home, cwd }).problems).toEqual(['CICADA_CONFIG: cannot read the config file adir: it is a directory']);
  });
});

describe('CICADA_* variables', () => {
  it('every flag has one, named from its long name', () => {
    const { home, cwd } = dirs();
    for (const [key, def] of Object.entries(ALL_FLAGS)) {
      if (def.configurable === false) continue;
      const value = def.type === 'boolean' ? 'true' : def.type === 'number' ? '3' : 'x';
      const r = resolveRunFlags({ argv: [], env: { [envName(key)]: value }, home, cwd });
      expect(r.sources[key], envName(key)).toBe(envName(key));
      if (key === 'config') continue;
      expect(r.problems, envName(key)).toEqual([]);
      expect((r.flags as unknown as Record<string, unknown>)[key], envName(key)).toEqual(def.isMultiple === true ? ['x'] : def.type === 'boolean' ? true : def.type === 'number' ? 3 : 'x');
    }
    expect(envName('runTime')).toBe('CICADA_RUN_TIME');
  });

  it('a near miss is a warning with a suggestion; other CICADA_ variables are left alone', () => {
    const { home, cwd } = dirs();
    const r = resolveRunFlags({ argv: [], env: { CICADA_USRES: '3', CICADA_CHROMIUM: '/usr/bin/chromium', CICADA_SOMETHING_ELSE: '1' }, home, cwd });
    expect(r.warnings).toEqual(['CICADA_USRES: not a cicada setting, ignored; did you mean CICADA_USERS?']);
    expect(r.problems).toEqual([]);
    expect(resolveRunFlags({ argv: [], env: { CICADA_HELP: '1' }, home, cwd }).problems).toEqual(['CICADA_HELP: --help cannot be set from the environment']);
  });
});

describe('the command line', () => {
  it('a repeated flag takes its last value (as in Locust); --threshold adds up', () => {
    const p = parseArgv(['s.yaml', '-u', '3', '--users=4', '-t', '1s', '--run-time', '2s', '--threshold', 'a', '--threshold=b', 'Reader'], ALL_FLAGS);
    expect(p.positionals).toEqual(['s.yaml', 'Reader']);
    const r = resolveRunFlags({ argv: ['-u', '3', '--users=4', '-t5s', '--threshold', 'a', '--threshold=b'], env: {}, ...dirs() });
    expect(r.flags.users).toBe('4');
    expect(r.flags.runTime).toBe('5s');
    expect(r.flags.threshold).toEqual(['a', 'b']);
  });

  it('short booleans go together (-hV), negative numbers are values, -- ends the flags', () => {
    const p = parseArgv(['-hV', '-u', '-5', '--', '--users'], ALL_FLAGS);
    expect(p.values.get('help')).toEqual([{ value: true }]);
    expect(p.values.get('version')).toEqual([{ value: true }]);
    expect(p.values.get('users')).toEqual([{ value: '-5' }]);
    expect(p.positionals).toEqual(['--users']);
  });

  it('names unknown flags as typed, kebab case, with a suggestion', () => {
    expect(parseArgv(['--runTime', '1s', '--spawn_rate', '2', '-Q'], ALL_FLAGS).unknown).toEqual([
      '--runTime: unknown flag; did you mean --run-time? (cicada run --help lists them)',
      '--spawn_rate: unknown flag; did you mean --spawn-rate? (cicada run --help lists them)',
      '-Q: unknown flag (cicada run --help lists them)',
    ]);
  });

  it('--help lists every flag of the table, its variable rule and the precedence', () => {
    for (const key of Object.keys(ALL_FLAGS)) expect(runHelp).toContain(`--${kebab(key)}`);
    expect(runHelp).toContain('command-line flags > CICADA_* variables > config files (--config > ./cicada.conf > ~/.cicada.conf) > the scenario');
  });
});

describe('through the CLI', () => {
  const scenario = (host: string) => `name: conf\nhost: ${host}\nusers: 9\nuserClasses:\n  - name: U\n    tasks:\n      - get: /a\n`;

  it('a run takes users from ./cicada.conf, the run time from CICADA_RUN_TIME and the host from ~/.cicada.conf', async () => {
    const srv = await server();
    const { home, cwd } = dirs({ home: `host = ${srv.url}\nrun-time = 30s\n`, cwd: 'users = 2\nspawn-rate = 100\nheadless = true\nonly-summary = true\n' });
    writeFileSync(join(cwd, 's.yaml'), scenario('http://127.0.0.1:1'));
    const r = await runCli(['run', 's.yaml'], { cwd, env: { HOME: home, CICADA_RUN_TIME: '1s' } });
    expect(r.stderr).not.toMatch(/error/);
    expect(r.code).toBe(0);
    const summary = JSON.parse(readFileSync(join(runDirs(cwd)[0]!, 'summary.json'), 'utf8')) as { config: { users: number; host: string; runTimeMs: number }; totals: { requests: number } };
    expect(summary.config).toMatchObject({ users: 2, host: srv.url, runTimeMs: 1000 });
    expect(summary.totals.requests).toBe(srv.total);
    expect(srv.total).toBeGreaterThan(0);
  });

  it('a bad value is reported with its source, and nothing runs', async () => {
    const { home, cwd } = dirs({ cwd: 'headless = true\n\nusers = lots\n' });
    writeFileSync(join(cwd, 's.yaml'), scenario('http://127.0.0.1:1'));
    const r = await runCli(['run', 's.yaml', '-t', '1s'], { cwd, env: { HOME: home, CICADA_SPAWN_RATE: '0' } });
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n').filter((l) => l !== '')).toEqual([
      'error: cicada.conf:3: users: must be a whole number >= 1, got "lots"',
      'CICADA_SPAWN_RATE: must be a number > 0, got "0"',
    ]);
    expect(runDirs(cwd)).toEqual([]);
  });
});
