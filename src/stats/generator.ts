/**
 * How healthy the load generator is: event-loop lag (`perf_hooks.monitorEventLoopDelay`) and process
 * CPU (`process.cpuUsage`), sampled once a second on an unref'd timer, kept in a bounded history.
 * A generator whose loop lags or whose CPU is pegged measures itself, not the target: such a sample
 * is flagged `saturated`.
 *
 * CPU is the whole process (all threads) as a percent of one core, or with `cpu: 'eventLoop'` this
 * thread's event-loop utilisation (what a worker thread reports: process CPU is every thread's);
 * with worker threads each engine reports its own monitor and the coordinator shows them side by side.
 */
import { monitorEventLoopDelay, performance, type EventLoopUtilization, type IntervalHistogram } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import type { GeneratorHealth } from './types.js';

export interface GeneratorSample extends GeneratorHealth {
  /** Epoch ms when taken. */
  readonly at: number;
}

export interface GeneratorMonitorOptions {
  /** Default 1000. */
  intervalMs?: number;
  /** Samples kept; default 3600 (1 h). */
  historySize?: number;
  /** Lag p99 above this is saturation; default 50. */
  lagThresholdMs?: number;
  /** CPU above this (percent of one core) is saturation; default 90. */
  cpuThresholdPercent?: number;
  /** `process` (default): the process's CPU time; `eventLoop`: this thread's event-loop utilisation. */
  cpu?: 'process' | 'eventLoop';
}

export class GeneratorMonitor {
  private readonly intervalMs: number;
  private readonly historySize: number;
  private readonly lagThresholdMs: number;
  private readonly cpuThresholdPercent: number;
  private lag: IntervalHistogram | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly cpu: 'process' | 'eventLoop';
  private lastCpu = process.cpuUsage();
  private lastElu: EventLoopUtilization = performance.eventLoopUtilization();
  private lastAt = performance.now();
  private latest: GeneratorSample | null = null;
  private readonly samples: GeneratorSample[] = [];
  private listener: ((sample: GeneratorSample) => void) | null = null;

  constructor(opts: GeneratorMonitorOptions = {}) {
    this.intervalMs = opts.intervalMs ?? 1000;
    this.historySize = opts.historySize ?? 3600;
    this.lagThresholdMs = opts.lagThresholdMs ?? 50;
    this.cpuThresholdPercent = opts.cpuThresholdPercent ?? 90;
    this.cpu = opts.cpu ?? 'process';
  }

  /** Starts sampling (idempotent). */
  start(): void {
    if (this.timer !== null) return;
    this.lag = monitorEventLoopDelay({ resolution: 10 });
    this.lag.enable();
    this.lastCpu = process.cpuUsage();
    this.lastElu = performance.eventLoopUtilization();
    this.lastAt = performance.now();
    this.timer = setInterval(() => this.takeSample(), this.intervalMs);
    this.timer.unref();
  }

  /** Stops sampling (idempotent); the history is kept. */
  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    this.lag?.disable();
    this.lag = null;
  }

  /** The latest sample; before the first one, a reading taken now. */
  sample(): GeneratorHealth {
    return this.latest ?? this.takeSample();
  }

  /** Calls `listener` with every sample as it is taken (one listener; null removes it). */
  onSample(listener: ((sample: GeneratorSample) => void) | null): void {
    this.listener = listener;
  }

  /** Samples, oldest first, at most `historySize`. */
  get history(): readonly GeneratorSample[] {
    return this.samples;
  }

  /** Reads lag and CPU since the previous sample, records it and starts a new interval. */
  takeSample(): GeneratorSample {
    const nowPerf = performance.now();
    const cpuPercent = this.cpuSince(nowPerf);
    let eventLoopLagMs = 0;
    if (this.lag !== null && this.lag.count > 0) {
      // The monitor measures timer delay including its own resolution; subtract it, as Node's docs suggest.
      eventLoopLagMs = Math.max(0, this.lag.percentile(99) / 1e6 - 10);
      this.lag.reset();
    }
    const mem = memoryNow(this.latest);
    const sample: GeneratorSample = {
      at: Date.now(),
      eventLoopLagMs,
      cpuPercent,
      rssBytes: mem.rss,
      heapUsedBytes: mem.heapUsed,
      saturated: eventLoopLagMs > this.lagThresholdMs || cpuPercent > this.cpuThresholdPercent,
    };
    this.lastAt = nowPerf;
    this.latest = sample;
    this.samples.push(sample);
    if (this.samples.length > this.historySize) this.samples.splice(0, this.samples.length - this.historySize);
    this.listener?.(sample);
    return sample;
  }

  /** CPU since the previous sample, percent of one core; starts the next interval. */
  private cpuSince(nowPerf: number): number {
    if (this.cpu === 'eventLoop') {
      const next = performance.eventLoopUtilization();
      const used = performance.eventLoopUtilization(next, this.lastElu);
      this.lastElu = next;
      return used.utilization * 100;
    }
    const cpu = process.cpuUsage(this.lastCpu);
    this.lastCpu = process.cpuUsage();
    const wallMs = Math.max(1, nowPerf - this.lastAt);
    return ((cpu.user + cpu.system) / 1000 / wallMs) * 100;
  }
}

/**
 * RSS and heap now. `process.memoryUsage()` opens /proc/self/stat for the RSS, which throws EMFILE
 * when the process is out of file descriptors (many users, a low `ulimit -n`): then the heap is
 * read from V8 and the previous RSS kept, rather than crashing the run from a timer.
 */
function memoryNow(previous: GeneratorHealth | null): { rss: number; heapUsed: number } {
  try {
    const m = process.memoryUsage();
    return { rss: m.rss, heapUsed: m.heapUsed };
  } catch {
    return { rss: previous?.rssBytes ?? 0, heapUsed: getHeapStatistics().used_heap_size };
  }
}

/** A neutral reading for contexts without a monitor (tests, `cicada report`). */
export const IDLE_GENERATOR: GeneratorHealth = {
  eventLoopLagMs: 0,
  cpuPercent: 0,
  rssBytes: 0,
  heapUsedBytes: 0,
  saturated: false,
};
