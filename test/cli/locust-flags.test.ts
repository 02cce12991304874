/**
 * README's "Locust's flags in cicada" table against Locust's own `--help` list
 * (test/cli/locust-help.txt): every Locust flag has a row, and each row either names cicada flags
 * that `cicada run` really accepts (or cicada commands that exist), or says why there is none.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseArgv } from '../../src/cli/args.js';
import { commands } from '../../src/cli/commands.js';
import { ALL_FLAGS } from '../../src/cli/flags.js';

const ROOT = join(import.meta.dirname, '..', '..');

/** Locust's flags: `-u`, `--users`, ... and `UserClass` for the positional user classes. */
function locustFlags(): string[] {
  const lines = readFileSync(join(import.meta.dirname, 'locust-help.txt'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('#'));
  return lines.flatMap((l) => (l.startsWith('<UserClass') ? ['UserClass'] : (l.match(/(?<![\w<])--?[A-Za-z][\w-]*/g) ?? [])));
}

interface Row {
  readonly locust: string[];
  readonly cicada: string;
  readonly why: string;
}

function readmeRows(): Row[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf("### Locust's flags in cicada");
  expect(start).toBeGreaterThan(0);
  const lines = readme.slice(start).split('\n');
  const first = lines.findIndex((l) => l.startsWith('|'));
  const end = lines.findIndex((l, i) => i > first && !l.startsWith('|'));
  const table = lines.slice(first + 2, end);
  return table
    .map((l) => l.split(/(?<!\\)\|/).slice(1, -1).map((c) => c.trim()))
    .map(([locust, cicada, why]) => ({
      locust: [...locust!.matchAll(/`([^`]+)`/g)].map((m) => (m[1]!.startsWith('[UserClass') ? 'UserClass' : m[1]!.split(' ')[0]!)),
      cicada: cicada!,
      why: why ?? '',
    }));
}

describe("README's table of Locust's flags", () => {
  const rows = readmeRows();

  it('has a row for every flag of locust --help', () => {
    const listed = new Set(rows.flatMap((r) => r.locust));
    const flags = locustFlags();
    expect(flags.length).toBeGreaterThan(60);
    expect(flags.filter((f) => !listed.has(f))).toEqual([]);
  });

  it('maps each row to cicada flags it accepts or commands it has, or says why not', () => {
    for (const row of rows) {
      const where = `row for ${row.locust.join(' ')}`;
      if (row.cicada.startsWith('—')) {
        expect(row.why.length, where).toBeGreaterThan(15);
        continue;
      }
      const tokens = [...row.cicada.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
      expect(tokens.length, where).toBeGreaterThan(0);
      for (const token of tokens) {
        if (token.startsWith('cicada ')) {
          expect(commands as readonly string[], `${where}: ${token}`).toContain(token.split(' ')[1]);
          continue;
        }
        const argv = token.split(' ');
        expect(argv[0], `${where}: ${token}`).toMatch(/^-/);
        const parsed = parseArgv(argv, ALL_FLAGS);
        expect(parsed.unknown, `${where}: ${token}`).toEqual([]);
        expect(parsed.values.size, `${where}: ${token}`).toBeGreaterThan(0);
      }
    }
  });
});
