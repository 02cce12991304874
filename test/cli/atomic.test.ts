/**
 * writeFileAtomic: the whole content lands, byte for byte, and a file is replaced whole or not at all.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../src/cli/atomic.js';
import { workdir } from './cli.js';

describe('writeFileAtomic', () => {
  it('writes long strings and bytes exactly, and leaves no temporary file', () => {
    const dir = workdir();
    const text = `${'😀é€'.repeat(100_000)}\n`;
    writeFileAtomic(join(dir, 'f.json'), text);
    expect(readFileSync(join(dir, 'f.json')).equals(Buffer.from(text, 'utf8'))).toBe(true);
    const bytes = Uint8Array.from({ length: 300_000 }, (_, i) => i % 251);
    writeFileAtomic(join(dir, 'b.bin'), bytes);
    expect(readFileSync(join(dir, 'b.bin')).equals(bytes)).toBe(true);
    writeFileAtomic(join(dir, 'empty.txt'), '');
    expect(readFileSync(join(dir, 'empty.txt'), 'utf8')).toBe('');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('replaces a file whole, and leaves the old one when the write fails', () => {
    const dir = workdir();
    const path = join(dir, 'x.csv');
    writeFileAtomic(path, 'old\n');
    writeFileAtomic(path, 'new\n');
    expect(readFileSync(path, 'utf8')).toBe('new\n');
    expect(() => writeFileAtomic(join(dir, 'x.csv', 'nested'), 'y')).toThrow(); // a file where a directory should be
    expect(readFileSync(path, 'utf8')).toBe('new\n');
  });
});
