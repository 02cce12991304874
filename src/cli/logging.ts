/**
 * `-L/--loglevel` and `--logfile` (Locust's flags) over cicada's messages: info lines, warnings and
 * errors, which go to stderr. Tables and reports (stdout) are not log lines and are never filtered.
 * A log file gets each message with its time and level, as Locust's log lines have them.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Output } from './output.js';

export const LOG_LEVELS = ['DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL'] as const;
type Level = (typeof LOG_LEVELS)[number];

/** Problems with the two flags, as `label: message` lines. */
export function checkLogging(level: string | undefined, file: string | undefined, label: (key: string) => string): string[] {
  const problems: string[] = [];
  if (level !== undefined && !(LOG_LEVELS as readonly string[]).includes(level.toUpperCase())) {
    problems.push(`${label('loglevel')}: must be one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(level)}`);
  }
  if (file === '') problems.push(`${label('logfile')}: needs a file name`);
  return problems;
}

/** `out` with messages below `level` dropped and, with `file`, messages appended there instead of stderr. */
export function loggingOutput(out: Output, level: string | undefined, file: string | undefined): Output {
  const min = LOG_LEVELS.indexOf(((level ?? 'INFO').toUpperCase() as Level)) ;
  const rank = (l: Level): number => LOG_LEVELS.indexOf(l);
  let fileBroken = false;
  const toFile = (l: Level, text: string): boolean => {
    if (file === undefined || fileBroken) return false;
    try {
      mkdirSync(dirname(file), { recursive: true });
      const stamp = new Date().toISOString();
      appendFileSync(file, text.split('\n').map((line) => `[${stamp}] ${l}: ${line}`).join('\n') + '\n');
      return true;
    } catch (err) {
      fileBroken = true;
      out.error(`--logfile: cannot write ${file}: ${(err as Error).message}; messages go to stderr`);
      return false;
    }
  };
  const emit = (l: Level, text: string, stderr: (t: string) => void): void => {
    if (rank(l) < min) return;
    if (!toFile(l, text)) stderr(text);
  };
  return {
    print: (t) => out.print(t),
    info: (t) => emit('INFO', t, out.info),
    warn: (t) => emit('WARNING', t, out.warn),
    error: (t) => emit('ERROR', t, out.error),
  };
}
