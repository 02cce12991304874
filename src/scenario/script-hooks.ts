/**
 * Module loader hooks (`module.register`) for scenario scripts. They run on Node's loader thread,
 * not beside the engine: keep this file free of cicada imports.
 *
 * - `.ts`/`.mts` files are compiled to JavaScript by esbuild with an inline source map, so stack
 *   traces (with source maps enabled) point at the user's own file:line:col. Nothing is type-checked.
 * - `./helpers.js` that does not exist resolves to `./helpers.ts` (TypeScript's own convention).
 * A compile error is thrown as `file:line:col: message`, which `loadScript()` turns into a problem.
 */
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

interface InitData {
  /** file: URL of esbuild's JS entry point (resolved by the caller, which knows where cicada is installed). */
  readonly esbuild: string;
}

interface Esbuild {
  transform(code: string, options: Record<string, unknown>): Promise<{ code: string }>;
}

interface EsbuildFailure {
  errors?: { text: string; location?: { file: string; line: number; column: number } | null }[];
}

let esbuild: Esbuild | null = null;

export async function initialize(data: InitData): Promise<void> {
  esbuild = (await import(data.esbuild)) as Esbuild;
}

type Next<C, R> = (specifier: string, context: C) => Promise<R>;
interface ResolveContext {
  parentURL?: string;
}
interface ResolveResult {
  url: string;
  format?: string | null;
  shortCircuit?: boolean;
}

export async function resolve(specifier: string, context: ResolveContext, next: Next<ResolveContext, ResolveResult>): Promise<ResolveResult> {
  try {
    return await next(specifier, context);
  } catch (err) {
    const parent = context.parentURL;
    if (!/^\.{1,2}\//.test(specifier) || parent === undefined || !/\.(js|mjs)$/.test(specifier)) throw err;
    const ts = new URL(specifier.replace(/\.js$/, '.ts').replace(/\.mjs$/, '.mts'), parent);
    if (!existsSync(fileURLToPath(ts))) throw err;
    return { url: ts.href, shortCircuit: true };
  }
}

interface LoadContext {
  format?: string | null;
}
interface LoadResult {
  format: string;
  source?: string | ArrayBuffer | Uint8Array | null;
  shortCircuit?: boolean;
}

export async function load(url: string, context: LoadContext, next: Next<LoadContext, LoadResult>): Promise<LoadResult> {
  if (!url.startsWith('file:') || !/\.m?ts$/i.test(new URL(url).pathname)) return next(url, context);
  const path = fileURLToPath(url);
  const source = await readFile(path, 'utf8');
  return { format: 'module', source: await compile(source, path), shortCircuit: true };
}

/** TypeScript to ESM JavaScript with an inline source map back to `path`. */
async function compile(source: string, path: string): Promise<string> {
  try {
    const out = await esbuild!.transform(source, { loader: 'ts', format: 'esm', sourcemap: 'inline', sourcefile: path, target: 'node20' });
    return out.code;
  } catch (err) {
    const first = (err as EsbuildFailure).errors?.[0];
    if (first?.location != null) throw new Error(`${path}:${first.location.line}:${first.location.column + 1}: ${first.text}`);
    throw err;
  }
}
