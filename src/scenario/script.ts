/**
 * Loads a scenario's `script:` module and resolves every function the YAML names (`call:`,
 * `before:`, `after:`). Every thread that runs an engine calls `loadScript()` itself (a function
 * cannot cross threads); the module is imported once per thread and its module scope is shared by
 * that thread's users.
 *
 * Bad scripts are bad input, reported like any scenario problem (ScenarioError, exit 2):
 * a syntax or compile error at the script's file:line:col, a throw while importing at the line
 * that threw, a name that is not an exported function at the YAML that names it.
 */
import { readFileSync, statSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { dirname, extname, isAbsolute, relative, resolve as resolvePath } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { didYouMean } from './did-you-mean.js';
import { Problems } from './errors.js';
import { scriptRefs } from './script-steps.js';
import type { Scenario, ScriptModuleRef } from './types.js';

/** An exported function of the script, called with the user's API object (and a hook's request or response). */
export type ScriptFunction = (...args: never[]) => unknown;

export interface LoadedScript {
  /** Absolute path of the module. */
  readonly file: string;
  /** Every function the scenario names, by name. */
  readonly functions: ReadonlyMap<string, ScriptFunction>;
}

/**
 * The files a run of `scenario` needs besides cicada itself, absolute, the scenario first: its data
 * CSVs and, when it has one, the script module with the local files it imports (`./x.js`, `../lib/y`;
 * found by reading the import statements, so the list is the same wherever it is made). What a
 * remote worker must be given.
 */
export function scenarioFiles(scenario: Scenario): string[] {
  const files: string[] = [];
  if (scenario.file !== null) files.push(scenario.file);
  for (const d of scenario.data) if (d.file !== null) files.push(resolvePath(d.file));
  if (scenario.script != null) files.push(...localModules(scenario.script.file));
  return [...new Set(files)];
}

/** Relative specifiers in `import … from`, `export … from`, `import(…)` and side-effect imports. */
const IMPORT_SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(?\s*)(['"])(\.{1,2}\/[^'"\n]+)\1/g;

/** `entry` and every local module it imports, directly or not (a `.js` specifier may name a `.ts` file). */
function localModules(entry: string): string[] {
  const seen = new Set<string>([entry]);
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.shift()!;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const m of text.matchAll(IMPORT_SPECIFIER)) {
      const target = resolvePath(dirname(file), m[2]!);
      const found = [target, target.replace(/\.js$/, '.ts').replace(/\.mjs$/, '.mts'), `${target}.ts`, `${target}.js`].find((f) => isFileSync(f));
      if (found === undefined || seen.has(found)) continue;
      seen.add(found);
      queue.push(found);
    }
  }
  return [...seen];
}

function isFileSync(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Imports the scenario's script (once per thread) and resolves its functions; null without `script:`. */
export async function loadScript(scenario: Scenario): Promise<LoadedScript | null> {
  const ref = scenario.script;
  if (ref == null) return null;
  const cached = loaded.get(ref.file);
  if (cached !== undefined) return finish(scenario, ref, await cached);
  const p = importModule(ref);
  loaded.set(ref.file, p);
  return finish(scenario, ref, await p);
}

interface Imported {
  readonly namespace: Record<string, unknown> | null;
  readonly problems: Problems | null;
}

const loaded = new Map<string, Promise<Imported>>();

function finish(scenario: Scenario, ref: ScriptModuleRef, imported: Imported): LoadedScript {
  if (imported.problems !== null) imported.problems.throwIfAny(scenario.file ?? '');
  const ns = imported.namespace!;
  const problems = new Problems();
  const functions = new Map<string, ScriptFunction>();
  const exported = Object.keys(ns).filter((k) => typeof ns[k] === 'function');
  for (const r of scriptRefs(scenario.userClasses)) {
    const value = ns[r.name];
    if (typeof value === 'function') {
      functions.set(r.name, value as ScriptFunction);
      continue;
    }
    const file = shownPath(ref.file);
    if (value === undefined) {
      const close = didYouMean(r.name, exported);
      const list = exported.length === 0 ? `it exports no functions` : `its functions: ${exported.join(', ')}`;
      problems.at(r.loc, r.field ?? '', `\`${r.name}\` is not exported by ${file}${close !== null ? `; did you mean \`${close}\`?` : ''} (${list})`);
    } else {
      problems.at(r.loc, r.field ?? '', `\`${r.name}\` in ${file} is ${value === null ? 'null' : typeof value}, not a function`);
    }
  }
  problems.throwIfAny(scenario.file ?? '');
  return { file: ref.file, functions };
}

async function importModule(ref: ScriptModuleRef): Promise<Imported> {
  const problems = new Problems();
  const syntax = await syntaxProblem(ref.file);
  if (syntax !== null) {
    problems.push(syntax);
    return { namespace: null, problems };
  }
  installHooks();
  const url = pathToFileURL(ref.file).href;
  let namespace: Record<string, unknown>;
  try {
    namespace = (await import(url)) as Record<string, unknown>;
  } catch (err) {
    problems.push(importProblem(err, ref));
    return { namespace: null, problems };
  }
  return { namespace, problems: null };
}

// ---- errors ----

interface Where {
  file: string;
  line: number;
  col: number;
  message: string;
  field: string;
}

/** A syntax error in the module itself, found before importing it (so it has an exact position). */
async function syntaxProblem(file: string): Promise<Where | null> {
  const esbuild = (await import(esbuildUrl())) as { transform(code: string, o: object): Promise<unknown> };
  const ext = extname(file).toLowerCase();
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    return { file: shownPath(file), line: 0, col: 0, field: '', message: `cannot read the script: ${(err as Error).message}` };
  }
  try {
    await esbuild.transform(text, { loader: ext === '.ts' || ext === '.mts' ? 'ts' : 'js', format: 'esm', target: 'esnext', logLevel: 'silent' });
    return null;
  } catch (err) {
    const first = (err as { errors?: { text: string; location?: { line: number; column: number } | null }[] }).errors?.[0];
    if (first === undefined) throw err;
    return { file: shownPath(file), line: first.location?.line ?? 1, col: (first.location?.column ?? 0) + 1, field: '', message: `syntax error: ${first.text}` };
  }
}

