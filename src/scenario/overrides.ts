/**
 * Command-line overrides (`--users`, `--rate`, `--threshold`, ...): checked here, each problem
 * naming its flag, then laid over the file's settings.
 *
 * `--rate` selects the open model at that constant rate (dropping the file's stages), capped by
 * `--users` when given, else by the file's `maxUsers`, else by its `users`. Without `--rate`,
 * `--users` is the number of users: in a closed-model file it replaces `users:` and drops
 * `stages:` (a constant load); in an open-model file it is the cap (`maxUsers`). A `--threshold`
 * replaces a file threshold on the same metric and endpoint, and is added otherwise.
 */
import { parseDuration } from './duration.js';
import type { Problems } from './errors.js';
import { meetsRule, ruleProblem } from './read.js';
import { MAX_RATE, overLimit } from './limits.js';
import { parseRate, RATE_HINT } from './rate.js';
import type { Settings } from './settings.js';
import { SPAWN_RATE_RULE, USERS_RULE } from './settings.js';
import { parseThreshold } from './threshold.js';
import type { PlacedThreshold } from './threshold-list.js';
import { normalizeHost } from './urls.js';

/** From CLI flags; each overrides the file. Errors name the flag. */
export interface ScenarioOverrides {
  host?: string;
  /** A number, or the flag's text as typed (so a message can quote `-u abc` as "abc"). */
  users?: number | string;
  spawnRate?: number | string;
  runTime?: string;
  stopTimeout?: string;
  profile?: string;
  /** `--threshold`, repeatable. */
  thresholds?: string[];
  /** `--rate 100/s`: switches to the open model. */
  rate?: string;
  /** `--insecure`: accept any server certificate. */
  insecure?: boolean;
  /**
   * Where a value came from when not the command line, for messages: `CICADA_USERS` (an
   * environment variable), `cicada.conf:3: users` (a config file line). Default: the flag (`--users`).
   */
  sources?: Partial<Record<Exclude<keyof ScenarioOverrides, 'sources'>, string>>;
  /** `--monitor ID=SPEC`, repeatable (read by monitors.ts). */
  monitors?: string[];
}

/** The flag each override comes from, for messages. */
export const FLAG: Readonly<Record<Exclude<keyof ScenarioOverrides, 'sources'>, string>> = {
  host: '--host',
  users: '--users',
  spawnRate: '--spawn-rate',
  runTime: '--run-time',
  stopTimeout: '--stop-timeout',
  profile: '--profile',
  thresholds: '--threshold',
  rate: '--rate',
  insecure: '--insecure',
  monitors: '--monitor',
};

/** How a message names override `k`: where it came from (`CICADA_USERS`, `cicada.conf:3: users`) or its flag. */
export function overrideLabel(o: ScenarioOverrides, k: keyof typeof FLAG): string {
  return o.sources?.[k] ?? FLAG[k];
}

/** The overrides as typed settings (profile aside), with a problem for each bad flag. */
export function readOverrides(o: ScenarioOverrides, problems: Problems): Settings {
  const s: Settings = {};
  const label = (k: keyof typeof FLAG): string => overrideLabel(o, k);
  const got = (v: unknown): string => `got ${JSON.stringify(String(v))}`;
  if (o.host !== undefined) {
    const h = normalizeHost(o.host);
    if ('error' in h) problems.flag(label('host'), h.error);
    else s.host = h.host;
  }
  const num = (v: number | string): number => (typeof v === 'number' ? v : v.trim() === '' ? NaN : Number(v));
  if (o.users !== undefined) {
    const users = num(o.users);
    if (meetsRule(users, USERS_RULE)) s.users = users;
    else problems.flag(label('users'), `${ruleProblem(users, USERS_RULE)}, ${got(o.users)}`);
  }
  if (o.spawnRate !== undefined) {
    const spawnRate = num(o.spawnRate);
    if (meetsRule(spawnRate, SPAWN_RATE_RULE)) s.spawnRate = spawnRate;
    else problems.flag(label('spawnRate'), `${ruleProblem(spawnRate, SPAWN_RATE_RULE)}, ${got(o.spawnRate)}`);
  }
  if (o.runTime !== undefined) {
    const ms = parseDuration(o.runTime);
    if (ms !== null && ms > 0) s.runTimeMs = ms;
    else problems.flag(label('runTime'), `must be a duration longer than 0 like 30s, 5m or 1h30m, ${got(o.runTime)}`);
  }
  if (o.stopTimeout !== undefined) {
    const ms = parseDuration(o.stopTimeout);
    if (ms !== null) s.stopTimeoutMs = ms;
    else problems.flag(label('stopTimeout'), `must be a duration like 10s (0 to stop at once), ${got(o.stopTimeout)}`);
  }
  if (o.rate !== undefined) {
    const r = parseRate(o.rate);
    if (r !== null && r > MAX_RATE) problems.flag(label('rate'), `${overLimit('iterations a second', MAX_RATE)}, ${got(o.rate)}`);
    else if (r !== null && r > 0) s.rate = r;
    else problems.flag(label('rate'), `must be ${RATE_HINT} and more than 0, ${got(o.rate)}`);
  }
  if (o.thresholds !== undefined) {
    const list: PlacedThreshold[] = [];
    for (const expr of o.thresholds) {
      const p = parseThreshold(expr);
      if (typeof p === 'string') problems.flag(label('thresholds'), `${p} (in ${JSON.stringify(expr)})`);
      else list.push({ threshold: { ...p, abortOnFail: false, abortGraceMs: 0, loc: null }, field: label('thresholds') });
    }
    s.thresholds = list;
  }
  return s;
}

/** `flags` over `file` (see the module comment for the load-model rules). */
export function applyOverrides(file: Settings, flags: Settings): Settings {
  const out: Settings = { ...file };
  for (const k of ['host', 'spawnRate', 'runTimeMs', 'stopTimeoutMs'] as const) {
    if (flags[k] !== undefined) (out as Record<string, unknown>)[k] = flags[k];
  }
  if (flags.host !== undefined) delete out.hostAt;
  if (flags.rate !== undefined) {
    out.rate = flags.rate;
    const cap = flags.users ?? file.maxUsers ?? file.users;
    if (cap !== undefined) out.maxUsers = cap;
    delete out.users;
    delete out.stages;
    delete out.rateStages;
  } else if (flags.users !== undefined && (file.rate !== undefined || file.rateStages !== undefined)) {
    out.maxUsers = flags.users;
  } else if (flags.users !== undefined) {
    out.users = flags.users;
    delete out.stages;
    delete out.rate;
    delete out.maxUsers;
    delete out.rateStages;
  }
  if (flags.thresholds !== undefined) {
    const key = (p: PlacedThreshold): string => `${p.threshold.endpoint ?? ''}\0${p.threshold.metric}\0${p.threshold.monitor === undefined ? '' : `${p.threshold.monitor.id}.${p.threshold.monitor.stat}`}`;
    const replaced = new Set(flags.thresholds.map(key));
    out.thresholds = [...(file.thresholds ?? []).filter((p) => !replaced.has(key(p))), ...flags.thresholds];
  }
  return out;
}
