/**
 * Failures grouped by what they mean, as people group them by hand: server errors, rate limiting
 * (429), authentication (401/403), other client errors, connection errors, timeouts, failed checks.
 * Classification reads the stable failure keys the engine writes (`HTTP 503`, `ECONNREFUSED`,
 * `timeout after 30s`, `check: status 200 expected, got 429`, `capture: token not found (...)`):
 * a status check that failed because of a 429 counts as rate limiting, not as a check.
 */
import type { FailureEntry } from '../stats/types.js';

export type FailureKind = 'server' | 'rateLimit' | 'auth' | 'client' | 'connection' | 'timeout' | 'check' | 'aborted' | 'other';

/** Display order and labels. */
export const FAILURE_KINDS: readonly { readonly kind: FailureKind; readonly label: string }[] = [
  { kind: 'server', label: 'Server errors (HTTP 5xx)' },
  { kind: 'rateLimit', label: 'Rate limited (HTTP 429)' },
  { kind: 'auth', label: 'Authentication (HTTP 401/403)' },
  { kind: 'client', label: 'Other client errors (HTTP 4xx)' },
  { kind: 'connection', label: 'Connection errors' },
  { kind: 'timeout', label: 'Timeouts' },
  { kind: 'check', label: 'Failed checks and captures' },
  { kind: 'aborted', label: 'Cut off when the run stopped' },
  { kind: 'other', label: 'Other errors' },
];

const CONNECTION = /^(E[A-Z_]+|ERR_[A-Z_]+|connection closed( by server)?|bad response \(.*\)|response shorter than its content-length|protocol error)$/;

/** The kind of one failure key. */
export function failureKind(error: string): FailureKind {
  const http = /^HTTP (\d{3})$/.exec(error);
  if (http !== null) return statusKind(Number(http[1]), 'other');
  const status = /^check: status .* expected, got (\d{3})$/.exec(error);
  if (status !== null) return statusKind(Number(status[1]), 'check');
  if (error.startsWith('check: ') || error.startsWith('capture: ')) return 'check';
  if (/^timeout after /.test(error) || error === 'connect timeout' || error === 'ETIMEDOUT') return 'timeout';
  if (error === 'aborted: run stopped') return 'aborted';
  if (CONNECTION.test(error)) return 'connection';
  return 'other';
}

function statusKind(status: number, otherwise: FailureKind): FailureKind {
  if (status >= 500 && status <= 599) return 'server';
  if (status === 429) return 'rateLimit';
  if (status === 401 || status === 403) return 'auth';
  if (status >= 400 && status <= 499) return 'client';
  return otherwise;
}

export interface FailureGroup {
  readonly kind: FailureKind;
  readonly label: string;
  readonly occurrences: number;
  /** Of all requests (Aggregated), 0 when there were none. */
  readonly shareOfRequests: number;
  /** Its failure rows, most occurrences first. */
  readonly entries: readonly FailureEntry[];
  /** `METHOD name` → occurrences, most first. */
  readonly endpoints: readonly { readonly endpoint: string; readonly occurrences: number }[];
  /** Distinct errors, most first. */
  readonly errors: readonly { readonly error: string; readonly occurrences: number }[];
}

/** The groups that have failures, in `FAILURE_KINDS` order. */
export function groupFailures(failures: readonly FailureEntry[], totalRequests: number): FailureGroup[] {
  const byKind = new Map<FailureKind, FailureEntry[]>();
  for (const f of failures) {
    const k = failureKind(f.error);
    let list = byKind.get(k);
    if (list === undefined) byKind.set(k, (list = []));
    list.push(f);
  }
  const groups: FailureGroup[] = [];
  for (const { kind, label } of FAILURE_KINDS) {
    const entries = byKind.get(kind);
    if (entries === undefined) continue;
    const sorted = [...entries].sort((a, b) => b.occurrences - a.occurrences);
    const occurrences = sorted.reduce((n, f) => n + f.occurrences, 0);
    groups.push({
      kind,
      label,
      occurrences,
      shareOfRequests: totalRequests > 0 ? occurrences / totalRequests : 0,
      entries: sorted,
      endpoints: tally(sorted, (f) => (f.method === '' ? f.name : `${f.method} ${f.name}`)).map(([endpoint, n]) => ({ endpoint, occurrences: n })),
      errors: tally(sorted, (f) => f.error).map(([error, n]) => ({ error, occurrences: n })),
    });
  }
  return groups;
}

function tally(entries: readonly FailureEntry[], key: (f: FailureEntry) => string): [string, number][] {
  const m = new Map<string, number>();
  for (const f of entries) m.set(key(f), (m.get(key(f)) ?? 0) + f.occurrences);
  return [...m].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
}
