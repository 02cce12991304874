/**
 * The broken-scenario corpus (`test/scenario/bad/*.yaml`): each file states the problems it must
 * produce in `# expect:` header lines — `# expect: [other-file] LINE:COL | field.path | message
 * fragment` — read here for the loader's tests and the CLI's alike.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const BAD = join(import.meta.dirname, 'bad');
/** A fixed environment: `${API_KEY}` is set, the corpus's undefined variables are not. */
export const CORPUS_ENV = { API_KEY: 'test-key' };

export interface Expectation {
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

/** The corpus files, sorted. */
export const corpusFiles = (): string[] => readdirSync(BAD).filter((f) => f.endsWith('.yaml')).sort();

export function expectationsOf(name: string): Expectation[] {
  const path = join(BAD, name);
  const table = TABLE[name];
  if (table !== undefined) return [...table];
  const out: Expectation[] = [];
  // latin1 keeps every byte, so the binary files' headers read too.
  for (const line of readFileSync(path, 'latin1').split('\n')) {
    if (!line.startsWith('# ')) break;
    const m = EXPECT_LINE.exec(line);
    if (m === null) continue;
    out.push({ file: m[1] === undefined ? path : join(BAD, m[1]), line: Number(m[2]), col: Number(m[3]), field: m[4]!, fragment: m[5]! });
  }
  return out;
}
