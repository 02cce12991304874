import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { descriptorLimit, parseDescriptorLimit } from '../../src/cli/proc-reader.js';

const LIMITS = `Limit                     Soft Limit           Hard Limit           Units
Max cpu time              unlimited            unlimited            seconds
Max open files            1024                 524288               files
Max locked memory         8388608              8388608              bytes
`;

describe('the descriptor limit', () => {
  it('is the soft "Max open files" of /proc/self/limits', () => {
    expect(parseDescriptorLimit(LIMITS)).toBe(1024);
    expect(parseDescriptorLimit(LIMITS.replace('1024 ', 'unlimited'))).toBeNull();
    expect(parseDescriptorLimit('nothing here')).toBeNull();
    expect(descriptorLimit(() => LIMITS)).toBe(1024);
    expect(descriptorLimit(() => {
      throw new Error('ENOENT: not Linux');
    })).toBeNull();
  });

  it('reads this process\'s real limit', () => {
    const text = readFileSync('/proc/self/limits', 'utf8');
    const soft = /^Max open files\s+(\d+)/m.exec(text)?.[1];
    expect(descriptorLimit()).toBe(Number(soft));
    expect(descriptorLimit()).toBeGreaterThan(0);
  });
});
