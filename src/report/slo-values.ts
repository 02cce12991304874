/**
 * Threshold targets and measured values in the reports, written as every other number there is
 * (`human.ts`): `1,634 ms` in the SLO table as in the endpoints table, `6.85%`, `25.23/s`. The
 * threshold result's own `actualText` is the console's wording; the reports use this instead so one
 * page never shows `1634 ms` beside `1,634 ms`. Values on monitors keep their unit's formatting.
 * Pure.
 */
import type { Threshold, ThresholdMetric } from '../scenario/types.js';
import type { ThresholdResult } from '../stats/thresholds.js';
import { formatTarget } from '../stats/thresholds.js';
import { count, fixed, ms, pct, perSec } from './human.js';

/** A measured value: `40 ms`, `6.85%`, `110.93/s`, `3,328`, or `no data`. */
export function sloActual(r: ThresholdResult): string {
  if (r.threshold.monitor !== undefined || r.actual === null) return r.actualText;
  return metricValue(r.threshold.metric, r.actual);
}

/**
 * A target as written by a person, in the same style: `< 1,000 ms`, `< 0.5%`, `> 100/s`
 * (no padding decimals: a target is a round number someone chose).
 */
export function sloTarget(t: Threshold): string {
  if (t.monitor !== undefined) return formatTarget(t);
  const v = t.value;
  switch (t.metric) {
    case 'error_rate':
    case 'checks':
      return `${t.op} ${trim(v * 100)}%`;
    case 'rps':
      return `${t.op} ${trim(v)}/s`;
    case 'requests':
      return `${t.op} ${count(v)}`;
    default:
      return `${t.op} ${ms(v)}`;
  }
}

/** A value of `metric` as the reports write it. */
export function metricValue(metric: ThresholdMetric, v: number): string {
  switch (metric) {
    case 'error_rate':
    case 'checks':
      return pct(v);
    case 'rps':
      return perSec(v);
    case 'requests':
      return count(v);
    default:
      return ms(v);
  }
}

/** Up to three decimals, none padded: `0.5`, `1,500`, `99.95`. */
function trim(x: number): string {
  return fixed(x, 3).replace(/\.?0+$/, '');
}
