/**
 * From the positioned YAML tree (plus flags and the environment) to a `Scenario`, checking
 * everything on the way and recording every problem rather than stopping at the first.
 */
import { basename, extname, resolve } from 'node:path';
import { didYouMean } from './did-you-mean.js';
import type { Problems } from './errors.js';
import { readFeeders } from './feeders.js';
import type { ReadFile } from './feeders.js';
import { buildLoad } from './load-model.js';
import { applyOverrides, overrideLabel, readOverrides } from './overrides.js';
import type { ScenarioOverrides } from './overrides.js';
import { asDuration, asList, asMap, asNumber, asString, bad, describe, entry, fieldOf, indexOf, isNull } from './read.js';
import type { Ctx } from './read.js';
import { Secrets } from './read-template.js';
import { readNetwork } from './network.js';
import { checkModels, layerOf, LOAD_KEYS, readSettings, stack } from './settings.js';
import type { Layer } from './settings.js';
import { mergeMonitors, readMonitorFlags, readMonitors, resolveMonitorThresholds } from './monitors.js';
import { checkEndpoints } from './threshold-list.js';
import type { Scenario, Step, Threshold, UserClass } from './types.js';
import { readUserClass } from './user-class.js';
import type { ClassEnv } from './user-class.js';
import { readVars } from './vars.js';
import { checkScriptNamed, readScriptModule } from './script-steps.js';
import type { Source, YMap, YNode } from './yaml-source.js';

export const TOP_KEYS = [
  'name', 'host', 'users', 'spawnRate', 'runTime', 'stopTimeout', 'rate', 'maxUsers', 'stages', 'rateStages',
  'defaults', 'vars', 'secretHeaders', 'userClasses', 'data', 'thresholds', 'profiles',
  'tls', 'proxy', 'http2', 'script', 'monitors', 'baseline',
];
export const DEFAULTS_KEYS = ['timeout', 'headers', 'redirects'];
export const DEFAULT_TIMEOUT_MS = 60_000;
export const DEFAULT_REDIRECTS = 5;
/** Header names whose values are always redacted. */
export const SECRET_HEADERS = ['authorization', 'cookie', 'set-cookie', 'x-api-key', 'proxy-authorization'];

export interface BuildOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly overrides: ScenarioOverrides;
  /** Reads data files; null when the scenario has no file to be relative to. */
  readonly readFile: ReadFile | null;
}

/**
 * The scenario in `root` (null when the YAML could not be read or was empty), or null when any
 * problem was found; problems go to `problems`. Flag problems are checked even when the file is bad.
 */
