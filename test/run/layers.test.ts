/**
 * The modules import one way (DESIGN.md): scenario ← engine ← stats ← run ← report/tui ← cli, and
 * report and tui never import each other; run/ touches neither the filesystem nor the process.
 * Read from the source files themselves, static and dynamic imports alike.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = new URL('../../src/', import.meta.url).pathname;
const RANK: Record<string, number> = { scenario: 0, engine: 1, stats: 2, run: 3, report: 4, tui: 4, cli: 5 };

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:from\s+|import\s*\(\s*)'([^']+)'/g)].map((m) => m[1]!);
}

describe('the layers of src/', () => {
  it('import one way: scenario ← engine ← stats ← run ← report/tui ← cli', () => {
    const wrong: string[] = [];
    for (const file of sources(SRC)) {
      const from = relative(SRC, file).split('/')[0]!;
      if (!(from in RANK)) continue;
      for (const spec of importsOf(file)) {
        const m = /^\.\.\/([a-z-]+)\//.exec(spec);
        if (m === null || !(m[1]! in RANK)) continue;
        const to = m[1]!;
        if (RANK[to]! > RANK[from]! || (RANK[to] === RANK[from] && to !== from)) wrong.push(`${relative(SRC, file)} imports ${spec}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('keeps run/ off the filesystem and the process', () => {
    const wrong: string[] = [];
    for (const file of sources(join(SRC, 'run'))) {
      const text = readFileSync(file, 'utf8');
      for (const spec of importsOf(file)) if (/^node:(fs|fs\/promises|child_process|path)$/.test(spec)) wrong.push(`${relative(SRC, file)} imports ${spec}`);
      for (const m of text.matchAll(/\bprocess\.(exit|on|once|kill|argv|env|stdout|stderr|stdin|chdir|cwd)\b/g)) wrong.push(`${relative(SRC, file)} uses process.${m[1]}`);
    }
    expect(wrong).toEqual([]);
  });
});
