/**
 * The load generator's health over the whole run: one row a second (event-loop lag, CPU, memory,
 * saturated or not), the episodes during which it was saturated, and peaks. A saturated generator
 * measures itself — its latencies include time spent queued inside cicada — so a run must say
 * when that happened: the console warns once per episode (`observe` returns `'started'`), and
 * `summary.json` carries `summary()`.
 *
 * An episode starts with the first saturated second and ends after `calmSeconds` healthy ones in a
 * row (default 3), so a generator hovering at the threshold gives one warning, not one a second.
 * The first second (warm-up) is kept as a row but opens no episode.
 * Memory is bounded: at most `historySize` rows (default 3600, the most recent) and `maxEpisodes`
 * episodes (default 100, the first ones; later ones are still counted).
 */
import type { GeneratorHealth, GeneratorRunSummary, SaturationEpisode, GeneratorHistoryRow } from './types.js';

export interface SaturationLogOptions {
  readonly historySize?: number;
  readonly calmSeconds?: number;
  readonly maxEpisodes?: number;
  /**
   * Samples at the start that are kept as rows but open no episode (default 1): the first second
   * spawns users, opens connections and compiles code, and its lag says little about the run.
   */
  readonly warmupSamples?: number;
}

export class SaturationLog {
  private readonly historySize: number;
  private readonly calmSeconds: number;
  private readonly maxEpisodes: number;
  private warmup: number;
  private readonly rows: GeneratorHistoryRow[] = [];
  private readonly episodes: SaturationEpisode[] = [];
  private open: { startedAt: number; lastSaturatedAt: number; seconds: number; peakLagMs: number; peakCpu: number } | null = null;
  private calm = 0;
  private episodeCount = 0;
  private saturatedSeconds = 0;
  private readonly peak = { eventLoopLagMs: 0, cpuPercent: 0, rssBytes: 0, heapUsedBytes: 0 };

  constructor(opts: SaturationLogOptions = {}) {
    this.historySize = opts.historySize ?? 3600;
    this.calmSeconds = opts.calmSeconds ?? 3;
    this.maxEpisodes = opts.maxEpisodes ?? 100;
    this.warmup = opts.warmupSamples ?? 1;
  }

  /**
   * One sample (about a second) of the generator's health, taken at `atMs` (epoch ms). Returns
   * `'started'` when it opens an episode of saturation (warn then), else null.
   */
  observe(atMs: number, h: GeneratorHealth): 'started' | null {
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
      this.saturatedSeconds++;
      this.calm = 0;
      if (this.open === null) {
        this.open = { startedAt: atMs, lastSaturatedAt: atMs, seconds: 1, peakLagMs: h.eventLoopLagMs, peakCpu: cpu };
        this.episodeCount++;
        return 'started';
      }
      const o = this.open;
      o.lastSaturatedAt = atMs;
      o.seconds++;
      if (h.eventLoopLagMs > o.peakLagMs) o.peakLagMs = h.eventLoopLagMs;
      if (cpu > o.peakCpu) o.peakCpu = cpu;
      return null;
    }
    if (this.open !== null && ++this.calm >= this.calmSeconds) this.closeEpisode();
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
  const lag = `event-loop lag ${Math.round(h.eventLoopLagMs)} ms`;
  if (cpu > 90) {
    return (
      `the load generator is saturated (CPU ${Math.round(cpu)}% of a core${h.eventLoopLagMs > 50 ? `, ${lag}` : ''}): ` +
      'latencies now include time queued inside cicada and the request rate is capped by it — use fewer users, or --processes'
    );
  }
  return (
    `the load generator is saturated (${lag} at ${Math.round(cpu)}% CPU): latencies now include time spent ` +
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