export function buildScenario(source: Source, root: YNode | null, problems: Problems, options: BuildOptions): Scenario | null {
  const ctx: Ctx = { source, problems, env: options.env };
  const flagSettings = readOverrides(options.overrides, problems);
  const before = problems.count;
  if (root === null || isNull(root)) {
    if (problems.count === before && !hasFileProblems(problems, source.file)) {
      problems.at({ file: source.file, line: 1, col: 1 }, '', 'the file is empty: a scenario needs at least `host:` and `userClasses:` (see scenarios/smoke.yaml)');
    }
    return null;
  }
  if (root.kind !== 'map') {
    bad(ctx, root, '', `a scenario is a mapping of keys (name, host, userClasses, ...), got ${describe(root)}`);
    return null;
  }
  const top = asMap(ctx, root, '', TOP_KEYS)!;
  const get = (k: string): YNode | undefined => entry(top, k)?.value;
  const secrets = new Secrets();

  const vars = readVars(ctx, get('vars'), options.env, secrets);
  const { names: profiles, layers: profileLayers } = readProfiles(ctx, get('profiles'), options.overrides);
  const selected = options.overrides.profile === undefined ? null : (profileLayers.get(options.overrides.profile) ?? null);
  const feeders = readFeeders(ctx, get('data'), options.readFile);
  const dataNode = get('data');
  for (const e of dataNode?.kind === 'map' ? dataNode.entries : []) {
    if (vars.has(e.key)) bad(ctx, e.keyLoc, fieldOf('data', e.key), `\`${e.key}\` is both a var and a data source; rename one`);
  }

  const network = readNetwork(ctx, top, { env: options.env, vars, secrets, readFile: options.readFile, insecure: options.overrides.insecure === true });
  const defaults = readDefaults(ctx, get('defaults'));
  const secretHeaders = readSecretHeaders(ctx, get('secretHeaders'));

  const fileLayer = layerOf(top, '');
  checkModels(ctx, fileLayer);
  // Every layer is checked on its own, so a value a profile overrides is still reported. A host
  // given by --host is not read at all: `host: ${TARGET}` need not resolve when --host replaces it.
  const unlessFlagged = (layer: Layer): Layer => (options.overrides.host === undefined ? layer : new Map([...layer].filter(([k]) => k !== 'host')));
  for (const layer of [fileLayer, ...profileLayers.values()]) readSettings(ctx, unlessFlagged(layer), options.env, vars, secrets);
  const effective = unlessFlagged(selected === null ? fileLayer : stack(fileLayer, selected));
  const settings = applyOverrides(readSettings(ctx, effective, options.env, vars, secrets), flagSettings);

  const classEnv: ClassEnv = {
    vars,
    env: options.env,
    data: feeders.columns,
    secrets,
    defaultHeaders: defaults.headers,
    timeoutMs: defaults.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    maxRedirects: defaults.maxRedirects ?? DEFAULT_REDIRECTS,
  };
  const beforeClasses = problems.count;
  const userClasses = readClasses(ctx, top, classEnv);
  const classesOk = problems.count === beforeClasses;
  const script = readScriptModule(ctx, get('script'));
  if (get('script') === undefined) checkScriptNamed(ctx, userClasses);

  let host = settings.host ?? null;
  if (host === null && userClasses.length > 0 && userClasses.every((c) => c.host !== null)) host = userClasses[0]!.host;
  const hostGiven = fileLayer.has('host') || (selected?.has('host') ?? false) || options.overrides.host !== undefined;
  if (host === null && !hostGiven) {
    bad(ctx, top, 'host', 'missing: set `host:` to the target (like http://127.0.0.1:8089) or pass --host');
  }

  const thresholds = settings.thresholds ?? [];
  if (classesOk) checkEndpoints(problems, thresholds, requestNames(userClasses));
  const monitors = mergeMonitors(readMonitors(ctx, get('monitors')), readMonitorFlags(options.overrides.monitors ?? [], problems), host);
  const resolvedThresholds = resolveMonitorThresholds(problems, thresholds, monitors);
  const load = buildLoad(settings);

  const nameNode = get('name');
  const name = nameNode === undefined ? basename(source.file, extname(source.file)) || 'scenario' : asString(ctx, nameNode, 'name', { coerce: true });

  if (problems.count > 0 || host === null || name === null) return null;
  const allSecretHeaders = [...new Set([...SECRET_HEADERS, ...secretHeaders])];
  addLiteralHeaderSecrets(userClasses, allSecretHeaders, secrets);
  return {
    name,
    file: source.file === '' ? null : resolve(source.file),
    host,
    users: load.users,
    spawnRate: load.spawnRate,
    runTimeMs: load.runTimeMs,
    stopTimeoutMs: load.stopTimeoutMs,
    load: load.load,
    userClasses,
    data: feeders.sources,
    thresholds: resolvedThresholds,
    profile: options.overrides.profile ?? null,
    profiles,
    secretValues: secrets.values(),
    secretHeaders: allSecretHeaders,
    network,
    script,
    ...(monitors.length > 0 ? { monitors } : {}),
    ...(settings.baseline === undefined ? {} : { baseline: settings.baseline }),
  };
}

/**
 * A secret header written literally (`x-api-key: abc123`, `authorization: Basic dXNl...`) is a secret
 * value too, redacted wherever it appears, not only after its header name. For `Bearer x`/`Basic x`
 * the credential alone is added as well. Templated values are left out: their literal parts
 * (`Bearer `) are not secret, and the values they insert are secrets of their own (env, vars, captures).
 */
function addLiteralHeaderSecrets(classes: readonly UserClass[], secretHeaders: readonly string[], secrets: Secrets): void {
  const names = new Set(secretHeaders);
  const steps = (c: UserClass): Step[] => [...c.onStart, ...c.onStop, ...c.tasks.flatMap((t) => t.steps)];
  for (const c of classes) {
    for (const step of steps(c)) {
      if (step.kind !== 'request') continue;
      for (const [name, value] of step.headers) {
        if (!names.has(name) || typeof value !== 'string') continue;
        secrets.add(value);
        const credential = /^(?:Bearer|Basic|Token|Digest)\s+(\S.*)$/i.exec(value)?.[1];
        if (credential !== undefined) secrets.add(credential);
      }
    }
  }
}

function hasFileProblems(problems: Problems, file: string): boolean {
  return problems.sorted(file).some((p) => p.file === file);
}

