/**
 * `check:` and `capture:` given to a request made from script code (`u.get(url, { check })`), read
 * by the same code as YAML's so they mean exactly the same. The value is written out as JSON (which
 * is YAML) and read back; bad options throw a TypeError naming the field, at the script's call.
 */
import { readCaptures, readChecks } from './checks.js';
import { Problems } from './errors.js';
import { IDENTIFIER } from './read.js';
import type { Capture, Check } from './types.js';
import { readYaml, Source } from './yaml-source.js';

const cache = new Map<string, { readonly checks: readonly Check[]; readonly captures: readonly Capture[] }>();
const MAX_CACHED = 1000;

/** Checks and captures from plain values; the same text gives the same (cached) result. */
export function scriptChecks(check: unknown, capture: unknown): { readonly checks: readonly Check[]; readonly captures: readonly Capture[] } {
  const key = JSON.stringify([check ?? null, capture ?? null]);
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const problems = new Problems();
  const read = <T>(value: unknown, field: string, f: (node: NonNullable<ReturnType<typeof readYaml>>, ctx: { source: Source; problems: Problems }) => T[]): T[] => {
    if (value === undefined || value === null) return [];
    const source = new Source(field, JSON.stringify(value));
    const node = readYaml(source, problems);
    return node === null ? [] : f(node, { source, problems });
  };
  const checks = read(check, 'check', (node, ctx) => readChecks(ctx, node, 'check'));
  const captures = read(capture, 'capture', (node, ctx) =>
    readCaptures(ctx, node, 'capture', (name) => (IDENTIFIER.test(name) ? null : `\`${name}\` cannot name a capture: use letters, digits and _`)),
  );
  const list = problems.sorted('');
  if (list.length > 0) throw new TypeError(list.map((p) => `${p.field === '' ? p.file : p.field}: ${p.message}`).join('; '));
  const result = { checks, captures };
  if (cache.size >= MAX_CACHED) cache.clear();
  cache.set(key, result);
  return result;
}
