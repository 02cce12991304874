/**
 * The run settings (host, users, spawn rate, run time, stop timeout, the open model's rate and
 * user cap, stages, thresholds) as the file and the selected profile give them. A profile replaces
 * top-level keys one by one, except that choosing a load model replaces the other one: a profile
 * with `rate:` drops the file's `users:`/`stages:`, and one with `users:` drops `rate:`, `maxUsers:`
 * and `rateStages:` (and `stages:`); a profile with stages drops the file's `runTime:` (stages
 * define the length of the run).
 */
import { asDuration, asList, asString, asMap, asNumber, bad, describe, fieldOf, indexOf, isNull, resolveEnvScalar } from './read.js';
import type { Ctx, NumberRule } from './read.js';
import { readTemplate } from './read-template.js';
import type { Secrets } from './read-template.js';
import { parseRate, RATE_HINT } from './rate.js';
import { loadTimeScope } from './template.js';
import { readThresholdList } from './threshold-list.js';
import type { PlacedThreshold } from './threshold-list.js';
import type { RateStage, SourceLoc } from './types.js';
import { addUrlSecrets, normalizeHost } from './urls.js';
import { MAX_RATE, MAX_SPAWN_RATE, MAX_USERS, overLimit } from './limits.js';
import type { YMap, YNode } from './yaml-source.js';

/** Keys a profile may set (and the top level too). */
export const LOAD_KEYS = ['host', 'users', 'spawnRate', 'runTime', 'stopTimeout', 'rate', 'maxUsers', 'stages', 'rateStages', 'thresholds', 'baseline'];

/** Keys of one `stages:` entry and of one `rateStages:` entry. */
export const STAGE_KEYS = ['duration', 'users', 'spawnRate'];
export const RATE_STAGE_KEYS = ['duration', 'rate'];

type Group = 'closed' | 'shape' | 'open';
const GROUP: Readonly<Record<string, Group>> = { users: 'closed', stages: 'shape', rate: 'open', maxUsers: 'open', rateStages: 'open' };
const GROUP_WORDS: Readonly<Record<Group, string>> = {
  closed: 'a fixed number of users (closed model)',
  shape: 'a load shape of user stages (closed model)',
  open: 'an arrival rate (open model)',
};

/** Where a setting was written. */
export interface Ref {
  readonly node: YNode;
  readonly field: string;
  readonly keyLoc: SourceLoc;
}
export type Layer = ReadonlyMap<string, Ref>;

/** The load keys of one mapping (the top level or a profile), with their field paths. */
export function layerOf(map: YMap, prefix: string): Map<string, Ref> {
  const layer = new Map<string, Ref>();
  for (const e of map.entries) {
    if (LOAD_KEYS.includes(e.key)) layer.set(e.key, { node: e.value, field: fieldOf(prefix, e.key), keyLoc: e.keyLoc });
  }
  return layer;
}

/** A problem for each key that mixes load models within one layer (`users` with `rate`, ...). */
export function checkModels(ctx: Ctx, layer: Layer): void {
  let first: [string, Group] | null = null;
  for (const [key, ref] of layer) {
    const g = GROUP[key];
    if (g === undefined) continue;
    if (first === null) first = [key, g];
    else if (first[1] !== g) {
      const hint = g === 'open' || first[1] === 'open' ? '; with `rate:`, cap the users with `maxUsers:`' : '';
      bad(ctx, ref.keyLoc, ref.field, `\`${key}\` sets ${GROUP_WORDS[g]} but \`${first[0]}\` already sets ${GROUP_WORDS[first[1]]}: use one${hint}`);
    }
  }
}

/**
 * `upper` over `lower`, key by key. A load model in `upper` drops the other models' keys from
 * `lower`, and stages in `upper` (which define their own length) drop `lower`'s `runTime`.
 */
export function stack(lower: Layer, upper: Layer): Map<string, Ref> {
  const groups = new Set([...upper.keys()].map((k) => GROUP[k]).filter((g) => g !== undefined));
  const staged = upper.has('stages') || upper.has('rateStages');
  const out = new Map<string, Ref>();
  for (const [k, ref] of lower) {
    const g = GROUP[k];
    if (g !== undefined && groups.size > 0 && !groups.has(g)) continue;
    if (k === 'runTime' && staged) continue;
    out.set(k, ref);
  }
  for (const [k, ref] of upper) out.set(k, ref);
  return out;
}

export interface StageInput {
  readonly durationMs: number;
  readonly users: number;
  /** null: the scenario's spawn rate. */
  readonly spawnRate: number | null;
}

/** Typed settings; a key is absent when not given or invalid (then a problem was recorded). */
export interface Settings {
  host?: string;
  users?: number;
  spawnRate?: number;
  runTimeMs?: number;
  stopTimeoutMs?: number;
  rate?: number;
  maxUsers?: number;
  stages?: readonly StageInput[];
  rateStages?: readonly RateStage[];
  thresholds?: readonly PlacedThreshold[];
  /** Where `host:` was written, for "missing host" and similar problems. */
  hostAt?: SourceLoc;
  /** `baseline:` — the run this one is compared with, as `--baseline` takes it — and where it was written. */
  baseline?: { readonly ref: string; readonly field: string; readonly at: SourceLoc };
}

export const USERS_RULE: NumberRule = { integer: true, min: 1, limit: { max: MAX_USERS, what: 'users' } };
export const STAGE_USERS_RULE: NumberRule = { integer: true, min: 0, limit: { max: MAX_USERS, what: 'users' } };
export const SPAWN_RATE_RULE: NumberRule = { min: 0, exclusive: true, limit: { max: MAX_SPAWN_RATE, what: 'users a second' } };

