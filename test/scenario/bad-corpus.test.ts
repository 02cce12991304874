/**
 * The broken-scenario corpus: every file in test/scenario/bad/ must fail to load with exactly the
 * problems its `# expect:` lines name — file (when not the scenario itself), line, column, field,
 * and a fragment of the message — and nothing else. The few files that cannot hold comments
 * (an empty file) are described in corpus.ts.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile, ScenarioError } from '../../src/scenario/index.js';
import type { Problem } from '../../src/scenario/index.js';
import { BAD, CORPUS_ENV, corpusFiles, expectationsOf } from './corpus.js';

const ENV = CORPUS_ENV;

function problemsOf(path: string): readonly Problem[] {
  try {
    loadScenarioFile(path, { env: ENV });
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    return (e as ScenarioError).problems;
  }
  throw new Error(`${path} loaded without problems`);
}

const files = corpusFiles();

describe('the broken-scenario corpus', () => {
  it('has at least 140 files, each with expectations', () => {
    expect(files.length).toBeGreaterThanOrEqual(140);
    for (const f of files) expect(expectationsOf(f).length, f).toBeGreaterThan(0);
  });

  it.each(files)('%s reports exactly the expected problems', (name) => {
    const expected = expectationsOf(name);
    const problems = problemsOf(join(BAD, name));
    const got = problems.map((p) => ({ file: p.file, line: p.line, col: p.col, field: p.field }));
    expect(got).toEqual(expected.map((e) => ({ file: e.file, line: e.line, col: e.col, field: e.field })));
    problems.forEach((p, i) => expect(p.message).toContain(expected[i]!.fragment));
  });

  it.each(files)('%s: the error message is one formatted line per problem, with no stack trace', (name) => {
    const path = join(BAD, name);
    let message = '';
    try {
      loadScenarioFile(path, { env: ENV });
    } catch (e) {
      message = (e as Error).message;
    }
    const lines = message.split('\n');
    expect(lines.length).toBe(expectationsOf(name).length);
    for (const line of lines) {
      expect(line).toMatch(/^\S.*?:\d+:\d+: /);
      expect(line).not.toMatch(/\n\s+at /);
    }
  });
});
