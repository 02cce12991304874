/**
 * `monitors:` (a mapping: series id → definition) and `--monitor ID=SPEC` flags → `MonitorSpec`s,
 * every problem at its `file:line:col` (or naming the flag); and the thresholds on monitors
 * (`app_cpu.max < 70%`), checked against the monitors and read in their units.
 *
 * ```yaml
 * monitors:
 *   app_cpu: { prometheus: http://127.0.0.1:8089/metrics, metric: process_cpu_seconds_total, pin: true }
 *   db_pool: { query: 'sum(pg_pool_in_use) / sum(pg_pool_size)', server: http://127.0.0.1:9090, unit: percent, scale: 100 }
 *   api_rss: { process: "node server.js", metric: rss }
 * ```
 */
import { formatDuration } from './duration.js';
import { didYouMean, suggestion } from './did-you-mean.js';
import type { Problems } from './errors.js';
import { MONITOR_STATS, PROCESS_METRICS, type LabelMatcher, type MetricSelector, type MonitorSource, type MonitorSpec, type ProcessMetric } from './monitor-types.js';
import { parseMonitorValue, unitForMetric } from './monitor-units.js';
import { asBool, asDuration, asMap, asNumber, asString, bad, describe, entry, fieldOf, isNull } from './read.js';
import type { Ctx } from './read.js';
import type { PlacedThreshold } from './threshold-list.js';
import type { SourceLoc, Threshold } from './types.js';
import type { YNode } from './yaml-source.js';

const KIND_KEYS = ['prometheus', 'query', 'process'] as const;
const COMMON_KEYS = ['name', 'component', 'unit', 'scale', 'every', 'timeout', 'pin', 'leak', 'warmup'];
/** Keys that only mean something for one kind of monitor. */
const ONLY: Readonly<Record<string, (typeof KIND_KEYS)[number]>> = { rate: 'prometheus', server: 'query', children: 'process' };
export const MONITOR_KEYS = [...KIND_KEYS, 'metric', ...Object.keys(ONLY), ...COMMON_KEYS];
/** A monitor id: used in thresholds as `id.max`, so no dots. */
const ID = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const EXAMPLE = '{ prometheus: http://127.0.0.1:9100/metrics, metric: node_load1 }';
const DEFAULT_EVERY_MS = 1000;

/** The `monitors:` mapping; null when absent. Problems go to `ctx`. */
export function readMonitors(ctx: Ctx, node: YNode | undefined): MonitorSpec[] {
  if (node === undefined || isNull(node)) return [];
  const map = asMap(ctx, node, 'monitors', null, `{ app_cpu: ${EXAMPLE} }`);
  if (map === null) return [];
  const out: MonitorSpec[] = [];
  for (const e of map.entries) {
    const field = fieldOf('monitors', e.key);
    if (!ID.test(e.key)) {
      bad(ctx, e.keyLoc, field, 'a monitor id is a letter or _ then letters, digits, _ or - (it is used in thresholds as `id.max`)');
      continue;
    }
    const spec = readMonitor(ctx, e.value, field, e.key, e.keyLoc);
    if (spec !== null) out.push(spec);
  }
  return out;
}

