/**
 * Files that are never half-written, and never written over the wrong thing. Content goes to a
 * temporary file beside the target, which is then renamed over it (atomic on one filesystem): a
 * reader sees the old file or the new one.
 *
 * The target is what the path names after following symbolic links: a symlink to a regular file
 * is written through (the link stays a link), a missing file is created, and anything else — a
 * directory, a device such as `/dev/stdout` or `/dev/null`, a FIFO, a socket — is refused with an
 * error saying what it is, never replaced. Directories are created one level at a time (Node's
 * recursive mkdir spins forever on some paths, such as under `/proc`), so every failure is the
 * system's own error for the level that failed (EROFS, EACCES, ENOTDIR, ENOSPC).
 */
import { lstatSync, mkdirSync, readlinkSync, renameSync, rmSync, statSync, writeFileSync, type Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';

let counter = 0;

/** A path that names something cicada will not replace; `code` is `ENOTFILE`. */
export class NotAFileError extends Error {
  readonly code = 'ENOTFILE';
  constructor(
    readonly path: string,
    readonly what: string,
  ) {
    super(`${path} is ${what}, not a regular file: it is not replaced`);
    this.name = 'NotAFileError';
  }
}

export function writeFileAtomic(path: string, content: string | Uint8Array): void {
  const target = writableTarget(path);
  makeDirs(dirname(target));
  const tmp = `${target}.${process.pid}.${++counter}.tmp`;
  try {
    writeFileSync(tmp, content, { flag: 'wx' });
    renameSync(tmp, target);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

/**
 * The absolute path a write to `path` replaces: `path` itself when it is missing or a regular
 * file; through symbolic links, the regular (or missing) file they lead to. Throws `NotAFileError`
 * for anything else, and the system's error when a link cannot be read.
 */
export function writableTarget(path: string): string {
  let p = resolve(path);
  for (let hops = 0; hops <= 40; hops++) {
    let st: Stats;
    try {
      st = lstatSync(p);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return p;
      throw e;
    }
    if (st.isSymbolicLink()) {
      p = resolve(dirname(p), readlinkSync(p));
      continue;
    }
    if (st.isFile()) return p;
    throw new NotAFileError(path, kindOf(st));
  }
  throw Object.assign(new Error(`${path}: too many symbolic links`), { code: 'ELOOP' });
}

/** Creates `dir` and any missing parents, one level at a time; the error of the level that failed. */
export function makeDirs(dir: string): void {
  const missing: string[] = [];
  let p = resolve(dir);
  for (;;) {
    let st: Stats;
    try {
      st = statSync(p);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT' || dirname(p) === p) throw e;
      missing.push(p);
      p = dirname(p);
      continue;
    }
    if (!st.isDirectory()) throw Object.assign(new Error(`ENOTDIR: ${p} is ${kindOf(st)}, not a directory`), { code: 'ENOTDIR' });
    break;
  }
  for (const m of missing.reverse()) {
    try {
      mkdirSync(m);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}

/**
 * Creates a new directory `stem`, or `stem-2`, `stem-3`, ... when it exists, with one atomic
 * `mkdir` each (no check-then-create race between two runs). Returns the one created.
 */
export function makeNewDir(stem: string): string {
  makeDirs(dirname(stem));
  for (let n = 1; ; n++) {
    const dir = n === 1 ? stem : `${stem}-${n}`;
    try {
      mkdirSync(dir);
      return dir;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || n >= 10_000) throw e;
    }
  }
}

function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  if (st.isFIFO()) return 'a named pipe (FIFO)';
  if (st.isSocket()) return 'a socket';
  if (st.isFile()) return 'a file';
  return 'not a regular file';
}
