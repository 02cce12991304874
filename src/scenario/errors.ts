/**
 * Problems found while loading a scenario, and the one error that carries them all.
 * Loading never throws anything else for bad input: the CLI prints `error.message` and exits 2.
 */
import type { SourceLoc } from './types.js';

/**
 * One thing wrong with the input. `line`/`col` are 1-based; both are 0 when the problem is not in
 * a file (a command-line flag, a URL given on the command line). `field` is the path of the value
 * (`userClasses[0].tasks[2].check.status`), a flag (`--users`), or '' for the file as a whole.
 */
export interface Problem {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  readonly field: string;
  readonly message: string;
}

/** `file:line:col: field: message`; parts that do not apply are left out (`--users: ...`). */
export function formatProblem(p: Problem): string {
  const where = p.line > 0 ? `${p.file}:${p.line}:${p.col}: ` : p.file !== '' ? `${p.file}: ` : '';
  const field = p.field !== '' ? `${p.field}: ` : '';
  return `${where}${field}${p.message}`;
}

/** Thrown by the loaders with every problem found, never with just the first. Has no useful stack. */
export class ScenarioError extends Error {
  readonly problems: readonly Problem[];

  constructor(problems: readonly Problem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'ScenarioError';
    this.problems = problems;
  }
}

/**
 * Collects problems while a scenario is checked. Identical problems (same place, same message, as
 * happens when an alias or the scenario defaults are checked once per user class) are kept once.
 */
export class Problems {
  private readonly list: Problem[] = [];
  private readonly seen = new Set<string>();

  /** A problem at a place in a file. */
  at(loc: SourceLoc, field: string, message: string): void {
    this.push({ file: loc.file, line: loc.line, col: loc.col, field, message });
  }

  /** A problem with a command-line flag or argument (no file position). */
  flag(flag: string, message: string): void {
    this.push({ file: '', line: 0, col: 0, field: flag, message });
  }

  push(p: Problem): void {
    const key = `${p.file}\0${p.line}\0${p.col}\0${p.field}\0${p.message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.list.push(p);
  }

  get count(): number {
    return this.list.length;
  }

  /**
   * Flag problems first, then the scenario file's in file order, then other files' (data CSVs).
   * The sort is stable, so problems at one place keep the order they were found in.
   */
  sorted(mainFile: string): Problem[] {
    const rank = (p: Problem): number => (p.line === 0 && p.file === '' ? 0 : p.file === mainFile ? 1 : 2);
    return [...this.list].sort(
      (a, b) => rank(a) - rank(b) || a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col,
    );
  }

  /** Throws a `ScenarioError` when anything was found. */
  throwIfAny(mainFile: string): void {
    if (this.list.length > 0) throw new ScenarioError(this.sorted(mainFile));
  }
}

/** How a bad value is shown after "got": strings quoted, everything else as YAML would write it. */
export function shown(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return String(value);
}
