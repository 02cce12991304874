/**
 * The broken-scenario corpus: every file in test/scenario/bad/ must fail to load with exactly the
 * problems its `# expect:` lines name — file (when not the scenario itself), line, column, field,
 * and a fragment of the message — and nothing else. The few files that cannot hold comments
 * (an empty file) are described in the table below.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile, ScenarioError } from '../../src/scenario/index.js';
import type { Problem } from '../../src/scenario/index.js';

const BAD = join(import.meta.dirname, 'bad');
/** A fixed environment: `${API_KEY}` is set, the corpus's undefined variables are not. */
const ENV = { API_KEY: 'test-key' };

interface Expectation {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  readonly field: string;
  readonly fragment: string;
}

const EXPECT_LINE = /^# expect: (?:(\S+) )?(\d+):(\d+) \| (.*?) \| (.*)$/;

/** Files with no room for comments. */
const TABLE: Readonly<Record<string, readonly Expectation[]>> = {
  'empty.yaml': [{ file: join(BAD, 'empty.yaml'), line: 1, col: 1, field: '', fragment: 'the file is empty' }],
};

function expectationsOf(name: string): Expectation[] {
  const path = join(BAD, name);
  const table = TABLE[name];
  if (table !== undefined) return [...table];
  // latin1 keeps every byte, so the binary files' headers read too.
  const lines = readFileSync(path, 'latin1').split('\n');
  const out: Expectation[] = [];
  for (const line of lines) {
    if (!line.startsWith('# ')) break;
    const m = EXPECT_LINE.exec(line);
    if (m === null) continue;
    out.push({ file: m[1] === undefined ? path : join(BAD, m[1]), line: Number(m[2]), col: Number(m[3]), field: m[4]!, fragment: m[5]! });
  }
  return out;
}

function problemsOf(path: string): readonly Problem[] {
  try {
    loadScenarioFile(path, { env: ENV });
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    return (e as ScenarioError).problems;
  }
  throw new Error(`${path} loaded without problems`);
}

const files = readdirSync(BAD).filter((f) => f.endsWith('.yaml')).sort();

describe('the broken-scenario corpus', () => {
  it('has at least 40 files, each with expectations', () => {
    expect(files.length).toBeGreaterThanOrEqual(40);
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
