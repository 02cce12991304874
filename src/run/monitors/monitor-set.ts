/**
 * The monitors of one run: started with it, sampled on each second the session's statistics row
 * closes (a monitor with `every: 5s` on every fifth), stopped with it. Each completed round is one
 * row (in order, for `monitors.csv`); a failed sample is a gap, never a 0, and the first failure of
 * an episode is one warning naming the monitor and the reason. The run never waits for a monitor
 * beyond its timeout, and a monitor never stops the run.
 */
import type { MonitorSpec, MonitorThresholdRef } from '../../scenario/monitor-types.js';
import { awakeTimeout } from './awake-timeout.js';
import { NO_PROC, type ProcReader } from './proc.js';
import { MonitorSeries, describeSource } from './series.js';
import { MonitorHttp, samplerFor, type Reading, type Sampler } from './sources.js';
import type { MonitorSummary } from './types.js';
import { fmtDuration } from '../../stats/format.js';

export interface MonitorSetOptions {
  readonly onWarning: (message: string) => void;
  /** Each round's values, in the order of the specs (null: a gap, or not sampled that second). */
  readonly onRow?: (t: number, values: readonly (number | null)[]) => void;
  /** How local processes are read (cli/ gives the real /proc); without it, process monitors are gaps. */
  readonly proc?: ProcReader;
}

/** Points of recent history in live views (the TUI's charts and sparklines). */
export const LIVE_POINTS = 300;

export class MonitorSet {
  readonly series: readonly MonitorSeries[];
  private readonly samplers: readonly Sampler[];
  private readonly http = new MonitorHttp();
  private tickId = 0;
  private chain: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    readonly specs: readonly MonitorSpec[],
    private readonly options: MonitorSetOptions,
  ) {
    this.series = specs.map((s) => new MonitorSeries(s));
    const proc = options.proc ?? NO_PROC;
    this.samplers = specs.map((s) => samplerFor(s, this.http, proc));
  }

  /** Samples every monitor due at Unix second `t` (all of them when `t` is a multiple of their period). */
  tick(t: number): void {
    if (this.closed || this.series.length === 0) return;
    const tick = { id: ++this.tickId };
    const due = this.series.map((s) => Math.round(t) % Math.round(s.spec.everyMs / 1000) === 0);
    const readings = Promise.all(
      this.samplers.map((sampler, i) => (due[i] ? bounded(sampler.sample(tick), this.series[i]!.spec.timeoutMs + 250) : Promise.resolve(null))),
    );
    this.chain = this.chain.then(async () => this.record(t, await readings));
  }

  /** Resolves once the rounds started so far are recorded (each bounded by its monitors' timeouts). */
  settle(): Promise<void> {
    return this.chain;
  }

  /** Waits for the rounds in flight, then releases connections; later ticks do nothing. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.settle();
    this.closed = true;
    await this.http.close().catch(() => undefined);
  }

  /** The live view: statistics so far and the latest `recent` points of each series. */
  view(recent = LIVE_POINTS): MonitorSummary[] {
    return this.series.map((s) => s.summary(recent));
  }

  /** The whole run, with leak verdicts: for summary.json and the reports. */
  final(): MonitorSummary[] {
    return this.series.map((s) => s.summary(0));
  }

  /** For thresholds on monitors: the statistic so far, or null before the first value. */
  readonly measure = (ref: MonitorThresholdRef): number | null => this.series.find((s) => s.spec.id === ref.id)?.stat(ref.stat) ?? null;

  private record(t: number, readings: readonly (Reading | null)[]): void {
    const row: (number | null)[] = [];
    readings.forEach((r, i) => {
      const s = this.series[i]!;
      if (r === null) {
        row.push(null);
        return;
      }
      if ('gap' in r) {
        if (s.failing === null) {
          this.options.onWarning(`monitor ${s.spec.id} (${describeSource(s.spec)}): ${r.gap}; its samples are gaps until it answers again`);
        }
        s.failing = r.gap;
        s.record(t, null, r.gap);
        row.push(null);
        return;
      }
      s.failing = null;
      s.record(t, r.value, null);
      row.push(r.value !== null && Number.isFinite(r.value) ? r.value : null);
    });
    this.options.onRow?.(t, row);
  }
}

/** `p`, or a gap when it takes longer than `ms` of awake time (a sampler that forgot its own timeout). */
function bounded(p: Promise<Reading>, ms: number): Promise<Reading> {
  const timeout = awakeTimeout(ms);
  const late = new Promise<Reading>((resolve) => timeout.signal.addEventListener('abort', () => resolve({ gap: `no answer within ${fmtDuration(ms)}` }), { once: true }));
  return Promise.race([p.catch((err: Error) => ({ gap: err.message })), late]).finally(() => timeout.clear());
}

/** `monitors.csv`: a header naming each series (with its unit), then a row a second. */
export function monitorsCsvHeader(specs: readonly MonitorSpec[]): string {
  return `${['Timestamp', ...specs.map((s) => (s.unit === '' ? s.id : `${s.id} (${s.unit})`))].map(csvCell).join(',')}\r\n`;
}

export function monitorsCsvRow(t: number, values: readonly (number | null)[]): string {
  return `${[String(t), ...values.map((v) => (v === null ? '' : String(Number(v.toPrecision(12)))))].join(',')}\r\n`;
}

function csvCell(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
