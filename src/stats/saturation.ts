/**
 * The load generator's health over the whole run: one row a second (event-loop lag, CPU, memory,
 * saturated or not), the episodes during which it was saturated, and peaks. A saturated generator
 * measures itself — its latencies include time spent queued inside cicada — so a run must say
 * when that happened: the console warns once per episode (`observe` returns `'started'`), and
 * `summary.json` carries `summary()`.
 *
 * An episode starts after `sustainSamples` saturated seconds in a row (default 3: one slow second —
 * a GC pause, a burst of connections — is noise, not saturation) and ends after `calmSeconds`
 * healthy ones in a row (default 3), so a generator hovering at the threshold gives one warning,
 * not one a second. The first seconds (warm-up, default 2) are kept as rows but open no episode.
 * Memory is bounded: at most `historySize` rows (default 3600, the most recent) and `maxEpisodes`
 * episodes (default 100, the first ones; later ones are still counted).
 */
import { fmtCpu, fmtMs } from './format.js';
import type { GeneratorHealth, GeneratorRunSummary, SaturationEpisode, GeneratorHistoryRow } from './types.js';

export interface SaturationLogOptions {
  readonly historySize?: number;
  readonly calmSeconds?: number;
  /** Saturated samples in a row that open an episode (default 3); they count as its first seconds. */
  readonly sustainSamples?: number;
  readonly maxEpisodes?: number;
  /**
   * Samples at the start that are kept as rows but open no episode (default 2): the first seconds
   * spawn users, open connections and compile code, and their lag says little about the run.
   */
  readonly warmupSamples?: number;
}

export class SaturationLog {
  private readonly historySize: number;
  private readonly calmSeconds: number;
  private readonly sustainSamples: number;
  private readonly maxEpisodes: number;
  private warmup: number;
  private readonly rows: GeneratorHistoryRow[] = [];
  private readonly episodes: SaturationEpisode[] = [];
  private open: { startedAt: number; lastSaturatedAt: number; seconds: number; peakLagMs: number; peakCpu: number } | null = null;
  /** Saturated samples in a row not yet sustained long enough to open an episode. */
  private pending: { startedAt: number; seconds: number; peakLagMs: number; peakCpu: number } | null = null;
  private calm = 0;
  private episodeCount = 0;
  private saturatedSeconds = 0;
  private readonly peak = { eventLoopLagMs: 0, cpuPercent: 0, rssBytes: 0, heapUsedBytes: 0 };

  constructor(opts: SaturationLogOptions = {}) {
    this.historySize = opts.historySize ?? 3600;
    this.calmSeconds = opts.calmSeconds ?? 3;
    this.sustainSamples = Math.max(1, opts.sustainSamples ?? 3);
    this.maxEpisodes = opts.maxEpisodes ?? 100;
    this.warmup = opts.warmupSamples ?? 2;
  }

  /** Whether an episode is going on now: what the status bar and the console call saturated. */
  get active(): boolean {
    return this.open !== null;
  }

