/**
 * Turns scenario templates into strings for one virtual user. Templates are prepared once per run
 * (data-source names resolved to indices, JSON bodies flattened to text fragments); rendering is a
 * single pass over the parts.
 */
import { randomUUID } from 'node:crypto';
import type { BuiltinName, DataSource, JsonTemplate, Template, VarRef } from '../scenario/types.js';

/** What a template can read: supplied by the virtual user. */
export interface VarContext {
  readonly userId: number;
  readonly iteration: number;
  /** A captured value, or undefined when nothing was captured under that name yet. */
  capture(name: string): string | undefined;
  /** This iteration's row of data source `source` (chosen on first use within the iteration). */
  dataRow(source: number): readonly string[];
}

/** How a variable's value is inserted. */
const enum Encode {
  Raw = 0,
  /** Escaped for the inside of a JSON string literal. */
  Json = 1,
  /** encodeURIComponent, for query strings and form bodies. */
  Uri = 2,
}

type PreparedVar =
  | { readonly k: 'capture'; readonly name: string; readonly enc: Encode }
  | { readonly k: 'data'; readonly source: number; readonly column: number; readonly enc: Encode }
  | { readonly k: 'builtin'; readonly name: BuiltinName; readonly enc: Encode }
  | { readonly k: 'randomInt'; readonly min: number; readonly max: number; readonly enc: Encode };

/** A template ready to render: literal text and variables. A plain string needs no rendering. */
export type Prepared = string | { readonly parts: readonly (string | PreparedVar)[]; readonly source: string };

/** Thrown when a template reads a capture that has not been set; the request is then not sent. */
export class UnsetVariableError extends Error {
  constructor(readonly variable: string) {
    super(`\${${variable}} is not set`);
    this.name = 'UnsetVariableError';
  }
}

/** Resolves data-source and column names to indices once. */
export class TemplatePreparer {
  private readonly sources = new Map<string, { index: number; columns: Map<string, number> }>();

  constructor(data: readonly DataSource[]) {
    data.forEach((d, index) => {
      this.sources.set(d.name, { index, columns: new Map(d.columns.map((c, i) => [c, i])) });
    });
  }

  template(t: Template, enc: Encode = Encode.Raw): Prepared {
    if (typeof t === 'string') return enc === Encode.Uri ? encodeURIComponent(t) : enc === Encode.Json ? jsonInner(t) : t;
    return {
      source: t.source,
      parts: t.parts.map((p) => (typeof p === 'string' ? (enc === Encode.Uri ? encodeURIComponent(p) : enc === Encode.Json ? jsonInner(p) : p) : this.variable(p, enc))),
    };
  }

  /** For query values and form fields. */
  uriComponent(t: Template): Prepared {
    return this.template(t, Encode.Uri);
  }

  /** A JSON body as one template producing JSON text. */
  json(j: JsonTemplate): Prepared {
    const parts: (string | PreparedVar)[] = [];
    const lit = (s: string): void => {
      const last = parts.length - 1;
      if (last >= 0 && typeof parts[last] === 'string') parts[last] += s;
      else parts.push(s);
    };
    const walk = (node: JsonTemplate): void => {
      switch (node.t) {
        case 'lit':
          lit(JSON.stringify(node.v));
          return;
        case 'tpl':
          lit('"');
          for (const p of node.v.parts) {
            if (typeof p === 'string') lit(jsonInner(p));
            else parts.push(this.variable(p, Encode.Json));
          }
          lit('"');
          return;
        case 'arr':
          lit('[');
          node.v.forEach((item, i) => {
            if (i > 0) lit(',');
            walk(item);
          });
          lit(']');
          return;
        case 'obj':
          lit('{');
          node.v.forEach(([key, value], i) => {
            lit(`${i > 0 ? ',' : ''}${JSON.stringify(key)}:`);
            walk(value);
          });
          lit('}');
          return;
      }
    };
    walk(j);
    if (parts.length === 1 && typeof parts[0] === 'string') return parts[0];
    return { parts, source: 'json body' };
  }

  private variable(v: VarRef, enc: Encode): PreparedVar {
    switch (v.kind) {
      case 'capture':
        return { k: 'capture', name: v.name, enc };
      case 'builtin':
        return { k: 'builtin', name: v.name, enc };
      case 'randomInt':
        return { k: 'randomInt', min: v.min, max: v.max, enc };
      case 'data': {
        const src = this.sources.get(v.source);
        const column = src?.columns.get(v.column);
        if (src === undefined || column === undefined) {
          // The scenario validator rejects these; reaching here is a bug in it.
          throw new Error(`data reference \${${v.source}.${v.column}} does not name a loaded data column`);
        }
        return { k: 'data', source: src.index, column, enc };
      }
    }
  }
}

export function render(t: Prepared, ctx: VarContext): string {
  if (typeof t === 'string') return t;
  let out = '';
  for (const p of t.parts) out += typeof p === 'string' ? p : encode(value(p, ctx), p.enc);
  return out;
}

function value(v: PreparedVar, ctx: VarContext): string {
  switch (v.k) {
    case 'capture': {
      const c = ctx.capture(v.name);
      if (c === undefined) throw new UnsetVariableError(v.name);
      return c;
    }
    case 'data':
      return ctx.dataRow(v.source)[v.column] ?? '';
    case 'randomInt':
      return String(v.min + Math.floor(Math.random() * (v.max - v.min + 1)));
    case 'builtin':
      switch (v.name) {
        case 'userId':
          return String(ctx.userId);
        case 'iteration':
          return String(ctx.iteration);
        case 'uuid':
          return randomUUID();
        case 'timestamp':
          return String(Math.floor(Date.now() / 1000));
        case 'timestampMs':
          return String(Date.now());
        case 'isoTime':
          return new Date().toISOString();
      }
  }
}

function encode(s: string, enc: Encode): string {
  return enc === Encode.Raw ? s : enc === Encode.Uri ? encodeURIComponent(s) : jsonInner(s);
}

/** The inside of a JSON string literal for `s` (escaped, without the quotes). */
function jsonInner(s: string): string {
  const q = JSON.stringify(s);
  return q.slice(1, -1);
}
