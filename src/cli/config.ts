/**
 * Defaults without typing them: `~/.cicada.conf`, `./cicada.conf`, `--config FILE` (Locust's
 * `key = value` format) and `CICADA_*` environment variables, layered under the command line:
 *
 *   command-line flags > CICADA_* variables > --config FILE > ./cicada.conf > ~/.cicada.conf > the scenario
 *
 * For each flag the highest layer that sets it wins (a list, like `threshold`, is taken whole from
 * that layer). Every value remembers where it came from, so a bad one is reported as
 * `CICADA_USERS: ...` or `cicada.conf:3: users: ...`, exit 2 as for a bad flag.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { didYouMean } from '../scenario/did-you-mean.js';
import { parseArgv } from './args.js';
import { ALL_FLAGS, envName, type FlagDef, type FlagSources, flagName, kebab, type RunFlags } from './flags.js';

export interface ResolveOptions {
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Where `./cicada.conf` is looked for; default `process.cwd()`. */
  readonly cwd?: string;
  /** Where `~/.cicada.conf` is looked for; default `$HOME` (os.homedir()). */
  readonly home?: string;
  readonly table?: Readonly<Record<string, FlagDef>>;
  /** The command, for "cicada run --help lists them". */
  readonly command?: string;
}

export interface ResolvedFlags {
  readonly flags: RunFlags;
  /** Where each value that did not come from the command line came from. */
  readonly sources: FlagSources;
  readonly positionals: readonly string[];
  /** Unknown flags (reported alone: the rest of the line cannot be trusted). */
  readonly unknown: readonly string[];
  /** Bad values, unknown config keys, unreadable config files. */
  readonly problems: readonly string[];
  /** CICADA_* variables close to a flag's (not errors: other programs may use the prefix). */
  readonly warnings: readonly string[];
  /** The config files that were read, lowest precedence first. */
  readonly configFiles: readonly string[];
}

interface LayerValue {
  readonly values: readonly string[] | boolean;
  readonly label: string;
}

/** Variables that start with CICADA_ but are not flags. */
const NOT_FLAGS = new Set(['CICADA_VITEST_JSON', 'CICADA_CHROMIUM']);

