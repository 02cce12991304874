/**
 * A ResultSink that keeps every result, for engine tests that need to look at individual requests.
 * (The real statistics collector has its own tests; this isolates the engine from it.)
 */
import type { ResultSink } from '../../src/engine/types.js';

export interface Recorded {
  endpoint: string;
  latencyUs: number;
  serviceUs: number;
  bytes: number;
  failure: string | null;
  /** false for a request that was never sent (no latency). */
  sent: boolean;
}

export class RecordingSink implements ResultSink {
  readonly names: string[] = [];
  readonly requests: Recorded[] = [];
  readonly checks: { endpoint: string; passed: boolean }[] = [];
  readonly exceptions: { error: unknown; context: string }[] = [];
  droppedCount = 0;

  endpoint(method: string, name: string): number {
    const key = `${method} ${name}`;
    const i = this.names.indexOf(key);
    if (i !== -1) return i;
    this.names.push(key);
    return this.names.length - 1;
  }
  request(id: number, latencyUs: number, serviceUs: number, bytes: number, failure: string | null): void {
    this.requests.push({ endpoint: this.names[id]!, latencyUs, serviceUs, bytes, failure, sent: true });
  }
  notSent(id: number, failure: string): void {
    this.requests.push({ endpoint: this.names[id]!, latencyUs: 0, serviceUs: 0, bytes: 0, failure, sent: false });
  }
  check(id: number, passed: boolean): void {
    this.checks.push({ endpoint: this.names[id]!, passed });
  }
  exception(error: unknown, context: string): void {
    this.exceptions.push({ error, context });
  }
  dropped(count: number): void {
    this.droppedCount += count;
  }
  failures(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const r of this.requests) if (r.failure !== null) out[r.failure] = (out[r.failure] ?? 0) + 1;
    return out;
  }
  count(endpoint?: string): number {
    return endpoint === undefined ? this.requests.length : this.requests.filter((r) => r.endpoint === endpoint).length;
  }
}
