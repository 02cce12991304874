/**
 * Typed reads from the positioned YAML tree. Each reader either returns a value or records one
 * problem (at the value's position, under its field path) and returns null, so a caller can go on
 * checking everything else. Messages say what was expected and what was found.
 */
import { shown } from './errors.js';
import type { Problems } from './errors.js';
import { suggestion } from './did-you-mean.js';
import { parseDuration } from './duration.js';
import { overLimit } from './limits.js';
import type { Source, YEntry, YMap, YNode } from './yaml-source.js';
import type { SourceLoc } from './types.js';

/** What every part of the builder needs: the file and the problem list. */
export interface Ctx {
  readonly source: Source;
  readonly problems: Problems;
  /** For a number or duration written as one `${VAR}` (`users: ${USERS}`); none: such a value is a problem. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** A whole value that is one environment reference: `${USERS}` or `${env.USERS}`. */
const ENV_VALUE = /^\$\{\s*(?:env\.)?([A-Za-z_][A-Za-z0-9_]*)\s*\}$/;

/**
 * A scalar written as one `${VAR}` (`users: ${USERS}`), read from the environment and parsed as YAML
 * would parse the plain value (`50` a number, `30s` text). `node` itself otherwise. A variable that
 * is not set is a problem (recorded here; null returned).
 */
export function resolveEnvScalar(ctx: Ctx, node: YNode, field: string): { node: YNode; from: string | null } | null {
  if (node.kind !== 'scalar' || typeof node.value !== 'string') return { node, from: null };
  const m = ENV_VALUE.exec(node.value.trim());
  if (m === null) return { node, from: null };
  const name = m[1]!;
  const text = ctx.env?.[name];
  if (text === undefined) {
    bad(ctx, node, field, `\${${name}} is not set in the environment`);
    return null;
  }
  const trimmed = text.trim();
  const asNum = trimmed === '' ? NaN : Number(trimmed);
  const value = Number.isFinite(asNum) && /^[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?$/i.test(trimmed) ? asNum : text;
  return { node: { ...node, value, text }, from: `\${${name}}` };
}

export function bad(ctx: Ctx, at: YNode | SourceLoc, field: string, message: string): void {
  ctx.problems.at('kind' in at ? at.loc : at, field, message);
}

/** `parent.key`, or `parent["odd key"]` when the key is not a simple name. */
export function fieldOf(parent: string, key: string): string {
  const simple = /^[A-Za-z0-9_-]+$/.test(key);
  if (parent === '') return simple ? key : `[${JSON.stringify(key)}]`;
  return simple ? `${parent}.${key}` : `${parent}[${JSON.stringify(key)}]`;
}

export function indexOf(parent: string, i: number): string {
  return `${parent}[${i}]`;
}

/** How a value reads in "got ...": `"abc"`, `-5`, `true`, `nothing`, `a list`, `a mapping`. */
export function describe(node: YNode): string {
  if (node.kind === 'map') return 'a mapping';
  if (node.kind === 'seq') return 'a list';
  return node.value === null ? 'nothing' : shown(node.value);
}

export function isNull(node: YNode | undefined): boolean {
  return node === undefined || (node.kind === 'scalar' && node.value === null);
}

export function entry(map: YMap, key: string): YEntry | undefined {
  return map.entries.find((e) => e.key === key);
}

/**
 * The node as a mapping whose keys are all in `keys`, or null (problem recorded) when it is not a
 * mapping. Each key not in `keys` (unless `keys` is null: free-form keys) is a problem at the
 * key, with a "did you mean" when one is close.
 * The mapping is returned even when it has unknown keys, so its known keys are still checked.
 */
export function asMap(ctx: Ctx, node: YNode, field: string, keys: readonly string[] | null, example = ''): YMap | null {
  if (node.kind !== 'map') {
    bad(ctx, node, field, `must be a mapping${example !== '' ? ` (like ${example})` : ''}, got ${describe(node)}`);
    return null;
  }
  if (keys !== null) {
    for (const e of node.entries) if (!keys.includes(e.key)) unknownKey(ctx, e, field, keys);
  }
  return node;
}

export function unknownKey(ctx: Ctx, e: YEntry, parent: string, keys: readonly string[]): void {
  const hint = suggestion(e.key, keys);
  const known = hint !== '' ? hint : ` (expected one of: ${keys.join(', ')})`;
  bad(ctx, e.keyLoc, fieldOf(parent, e.key), `unknown key \`${e.key}\`${known}`);
}

/** A list; a single null (`key:` with nothing after it) reads as an empty list. */
export function asList(ctx: Ctx, node: YNode, field: string, example = ''): readonly YNode[] | null {
  if (isNull(node)) return [];
  if (node.kind !== 'seq') {
    bad(ctx, node, field, `must be a list${example !== '' ? ` (like ${example})` : ''}, got ${describe(node)}`);
    return null;
  }
  return node.items;
}

/** A string (or a plain number or boolean, read as text, when `coerce`). Empty strings are problems unless `allowEmpty`. */
export function asString(ctx: Ctx, node: YNode, field: string, opts: { coerce?: boolean; allowEmpty?: boolean } = {}): string | null {
  if (node.kind === 'scalar' && typeof node.value === 'string') {
    if (node.value === '' && opts.allowEmpty !== true) {
      bad(ctx, node, field, 'must not be empty');
      return null;
    }
    return node.value;
  }
  if (opts.coerce === true && node.kind === 'scalar' && node.value !== null) return node.text;
  bad(ctx, node, field, `must be text, got ${describe(node)}`);
  return null;
}

export interface NumberRule {
  readonly integer?: boolean;
  readonly min?: number;
  /** When true, `min` itself is not allowed (`> 0`). */
  readonly exclusive?: boolean;
  readonly max?: number;
  /** A limit of cicada's rather than of the value's meaning: beyond it, the message names the limit. */
  readonly limit?: { readonly max: number; readonly what: string };
}

/** `must be a whole number >= 1` etc.: the rule in words. */
export function ruleText(rule: NumberRule): string {
  const what = rule.integer === true ? 'a whole number' : 'a number';
  const parts: string[] = [];
  if (rule.min !== undefined) parts.push(`${rule.exclusive === true ? '>' : '>='} ${rule.min}`);
  if (rule.max !== undefined) parts.push(`<= ${rule.max}`);
  return `must be ${what}${parts.length > 0 ? ` ${parts.join(' and ')}` : ''}`;
}

/** True when `n` satisfies the rule (and is finite). */
export function meetsRule(n: number, rule: NumberRule): boolean {
  if (!Number.isFinite(n)) return false;
  if (rule.integer === true && !Number.isInteger(n)) return false;
  if (rule.min !== undefined && (rule.exclusive === true ? n <= rule.min : n < rule.min)) return false;
  if (rule.max !== undefined && n > rule.max) return false;
  if (rule.limit !== undefined && n > rule.limit.max) return false;
  return true;
}

/** The problem with `n` under `rule` (without "got ..."). */
export function ruleProblem(n: number, rule: NumberRule): string {
  if (rule.limit !== undefined && Number.isFinite(n) && n > rule.limit.max && meetsRule(n, { ...rule, limit: undefined })) {
    return overLimit(rule.limit.what, rule.limit.max);
  }
  return ruleText(rule);
}

export function asNumber(ctx: Ctx, written: YNode, field: string, rule: NumberRule): number | null {
  const r = resolveEnvScalar(ctx, written, field);
  if (r === null) return null;
  const { node, from } = r;
  if (node.kind === 'scalar' && typeof node.value === 'number' && meetsRule(node.value, rule)) return node.value;
  const n = node.kind === 'scalar' && typeof node.value === 'number' ? node.value : NaN;
  bad(ctx, node, field, `${ruleProblem(n, rule)}, got ${describe(node)}${from === null ? '' : ` (from ${from})`}`);
  return null;
}

export function asBool(ctx: Ctx, node: YNode, field: string): boolean | null {
  if (node.kind === 'scalar' && typeof node.value === 'boolean') return node.value;
  bad(ctx, node, field, `must be true or false, got ${describe(node)}`);
  return null;
}

export const DURATION_HINT = 'a duration like 30s, 5m, 1h30m or 250ms (a bare number is seconds)';

/** Milliseconds. Zero is allowed only with `allowZero`. */
export function asDuration(ctx: Ctx, written: YNode, field: string, opts: { allowZero?: boolean } = {}): number | null {
  const r = resolveEnvScalar(ctx, written, field);
  if (r === null) return null;
  const { node, from } = r;
  const fromText = from === null ? '' : ` (from ${from})`;
  const v = node.kind === 'scalar' && (typeof node.value === 'string' || typeof node.value === 'number') ? parseDuration(node.value) : null;
  if (v === null) {
    bad(ctx, node, field, `must be ${DURATION_HINT}, got ${describe(node)}${fromText}`);
    return null;
  }
  if (v === 0 && opts.allowZero !== true) {
    bad(ctx, node, field, `must be longer than 0, got ${describe(node)}${fromText}`);
    return null;
  }
  return v;
}

/** A name usable inside `${...}`: a letter or `_`, then letters, digits, `_`. */
export const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