/** Where an import failed: a compile error in an imported file, or the line of user code that threw. */
function importProblem(err: unknown, ref: ScriptModuleRef): Where {
  const message = err instanceof Error ? err.message : String(err);
  const compiled = /^(\/[^\n]*?):(\d+):(\d+): ([^\n]*)/.exec(message);
  if (compiled !== null) return { file: shownPath(compiled[1]!), line: Number(compiled[2]), col: Number(compiled[3]), field: '', message: `syntax error: ${compiled[4]}` };
  const stack = err instanceof Error ? (err.stack ?? '') : '';
  if (err instanceof SyntaxError) {
    // V8 puts "file:///x.mjs:3" on the first line of a module's syntax error.
    const at = /^(file:\/\/\S+?):(\d+)\s*$/m.exec(stack);
    if (at !== null) return { file: shownPath(fileURLToPath(at[1]!)), line: Number(at[2]), col: 1, field: '', message: `syntax error: ${message}` };
  }
  const frame = userFrame(stack);
  const what = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  if (frame !== null) return { ...frame, field: '', message: `the script threw while loading: ${what}` };
  return { file: shownPath(ref.file), line: ref.loc.line > 0 ? 1 : 0, col: 1, field: '', message: `the script could not be loaded: ${what}` };
}

/** The first stack frame in the user's files (not cicada's, not node's, not node_modules). */
export function userFrame(stack: string): { file: string; line: number; col: number } | null {
  for (const m of stack.matchAll(/(?:\(|at )((?:file:\/\/)?\/[^():\s]+):(\d+):(\d+)\)?/g)) {
    const path = m[1]!.startsWith('file:') ? fileURLToPath(m[1]!) : m[1]!;
    if (path.includes('/node_modules/') || isCicadaFile(path)) continue;
    return { file: shownPath(path), line: Number(m[2]), col: Number(m[3]) };
  }
  return null;
}

/** cicada's own code: its dist/ and src/ (stack frames map to src/ through source maps). */
const CICADA_CODE = ['dist', 'src'].map((d) => fileURLToPath(new URL(`../../${d}/`, import.meta.url)));

/** True for a path (or file: URL) in cicada's own code, whose stack frames are not the user's. */
export function isCicadaFile(path: string): boolean {
  const p = path.startsWith('file:') ? fileURLToPath(path) : path;
  return CICADA_CODE.some((root) => p.startsWith(root));
}

/** Relative to the working directory when inside it (as the user typed the scenario path). */
function shownPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}

// ---- loader hooks ----

let hooksInstalled = false;

function esbuildUrl(): string {
  return pathToFileURL(createRequire(import.meta.url).resolve('esbuild')).href;
}

/** Registers the TypeScript hooks on this thread (once) and turns on source-mapped stack traces. */
function installHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.setSourceMapsEnabled(true);
  // Run from src/ (the test runner), the compiled hooks in dist/ are used: the loader thread runs plain Node.
  const here = import.meta.url;
  const hooksUrl = here.endsWith('.ts') ? new URL('./script-hooks.js', here.replace('/src/', '/dist/')) : new URL('./script-hooks.js', here);
  register(hooksUrl, { data: { esbuild: esbuildUrl() } });
}
