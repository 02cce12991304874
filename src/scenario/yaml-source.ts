/**
 * Reads YAML text into a small tree where every map, key, list and scalar knows its line and
 * column. This is the only file that touches the `yaml` library; positions come from its own
 * node ranges and `LineCounter`, never from our own counting. Pure (no I/O).
 */
import { LineCounter, parseDocument, isAlias, isMap, isScalar, isSeq, visit } from 'yaml';
import type { Document, Node as YamlNode } from 'yaml';
import type { Problems } from './errors.js';
import type { SourceLoc } from './types.js';

/** The text of one file and a way to turn offsets into positions. */
export class Source {
  private readonly lines = new LineCounter();

  constructor(
    readonly file: string,
    readonly text: string,
  ) {}

  /** The counter handed to the parser, which records every newline it sees. */
  get lineCounter(): LineCounter {
    return this.lines;
  }

  loc(offset: number): SourceLoc {
    const { line, col } = this.lines.linePos(offset);
    return { file: this.file, line: Math.max(line, 1), col: Math.max(col, 1) };
  }

  /**
   * The position of `needle` inside the source text of `node` (say, one `${...}` in a long string),
   * or the node's own position when the text as written does not contain it (escapes, folding).
   */
  locWithin(node: YNode, needle: string): SourceLoc {
    const i = this.text.slice(node.start, node.end).indexOf(needle);
    return i >= 0 ? this.loc(node.start + i) : node.loc;
  }
}

interface Base {
  readonly loc: SourceLoc;
  /** Offsets of the value as written, end exclusive. */
  readonly start: number;
  readonly end: number;
}
export interface YMap extends Base {
  readonly kind: 'map';
  readonly entries: readonly YEntry[];
}
export interface YEntry {
  readonly key: string;
  readonly keyLoc: SourceLoc;
  readonly value: YNode;
}
export interface YSeq extends Base {
  readonly kind: 'seq';
  readonly items: readonly YNode[];
}
export interface YScalar extends Base {
  readonly kind: 'scalar';
  /** As YAML 1.2 (core schema) reads it: `10` is a number, `"10"` a string, `yes` a string. */
  readonly value: string | number | boolean | null;
  /** The value as text: a string as is, a plain number or boolean as written (`1.10`), null as ''. */
  readonly text: string;
}
export type YNode = YMap | YSeq | YScalar;

/** Most values one file may expand to (a 16 MB scenario has fewer); far below trouble. */
const MAX_NODES = 3_000_000;
const MAX_DEPTH = 64;
/**
 * Aliases may add this many values to a file, or as many as it has, whichever is more. A file that
 * reuses an anchor in every task grows linearly; an alias bomb ("billion laughs") grows
 * exponentially and is refused before anything is expanded.
 */
const ALIAS_BUDGET = 100_000;

/**
 * Parses `source` and returns its root value, or null after adding the reasons to `problems`:
 * YAML syntax errors (the library's own messages and positions, tabs and duplicate keys among
 * them), an alias bomb, an unknown alias. When any of these is found, the values are not
 * checked further (null is returned). An empty document (nothing but comments) returns null
 * with no problem: the caller decides what empty means. `<<` merge keys are supported.
 */
export function readYaml(source: Source, problems: Problems): YNode | null {
  const doc = parseDocument(source.text, {
    lineCounter: source.lineCounter,
    prettyErrors: false,
    uniqueKeys: true,
    merge: true,
    strict: true,
  });
  const before = problems.count;
  const all = [...doc.errors, ...doc.warnings];
  // A tab in the indentation confuses the parser into follow-on errors; the tab is the news.
  const tabs = all.filter((e) => e.code === 'TAB_AS_INDENT');
  for (const e of tabs.length > 0 ? tabs : all) {
    problems.at(source.loc(e.pos[0]), '', yamlMessage(e.code, e.message, source.text, e.pos[0]));
  }
  if (problems.count > before) return null;
  if (doc.contents === null) return null;
  const anchors = new Anchors(doc);
  if (!aliasCountOk(doc, anchors, source, problems)) return null;
  const walker = new Walker(anchors, source, problems);
  const root = walker.node(doc.contents as YamlNode, 0);
  // An unknown alias is a YAML error too: checking the values around it would only add noise.
  return problems.count > before ? null : root;
}

