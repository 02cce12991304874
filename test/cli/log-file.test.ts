/** script.log's writer (src/cli/log-file.ts): where it stops, it says so in cicada's size format. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LogFile } from '../../src/cli/log-file.js';

const dir = mkdtempSync(join(tmpdir(), 'cicada-log-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('LogFile', () => {
  it('stops at its limit with a last line naming it as sizes are written everywhere (1.5 KB, not "0 MiB")', () => {
    const path = join(dir, 'script.log');
    const warnings: string[] = [];
    const log = new LogFile(path, (w) => warnings.push(w), 1536);
    for (let i = 0; i < 100; i++) log.append(`line ${i} ${'x'.repeat(40)}`);
    log.flush();
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    expect(lines.at(-1)).toBe('(log stopped at 1.5 KB)');
    expect(lines[0]).toBe(`line 0 ${'x'.repeat(40)}`);
    expect(lines.length).toBeLessThan(40);
    expect(warnings).toEqual([]);
  });
});
