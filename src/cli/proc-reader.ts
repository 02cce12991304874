/**
 * The real /proc, for the monitors of local processes (run/ reads no file itself: it is handed this),
 * and the descriptor limit the TUI shows open connections against.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { ProcReader } from '../run/monitors/proc.js';

export const realProc: ProcReader = {
  readFile: (path) => readFileSync(path, 'utf8'),
  readdir: (path) => readdirSync(path),
};

/**
 * This process's soft limit on open file descriptors (`ulimit -n`), from /proc/self/limits; null
 * where there is no such file (not Linux), it cannot be read, or the limit is unlimited. Node has no
 * API for getrlimit; every connection cicada opens is a descriptor, so the TUI shows them against it.
 */
export function descriptorLimit(read: (path: string) => string = (p) => readFileSync(p, 'utf8')): number | null {
  let text: string;
  try {
    text = read('/proc/self/limits');
  } catch {
    return null;
  }
  return parseDescriptorLimit(text);
}

/** The soft `Max open files` of a /proc/<pid>/limits text, or null. */
export function parseDescriptorLimit(limits: string): number | null {
  const m = /^Max open files\s+(\S+)\s+\S+/m.exec(limits);
  if (m === null || !/^\d+$/.test(m[1]!)) return null;
  const n = Number(m[1]);
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}
