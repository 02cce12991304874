/**
 * Checks, before anything is written, that `--json` and `--csv` name files cicada may write: never
 * one of the run's own inputs (`--json mine.yaml` would replace the scenario), never a device, a
 * FIFO or a directory (see `atomic.ts`). Problems read like flag problems (exit 2).
 */
import { realpathSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { NotAFileError, writableTarget } from './atomic.js';

/** Locust's file names that `--csv PREFIX` writes. */
export const CSV_SUFFIXES = ['_stats.csv', '_stats_history.csv', '_failures.csv', '_exceptions.csv'] as const;

/** `--flag: message` lines; `inputs` are the scenario file and its data files. */
export function outputTargetProblems(json: string | undefined, csvPrefix: string | undefined, inputs: readonly (string | null)[]): string[] {
  const real = new Map<string, string>();
  for (const input of inputs) {
    if (input === null) continue;
    try {
      real.set(canonical(input), input);
    } catch {
      // an input that cannot be resolved was reported by the loader
    }
  }
  const problems: string[] = [];
  const check = (flag: string, path: string): void => {
    let target: string;
    try {
      target = writableTarget(path);
    } catch (e) {
      problems.push(`${flag}: ${e instanceof NotAFileError ? e.message : `cannot write ${path}: ${(e as Error).message}`}`);
      return;
    }
    const input = real.get(canonical(target));
    if (input !== undefined) problems.push(`${flag}: ${path} is ${input === inputs[0] ? 'the scenario file' : `the data file ${input}`}: results are never written over the run's inputs`);
  };
  if (json !== undefined && json !== '') check('--json', json);
  if (csvPrefix !== undefined && csvPrefix !== '') for (const suffix of CSV_SUFFIXES) check('--csv', `${csvPrefix}${suffix}`);
  return problems;
}

/** `p` with every symbolic link in it resolved (its folder's, when `p` does not exist yet). */
function canonical(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    try {
      return join(realpathSync(dirname(p)), basename(p));
    } catch {
      return p;
    }
  }
}
