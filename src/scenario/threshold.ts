/**
 * Threshold expressions (`p95 < 500ms`, `/api/items: p99 < 1s`, `error_rate < 0.5%`, `rps > 100`,
 * `checks > 99%`), shared by the scenario's `thresholds:` and the `--threshold` flag. Pure.
 */
import { suggestion } from './did-you-mean.js';
import { parseDuration } from './duration.js';
import { monitorMetric } from './monitors.js';
import type { Threshold, ThresholdMetric } from './types.js';

export type ParsedThreshold = Omit<Threshold, 'abortOnFail' | 'abortGraceMs' | 'loc'>;

const TIME_METRICS = ['p50', 'p75', 'p90', 'p95', 'p99', 'p99.9', 'max', 'avg', 'min'] as const;
const METRICS: readonly ThresholdMetric[] = [...TIME_METRICS, 'error_rate', 'rps', 'checks', 'requests'];
const ALIASES: Readonly<Record<string, ThresholdMetric>> = { median: 'p50', mean: 'avg', average: 'avg' };
const OPS = /<=|>=|==|!=|=|<|>/g;

/**
 * Parses `[endpoint:] metric op value`. The endpoint is a stats row name, optionally prefixed by a
 * method (`GET /api/items`); without one the threshold applies to the Aggregated row. Latency
 * values take `ms`/`s`/`m` units (a bare number is milliseconds, as in Locust's tables); ratios
 * take `%` or a fraction from 0 to 1; `rps` may end in `/s`. Returns an error message on failure.
 */
export function parseThreshold(expr: string): ParsedThreshold | string {
  const source = expr.trim();
  if (source === '') return 'empty threshold: write one like `p95 < 500ms` or `error_rate < 1%`';
  const ops = [...source.matchAll(OPS)];
  const last = ops[ops.length - 1];
  if (last === undefined || last.index === undefined) {
    return `no comparison in ${JSON.stringify(source)}: write it like \`p95 < 500ms\` (operators <, <=, >, >=)`;
  }
  const opText = last[0];
  if (opText !== '<' && opText !== '<=' && opText !== '>' && opText !== '>=') {
    return `unsupported operator \`${opText}\` in ${JSON.stringify(source)}: use <, <=, > or >=`;
  }
  const lhs = source.slice(0, last.index).trim();
  const rhs = source.slice(last.index + opText.length).trim();
  const colon = lhs.lastIndexOf(':');
  const endpoint = colon >= 0 ? lhs.slice(0, colon).trim() : null;
  const metricText = (colon >= 0 ? lhs.slice(colon + 1) : lhs).trim();
  if (endpoint === '') return `missing endpoint name before ":" in ${JSON.stringify(source)}`;
  const metric = toMetric(metricText);
  const monitor = metric === null && endpoint === null ? monitorMetric(metricText) : null;
  if (monitor !== null) {
    if (rhs === '') return `missing value after \`${opText}\` in ${JSON.stringify(source)}`;
    // The value is read in the monitor's unit once the monitors are known (see monitors.ts).
    return { source, metric: 'monitor', endpoint: null, op: opText, value: Number.NaN, monitor: { ...monitor, unit: '', valueText: rhs } };
  }
  if (metric === null) {
    if (metricText === '') return `missing metric before \`${opText}\` in ${JSON.stringify(source)}`;
    return `unknown metric \`${metricText}\`${suggestion(metricText.toLowerCase(), METRICS)} (metrics: ${METRICS.join(', ')}; a monitor's: id.avg, id.max, id.min, id.last)`;
  }
  if (rhs === '') return `missing value after \`${opText}\` in ${JSON.stringify(source)}`;
  const value = parseValue(metric, rhs);
  if (typeof value === 'string') return value;
  return { source, metric, endpoint, op: opText, value };
}

function toMetric(text: string): ThresholdMetric | null {
  let t = text.toLowerCase().replace(/[\s-]/g, (c) => (c === '-' ? '_' : ''));
  const k6 = /^p\((\d+(?:\.\d+)?)\)$/.exec(t);
  if (k6 !== null) t = `p${k6[1]}`;
  const alias = ALIASES[t];
  if (alias !== undefined) return alias;
  return (METRICS as readonly string[]).includes(t) ? (t as ThresholdMetric) : null;
}

function parseValue(metric: ThresholdMetric, text: string): number | string {
  if ((TIME_METRICS as readonly string[]).includes(metric)) {
    const bare = /^\d+(?:\.\d+)?$/.test(text);
    const ms = bare ? Number(text) : parseDuration(text);
    if (ms === null) return `${metric} needs a time like 500ms or 1.5s, got ${JSON.stringify(text)}`;
    return ms;
  }
  if (metric === 'error_rate' || metric === 'checks') {
    const pct = /^(\d+(?:\.\d+)?)\s*%$/.exec(text);
    if (pct !== null) {
      const v = Number(pct[1]) / 100;
      return v <= 1 ? v : `${metric} cannot be over 100%, got ${text}`;
    }
    if (/^\d+(?:\.\d+)?$/.test(text)) {
      const v = Number(text);
      if (v <= 1) return v;
    }
    return `${metric} needs a percentage like 0.5% or a fraction from 0 to 1, got ${JSON.stringify(text)}`;
  }
  if (metric === 'rps') {
    const m = /^(\d+(?:\.\d+)?)\s*(?:\/\s*s)?$/.exec(text);
    return m !== null ? Number(m[1]) : `rps needs requests per second like 100 or 100/s, got ${JSON.stringify(text)}`;
  }
  return /^\d+$/.test(text) ? Number(text) : `requests needs a whole number, got ${JSON.stringify(text)}`;
}
