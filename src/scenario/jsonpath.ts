/**
 * The JSON path subset used by checks and captures: `$`, `.key`, `['key']` / `["key"]`, `[0]`,
 * `[-1]` (last), `[*]` / `.*` (every element of an array or value of an object). Parsed once at
 * load; evaluated by the engine on each response.
 */
import type { JsonPath } from './types.js';

const KEY_CHAR = /[A-Za-z0-9_$\-]/;

/** The parsed path, or an error message saying what is wrong and where. */
export function parseJsonPath(src: string): JsonPath | string {
  const text = src.trim();
  if (!text.startsWith('$')) return `a JSON path starts with $ (like $.token or $.items[0].id), got ${JSON.stringify(src)}`;
  const segments: (string | number | '*')[] = [];
  let i = 1;
  const at = (what: string): string => `${what} at character ${i + 1} of JSON path ${JSON.stringify(text)}`;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '.') {
      i++;
      if (text[i] === '*') {
        segments.push('*');
        i++;
        continue;
      }
      const start = i;
      while (i < text.length && KEY_CHAR.test(text[i]!)) i++;
      if (i === start) return at('expected a key after "."');
      segments.push(text.slice(start, i));
    } else if (c === '[') {
      i++;
      const q = text[i];
      if (q === "'" || q === '"') {
        i++;
        let key = '';
        while (i < text.length && text[i] !== q) {
          if (text[i] === '\\' && i + 1 < text.length) i++;
          key += text[i];
          i++;
        }
        if (i >= text.length) return at(`missing closing ${q}`);
        i++;
        if (text[i] !== ']') return at('expected "]"');
        i++;
        segments.push(key);
      } else if (q === '*') {
        i++;
        if (text[i] !== ']') return at('expected "]"');
        i++;
        segments.push('*');
      } else {
        const m = /^-?\d+/.exec(text.slice(i));
        if (m === null) return at('expected an index, * or a quoted key after "["');
        i += m[0].length;
        if (text[i] !== ']') return at('expected "]"');
        i++;
        segments.push(Number(m[0]));
      }
    } else {
      return at(`unexpected ${JSON.stringify(c)}`);
    }
  }
  return { source: text, segments };
}

/**
 * The value at `path` in `value`, or undefined when nothing is there.
 * - `first`: the first match (for `[*]`, the first element that leads to a match);
 * - `random`: one match chosen at random (how a capture reads `[*]`);
 * - `all`: for a path without `*`, the same as `first`; with `*`, an array of every match
 *   (undefined when there is none).
 * `null` in the document is a value (it exists); a missing key is undefined. Never throws.
 */
export function evalJsonPath(value: unknown, path: JsonPath, mode: 'first' | 'random' | 'all'): unknown | undefined {
  if (!path.segments.includes('*')) return walk(value, path.segments, 0);
  const matches: unknown[] = [];
  collect(value, path.segments, 0, matches, mode === 'first');
  if (matches.length === 0) return undefined;
  if (mode === 'all') return matches;
  if (mode === 'random') return matches[Math.floor(Math.random() * matches.length)];
  return matches[0];
}

function step(value: unknown, seg: string | number): unknown | undefined {
  if (typeof seg === 'number') {
    if (!Array.isArray(value)) return undefined;
    const index = seg < 0 ? value.length + seg : seg;
    return index >= 0 && index < value.length ? value[index] : undefined;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  return Object.prototype.hasOwnProperty.call(value, seg) ? (value as Record<string, unknown>)[seg] : undefined;
}

function walk(value: unknown, segs: readonly (string | number | '*')[], from: number): unknown | undefined {
  let cur: unknown = value;
  for (let i = from; i < segs.length; i++) {
    cur = step(cur, segs[i] as string | number);
    if (cur === undefined) return undefined;
  }
  return cur;
}

function children(value: unknown): readonly unknown[] {
  if (Array.isArray(value)) return value;
  if (value !== null && typeof value === 'object') return Object.values(value);
  return [];
}

/** Appends every match to `out`; returns true when it should stop (only the first was wanted). */
function collect(value: unknown, segs: readonly (string | number | '*')[], from: number, out: unknown[], firstOnly: boolean): boolean {
  let cur: unknown = value;
  for (let i = from; i < segs.length; i++) {
    const seg = segs[i]!;
    if (seg === '*') {
      for (const child of children(cur)) {
        if (collect(child, segs, i + 1, out, firstOnly)) return true;
      }
      return false;
    }
    cur = step(cur, seg);
    if (cur === undefined) return false;
  }
  out.push(cur);
  return firstOnly;
}
