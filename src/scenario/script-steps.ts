/**
 * The YAML side of scripting: `script: ./tasks.ts` at the top level, `call: fnName` as a task or a
 * step, and `before:`/`after:` hooks on a request. Only names and positions are read here; whether
 * the module exports them is checked by `loadScript()` (script.ts), which has to import it.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { asDuration, asString, bad, entry, fieldOf, IDENTIFIER, unknownKey } from './read.js';
import type { Ctx } from './read.js';
import type { CallStep, ScriptModuleRef, ScriptRef, Step, UserClass } from './types.js';
import type { YMap, YNode } from './yaml-source.js';

/** File types `script:` may name: TypeScript (types stripped when loaded) or JavaScript modules. */
export const SCRIPT_EXTENSIONS = ['.ts', '.mts', '.js', '.mjs'];

/** `script: ./tasks.ts`, relative to the scenario file. */
export function readScriptModule(ctx: Ctx, node: YNode | undefined): ScriptModuleRef | null {
  if (node === undefined) return null;
  const path = asString(ctx, node, 'script');
  if (path === null) return null;
  const ext = extname(path).toLowerCase();
  if (!SCRIPT_EXTENSIONS.includes(ext)) {
    bad(ctx, node, 'script', `must name a TypeScript or JavaScript module (${SCRIPT_EXTENSIONS.join(', ')}), got ${JSON.stringify(path)}`);
    return null;
  }
  if (ctx.source.file === '') {
    bad(ctx, node, 'script', 'a scenario given as text has no folder to find the script in: load it from a file');
    return null;
  }
  const file = resolve(dirname(ctx.source.file), path);
  if (!existsSync(file)) {
    bad(ctx, node, 'script', `no such file: ${JSON.stringify(path)} (looked for ${file})`);
    return null;
  }
  if (!statSync(file).isFile()) {
    bad(ctx, node, 'script', `${JSON.stringify(path)} is not a file`);
    return null;
  }
  return { file, loc: node.loc };
}

/** A function name for `call:`, `before:` or `after:`. */
export function readScriptRef(ctx: Ctx, node: YNode, field: string): ScriptRef | null {
  const name = asString(ctx, node, field);
  if (name === null) return null;
  if (!IDENTIFIER.test(name)) {
    bad(ctx, node, field, `must be the name of a function the script exports (letters, digits, _), got ${JSON.stringify(name)}`);
    return null;
  }
  return { name, loc: node.loc, field };
}

/** Keys of a `call:` step (a task adds `name` and `weight`). */
export const CALL_KEYS = ['call', 'timeout'];

/** True when the mapping is a `call:` (a task or a step). */
export function isCall(map: YMap): boolean {
  return entry(map, 'call') !== undefined;
}

/**
 * `{ call: browse, timeout: 30s }` plus `extraKeys` the caller reads (a task's `name`, `weight`).
 * The timeout bounds the whole call; default the request timeout (`defaults.timeout`, else 60 s).
 */
export function readCallStep(ctx: Ctx, map: YMap, field: string, defaultTimeoutMs: number, extraKeys: readonly string[]): CallStep | null {
  const allowed = [...CALL_KEYS, ...extraKeys];
  for (const e of map.entries) if (!allowed.includes(e.key)) unknownKey(ctx, e, field, allowed);
  const fn = readScriptRef(ctx, entry(map, 'call')!.value, fieldOf(field, 'call'));
  const t = entry(map, 'timeout');
  const timeoutMs = t === undefined ? defaultTimeoutMs : asDuration(ctx, t.value, fieldOf(field, 'timeout'));
  if (fn === null || timeoutMs === null) return null;
  return { kind: 'call', fn, timeoutMs, loc: map.loc };
}

/** Every script function the classes name (`call:`, `before:`, `after:`), in file order. */
export function scriptRefs(classes: readonly UserClass[]): ScriptRef[] {
  const out: ScriptRef[] = [];
  const visit = (steps: readonly Step[]): void => {
    for (const s of steps) {
      if (s.kind === 'call') out.push(s.fn);
      else if (s.kind === 'request') {
        if (s.before != null) out.push(s.before);
        if (s.after != null) out.push(s.after);
      }
    }
  };
  for (const c of classes) {
    visit(c.onStart);
    for (const t of c.tasks) visit(t.steps);
    visit(c.onStop);
  }
  return out;
}

/** Each function named while the scenario has no `script:` is a problem at its name. */
export function checkScriptNamed(ctx: Ctx, classes: readonly UserClass[]): void {
  for (const ref of scriptRefs(classes)) {
    bad(ctx, ref.loc, ref.field ?? '', `\`${ref.name}\` names a script function, but the scenario has no \`script:\` (add \`script: ./tasks.ts\` at the top level, a module that exports ${ref.name})`);
  }
}

/** `onFailure: stop | continue` on a flow. */
export function readOnFailure(ctx: Ctx, node: YNode | undefined, field: string): 'stop' | 'continue' | null {
  if (node === undefined) return 'stop';
  const v = asString(ctx, node, field);
  if (v === null) return null;
  if (v !== 'stop' && v !== 'continue') {
    bad(ctx, node, field, `must be \`stop\` (skip the rest of the flow after a failed step, the default) or \`continue\`, got ${JSON.stringify(v)}`);
    return null;
  }
  return v;
}
