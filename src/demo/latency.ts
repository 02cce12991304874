/**
 * How long each demo route takes to answer, in milliseconds: log-normal spreads (a tight median, a
 * long tail, a hard cap) like a real service, or a plain uniform range where the route promises
 * one (`/api/search` 50–200 ms, `/api/slow` 0.5–2 s). Sampling is a few float operations.
 */

import type { Random } from './random.js';

export type LatencyProfile =
  | { readonly kind: 'none' }
  | { readonly kind: 'logNormal'; readonly medianMs: number; readonly sigma: number; readonly maxMs: number }
  | { readonly kind: 'uniform'; readonly minMs: number; readonly maxMs: number };

export type LogNormalProfile = Extract<LatencyProfile, { readonly kind: 'logNormal' }>;

const logNormal = (medianMs: number, sigma: number, maxMs: number): LogNormalProfile =>
  ({ kind: 'logNormal', medianMs, sigma, maxMs });

/** Per-route latency. Auth failures and 404s of unknown routes answer at once. */
export const LATENCY = {
  none: { kind: 'none' },
  login: logNormal(25, 0.35, 300), // password hashing
  me: logNormal(2, 0.5, 50),
  itemList: logNormal(30, 0.5, 500),
  item: logNormal(4, 0.6, 200),
  itemCreate: logNormal(9, 0.5, 250),
  search: { kind: 'uniform', minMs: 50, maxMs: 200 },
  slow: { kind: 'uniform', minMs: 500, maxMs: 2000 },
  flaky: logNormal(6, 0.7, 300),
  limited: logNormal(1.5, 0.4, 30),
  reports: logNormal(45, 0.6, 800),
  cart: logNormal(3, 0.5, 80),
} as const satisfies Record<string, LatencyProfile>;

/** One sample in ms (0 for `none`); never negative, never above the profile's cap. */
export function sampleLatencyMs(profile: LatencyProfile, random: Random): number {
  switch (profile.kind) {
    case 'none':
      return 0;
    case 'uniform':
      return random.between(profile.minMs, profile.maxMs);
    case 'logNormal':
      return Math.min(profile.maxMs, random.logNormal(profile.medianMs, profile.sigma));
  }
}