function yamlMessage(code: string, message: string, text: string, offset: number): string {
  if (code === 'DUPLICATE_KEY') {
    const key = /^[^:\n,{}]*/.exec(text.slice(offset))?.[0]?.trim() ?? '';
    return key !== '' ? `duplicate key \`${key}\`: each key may appear once in a mapping` : 'duplicate key in a mapping';
  }
  if (code === 'TAB_AS_INDENT') return 'tab used for indentation: YAML indents with spaces only';
  if (code === 'MULTIPLE_DOCS') return 'a scenario file holds one YAML document: remove the `---` line and what follows, or split the file';
  return `YAML syntax error: ${message}`;
}

/**
 * False (with a problem at the first alias) when expanding the aliases would add more values than
 * `ALIAS_BUDGET` allows. Counted without expanding anything: each anchored node's size is
 * computed once (yaml's own `maxAliasCount` counts uses, so it refused a large file that merely
 * reused an anchor often, after building the whole document in memory).
 */
function aliasCountOk(doc: Document, anchors: Anchors, source: Source, problems: Problems): boolean {
  let first: YamlNode | null = null;
  visit(doc, {
    Alias(_key, node) {
      first = node;
      return visit.BREAK;
    },
  });
  if (first === null) return true;
  const sizes = new Map<unknown, number>();
  const inProgress = new Set<unknown>();
  let literal = 0;
  const size = (n: unknown, counting: boolean): number => {
    if (n === null || n === undefined) return 0;
    if (counting) literal++;
    if (isAlias(n)) {
      const target = anchors.resolve(n);
      if (target === undefined || inProgress.has(target)) return 1; // unknown or circular: reported elsewhere
      let s = sizes.get(target);
      if (s === undefined) {
        inProgress.add(target);
        s = size(target, false);
        inProgress.delete(target);
        sizes.set(target, s);
      }
      return s;
    }
    if (isMap(n) || isSeq(n)) {
      let total = 1;
      for (const item of n.items as unknown[]) {
        if (isScalar(item) || isAlias(item) || isMap(item) || isSeq(item)) total += size(item, counting);
        else {
          const pair = item as { key: unknown; value: unknown };
          total += size(pair.key, counting) + size(pair.value, counting);
        }
      }
      return total;
    }
    return 1;
  };
  const expanded = size(doc.contents, true);
  const added = expanded - literal;
  if (added <= Math.max(ALIAS_BUDGET, literal)) return true;
  const at = (first as YamlNode).range?.[0] ?? 0;
  problems.at(
    source.loc(at),
    '',
    `too many alias expansions: the aliases would expand ${literal} values to ${expanded > 1e15 ? 'more than 10^15' : expanded}; this looks like a YAML alias bomb ("billion laughs")`,
  );
  return false;
}

/**
 * Every anchor of a document, found in one pass, so resolving an alias is a lookup (yaml's own
 * `Alias.resolve` walks the whole document for each alias: quadratic in a large file).
 */
class Anchors {
  /** Anchor name → its definitions in document order (a name may be defined again further on). */
  private readonly byName = new Map<string, { at: number; node: YamlNode }[]>();

  constructor(doc: Document) {
    visit(doc, {
      Node: (_key, node) => {
        const anchor = (node as { anchor?: string }).anchor;
        if (typeof anchor === 'string' && !isAlias(node)) {
          const list = this.byName.get(anchor) ?? [];
          list.push({ at: node.range?.[0] ?? 0, node });
          this.byName.set(anchor, list);
        }
      },
    });
  }

  /** The node an alias names: the last definition of its anchor before it. */
  resolve(alias: { source: string; range?: [number, number, number] | null }): YamlNode | undefined {
    const list = this.byName.get(alias.source);
    if (list === undefined) return undefined;
    const at = alias.range?.[0] ?? Infinity;
    let found: YamlNode | undefined;
    for (const d of list) {
      if (d.at >= at) break;
      found = d.node;
    }
    return found;
  }
}

