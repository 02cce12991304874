/**
 * The command line of `run` (and `demo`), read against the flag table: long flags (`--run-time 30s`,
 * `--run-time=30s`, `--no-headless`), short ones (`-t 30s`, `-t30s`, `-hV`), positionals, and `--`.
 * Every occurrence is kept in order, so the caller decides that the last one wins (Locust's rule)
 * or that they add up (`--threshold`). Unknown flags are problems with a "did you mean".
 *
 * Pure: no I/O. Values stay text; `typed.ts` turns them into `RunFlags`.
 */
import { didYouMean } from '../scenario/did-you-mean.js';
import { type FlagDef, kebab } from './flags.js';

export interface Occurrence {
  /** Text, or a boolean for a boolean flag given without `=value`. */
  readonly value: string | boolean;
}

export interface ParsedArgv {
  /** Flag key (camelCase) → every occurrence, in order. */
  readonly values: Map<string, Occurrence[]>;
  readonly positionals: string[];
  /** `--usres: unknown flag; did you mean --users?` lines. */
  readonly unknown: string[];
}

/** A negative number is a value (`-u -5`), not a flag. */
const NEGATIVE_NUMBER = /^-(?:\d+|\d*\.\d+)(?:e[+-]?\d+)?$/i;

function looksLikeFlag(arg: string): boolean {
  return arg.startsWith('-') && arg !== '-' && !NEGATIVE_NUMBER.test(arg);
}

export function parseArgv(argv: readonly string[], table: Readonly<Record<string, FlagDef>>, command = 'run'): ParsedArgv {
  const byLong = new Map<string, string>();
  const byShort = new Map<string, string>();
  for (const [key, def] of Object.entries(table)) {
    byLong.set(kebab(key), key);
    if (def.shortFlag !== undefined) byShort.set(def.shortFlag, key);
  }
  const values = new Map<string, Occurrence[]>();
  const positionals: string[] = [];
  const unknown: string[] = [];
  const add = (key: string, value: string | boolean): void => {
    const list = values.get(key) ?? [];
    list.push({ value });
    values.set(key, list);
  };
  const hint = `(cicada ${command} --help lists them)`;

  /** The value of a flag that takes one: inline, else the next argument unless it is a flag. */
  const takeValue = (def: FlagDef, inline: string | undefined, i: number): { value: string; used: number } => {
    if (inline !== undefined) return { value: inline, used: 0 };
    const next = argv[i + 1];
    if (def.bareValue !== undefined) {
      return next !== undefined && /^-?\d+$/.test(next) ? { value: next, used: 1 } : { value: def.bareValue, used: 0 };
    }
    if (next === undefined || next === '--' || looksLikeFlag(next)) return { value: '', used: 0 };
    return { value: next, used: 1 };
  };

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!looksLikeFlag(arg)) {
      positionals.push(arg);
      continue;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = arg.slice(2, eq < 0 ? undefined : eq);
      const inline = eq < 0 ? undefined : arg.slice(eq + 1);
      let key = byLong.get(name);
      if (key === undefined && name.startsWith('no-')) {
        const positive = byLong.get(name.slice(3));
        if (positive !== undefined && table[positive]!.type === 'boolean' && inline === undefined) {
          add(positive, false);
          continue;
        }
      }
      if (key === undefined) {
        const guess = didYouMean(name, [...byLong.keys()]);
        unknown.push(`--${name}: unknown flag${guess === null ? '' : `; did you mean --${guess}?`} ${hint}`);
        continue;
      }
      const def = table[key]!;
      if (def.type === 'boolean') {
        add(key, inline === undefined ? true : inline);
        continue;
      }
      const { value, used } = takeValue(def, inline, i);
      add(key, value);
      i += used;
      continue;
    }
    // Short flags: `-t 30s`, `-t30s`, `-hV` (booleans together).
    for (let j = 1; j < arg.length; j++) {
      const key = byShort.get(arg[j]!);
      if (key === undefined) {
        unknown.push(`${j === 1 ? arg : `-${arg[j]!} (in ${arg})`}: unknown flag ${hint}`);
        break;
      }
      const def = table[key]!;
      if (def.type === 'boolean') {
        add(key, true);
        continue;
      }
      const rest = arg.slice(j + 1);
      const { value, used } = takeValue(def, rest === '' ? undefined : rest.replace(/^=/, ''), i);
      add(key, value);
      i += used;
      break;
    }
  }
  return { values, positionals, unknown };
}