function readMonitor(ctx: Ctx, node: YNode, field: string, id: string, loc: SourceLoc): MonitorSpec | null {
  const map = asMap(ctx, node, field, MONITOR_KEYS, EXAMPLE);
  if (map === null) return null;
  const get = (k: string): YNode | undefined => entry(map, k)?.value;
  const kinds = KIND_KEYS.filter((k) => entry(map, k) !== undefined);
  if (kinds.length === 0) {
    bad(ctx, node, field, `needs what to read: \`prometheus: URL\` (with \`metric:\`), \`query: PROMQL\` (with \`server: URL\`) or \`process: PID or "command line text"\``);
    return null;
  }
  if (kinds.length > 1) {
    bad(ctx, entry(map, kinds[1]!)!.keyLoc, fieldOf(field, kinds[1]!), `\`${kinds[0]}\` and \`${kinds[1]}\` exclude each other: a monitor reads one thing`);
    return null;
  }
  const kind = kinds[0]!;
  let ok = true;
  for (const [key, only] of Object.entries(ONLY)) {
    const e = entry(map, key);
    if (e !== undefined && only !== kind) {
      bad(ctx, e.keyLoc, fieldOf(field, key), `\`${key}\` only applies to a \`${only}:\` monitor`);
      ok = false;
    }
  }
  const f = (k: string): string => fieldOf(field, k);
  let source: MonitorSource | null = null;
  let defaults = { unit: '', scale: 1, component: '' };
  const metricNode = get('metric');
  if (kind === 'prometheus') {
    const url = readUrl(ctx, get('prometheus')!, f('prometheus'), true);
    const rateNode = get('rate');
    const rate = rateNode === undefined ? null : asBool(ctx, rateNode, f('rate'));
    if (metricNode === undefined) {
      bad(ctx, node, field, 'a `prometheus:` monitor needs `metric:`, like `metric: process_cpu_seconds_total` or `metric: \'node_cpu_seconds_total{mode!="idle"}\'`');
    } else {
      const text = asString(ctx, metricNode, f('metric'));
      const selector = text === null ? null : parseSelector(text);
      if (typeof selector === 'string') bad(ctx, metricNode, f('metric'), selector);
      if (url !== null && selector !== null && typeof selector !== 'string') {
        source = { kind: 'scrape', url, selector, rate };
        defaults = { ...unitForMetric(selector.name, rate ?? isCounterName(selector.name)), component: url.startsWith('/') ? '' : hostOf(url) };
      }
    }
  } else if (kind === 'query') {
    const query = asString(ctx, get('query')!, f('query'));
    const serverNode = get('server');
    if (metricNode !== undefined) bad(ctx, entry(map, 'metric')!.keyLoc, f('metric'), '`metric` does not apply to a `query:` monitor: the query says what to read');
    if (serverNode === undefined) bad(ctx, node, field, 'a `query:` monitor needs `server:`, the Prometheus server, like `server: http://127.0.0.1:9090`');
    const server = serverNode === undefined ? null : readUrl(ctx, serverNode, f('server'));
    if (query !== null && server !== null) {
      source = { kind: 'query', server, query };
      defaults = { unit: '', scale: 1, component: `Prometheus ${hostOf(server)}` };
    }
  } else {
    const p = get('process')!;
    let pid: number | null = null;
    let match: string | null = null;
    if (p.kind === 'scalar' && typeof p.value === 'number') pid = asNumber(ctx, p, f('process'), { integer: true, min: 1 });
    else if (p.kind === 'scalar' && typeof p.value === 'string') match = asString(ctx, p, f('process'));
    else bad(ctx, p, f('process'), `must be a process id (a number) or text found in the command line, got ${describe(p)}`);
    let metric: ProcessMetric = 'cpu';
    if (metricNode !== undefined) {
      const m = asString(ctx, metricNode, f('metric'));
      if (m !== null && !(PROCESS_METRICS as readonly string[]).includes(m)) {
        bad(ctx, metricNode, f('metric'), `a process monitor reads one of ${PROCESS_METRICS.join(', ')}, got ${JSON.stringify(m)}${suggestion(m, PROCESS_METRICS)}`);
      } else if (m !== null) metric = m as ProcessMetric;
    }
    const childrenNode = get('children');
    const children = childrenNode === undefined ? true : (asBool(ctx, childrenNode, f('children')) ?? true);
    if (pid !== null || match !== null) {
      source = { kind: 'process', pid, match, metric, children };
      defaults = { ...processUnit(metric), component: pid !== null ? `process ${pid}` : match! };
    }
  }
  const common = readCommon(ctx, get, f, defaults);
  if (source === null || common === null || !ok) return null;
  return { id, source, ...common, loc };
}

interface Common {
  name: string;
  component: string;
  unit: string;
  scale: number;
  everyMs: number;
  timeoutMs: number;
  pin: boolean;
  leak: boolean | null;
  warmupMs: number | null;
}