export function resolveRunFlags(opts: ResolveOptions): ResolvedFlags {
  const table: Readonly<Record<string, FlagDef>> = opts.table ?? ALL_FLAGS;
  const command = opts.command ?? 'run';
  const problems: string[] = [];
  const warnings: string[] = [];
  const parsed = parseArgv(opts.argv, table, command);

  // The command line.
  const cli = new Map<string, LayerValue>();
  for (const [key, occurrences] of parsed.values) {
    const def = table[key]!;
    const label = flagName(key);
    if (def.isMultiple === true) cli.set(key, { values: occurrences.map((o) => String(o.value)), label });
    else {
      const last = occurrences.at(-1)!.value;
      cli.set(key, { values: typeof last === 'boolean' ? last : [last], label });
    }
  }

  // The environment.
  const envLayer = new Map<string, LayerValue>();
  const byEnv = new Map(Object.keys(table).map((k) => [envName(k), k]));
  for (const [name, raw] of Object.entries(opts.env)) {
    if (!name.startsWith('CICADA_') || raw === undefined || NOT_FLAGS.has(name)) continue;
    const key = byEnv.get(name);
    if (key === undefined) {
      // Other programs use the prefix too (CICADA_CHROMIUM for the tests): only a near miss is worth a word.
      const guess = didYouMean(name, [...byEnv.keys()]);
      if (guess !== null) warnings.push(`${name}: not a cicada setting, ignored; did you mean ${guess}?`);
      continue;
    }
    if (table[key]!.configurable === false) {
      problems.push(`${name}: ${flagName(key)} cannot be set from the environment`);
      continue;
    }
    envLayer.set(key, { values: listValue(raw), label: name });
  }

  // Config files, lowest first; --config comes from the command line or the environment.
  const home = opts.home ?? homedir();
  const cwd = opts.cwd ?? process.cwd();
  const files: { path: string; shown: string; required: boolean }[] = [
    { path: join(home, '.cicada.conf'), shown: '~/.cicada.conf', required: false },
    { path: join(cwd, 'cicada.conf'), shown: 'cicada.conf', required: false },
  ];
  const explicit = cli.get('config') ?? envLayer.get('config');
  if (explicit !== undefined && Array.isArray(explicit.values)) {
    const path = explicit.values[0] ?? '';
    if (path === '') problems.push(`${explicit.label}: needs a file name`);
    else files.push({ path: isAbsolute(path) ? path : join(cwd, path), shown: path, required: true });
  }
  const fileLayers: Map<string, LayerValue>[] = [];
  const configFiles: string[] = [];
  for (const f of files) {
    let text: string;
    try {
      text = readFileSync(f.path, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (!f.required && code === 'ENOENT') continue;
      const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : (err as Error).message;
      problems.push(`${explicit?.label ?? f.shown}: cannot read the config file ${f.shown}: ${why}`);
      continue;
    }
    configFiles.push(f.path);
    fileLayers.push(readConfigText(text, f.shown, table, problems));
  }

  // Highest layer first.
  const layers = [cli, envLayer, ...fileLayers.reverse()];
  const out: Record<string, unknown> = {};
  const sources: FlagSources = {};
  for (const [key, def] of Object.entries(table)) {
    const hit = layers.map((l) => l.get(key)).find((v) => v !== undefined);
    if (hit === undefined) {
      if (def.default !== undefined) out[key] = def.default;
      else if (def.isMultiple === true) out[key] = [];
      continue;
    }
    if (hit.label !== flagName(key)) sources[key] = hit.label;
    const value = typed(def, hit, problems);
    if (value !== undefined) out[key] = value;
    else if (def.default !== undefined) out[key] = def.default;
  }
  return {
    flags: out as unknown as RunFlags,
    sources,
    positionals: parsed.positionals,
    unknown: parsed.unknown,
    problems,
    warnings,
    configFiles,
  };
}

/** `[a, b]` is a list (Locust's config syntax); anything else is one value. */
function listValue(raw: string): string[] {
  const t = raw.trim();
  if (t.startsWith('[') && t.endsWith(']')) {
    return t
      .slice(1, -1)
      .split(',')
      .map((s) => unquote(s.trim()))
      .filter((s) => s !== '');
  }
  return [unquote(t)];
}

function unquote(s: string): string {
  return s.length >= 2 && (s[0] === '"' || s[0] === "'") && s.at(-1) === s[0] ? s.slice(1, -1) : s;
}

const TRUE = new Set(['true', 'yes', 'on', '1']);
const FALSE = new Set(['false', 'no', 'off', '0']);

/** One flag's value as its type, or undefined with a problem. */
function typed(def: FlagDef, v: LayerValue, problems: string[]): unknown {
  if (def.type === 'boolean') {
    if (typeof v.values === 'boolean') return v.values;
    const text = (v.values[0] ?? '').toLowerCase();
    if (TRUE.has(text)) return true;
    if (FALSE.has(text)) return false;
    problems.push(`${v.label}: must be true or false, got ${JSON.stringify(v.values.join(', '))}`);
    return undefined;
  }
  const list = typeof v.values === 'boolean' ? [String(v.values)] : v.values;
  if (def.isMultiple === true) return [...list];
  // A list in a config file (`tags = [a, b]`) for a flag that takes one value: its items, comma-separated.
  const text = list.join(',');
  if (def.type === 'number') {
    const n = text.trim() === '' ? NaN : Number(text);
    if (Number.isFinite(n)) return n;
    problems.push(`${v.label}: must be a number, got ${JSON.stringify(text)}`);
    return undefined;
  }
  return text;
}

/**
 * A config file in Locust's format: `key = value` (or `key: value`, or a bare `key` for true),
 * `#` and `;` comments, `[section]` lines ignored, `[a, b]` lists. Keys are the long flag names
 * (`run-time`); `_` is read as `-`.
 */
export function readConfigText(text: string, shown: string, table: Readonly<Record<string, FlagDef>>, problems: string[]): Map<string, LayerValue> {
  const byKey = new Map(Object.keys(table).map((k) => [kebab(k), k]));
  const layer = new Map<string, LayerValue>();
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    const where = `${shown}:${index + 1}`;
    if (line === '' || line.startsWith('#') || line.startsWith(';') || /^\[[^\]=]*\]$/.test(line)) return;
    const m = /^([A-Za-z][\w-]*)\s*(?:[=:]\s*(.*)|\s+(.*))?$/.exec(line);
    if (m === null) {
      problems.push(`${where}: expected \`key = value\`, got ${JSON.stringify(line)}`);
      return;
    }
    const written = m[1]!;
    const name = written.replace(/_/g, '-');
    const key = byKey.get(name) ?? byKey.get(kebab(name));
    if (key === undefined) {
      const guess = didYouMean(name, [...byKey.keys()]);
      problems.push(`${where}: ${written}: unknown key${guess === null ? '' : `; did you mean ${guess}?`} (the keys are the long flag names: cicada run --help)`);
      return;
    }
    const def = table[key]!;
    if (def.configurable === false || def.configurable === 'env') {
      problems.push(`${where}: ${written}: cannot be set in a config file`);
      return;
    }
    const value = m[2] ?? m[3];
    const label = `${where}: ${written}`;
    layer.set(key, { values: value === undefined && def.type === 'boolean' ? true : listValue(stripComment(value ?? '')), label });
  });
  return layer;
}

/** ` # comment` after a value (a `#` with a space before it, as configargparse reads it). */
function stripComment(value: string): string {
  const i = value.search(/\s[#;]/);
  return (i < 0 ? value : value.slice(0, i)).trim();
}
