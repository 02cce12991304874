/**
 * `import type { User } from 'cicada-load'` resolves for an editor: the examples in
 * scenarios/scripted/ type-check (strict) against the built package through its package.json
 * `exports`/`types`, installed as a dependency would be (node_modules/cicada-load), and a misuse of
 * the API does not.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

/** A project that depends on cicada-load (this checkout, built), holding `files`. */
function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'cicada-types-'));
  mkdirSync(join(dir, 'node_modules', '@types'), { recursive: true });
  symlinkSync(ROOT, join(dir, 'node_modules', 'cicada-load'), 'dir');
  symlinkSync(join(ROOT, 'node_modules', '@types', 'node'), join(dir, 'node_modules', '@types', 'node'), 'dir');
  const compilerOptions = { strict: true, noEmit: true, module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', types: ['node'], noUncheckedIndexedAccess: true };
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, include: ['*.ts'] }));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module', dependencies: { 'cicada-load': '*' } }));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const tsc = (dir: string): { code: number | null; out: string } => {
  const r = spawnSync(process.execPath, [TSC, '-p', dir], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout + r.stderr };
};

describe('published types', () => {
  it('the scripted examples type-check against the built package; a misuse of the API does not', () => {
    const examples = readdirSync(join(ROOT, 'scenarios', 'scripted')).filter((f) => f.endsWith('.ts'));
    expect(examples.length).toBe(5);
    // One compilation (tsc is slow to start): the examples beside a file that misuses the API.
    const dir = project({
      'bad.ts': [
        "import type { AfterHook, User } from 'cicada-load';",
        'export async function t(u: User): Promise<void> {',
        "  await u.gett('/x');",
        "  u.record('q', '12ms');",
        '}',
        'export const a: AfterHook = (_u, res) => { res.status = 200; };',
        '',
      ].join('\n'),
    });
    for (const f of examples) copyFileSync(join(ROOT, 'scenarios', 'scripted', f), join(dir, f));
    const r = tsc(dir);
    expect(r.code).not.toBe(0);
    const errors = r.out.split('\n').filter((l) => l.includes('error TS')).map((l) => l.replace(/^.*\//, ''));
    expect(errors).toEqual([
      "bad.ts(3,11): error TS2551: Property 'gett' does not exist on type 'User'. Did you mean 'get'?",
      "bad.ts(4,17): error TS2345: Argument of type 'string' is not assignable to parameter of type 'number'.",
      "bad.ts(6,48): error TS2540: Cannot assign to 'status' because it is a read-only property.",
    ]);
  }, 120_000); // one cold tsc run: seconds alone, half a minute on a busy machine
});