function readCommon(
  ctx: Ctx,
  get: (k: string) => YNode | undefined,
  f: (k: string) => string,
  defaults: { unit: string; scale: number; component: string },
): Common | null {
  const before = ctx.problems.count;
  const text = (k: string): string | null => {
    const n = get(k);
    return n === undefined ? null : asString(ctx, n, f(k), { allowEmpty: k === 'unit' });
  };
  const bool = (k: string): boolean | null => {
    const n = get(k);
    return n === undefined ? null : asBool(ctx, n, f(k));
  };
  const everyNode = get('every');
  let everyMs = DEFAULT_EVERY_MS;
  if (everyNode !== undefined) {
    const ms = asDuration(ctx, everyNode, f('every'));
    if (ms !== null && (ms < 1000 || ms % 1000 !== 0)) bad(ctx, everyNode, f('every'), `must be a whole number of seconds (samples line up with the 1-second statistics rows), got ${describe(everyNode)}`);
    else if (ms !== null) everyMs = ms;
  }
  const timeoutNode = get('timeout');
  let timeoutMs = Math.min(everyMs - 100, 5000);
  if (timeoutNode !== undefined) {
    const ms = asDuration(ctx, timeoutNode, f('timeout'));
    if (ms !== null && ms >= everyMs) bad(ctx, timeoutNode, f('timeout'), `must be shorter than the sampling period (${formatDuration(everyMs)}), got ${describe(timeoutNode)}`);
    else if (ms !== null) timeoutMs = ms;
  }
  const scaleNode = get('scale');
  const scale = scaleNode === undefined ? null : asNumber(ctx, scaleNode, f('scale'), {});
  if (scale === 0 && scaleNode !== undefined) bad(ctx, scaleNode, f('scale'), 'must not be 0');
  const warmupNode = get('warmup');
  const warmupMs = warmupNode === undefined ? null : asDuration(ctx, warmupNode, f('warmup'), { allowZero: true });
  const unit = text('unit');
  const result = {
    name: text('name') ?? '',
    component: text('component') ?? defaults.component,
    unit: unit ?? defaults.unit,
    scale: scale ?? (unit === null ? defaults.scale : 1),
    everyMs,
    timeoutMs,
    pin: bool('pin') ?? false,
    leak: bool('leak'),
    warmupMs,
  };
  return ctx.problems.count === before ? result : null;
}

function processUnit(metric: ProcessMetric): { unit: string; scale: number } {
  switch (metric) {
    case 'cpu':
      return { unit: 'percent', scale: 1 };
    case 'rss':
      return { unit: 'bytes', scale: 1 };
    default:
      return { unit: metric, scale: 1 };
  }
}

/** Counters by Prometheus's naming rules (the exposition's `# TYPE` decides at run time). */
function isCounterName(name: string): boolean {
  return /_total$/.test(name);
}

function readUrl(ctx: Ctx, node: YNode, field: string, relative = false): string | null {
  const text = asString(ctx, node, field);
  if (text === null) return null;
  if (relative && text.startsWith('/')) return text;
  const problem = urlProblem(text);
  if (problem !== null) {
    bad(ctx, node, field, problem);
    return null;
  }
  return text;
}

