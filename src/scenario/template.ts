/**
 * `${...}` templates. At load, environment variables and `vars:` are substituted; what is only
 * known at run time (captures, data feeder columns, built-ins, randomInt) becomes a `VarRef`.
 * A template with no run-time references collapses to a plain string. Pure.
 *
 * Inside `${...}`: `NAME` (a capture, a var, a built-in, else an environment variable),
 * `env.NAME` (always the environment), `source.column` (a data feeder), `randomInt(min, max)`.
 * `$${` writes a literal `${`.
 */
import { didYouMean } from './did-you-mean.js';
import { IDENTIFIER } from './read.js';
import type { BuiltinName, Template, VarRef } from './types.js';

export const BUILTINS: readonly BuiltinName[] = ['userId', 'iteration', 'uuid', 'timestamp', 'timestampMs', 'isoTime'];

export interface TemplateScope {
  readonly vars: ReadonlyMap<string, string>;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Data source name → its column names, or null when the source could not be read (any column is accepted, to avoid repeating that problem). */
  readonly data: ReadonlyMap<string, readonly string[] | null>;
  /** Every capture declared in the user class (onStart, tasks, onStop). */
  readonly captures: ReadonlySet<string>;
  /** False where only load-time values make sense (host, vars): run-time references are problems. */
  readonly runtime: boolean;
}

export interface TemplateIssue {
  /** The reference as written (`${API_KEY}`), to point at it in the file. */
  readonly ref: string;
  readonly message: string;
}

export interface CompiledResult {
  readonly template: Template;
  readonly issues: readonly TemplateIssue[];
  /** Values substituted from the environment (they are redacted from output). */
  readonly envValues: readonly string[];
}

/** A scope with nothing but the environment: for `vars:` and other load-time text. */
export function loadTimeScope(env: Readonly<Record<string, string | undefined>>, vars: ReadonlyMap<string, string> = new Map()): TemplateScope {
  return { vars, env, data: new Map(), captures: new Set(), runtime: false };
}

export function compileTemplate(text: string, scope: TemplateScope): CompiledResult {
  const parts: (string | VarRef)[] = [];
  const issues: TemplateIssue[] = [];
  const envValues: string[] = [];
  let literal = '';
  let i = 0;
  while (i < text.length) {
    if (text.startsWith('$${', i)) {
      literal += '${';
      i += 3;
      continue;
    }
    if (!text.startsWith('${', i)) {
      literal += text[i];
      i++;
      continue;
    }
    const close = text.indexOf('}', i + 2);
    if (close < 0) {
      issues.push({ ref: text.slice(i), message: 'unclosed `${`: a reference ends with `}` (write `$${` for a literal `${`)' });
      literal += text.slice(i);
      break;
    }
    const ref = text.slice(i, close + 1);
    const r = resolve(text.slice(i + 2, close).trim(), ref, scope);
    if ('message' in r) {
      issues.push({ ref, message: r.message });
      literal += ref;
    } else if ('text' in r) {
      literal += r.text;
      if (r.fromEnv) envValues.push(r.text);
    } else {
      if (literal !== '') parts.push(literal);
      literal = '';
      parts.push(r.ref);
    }
    i = close + 1;
  }
  if (literal !== '' || parts.length === 0) parts.push(literal);
  const template: Template = parts.length === 1 && typeof parts[0] === 'string' ? parts[0] : { parts, source: text };
  return { template, issues, envValues };
}

/** True when `text` contains a `${` reference (not counting `$${` escapes). */
export function hasReference(text: string): boolean {
  return /(^|[^$])\$\{/.test(text);
}

/** The text of a template as written, for names and messages. */
export function templateSource(t: Template): string {
  return typeof t === 'string' ? t : t.source;
}

type Resolved = { readonly text: string; readonly fromEnv: boolean } | { readonly ref: VarRef } | { readonly message: string };

function resolve(inner: string, ref: string, scope: TemplateScope): Resolved {
  const runtime = (r: VarRef): Resolved =>
    scope.runtime
      ? { ref: r }
      : { message: `${ref} is only known while the test runs; here you can use environment variables and vars` };

  if (inner === '') return { message: 'empty reference `${}`' };
  const env = /^env\.(.+)$/.exec(inner);
  if (env !== null) {
    const name = env[1]!;
    const value = scope.env[name];
    if (!IDENTIFIER.test(name)) return { message: `invalid environment variable name in ${ref}` };
    if (value === undefined) return { message: `environment variable ${name} is not set (used as ${ref})` };
    return { text: value, fromEnv: true };
  }
  if (inner.startsWith('randomInt')) {
    const m = /^randomInt\(\s*(-?\d+)\s*,\s*(-?\d+)\s*\)$/.exec(inner);
    if (m === null) return { message: `${ref}: randomInt takes two whole numbers, like \${randomInt(1, 100)}` };
    const min = Number(m[1]);
    const max = Number(m[2]);
    if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max)) return { message: `${ref}: bounds are too large` };
    if (min > max) return { message: `${ref}: the minimum ${min} is greater than the maximum ${max}` };
    return runtime({ kind: 'randomInt', min, max });
  }
  const dotted = /^([A-Za-z_][A-Za-z0-9_]*)\.([^.\s]+)$/.exec(inner);
  if (dotted !== null) return resolveData(dotted[1]!, dotted[2]!, ref, scope, runtime);
  if (!IDENTIFIER.test(inner)) {
    return { message: `invalid reference ${ref}: expected NAME, source.column, env.NAME or randomInt(min, max)` };
  }
  if ((BUILTINS as readonly string[]).includes(inner)) return runtime({ kind: 'builtin', name: inner as BuiltinName });
  if (scope.captures.has(inner)) return runtime({ kind: 'capture', name: inner });
  const v = scope.vars.get(inner);
  if (v !== undefined) return { text: v, fromEnv: false };
  const e = scope.env[inner];
  if (e !== undefined) return { text: e, fromEnv: true };
  const known = [...BUILTINS, ...scope.captures, ...scope.vars.keys()];
  const close = didYouMean(inner, known);
  const hint = close !== null ? `; did you mean \${${close}}?` : '';
  return { message: `undefined variable ${ref}: set it in the environment or define it under vars${hint}` };
}

function resolveData(source: string, column: string, ref: string, scope: TemplateScope, runtime: (r: VarRef) => Resolved): Resolved {
  const columns = scope.data.get(source);
  if (columns === undefined) {
    const names = [...scope.data.keys()];
    const close = didYouMean(source, names);
    const hint = close !== null ? `; did you mean \`${close}\`?` : names.length > 0 ? ` (data sources: ${names.join(', ')})` : ' (there is no `data:` section)';
    return { message: `unknown data source \`${source}\` in ${ref}${hint}` };
  }
  if (columns !== null && !columns.includes(column)) {
    const close = didYouMean(column, columns);
    const hint = close !== null ? `; did you mean \`${close}\`?` : '';
    return { message: `data source \`${source}\` has no column \`${column}\` (columns: ${columns.join(', ')})${hint}` };
  }
  return runtime({ kind: 'data', source, column });
}