function readProfiles(ctx: Ctx, node: YNode | undefined, overrides: ScenarioOverrides): { names: string[]; layers: Map<string, Layer> } {
  const wanted = overrides.profile;
  const names: string[] = [];
  const layers = new Map<string, Layer>();
  const map = node === undefined || isNull(node) ? null : asMap(ctx, node, 'profiles', null, '{ 10rps: { rate: 10/s, maxUsers: 10 } }');
  for (const e of map?.entries ?? []) {
    names.push(e.key);
    const f = fieldOf('profiles', e.key);
    const p = asMap(ctx, e.value, f, LOAD_KEYS, '{ rate: 10/s, maxUsers: 10, runTime: 1m }');
    if (p === null) continue;
    if (p.entries.length === 0) bad(ctx, e.value, f, 'an empty profile changes nothing');
    const layer = layerOf(p, f);
    checkModels(ctx, layer);
    layers.set(e.key, layer);
  }
  if (wanted !== undefined && !names.includes(wanted)) {
    const close = didYouMean(wanted, names);
    const known = names.length === 0 ? 'the scenario defines no profiles:' : `profiles: ${names.join(', ')}`;
    ctx.problems.flag(overrideLabel(overrides, 'profile'), `unknown profile ${JSON.stringify(wanted)}${close !== null ? `; did you mean \`${close}\`?` : ''} (${known})`);
  }
  return { names, layers };
}

interface Defaults {
  readonly timeoutMs: number | null;
  readonly maxRedirects: number | null;
  readonly headers: { readonly node: YNode; readonly field: string } | null;
}

function readDefaults(ctx: Ctx, node: YNode | undefined): Defaults {
  const none: Defaults = { timeoutMs: null, maxRedirects: null, headers: null };
  if (node === undefined || isNull(node)) return none;
  const map = asMap(ctx, node, 'defaults', DEFAULTS_KEYS, '{ timeout: 30s, headers: { x-api-key: "${API_KEY}" } }');
  if (map === null) return none;
  const t = entry(map, 'timeout');
  const r = entry(map, 'redirects');
  const h = entry(map, 'headers');
  return {
    timeoutMs: t === undefined ? null : asDuration(ctx, t.value, 'defaults.timeout'),
    maxRedirects: r === undefined ? null : asNumber(ctx, r.value, 'defaults.redirects', { integer: true, min: 0 }),
    headers: h === undefined ? null : { node: h.value, field: 'defaults.headers' },
  };
}

function readSecretHeaders(ctx: Ctx, node: YNode | undefined): string[] {
  if (node === undefined) return [];
  const items = asList(ctx, node, 'secretHeaders', '[x-session-token]') ?? [];
  const out: string[] = [];
  items.forEach((item, i) => {
    const s = asString(ctx, item, indexOf('secretHeaders', i));
    if (s !== null) out.push(s.toLowerCase());
  });
  return out;
}

function readClasses(ctx: Ctx, top: YMap, env: ClassEnv): UserClass[] {
  const e = entry(top, 'userClasses');
  if (e === undefined || isNull(e.value)) {
    bad(ctx, e?.keyLoc ?? top.loc, 'userClasses', 'missing: a scenario needs at least one user class, like `userClasses: [ { name: Browser, tasks: [ { get: / } ] } ]`');
    return [];
  }
  const items = asList(ctx, e.value, 'userClasses', '[ { name: Browser, tasks: [ { get: / } ] } ]');
  if (items === null) return [];
  if (items.length === 0) bad(ctx, e.value, 'userClasses', 'needs at least one user class');
  const classes: UserClass[] = [];
  const seen = new Map<string, number>();
  items.forEach((item, i) => {
    const c = readUserClass(ctx, item, indexOf('userClasses', i), i, items.length, env);
    if (c === null) return;
    if (seen.has(c.name)) {
      const nameNode = item.kind === 'map' ? entry(item, 'name')?.value : undefined;
      bad(ctx, nameNode ?? item, fieldOf(indexOf('userClasses', i), 'name'), `another user class (userClasses[${seen.get(c.name)}]) is already named \`${c.name}\``);
      return;
    }
    seen.set(c.name, i);
    classes.push(c);
  });
  return classes;
}

/** Every request's stats name, alone and as `METHOD name`. */
function requestNames(classes: readonly UserClass[]): Set<string> {
  const names = new Set<string>();
  for (const c of classes) {
    for (const step of [...c.onStart, ...c.onStop, ...c.tasks.flatMap((t) => t.steps)]) {
      if (step.kind !== 'request') continue;
      names.add(step.name);
      names.add(`${step.method} ${step.name}`);
    }
  }
  return names;
}