class Walker {
  private nodes = 0;
  private tooBig = false;

  constructor(
    private readonly anchors: Anchors,
    private readonly source: Source,
    private readonly problems: Problems,
  ) {}

  node(n: YamlNode, depth: number): YNode {
    const start = n.range?.[0] ?? 0;
    const end = n.range?.[1] ?? start;
    const loc = this.source.loc(start);
    if (++this.nodes > MAX_NODES || depth > MAX_DEPTH) {
      if (!this.tooBig) {
        this.tooBig = true;
        this.problems.at(loc, '', depth > MAX_DEPTH ? `values nested over ${MAX_DEPTH} levels deep` : `the file expands to over ${MAX_NODES} values`);
      }
      return { kind: 'scalar', value: null, text: '', loc, start, end };
    }
    if (isAlias(n)) {
      const target = this.anchors.resolve(n);
      if (target === undefined) {
        this.problems.at(loc, '', `unknown alias *${n.source}: define the anchor &${n.source} before using it`);
        return { kind: 'scalar', value: null, text: '', loc, start, end };
      }
      return this.node(target, depth + 1);
    }
    if (isMap(n)) return this.map(n.items, loc, start, end, depth);
    if (isSeq(n)) {
      return { kind: 'seq', items: n.items.map((item) => this.node(item as YamlNode, depth + 1)), loc, start, end };
    }
    if (isScalar(n)) return scalar(n.value, n.source, n.type, loc, start, end);
    return { kind: 'scalar', value: null, text: '', loc, start, end };
  }

  private map(
    pairs: readonly { key: unknown; value: unknown }[],
    loc: SourceLoc,
    start: number,
    end: number,
    depth: number,
  ): YMap {
    const entries: YEntry[] = [];
    const merged: YEntry[] = [];
    for (const pair of pairs) {
      const keyNode = pair.key as YamlNode | null;
      const keyStart = keyNode?.range?.[0] ?? start;
      const keyLoc = this.source.loc(keyStart);
      const valueNode = pair.value as YamlNode | null;
      const value: YNode =
        valueNode === null
          ? { kind: 'scalar', value: null, text: '', loc: keyLoc, start: keyStart, end: keyNode?.range?.[1] ?? keyStart }
          : this.node(valueNode, depth + 1);
      if (isScalar(keyNode) && (typeof keyNode.value === 'symbol' || (keyNode.source === '<<' && keyNode.type === 'PLAIN'))) {
        const sources = value.kind === 'seq' ? value.items : [value];
        for (const m of sources) {
          if (m.kind === 'map') merged.push(...m.entries);
          else this.problems.at(m.loc, '', 'a `<<` merge key takes a mapping (or a list of mappings) to merge');
        }
        continue;
      }
      if (!isScalar(keyNode)) {
        this.problems.at(keyLoc, '', 'a key must be plain text, not a list or a mapping');
        continue;
      }
      const k = keyNode.value;
      entries.push({ key: k === null ? '' : typeof k === 'string' ? k : String(keyNode.source ?? k), keyLoc, value });
    }
    const have = new Set(entries.map((e) => e.key));
    for (const e of merged) {
      if (!have.has(e.key)) {
        have.add(e.key);
        entries.push(e);
      }
    }
    return { kind: 'map', entries, loc, start, end };
  }
}

function scalar(v: unknown, source: string | undefined, type: string | undefined, loc: SourceLoc, start: number, end: number): YScalar {
  const plain = type === 'PLAIN' && source !== undefined;
  if (v === null || v === undefined) return { kind: 'scalar', value: null, text: '', loc, start, end };
  if (typeof v === 'string') return { kind: 'scalar', value: v, text: v, loc, start, end };
  if (typeof v === 'number' || typeof v === 'boolean') {
    return { kind: 'scalar', value: v, text: plain ? source : String(v), loc, start, end };
  }
  const text = plain ? source : String(v);
  return { kind: 'scalar', value: text, text, loc, start, end };
}
