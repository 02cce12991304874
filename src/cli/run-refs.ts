/**
 * Naming runs: `results/latest` always names the newest finished run, and a run can be given as a
 * directory, `latest`, or a run's name under the results directory (`smoke-20261206-015700`).
 *
 * `results/latest` is a symbolic link to the run's directory where the filesystem allows one (so
 * `cd results/latest`, `cat results/latest/report.md` work); where it does not (some Windows and
 * network filesystems), it is a small file holding the run directory's name on one line. Both are
 * replaced atomically (created beside, then renamed over). `resolveRunRef` reads either.
 */
import { existsSync, lstatSync, readFileSync, realpathSync, readdirSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

export const LATEST = 'latest';

/** Points `<baseDir>/latest` at `runDir` (a directory inside `baseDir`). Returns a problem, or null. */
export function markLatest(runDir: string, baseDir: string = dirname(runDir)): string | null {
  const link = join(baseDir, LATEST);
  const name = basename(runDir);
  try {
    if (existsSync(link) && !lstatSync(link).isSymbolicLink() && lstatSync(link).isDirectory()) {
      return `${link} is a directory of yours: not replaced, so it does not name the newest run`;
    }
  } catch {
    // a race with another run: go on and let rename decide
  }
  const tmp = join(baseDir, `.${LATEST}-${process.pid}-${Date.now()}`);
  try {
    try {
      symlinkSync(name, tmp, 'dir');
    } catch {
      writeFileSync(tmp, `${name}\n`);
    }
    renameSync(tmp, link);
    return null;
  } catch (err) {
    rmSync(tmp, { force: true });
    return `could not point ${link} at ${name}: ${(err as Error).message}`;
  }
}

/**
 * The directory (or summary.json) a user's reference names: an existing path as given; `latest`
 * (the newest finished run under `baseDir`, or `DIR/latest` itself given as a path); or a run's
 * name under `baseDir`. Null when nothing matches.
 */
export function resolveRunRef(ref: string, baseDir: string): string | null {
  if (ref === LATEST || basename(ref) === LATEST) {
    const link = ref === LATEST ? join(baseDir, LATEST) : ref;
    return followLatest(link);
  }
  if (existsSync(ref)) return ref;
  const named = join(baseDir, ref);
  return existsSync(named) ? named : null;
}

function followLatest(link: string): string | null {
  try {
    if (statSync(link).isDirectory()) return link; // a symlink to the run (or the run itself)
    const name = readFileSync(link, 'utf8').trim();
    if (name === '' || name.includes('\n')) return null;
    const dir = join(dirname(link), name);
    return existsSync(dir) ? dir : null;
  } catch {
    return null;
  }
}

/** The newest run under `baseDir` older than `runDir` (by the time stamp in the names), or null. */
export function runBefore(runDir: string, baseDir: string): string | null {
  // `results/latest` is a link (or pointer) to the run: compare by the run's own name.
  const current = basename(realpathOr(followLatest(runDir) ?? runDir));
  try {
    const runs = readdirSync(baseDir, { withFileTypes: true })
      .filter((d) => d.isDirectory() && d.name !== current && existsSync(join(baseDir, d.name, 'summary.json')))
      .map((d) => d.name)
      .filter((n) => order(n) < order(current))
      .sort((x, y) => (order(x) < order(y) ? -1 : order(x) > order(y) ? 1 : 0));
    const name = runs.at(-1);
    return name === undefined ? null : join(baseDir, name);
  } catch {
    return null;
  }
}

function realpathOr(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

/** `smoke-20261206-015700-2` → `20261206-015700-0002`: time stamp, then the same-second counter. */
function order(name: string): string {
  const m = /(\d{8}-\d{6})(?:-(\d+))?$/.exec(name);
  return m === null ? name : `${m[1]}-${(m[2] ?? '1').padStart(4, '0')}`;
}
