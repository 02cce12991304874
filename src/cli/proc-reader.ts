/** The real /proc, for the monitors of local processes (run/ reads no file itself: it is handed this). */
import { readdirSync, readFileSync } from 'node:fs';
import type { ProcReader } from '../run/monitors/proc.js';

export const realProc: ProcReader = {
  readFile: (path) => readFileSync(path, 'utf8'),
  readdir: (path) => readdirSync(path),
};