/** Reads every key of `layer`; `env` is for `${VAR}` in the host. */
export function readSettings(ctx: Ctx, layer: Layer, env: Readonly<Record<string, string | undefined>>, vars: ReadonlyMap<string, string>, secrets: Secrets): Settings {
  const s: Settings = {};
  for (const [key, { node, field }] of layer) {
    switch (key) {
      case 'host': {
        const t = readTemplate(ctx, node, field, loadTimeScope(env, vars), secrets, { notSecret: true });
        if (typeof t !== 'string') break;
        const h = normalizeHost(t);
        if ('error' in h) bad(ctx, node, field, h.error);
        else {
          s.host = h.host;
          s.hostAt = node.loc;
          addUrlSecrets(h.host, secrets);
        }
        break;
      }
      case 'users':
        set(s, 'users', asNumber(ctx, node, field, USERS_RULE));
        break;
      case 'maxUsers':
        set(s, 'maxUsers', asNumber(ctx, node, field, USERS_RULE));
        break;
      case 'spawnRate':
        set(s, 'spawnRate', asNumber(ctx, node, field, SPAWN_RATE_RULE));
        break;
      case 'runTime':
        set(s, 'runTimeMs', asDuration(ctx, node, field));
        break;
      case 'stopTimeout':
        set(s, 'stopTimeoutMs', asDuration(ctx, node, field, { allowZero: true }));
        break;
      case 'rate':
        set(s, 'rate', readRate(ctx, node, field, layer.has('rateStages')));
        break;
      case 'stages':
        set(s, 'stages', readStages(ctx, node, field));
        break;
      case 'rateStages':
        set(s, 'rateStages', readRateStages(ctx, node, field));
        break;
      case 'thresholds':
        set(s, 'thresholds', readThresholdList(ctx, node, field));
        break;
      case 'baseline': {
        const ref = asString(ctx, node, field);
        if (ref !== null) s.baseline = { ref, field, at: node.loc };
        break;
      }
    }
  }
  return s;
}

function set<K extends keyof Settings>(s: Settings, key: K, value: Settings[K] | null): void {
  if (value !== null) s[key] = value;
}

function readRate(ctx: Ctx, written: YNode, field: string, allowZero: boolean): number | null {
  const r = resolveEnvScalar(ctx, written, field);
  if (r === null) return null;
  const node = r.node;
  const v = node.kind === 'scalar' && (typeof node.value === 'string' || typeof node.value === 'number') ? parseRate(node.value) : null;
  if (v === null || (v === 0 && !allowZero)) {
    bad(ctx, node, field, `must be ${RATE_HINT}, got ${describe(node)}`);
    return null;
  }
  if (v > MAX_RATE) {
    bad(ctx, node, field, `${overLimit('iterations a second', MAX_RATE)}, got ${describe(node)}`);
    return null;
  }
  return v;
}

function readStages(ctx: Ctx, node: YNode, field: string): StageInput[] | null {
  const items = asList(ctx, node, field, '[ { duration: 1m, users: 50, spawnRate: 10 } ]');
  if (items === null) return null;
  if (items.length === 0) {
    bad(ctx, node, field, 'needs at least one stage, like { duration: 1m, users: 50 }');
    return null;
  }
  const out: StageInput[] = [];
  let ok = true;
  items.forEach((item, i) => {
    const f = indexOf(field, i);
    const map = asMap(ctx, item, f, STAGE_KEYS, '{ duration: 1m, users: 50, spawnRate: 10 }');
    if (map === null) return void (ok = false);
    const d = need(ctx, map, f, 'duration');
    const u = need(ctx, map, f, 'users');
    const r = map.entries.find((e) => e.key === 'spawnRate');
    const durationMs = d === null ? null : asDuration(ctx, d, fieldOf(f, 'duration'));
    const users = u === null ? null : asNumber(ctx, u, fieldOf(f, 'users'), STAGE_USERS_RULE);
    const spawnRate = r === undefined ? null : asNumber(ctx, r.value, fieldOf(f, 'spawnRate'), SPAWN_RATE_RULE);
    if (durationMs === null || users === null || (r !== undefined && spawnRate === null)) return void (ok = false);
    out.push({ durationMs, users, spawnRate });
  });
  return ok ? out : null;
}

function readRateStages(ctx: Ctx, node: YNode, field: string): RateStage[] | null {
  const items = asList(ctx, node, field, '[ { duration: 30s, rate: 200/s } ]');
  if (items === null) return null;
  if (items.length === 0) {
    bad(ctx, node, field, 'needs at least one stage, like { duration: 30s, rate: 200/s }');
    return null;
  }
  const out: RateStage[] = [];
  let ok = true;
  items.forEach((item, i) => {
    const f = indexOf(field, i);
    const map = asMap(ctx, item, f, RATE_STAGE_KEYS, '{ duration: 30s, rate: 200/s }');
    if (map === null) return void (ok = false);
    const d = need(ctx, map, f, 'duration');
    const r = need(ctx, map, f, 'rate');
    const durationMs = d === null ? null : asDuration(ctx, d, fieldOf(f, 'duration'));
    const rate = r === null ? null : readRate(ctx, r, fieldOf(f, 'rate'), true);
    if (durationMs === null || rate === null) return void (ok = false);
    out.push({ durationMs, rate });
  });
  return ok ? out : null;
}

function need(ctx: Ctx, map: YMap, field: string, key: string): YNode | null {
  const e = map.entries.find((x) => x.key === key);
  if (e === undefined || isNull(e.value)) {
    bad(ctx, e?.keyLoc ?? map.loc, fieldOf(field, key), `missing: a stage needs \`${key}:\``);
    return null;
  }
  return e.value;
}
