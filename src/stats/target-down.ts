/**
 * Recognises a target that is not there at all, so the screens can say so in words instead of only
 * `fails 100%`: nearly every recent request failed, and failed by the connection being refused
 * (nothing listens on that port) or the name not resolving. Pure: reads a snapshot.
 */
import type { StatsSnapshot } from './types.js';

export type TargetDown = 'refused' | 'unresolved';

/** Failures seen this recently (ms before the snapshot) count as now. */
const RECENT_MS = 5000;
/** Share of the recent requests that failed for the target to count as down. */
const FAILING_SHARE = 0.9;

const KEYS: Record<string, TargetDown> = { ECONNREFUSED: 'refused', ENOTFOUND: 'unresolved', EAI_AGAIN: 'unresolved' };

export function targetDown(s: Pick<StatsSnapshot, 'total' | 'failures' | 'takenAt'>): TargetDown | null {
  const t = s.total;
  if (!(t.currentRps > 0) || t.currentFailuresPerSec < FAILING_SHARE * t.currentRps) return null;
  // The kind most of the recent failures have (a dead target fails every request the same way).
  const recent = new Map<TargetDown | 'other', number>();
  for (const f of s.failures) {
    if (s.takenAt - f.lastSeen > RECENT_MS) continue;
    const kind = KEYS[f.error] ?? 'other';
    recent.set(kind, (recent.get(kind) ?? 0) + f.occurrences);
  }
  let best: TargetDown | null = null;
  let most = recent.get('other') ?? 0;
  for (const kind of ['refused', 'unresolved'] as const) {
    const n = recent.get(kind) ?? 0;
    if (n > most) {
      best = kind;
      most = n;
    }
  }
  return best;
}

/** What to tell a person: `nothing is listening at 127.0.0.1:8089 — is it running?`. */
export function targetDownMessage(kind: TargetDown, host: string): string {
  const where = hostPart(host);
  return kind === 'refused'
    ? `nothing is listening at ${where} — is it running?`
    : `${where} does not resolve (DNS) — is the host name right?`;
}

/** `host:port` of a URL, or the text itself when it is not one. */
function hostPart(host: string): string {
  try {
    const u = new URL(host);
    return u.host === '' ? host : u.host;
  } catch {
    return host;
  }
}