function urlProblem(text: string): string | null {
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    return `must be an http(s):// URL (or, for an exposition, a path on the host like /metrics), got ${JSON.stringify(text)}`;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return `must be an http(s):// URL, got ${JSON.stringify(text)}`;
  return null;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/**
 * `name`, `name{label="v", other!~"a|b"}`: Prometheus's selector syntax (double or single quotes,
 * backslash escapes). Regexes are checked here and anchored when used. Returns a message on failure.
 */
export function parseSelector(text: string): MetricSelector | string {
  const t = text.trim();
  const name = /^[A-Za-z_:][A-Za-z0-9_:]*/.exec(t)?.[0];
  if (name === undefined) return `a metric name starts with a letter, _ or :, like process_cpu_seconds_total, got ${JSON.stringify(text)}`;
  let i = name.length;
  const matchers: LabelMatcher[] = [];
  const ws = (): void => {
    while (i < t.length && /\s/.test(t[i]!)) i++;
  };
  ws();
  if (i === t.length) return { name, matchers, text: t };
  if (t[i] !== '{') return `unexpected ${JSON.stringify(t.slice(i))} after the metric name in ${JSON.stringify(text)}: label matchers go in { }`;
  i++;
  for (;;) {
    ws();
    if (t[i] === '}') {
      i++;
      break;
    }
    const label = /^[A-Za-z_][A-Za-z0-9_]*/.exec(t.slice(i))?.[0];
    if (label === undefined) return `expected a label name at column ${i + 1} of ${JSON.stringify(text)}`;
    i += label.length;
    ws();
    const op = /^(=~|!~|!=|=)/.exec(t.slice(i))?.[0] as LabelMatcher['op'] | undefined;
    if (op === undefined) return `expected =, !=, =~ or !~ after \`${label}\` in ${JSON.stringify(text)}`;
    i += op.length;
    ws();
    const quote = t[i];
    if (quote !== '"' && quote !== "'") return `the value of \`${label}\` must be quoted, like ${label}${op}"value", in ${JSON.stringify(text)}`;
    i++;
    let value = '';
    let closed = false;
    while (i < t.length) {
      const c = t[i]!;
      if (c === '\\' && i + 1 < t.length) {
        const n = t[i + 1]!;
        value += n === 'n' ? '\n' : n;
        i += 2;
      } else if (c === quote) {
        closed = true;
        i++;
        break;
      } else {
        value += c;
        i++;
      }
    }
    if (!closed) return `unterminated quote in ${JSON.stringify(text)}`;
    if (op === '=~' || op === '!~') {
      try {
        new RegExp(`^(?:${value})$`);
      } catch (err) {
        return `bad regular expression for \`${label}\`: ${(err as Error).message}`;
      }
    }
    matchers.push({ label, op, value });
    ws();
    if (t[i] === ',') {
      i++;
      continue;
    }
    if (t[i] === '}') {
      i++;
      break;
    }
    return `expected , or } after the value of \`${label}\` in ${JSON.stringify(text)}`;
  }
  ws();
  if (i !== t.length) return `unexpected ${JSON.stringify(t.slice(i))} after } in ${JSON.stringify(text)}`;
  return { name, matchers, text: t };
}

export const MONITOR_FLAG = '--monitor';
export const MONITOR_FLAG_HINT =
  "ID=URL#METRIC (a Prometheus exposition), ID=query:URL#PROMQL (a Prometheus server), ID=pid:N[#cpu|rss|threads|fds] or ID=cmd:TEXT[#cpu|rss|threads|fds] (a local process)";

/**
 * `--monitor` values: `app_cpu=http://127.0.0.1:8089/metrics#process_cpu_seconds_total`,
 * `db=query:http://127.0.0.1:9090#sum(rate(x[1m]))`, `api=pid:1234#rss`, `api=cmd:node server.js#cpu`.
 * Flag monitors are pinned to the status bar. Problems name the flag.
 */
export function readMonitorFlags(values: readonly string[], problems: Problems): MonitorSpec[] {
  const out: MonitorSpec[] = [];
  for (const value of values) {
    const spec = readMonitorFlag(value);
    if (typeof spec === 'string') problems.flag(MONITOR_FLAG, `${spec} (in ${JSON.stringify(value)}); the forms are ${MONITOR_FLAG_HINT}`);
    else out.push(spec);
  }
  return out;
}

function readMonitorFlag(value: string): MonitorSpec | string {
  const eq = value.indexOf('=');
  if (eq <= 0) return 'needs ID=WHAT';
  const id = value.slice(0, eq).trim();
  if (!ID.test(id)) return `the id ${JSON.stringify(id)} must be a letter or _ then letters, digits, _ or -`;
  const rest = value.slice(eq + 1).trim();
  const base = { id, name: '', everyMs: DEFAULT_EVERY_MS, timeoutMs: 900, pin: true, leak: null, warmupMs: null, loc: null };
  const hash = rest.indexOf('#');
  if (/^https?:\/\//i.test(rest) || rest.startsWith('/')) {
    if (hash < 0) return 'a Prometheus exposition URL needs #METRIC after it';
    const url = rest.slice(0, hash);
    const problem = url.startsWith('/') ? null : urlProblem(url);
    if (problem !== null) return problem;
    const selector = parseSelector(rest.slice(hash + 1));
    if (typeof selector === 'string') return selector;
    return { ...base, source: { kind: 'scrape', url, selector, rate: null }, ...unitForMetric(selector.name, isCounterName(selector.name)), component: url.startsWith('/') ? '' : hostOf(url) };
  }
  if (rest.startsWith('query:')) {
    const body = rest.slice('query:'.length);
    const h = body.indexOf('#');
    if (h < 0) return 'a query monitor is query:URL#PROMQL';
    const server = body.slice(0, h);
    const problem = urlProblem(server);
    if (problem !== null) return problem;
    const query = body.slice(h + 1).trim();
    if (query === '') return 'the query after # is empty';
    return { ...base, source: { kind: 'query', server, query }, unit: '', scale: 1, component: `Prometheus ${hostOf(server)}` };
  }
  const proc = /^(pid|cmd):(.*)$/s.exec(rest);
  if (proc !== null) {
    let target = proc[2]!;
    let metric: ProcessMetric = 'cpu';
    const h = target.lastIndexOf('#');
    if (h >= 0) {
      const m = target.slice(h + 1).trim();
      if (!(PROCESS_METRICS as readonly string[]).includes(m)) return `a process monitor reads one of ${PROCESS_METRICS.join(', ')}, got ${JSON.stringify(m)}`;
      metric = m as ProcessMetric;
      target = target.slice(0, h);
    }
    target = target.trim();
    if (proc[1] === 'pid') {
      if (!/^[1-9]\d*$/.test(target)) return `pid: needs a process id, got ${JSON.stringify(target)}`;
      const pid = Number(target);
      return { ...base, source: { kind: 'process', pid, match: null, metric, children: true }, ...processUnit(metric), component: `process ${pid}` };
    }
    if (target === '') return 'cmd: needs text to find in a command line';
    return { ...base, source: { kind: 'process', pid: null, match: target, metric, children: true }, ...processUnit(metric), component: target };
  }
  return 'unknown monitor';
}

/**
 * Monitors from the file with the flags' over them (a flag replaces the file's monitor of the same
 * id); an exposition given as a path (`/metrics`) is read from the scenario's host.
 */
export function mergeMonitors(file: readonly MonitorSpec[], flags: readonly MonitorSpec[], host: string | null): MonitorSpec[] {
  const ids = new Set(flags.map((m) => m.id));
  return [...file.filter((m) => !ids.has(m.id)), ...flags].map((m) => {
    let out = m.name === '' ? { ...m, name: m.id } : m;
    const src = out.source;
    if (src.kind === 'scrape' && src.url.startsWith('/')) {
      const url = `${host ?? 'http://127.0.0.1'}${src.url}`;
      out = { ...out, source: { ...src, url }, component: out.component === '' ? hostOf(url) : out.component };
    }
    return out;
  });
}

/**
 * Each threshold on a monitor checked (the monitor exists; the value reads in its unit); returns
 * the thresholds with those values filled in.
 */
export function resolveMonitorThresholds(problems: Problems, placed: readonly PlacedThreshold[], monitors: readonly MonitorSpec[]): Threshold[] {
  const byId = new Map(monitors.map((m) => [m.id, m]));
  return placed.map(({ threshold: t, field }) => {
    if (t.monitor === undefined) return t;
    const report = (message: string): void => (t.loc !== null ? problems.at(t.loc, field, message) : problems.flag(field, message));
    const m = byId.get(t.monitor.id);
    if (m === undefined) {
      const close = didYouMean(t.monitor.id, byId.keys());
      const known = monitors.length === 0 ? 'the scenario has no monitors:' : `monitors: ${[...byId.keys()].join(', ')}`;
      report(`no monitor is named \`${t.monitor.id}\`${close !== null ? `; did you mean \`${close}\`?` : ''} (${known})`);
      return t;
    }
    const value = parseMonitorValue(t.monitor.valueText, m.unit);
    if (typeof value === 'string') {
      report(`${t.monitor.id}.${t.monitor.stat} ${value}`);
      return t;
    }
    return { ...t, value, monitor: { ...t.monitor, unit: m.unit } };
  });
}

/** `app_cpu.max` → the monitor id and statistic, or null when `text` is not of that form. */
export function monitorMetric(text: string): { id: string; stat: (typeof MONITOR_STATS)[string] } | null {
  const m = /^([A-Za-z_][A-Za-z0-9_-]*)\.([a-z]+)$/.exec(text.trim());
  if (m === null) return null;
  const stat = MONITOR_STATS[m[2]!];
  return stat === undefined ? null : { id: m[1]!, stat };
}

