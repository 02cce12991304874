/**
 * The one axis algorithm every chart uses (the TUI's asciichart plots, the HTML report's SVG charts):
 * a value axis from 0 in round steps, elapsed-time ticks in clock-friendly steps, and the rule for
 * when a threshold line stretches the value axis. Pure numbers in, numbers out; labels are the
 * caller's (the TUI labels every row, the report a few grid lines).
 */

/** The smallest round step (1, 2, 2.5, 5 × 10^k) at or above `step`. */
export function niceStep(step: number): number {
  if (!(step > 0) || !Number.isFinite(step)) return 1;
  const mag = 10 ** Math.floor(Math.log10(step));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * mag >= step * (1 - 1e-9)) return m * mag;
  return 10 * mag;
}

export interface ScaleOptions {
  /** The top is at least this (an empty chart still has an axis); default 1. */
  readonly floor?: number;
  /** Whole-number steps (users): any whole step below 10, then round ones. */
  readonly integer?: boolean;
  /** The fewest intervals worth considering; default three quarters of `maxIntervals`. */
  readonly minIntervals?: number;
}

export interface Scale {
  /** Value of each step between two ticks. */
  readonly step: number;
  /** Number of steps from 0 to `top`. */
  readonly intervals: number;
  /** The axis maximum: `step × intervals`, at or above the data. */
  readonly top: number;
  /** `0, step, 2·step, …, top`: `intervals + 1` values. */
  readonly ticks: readonly number[];
}

/**
 * A value axis from 0 for data up to `max`, in at most `maxIntervals` round steps: of the step
 * counts from `minIntervals` to `maxIntervals`, the one whose top comes closest above `max` (so
 * little of the plot is wasted above the data); ties go to more intervals (more resolution).
 */
export function niceScale(max: number, maxIntervals: number, opts: ScaleOptions = {}): Scale {
  const floor = opts.floor ?? 1;
  const most = Math.max(1, Math.floor(maxIntervals));
  const least = Math.min(most, Math.max(1, Math.floor(opts.minIntervals ?? Math.ceil(most * 0.75))));
  const target = Math.max(Number.isFinite(max) ? max : 0, floor);
  const stepFor = (n: number): number => {
    const raw = target / n;
    // Whole-number axes take any whole step below 10: 20 users over 8 rows step by 3, not 5.
    if (opts.integer === true && raw < 10) return Math.max(1, Math.ceil(raw - 1e-9));
    return niceStep(raw);
  };
  let best = { step: stepFor(most), intervals: most };
  for (let n = most - 1; n >= least; n--) {
    const step = stepFor(n);
    if (step * n < best.step * best.intervals - 1e-9) best = { step, intervals: n };
  }
  const ticks = Array.from({ length: best.intervals + 1 }, (_, i) => Number((best.step * i).toPrecision(12)));
  return { step: best.step, intervals: best.intervals, top: ticks[ticks.length - 1] ?? best.step, ticks };
}

/**
 * How far a threshold line may stretch a value axis: a marker at most `MARKER_REACH` times the
 * data's maximum is drawn (the axis grows to hold it); one further away would flatten the data,
 * so it is left off the plot and named as "above the chart".
 */
export const MARKER_REACH = 4;

/** The value an axis must reach to show the data and the markers within reach (see `MARKER_REACH`). */
export function axisReach(dataMax: number, markers: readonly number[]): number {
  let top = Number.isFinite(dataMax) ? Math.max(0, dataMax) : 0;
  for (const m of markers) if (markerOnScale(dataMax, m)) top = Math.max(top, m);
  return top;
}

/** Whether a threshold at `marker` is drawn on an axis for data up to `dataMax`. */
export function markerOnScale(dataMax: number, marker: number): boolean {
  if (!Number.isFinite(marker) || marker < 0) return false;
  return dataMax <= 0 || marker <= dataMax * MARKER_REACH;
}

/** Clock-friendly tick steps, seconds. */
const TIME_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];

/**
 * Elapsed-time ticks between `from` and `to` seconds: multiples of the smallest clock step (1 s,
 * 2 s, 5 s, 10 s, 15 s, 30 s, 1 m, 2 m, 5 m …) that gives at most `maxTicks` intervals.
 */
export function timeTicks(from: number, to: number, maxTicks = 8): number[] {
  const span = Math.max(0, to - from);
  const most = Math.max(1, Math.floor(maxTicks));
  const step = TIME_STEPS.find((s) => span / s <= most) ?? 86400 * Math.ceil(span / 86400 / most);
  const ticks: number[] = [];
  for (let t = Math.ceil(from / step - 1e-9) * step + 0; t <= to + 1e-9; t += step) ticks.push(t);
  return ticks;
}
