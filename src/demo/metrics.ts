/**
 * The demo target's own `/metrics`, in the Prometheus text format, so `npm start` has a target
 * whose health cicada can show (the Target tab) with nothing to set up: its process CPU and memory,
 * event-loop lag, requests in flight and a simulated database connection pool (a connection held
 * by each request in flight, at most `POOL_SIZE`; requests beyond that count as waiting for one).
 */
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

export const METRICS_PATH = '/metrics';
export const POOL_SIZE = 20;

export class DemoMetrics {
  private inFlight = 0;
  private requests = 0;
  private readonly lag: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 });

  constructor() {
    this.lag.enable();
  }

  /** A request started; the returned function ends it (call it once, when its response is done). */
  begin(): () => void {
    this.inFlight++;
    this.requests++;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.inFlight--;
    };
  }

  /** The exposition text; the event-loop lag is the p99 since the previous scrape. */
  render(): string {
    const cpu = process.cpuUsage();
    const mem = process.memoryUsage();
    const lagSeconds = (this.lag.count > 0 ? this.lag.percentile(99) : 0) / 1e9;
    this.lag.reset();
    const inUse = Math.min(POOL_SIZE, this.inFlight);
    const lines = [
      ['process_cpu_seconds_total', 'counter', 'Total user and system CPU time spent in seconds.', (cpu.user + cpu.system) / 1e6],
      ['process_resident_memory_bytes', 'gauge', 'Resident memory size in bytes.', mem.rss],
      ['nodejs_heap_used_bytes', 'gauge', 'V8 heap in use, bytes.', mem.heapUsed],
      ['nodejs_eventloop_lag_seconds', 'gauge', 'Event-loop delay, 99th percentile since the previous scrape, seconds.', lagSeconds],
      ['http_requests_in_flight', 'gauge', 'Requests received and not yet answered.', this.inFlight],
      ['http_requests_total', 'counter', 'Requests received (control routes and /metrics excluded).', this.requests],
      ['demo_db_pool_connections_in_use', 'gauge', 'Simulated database pool: connections in use.', inUse],
      ['demo_db_pool_connections_max', 'gauge', 'Simulated database pool: size.', POOL_SIZE],
      ['demo_db_pool_waiting', 'gauge', 'Simulated database pool: requests waiting for a connection.', Math.max(0, this.inFlight - POOL_SIZE)],
    ] as const;
    return lines.map(([name, type, help, value]) => `# HELP ${name} ${help}\n# TYPE ${name} ${type}\n${name} ${value}\n`).join('');
  }

  close(): void {
    this.lag.disable();
  }
}
