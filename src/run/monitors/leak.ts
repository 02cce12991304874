/**
 * The leak verdict for a memory-like series: after a warm-up, a least-squares line through the
 * steady part of the run; growth is judged on what the line says (not on two noisy end points),
 * and a series that grew but is flat over its last third "levels off" (caches filling, a pool
 * warming up) rather than leaks. Pure.
 */

export type LeakVerdict = 'no growth' | 'levels off' | 'suspected leak' | 'not enough data';

export interface LeakAnalysis {
  /** Mean of the first samples after the warm-up. */
  readonly initial: number;
  readonly peak: number;
  /** Mean of the last samples. */
  readonly final: number;
  /** Slope of the fit, units per hour. */
  readonly slopePerHour: number;
  /** How well a line explains the steady part, 0…1. */
  readonly r2: number;
  /** What the fit grows by over the steady part, in the series' unit. */
  readonly growth: number;
  /** Length of the steady part, seconds. */
  readonly steadySeconds: number;
  readonly warmupSeconds: number;
  readonly verdict: LeakVerdict;
}

/** Fewest steady samples for a verdict. */
const MIN_SAMPLES = 8;
/** Growth below this share of the initial value is no growth. */
const MIN_GROWTH = 0.05;

export interface Fit {
  readonly slope: number;
  readonly intercept: number;
  readonly r2: number;
}

/** Ordinary least squares of `v` on `t`. */
export function linearFit(t: readonly number[], v: readonly number[]): Fit {
  const n = t.length;
  let st = 0;
  let sv = 0;
  for (let i = 0; i < n; i++) {
    st += t[i]!;
    sv += v[i]!;
  }
  const mt = st / n;
  const mv = sv / n;
  let stt = 0;
  let stv = 0;
  let svv = 0;
  for (let i = 0; i < n; i++) {
    const dt = t[i]! - mt;
    const dv = v[i]! - mv;
    stt += dt * dt;
    stv += dt * dv;
    svv += dv * dv;
  }
  const slope = stt === 0 ? 0 : stv / stt;
  const r2 = stt === 0 || svv === 0 ? 0 : (stv * stv) / (stt * svv);
  return { slope, intercept: mv - slope * mt, r2 };
}

/**
 * The verdict over samples (`t` in seconds, ascending; gaps left out). `warmupSec`: how much of the
 * start to leave out; null = the first 10% of the run (at most 5 minutes).
 */
export function analyzeLeak(t: readonly number[], v: readonly number[], warmupSec: number | null): LeakAnalysis | null {
  if (t.length === 0) return null;
  const span = t[t.length - 1]! - t[0]!;
  const warm = warmupSec ?? Math.min(300, span * 0.1);
  const start = t[0]! + warm;
  let from = t.findIndex((x) => x >= start);
  if (from < 0) from = t.length;
  const ts = t.slice(from);
  const vs = v.slice(from);
  let peak = -Infinity;
  for (const x of v) peak = Math.max(peak, x);
  const edge = Math.max(1, Math.min(5, Math.floor(vs.length / 10)));
  const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
  const base = {
    initial: vs.length > 0 ? mean(vs.slice(0, edge)) : v[0]!,
    peak,
    final: mean(v.slice(-edge)),
    warmupSeconds: warm,
  };
  if (ts.length < MIN_SAMPLES) return { ...base, slopePerHour: 0, r2: 0, growth: 0, steadySeconds: 0, verdict: 'not enough data' };
  const steadySeconds = ts[ts.length - 1]! - ts[0]!;
  const fit = linearFit(ts, vs);
  const growth = fit.slope * steadySeconds;
  const scale = Math.max(Math.abs(base.initial), Math.abs(mean(vs)), Number.EPSILON);
  let verdict: LeakVerdict;
  if (growth <= MIN_GROWTH * scale || fit.r2 < 0.3) verdict = 'no growth';
  else {
    // The last third: still climbing at a good part of the overall pace, or flat?
    const k = Math.floor((ts.length * 2) / 3);
    const tail = linearFit(ts.slice(k), vs.slice(k));
    const tailGrowth = tail.slope * (ts[ts.length - 1]! - ts[k]!);
    verdict = tail.slope < fit.slope * 0.25 || tailGrowth <= (MIN_GROWTH / 3) * scale ? 'levels off' : 'suspected leak';
  }
  return { ...base, slopePerHour: fit.slope * 3600, r2: fit.r2, growth, steadySeconds, verdict };
}
