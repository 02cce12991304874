/**
 * The live statistics as a Prometheus text exposition (format 0.0.4), for `--metrics-port`: per
 * endpoint request and failure counters, responses by status code, a response-time histogram in
 * Prometheus's default buckets (cumulative `le`, `+Inf` = every response timed), and the run's
 * users, target users, current RPS and failures/s, elapsed time and state. Pure.
 *
 * No Aggregated row among the per-endpoint series (a `sum()` over them would count it twice); the
 * gauges are the whole run's. A statistics reset (`r`, `--reset-stats`) starts the counters again,
 * which Prometheus's `rate()` reads as a counter reset.
 */
import type { RunState } from '../engine/types.js';
import { LATENCY_BUCKETS_S } from '../stats/latency-buckets.js';
import { type EndpointStats, latencySamples, type StatsSnapshot } from '../stats/types.js';

const STATES: readonly RunState[] = ['ready', 'spawning', 'running', 'paused', 'stopping', 'stopped'];

/** A label value as the exposition format writes it: `\`, `"` and line feeds escaped. */
export function labelValue(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** A sample value: integers as such, others with up to 9 significant digits. */
function num(v: number): string {
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : v < 0 ? '-Inf' : 'NaN';
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(9)));
}

function family(out: string[], name: string, type: 'counter' | 'gauge' | 'histogram', help: string): void {
  out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
}

export function prometheusText(snap: StatsSnapshot): string {
  const out: string[] = [];
  const endpoints = snap.endpoints;
  const labels = (e: EndpointStats): string => `method="${labelValue(e.method)}",name="${labelValue(e.name)}"`;

  family(out, 'cicada_requests_total', 'counter', 'Requests per endpoint, sent or not (Locust\'s Request Count), since the statistics started.');
  for (const e of endpoints) out.push(`cicada_requests_total{${labels(e)}} ${num(e.requests)}`);
  family(out, 'cicada_failures_total', 'counter', 'Failed requests per endpoint (a status >= 400, a check, an error, not sent).');
  for (const e of endpoints) out.push(`cicada_failures_total{${labels(e)}} ${num(e.failures)}`);
  family(out, 'cicada_responses_total', 'counter', 'Responses per endpoint and status code (the final response of a followed redirect chain).');
  for (const e of endpoints) {
    for (const [code, n] of Object.entries(e.statusCodes ?? {})) out.push(`cicada_responses_total{${labels(e)},code="${labelValue(code)}"} ${num(n)}`);
  }
  family(out, 'cicada_response_time_seconds', 'histogram', 'Response time per endpoint (in the open model, from the intended start), seconds.');
  for (const e of endpoints) {
    const timed = latencySamples(e);
    const buckets = e.latencyBuckets ?? LATENCY_BUCKETS_S.map(() => 0);
    let cumulative = 0;
    LATENCY_BUCKETS_S.forEach((le, i) => {
      cumulative += buckets[i] ?? 0;
      out.push(`cicada_response_time_seconds_bucket{${labels(e)},le="${le}"} ${num(cumulative)}`);
    });
    out.push(`cicada_response_time_seconds_bucket{${labels(e)},le="+Inf"} ${num(timed)}`);
    out.push(`cicada_response_time_seconds_sum{${labels(e)}} ${num((e.avgMs * timed) / 1000)}`);
    out.push(`cicada_response_time_seconds_count{${labels(e)}} ${num(timed)}`);
  }

  const run = snap.run;
  family(out, 'cicada_users', 'gauge', 'Users running now.');
  out.push(`cicada_users ${num(run.users)}`);
  family(out, 'cicada_target_users', 'gauge', 'Users the run is ramping to (or holds).');
  out.push(`cicada_target_users ${num(run.targetUsers)}`);
  family(out, 'cicada_requests_per_second', 'gauge', 'Requests per second over the last seconds, all endpoints.');
  out.push(`cicada_requests_per_second ${num(snap.total.currentRps)}`);
  family(out, 'cicada_failures_per_second', 'gauge', 'Failures per second over the last seconds, all endpoints.');
  out.push(`cicada_failures_per_second ${num(snap.total.currentFailuresPerSec)}`);
  family(out, 'cicada_elapsed_seconds', 'gauge', 'Run time so far (pauses left out), seconds.');
  out.push(`cicada_elapsed_seconds ${num(run.elapsedMs / 1000)}`);
  family(out, 'cicada_state', 'gauge', 'The run state: 1 for the current one, 0 for the others.');
  for (const s of STATES) out.push(`cicada_state{state="${s}"} ${run.state === s ? 1 : 0}`);
  return `${out.join('\n')}\n`;
}
