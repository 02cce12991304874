/**
 * One monitor's samples over the whole run: every value with its second (the leak fit and the
 * reports need them all: 8 bytes a second, 0.7 MB a day), running min/max/sum, and the failure
 * state that decides when to warn.
 */
import type { MonitorSpec } from '../../scenario/monitor-types.js';
import { analyzeLeak } from './leak.js';
import type { MonitorPoint, MonitorSummary } from './types.js';

/** Points a summary carries at most (longer runs average neighbours). */
export const MAX_SUMMARY_POINTS = 1000;

export class MonitorSeries {
  private times: Float64Array = new Float64Array(256);
  /** NaN marks a gap. */
  private values: Float64Array = new Float64Array(256);
  private length = 0;
  private samples = 0;
  private gaps = 0;
  private sum = 0;
  private min = Infinity;
  private max = -Infinity;
  private final: number | null = null;
  /** Why the latest sample failed, or null. */
  failing: string | null = null;

  constructor(readonly spec: MonitorSpec) {}

  /** Records the sample for second `t`: a value, or a gap (`reason`). `null` value: no value yet, nothing recorded. */
  record(t: number, value: number | null, reason: string | null): void {
    if (reason === null && value === null) return;
    if (reason === null && !Number.isFinite(value)) reason = `the value is ${String(value)}`;
    if (this.length === this.times.length) {
      const grow = (a: Float64Array): Float64Array => {
        const b = new Float64Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.times = grow(this.times);
      this.values = grow(this.values);
    }
    this.times[this.length] = t;
    if (reason !== null) {
      this.values[this.length] = NaN;
      this.gaps++;
    } else {
      const v = value!;
      this.values[this.length] = v;
      this.samples++;
      this.sum += v;
      if (v < this.min) this.min = v;
      if (v > this.max) this.max = v;
      this.final = v;
    }
    this.length++;
  }

  /** A statistic so far, for thresholds; null before the first value. */
  stat(stat: 'avg' | 'min' | 'max' | 'last'): number | null {
    if (this.samples === 0) return null;
    switch (stat) {
      case 'avg':
        return this.sum / this.samples;
      case 'min':
        return this.min;
      case 'max':
        return this.max;
      case 'last':
        return this.final;
    }
  }

  /** The value of the latest sample (null for a gap or none yet). */
  last(): number | null {
    if (this.length === 0) return null;
    const v = this.values[this.length - 1]!;
    return Number.isNaN(v) ? null : v;
  }

  /**
   * The series for people: `recent` > 0 gives the latest `recent` points (live views, no leak
   * analysis); 0 the whole run in at most `MAX_SUMMARY_POINTS` points and the leak verdict.
   */
  summary(recent: number): MonitorSummary {
    const spec = this.spec;
    const leakOn = spec.leak ?? (spec.unit === 'bytes');
    return {
      id: spec.id,
      name: spec.name,
      component: spec.component,
      kind: spec.source.kind,
      source: describeSource(spec),
      unit: spec.unit,
      pin: spec.pin,
      everyMs: spec.everyMs,
      samples: this.samples,
      gaps: this.gaps,
      min: this.samples > 0 ? this.min : null,
      max: this.samples > 0 ? this.max : null,
      avg: this.stat('avg'),
      last: this.last(),
      final: this.final,
      failing: this.failing,
      history: recent > 0 ? this.points(Math.max(0, this.length - recent), this.length) : this.bucketed(MAX_SUMMARY_POINTS),
      leak: recent > 0 || !leakOn ? null : this.leak(),
    };
  }

  private points(from: number, to: number): MonitorPoint[] {
    const out: MonitorPoint[] = [];
    for (let i = from; i < to; i++) {
      const v = this.values[i]!;
      out.push([this.times[i]!, Number.isNaN(v) ? null : v]);
    }
    return out;
  }

  /** At most `max` points: runs of neighbours averaged (a run of gaps stays a gap). */
  private bucketed(max: number): MonitorPoint[] {
    if (this.length <= max) return this.points(0, this.length);
    const per = Math.ceil(this.length / max);
    const out: MonitorPoint[] = [];
    for (let i = 0; i < this.length; i += per) {
      let s = 0;
      let n = 0;
      const end = Math.min(this.length, i + per);
      for (let j = i; j < end; j++) {
        const v = this.values[j]!;
        if (!Number.isNaN(v)) {
          s += v;
          n++;
        }
      }
      out.push([this.times[i]!, n > 0 ? s / n : null]);
    }
    return out;
  }

  private leak(): MonitorSummary['leak'] {
    const t: number[] = [];
    const v: number[] = [];
    for (let i = 0; i < this.length; i++) {
      const x = this.values[i]!;
      if (Number.isNaN(x)) continue;
      t.push(this.times[i]!);
      v.push(x);
    }
    return analyzeLeak(t, v, this.spec.warmupMs === null ? null : this.spec.warmupMs / 1000);
  }
}

export function describeSource(spec: MonitorSpec): string {
  const s = spec.source;
  switch (s.kind) {
    case 'scrape':
      return `${s.url} ${s.selector.text}`;
    case 'query':
      return `${s.server} ${s.query}`;
    case 'process':
      return `${s.pid !== null ? `pid ${s.pid}` : `processes matching ${JSON.stringify(s.match)}`}${s.children ? ' and children' : ''}: ${s.metric}`;
  }
}