  /**
   * One sample (about a second) of the generator's health, taken at `atMs` (epoch ms). Returns
   * `'started'` when it opens an episode of saturation (warn then), `'ended'` when it closes one
   * (the generator is healthy again), else null.
   */
  observe(atMs: number, h: GeneratorHealth): 'started' | 'ended' | null {
    this.rows.push({
      at: atMs,
      eventLoopLagMs: h.eventLoopLagMs,
      cpuPercent: h.cpuPercent,
      rssBytes: h.rssBytes,
      heapUsedBytes: h.heapUsedBytes,
      saturated: h.saturated,
      ...(h.processes === undefined ? {} : { processCpuPercent: h.processes.map((p) => p.cpuPercent) }),
    });
    if (this.rows.length > this.historySize) this.rows.splice(0, this.rows.length - this.historySize);
    const p = this.peak;
    if (h.eventLoopLagMs > p.eventLoopLagMs) p.eventLoopLagMs = h.eventLoopLagMs;
    if (h.cpuPercent > p.cpuPercent) p.cpuPercent = h.cpuPercent;
    if (h.rssBytes > p.rssBytes) p.rssBytes = h.rssBytes;
    if (h.heapUsedBytes > p.heapUsedBytes) p.heapUsedBytes = h.heapUsedBytes;

    if (this.warmup > 0) {
      this.warmup--;
      return null;
    }
    const cpu = maxCpu(h);
    if (h.saturated) {
      this.calm = 0;
      if (this.open === null) {
        const p = (this.pending ??= { startedAt: atMs, seconds: 0, peakLagMs: 0, peakCpu: 0 });
        p.seconds++;
        if (h.eventLoopLagMs > p.peakLagMs) p.peakLagMs = h.eventLoopLagMs;
        if (cpu > p.peakCpu) p.peakCpu = cpu;
        if (p.seconds < this.sustainSamples) return null;
        this.open = { ...p, lastSaturatedAt: atMs };
        this.pending = null;
        this.saturatedSeconds += p.seconds;
        this.episodeCount++;
        return 'started';
      }
      this.saturatedSeconds++;
      const o = this.open;
      o.lastSaturatedAt = atMs;
      o.seconds++;
      if (h.eventLoopLagMs > o.peakLagMs) o.peakLagMs = h.eventLoopLagMs;
      if (cpu > o.peakCpu) o.peakCpu = cpu;
      return null;
    }
    this.pending = null;
    if (this.open !== null && ++this.calm >= this.calmSeconds) {
      this.closeEpisode();
      return 'ended';
    }
    return null;
  }

  /** Everything observed so far, as plain data (an open episode has `endedAt: null`). */
  summary(): GeneratorRunSummary {
    const episodes = [...this.episodes];
    const o = this.open;
    if (o !== null && episodes.length < this.maxEpisodes) episodes.push(episodeOf(o, null));
    return {
      samples: this.rows.length,
      saturatedSeconds: this.saturatedSeconds,
      episodeCount: this.episodeCount,
      episodes,
      peak: { ...this.peak },
      history: [...this.rows],
    };
  }

  private closeEpisode(): void {
    const o = this.open!;
    if (this.episodes.length < this.maxEpisodes) this.episodes.push(episodeOf(o, o.lastSaturatedAt));
    this.open = null;
    this.calm = 0;
  }
}

/**
 * The console's line when an episode starts. A busy core: cicada is the bottleneck. A lagging loop
 * on an idle one: something else has the CPU (other processes, a VM's neighbours) or GC pauses.
 */
export function saturationWarning(h: GeneratorHealth): string {
  const cpu = maxCpu(h);
  const lag = `event-loop lag ${fmtMs(h.eventLoopLagMs)}`;
  if (cpu > 90) {
    return (
      `the load generator is saturated (CPU ${fmtCpu(cpu)} of a core${h.eventLoopLagMs > 50 ? `, ${lag}` : ''}): ` +
      'latencies now include time queued inside cicada and the request rate is capped by it — use fewer users, or --processes'
    );
  }
  return (
    `the load generator is saturated (${lag} at ${fmtCpu(cpu)} CPU): latencies now include time spent ` +
    'waiting inside cicada — the machine may be short of CPU for it (other processes), or memory is tight'
  );
}

/** The busiest core's CPU: the process's, or with engine threads the busiest thread's. */
function maxCpu(h: GeneratorHealth): number {
  if (h.processes === undefined || h.processes.length === 0) return h.cpuPercent;
  return h.processes.reduce((m, p) => Math.max(m, p.cpuPercent), 0);
}

function episodeOf(o: { startedAt: number; seconds: number; peakLagMs: number; peakCpu: number }, endedAt: number | null): SaturationEpisode {
  return { startedAt: o.startedAt, endedAt, saturatedSeconds: o.seconds, peakEventLoopLagMs: o.peakLagMs, peakCpuPercent: o.peakCpu };
}
