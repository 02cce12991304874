/**
 * The scenario loader's public entry points. Each returns a complete, validated `Scenario` or
 * throws one `ScenarioError` listing every problem (file:line:col: field: message); nothing else is
 * thrown for bad input. Data CSVs named by a scenario are read relative to its file.
 */
import { addUrlSecrets } from './urls.js';
import { buildScenario, DEFAULT_REDIRECTS, DEFAULT_TIMEOUT_MS, SECRET_HEADERS } from './build.js';
import { Problems, ScenarioError } from './errors.js';
import type { ReadFile } from './feeders.js';
import { InputFileError, MAX_DATA_BYTES, MAX_SCENARIO_BYTES, readInputFile } from './input-file.js';
import { buildLoad } from './load-model.js';
import { applyOverrides, overrideLabel, readOverrides } from './overrides.js';
import type { ScenarioOverrides } from './overrides.js';
import { networkFromEnvironment } from './network.js';
import { Secrets } from './read-template.js';
import { checkText, decodeText } from './text.js';
import type { TextResult } from './text.js';
import { mergeMonitors, readMonitorFlags, resolveMonitorThresholds } from './monitors.js';
import { checkEndpoints } from './threshold-list.js';
import type { RequestStep, Scenario } from './types.js';
import { readYaml, Source } from './yaml-source.js';

export type { ScenarioOverrides } from './overrides.js';

export interface LoadOptions {
  /** Where `${VAR}` comes from; default `process.env`. */
  env?: Record<string, string | undefined>;
  /** From CLI flags; each overrides the file. */
  overrides?: ScenarioOverrides;
}

const readFile: ReadFile = (path) => readInputFile(path, MAX_DATA_BYTES);

/** Reads and loads a scenario file (and the data CSVs it names). Problems name `path` as given. */
export function loadScenarioFile(path: string, options: LoadOptions = {}): Scenario {
  let bytes: Uint8Array;
  try {
    bytes = readInputFile(path, MAX_SCENARIO_BYTES);
  } catch (e) {
    const problems = new Problems();
    const code = (e as { code?: unknown }).code;
    const why = code === 'EISDIR' || (e instanceof InputFileError && /directory/.test(e.message)) ? 'it is a directory, not a scenario file' : e instanceof InputFileError ? e.message : String((e as Error).message);
    problems.push({ file: path, line: 0, col: 0, field: '', message: `cannot read the scenario: ${why}` });
    readOverrides(options.overrides ?? {}, problems);
    throw new ScenarioError(problems.sorted(path));
  }
  return fromText(decodeText(bytes), path, options);
}

/** Loads a scenario from text; `file` names it in problems and anchors relative data paths. */
export function parseScenario(text: string, file: string, options: LoadOptions = {}): Scenario {
  return fromText(checkText(text), file, options);
}

function fromText(text: TextResult, file: string, options: LoadOptions): Scenario {
  const problems = new Problems();
  const buildOptions = { env: options.env ?? process.env, overrides: options.overrides ?? {}, readFile: file === '' ? null : readFile };
  let scenario: Scenario | null = null;
  if (!text.ok) {
    problems.at({ file, line: text.line, col: text.col }, '', text.message);
    readOverrides(buildOptions.overrides, problems);
  } else {
    const source = new Source(file, text.text);
    const root = readYaml(source, problems);
    scenario = buildScenario(source, root, problems, buildOptions);
  }
  problems.throwIfAny(file);
  if (scenario === null) throw new ScenarioError([{ file, line: 0, col: 0, field: '', message: 'the scenario could not be loaded' }]);
  return scenario;
}

/**
 * `cicada run http://host/path` (oha-style quick run): one user class with one GET task. Users
 * default to 1 and start all at once (spawn rate = users); flags apply as for a file, except
 * `--host` (the URL names it) and `--profile` (a URL has none).
 */
export function scenarioFromUrl(url: string, options: LoadOptions = {}): Scenario {
  const problems = new Problems();
  const overrides = options.overrides ?? {};
  const flags = readOverrides(overrides, problems);
  const secrets = new Secrets();
  const network = networkFromEnvironment(problems, { env: options.env ?? process.env, secrets, insecure: overrides.insecure === true });
  if (overrides.host !== undefined) problems.flag(overrideLabel(overrides, 'host'), 'cannot be used with a URL: the URL already names the host');
  if (overrides.profile !== undefined) problems.flag(overrideLabel(overrides, 'profile'), 'cannot be used with a URL: profiles live in scenario files');
  let parsed: URL | null = null;
  try {
    parsed = new URL(url);
  } catch {
    problems.flag('URL', `not a valid URL: ${JSON.stringify(url)}`);
  }
  if (parsed !== null && (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    problems.flag('URL', `must start with http:// or https://, got ${JSON.stringify(url)}`);
    parsed = null;
  }
  if (parsed !== null && parsed.hash !== '') parsed.hash = '';
  const path = parsed === null ? '/' : `${parsed.pathname}${parsed.search}`;
  const request: RequestStep = {
    kind: 'request',
    method: 'GET',
    url: path,
    name: path,
    headers: [],
    query: [],
    body: null,
    timeoutMs: DEFAULT_TIMEOUT_MS,
    maxRedirects: DEFAULT_REDIRECTS,
    checks: [],
    captures: [],
    needsBody: false,
    loc: { file: '', line: 0, col: 0 },
  };
  // All users at once, as oha does; the open model's own default applies with --rate.
  const settings = applyOverrides(flags.rate === undefined ? { spawnRate: flags.users ?? 1 } : {}, flags);
  checkEndpoints(problems, settings.thresholds ?? [], new Set([path, `GET ${path}`]));
  const monitors = mergeMonitors([], readMonitorFlags(overrides.monitors ?? [], problems), parsed?.origin ?? null);
  const thresholds = resolveMonitorThresholds(problems, settings.thresholds ?? [], monitors);
  problems.throwIfAny('');
  const load = buildLoad(settings);
  // Credentials in the URL are used as basic auth (see engine/prepare.ts), and redacted everywhere.
  const userinfo = parsed!.username === '' && parsed!.password === '' ? '' : `${parsed!.username}${parsed!.password === '' ? '' : `:${parsed!.password}`}@`;
  addUrlSecrets(url, secrets);
  return {
    name: parsed!.hostname,
    file: null,
    host: `${parsed!.protocol}//${userinfo}${parsed!.host}`,
    users: load.users,
    spawnRate: load.spawnRate,
    runTimeMs: load.runTimeMs,
    stopTimeoutMs: load.stopTimeoutMs,
    load: load.load,
    userClasses: [
      {
        name: 'User',
        weight: 1,
        fixedCount: null,
        host: null,
        wait: { kind: 'none' },
        onStart: [],
        onStop: [],
        tasks: [{ name: path, weight: 1, steps: [request], loc: request.loc }],
        loc: request.loc,
      },
    ],
    data: [],
    thresholds,
    profile: null,
    profiles: [],
    secretValues: secrets.values(),
    secretHeaders: [...SECRET_HEADERS],
    network,
    ...(monitors.length > 0 ? { monitors } : {}),
  };
}
