/**
 * The plan a distributed run ships to its workers: the scenario file and every file it names (data
 * CSVs), by path relative to the scenario's folder — or the URL of a quick `cicada run URL`. The
 * coordinator and each worker hash the plan the same way; a worker with its own copy (a Kubernetes
 * ConfigMap, a checkout on an SSH box) whose hash differs is refused.
 */
import { createHash } from 'node:crypto';

export interface PlanFile {
  /** Relative to the scenario's folder, `/`-separated, never `..`. */
  readonly path: string;
  readonly base64: string;
}

export type PlanBundle =
  | { readonly kind: 'file'; /** The scenario file's path within `files`. */ readonly entry: string; readonly files: readonly PlanFile[] }
  | { readonly kind: 'url'; readonly url: string };

/** A hex SHA-256 over the plan's content (entry, then files sorted by path); 16 characters shown. */
export function planHash(bundle: PlanBundle): string {
  const h = createHash('sha256');
  if (bundle.kind === 'url') {
    h.update(`url\0${bundle.url}`);
  } else {
    h.update(`file\0${bundle.entry}\0`);
    for (const f of [...bundle.files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
      h.update(`${f.path}\0`);
      h.update(Buffer.from(f.base64, 'base64'));
      h.update('\0');
    }
  }
  return h.digest('hex').slice(0, 16);
}

/**
 * Names of the environment variables the plan may reference (`${NAME}` anywhere in its text files):
 * the coordinator sends their values so every worker resolves the plan as it did.
 */
export function envReferences(bundle: PlanBundle): string[] {
  if (bundle.kind === 'url') return [];
  const names = new Set<string>();
  for (const f of bundle.files) {
    for (const m of Buffer.from(f.base64, 'base64').toString('utf8').matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g)) names.add(m[1]!);
  }
  return [...names].sort();
}

/** Whether a bundle path is safe to recreate under a folder (relative, no `..`, no empty parts). */
export function safePlanPath(path: string): boolean {
  return path.length > 0 && !path.startsWith('/') && path.split('/').every((p) => p !== '' && p !== '.' && p !== '..' && !p.includes('\\'));
}
