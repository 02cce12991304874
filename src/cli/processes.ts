/** `--processes`: how many engine threads a run uses. */
import { availableParallelism } from 'node:os';

/** `auto` = cores − 1 (at least 1), like Locust's `--processes -1`. */
export function resolveProcesses(flag: string | undefined): number {
  if (flag === undefined) return 1;
  if (flag === 'auto') return Math.max(1, availableParallelism() - 1);
  return Math.max(1, Number.parseInt(flag, 10));
}
