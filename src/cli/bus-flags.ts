/** Checks of the distributed-run flags shared by `run`, `worker` and `k8s`, as `--flag: message` lines. */
import { parseDuration } from '../scenario/duration.js';

/** A NATS URL: `nats://host:port`, as `--bus` takes it. */
export function checkBusUrl(url: string): string[] {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return [`--bus: not a URL: "${url}" (like nats://127.0.0.1:4222)`];
  }
  if (parsed.protocol !== 'nats:') return [`--bus: must be a nats:// URL, got "${url}"`];
  if (parsed.hostname === '') return [`--bus: names no host: "${url}"`];
  return [];
}

/** The coordinator's flags (`run --workers N --bus URL ...`), as they appear in `RunFlags`. */
export interface DistributedFlags {
  readonly workers?: string | undefined;
  readonly bus?: string | undefined;
  readonly expectWorkers?: string | undefined;
  readonly expectWorkersMaxWait?: string | undefined;
  readonly onWorkerLoss?: string | undefined;
  readonly processes?: string | undefined;
}

export function checkDistributedFlags(f: DistributedFlags): string[] {
  const problems: string[] = [];
  const count = /^[1-9]\d{0,3}$/;
  if (f.workers !== undefined && !count.test(f.workers)) problems.push(`--workers: must be a whole number from 1 to 9999, got "${f.workers}"`);
  if (f.bus !== undefined) problems.push(...checkBusUrl(f.bus));
  if (f.workers !== undefined && f.bus === undefined) problems.push('--workers: needs --bus, the NATS server the workers join (--bus nats://127.0.0.1:4222)');
  if (f.bus !== undefined && f.workers === undefined) problems.push('--bus: needs --workers N, how many workers to coordinate');
  if (f.workers !== undefined && f.processes !== undefined) problems.push('--processes: cannot be used with --workers: the coordinator runs no users (run each worker with its own cores)');
  const distributed = f.workers !== undefined;
  for (const [flag, value] of [
    ['--expect-workers', f.expectWorkers],
    ['--expect-workers-max-wait', f.expectWorkersMaxWait],
    ['--on-worker-loss', f.onWorkerLoss],
  ] as const) {
    if (value !== undefined && !distributed) problems.push(`${flag}: only for a distributed run (with --workers N --bus URL)`);
  }
  if (f.expectWorkers !== undefined) {
    if (!count.test(f.expectWorkers)) problems.push(`--expect-workers: must be a whole number from 1, got "${f.expectWorkers}"`);
    else if (f.workers !== undefined && count.test(f.workers) && Number(f.expectWorkers) > Number(f.workers)) {
      problems.push(`--expect-workers: ${f.expectWorkers} is more than --workers ${f.workers}`);
    }
  }
  if (f.expectWorkersMaxWait !== undefined && parseDuration(f.expectWorkersMaxWait) === null) {
    problems.push(`--expect-workers-max-wait: not a duration: "${f.expectWorkersMaxWait}" (like 60s, 5m; 0 waits for ever)`);
  }
  if (f.onWorkerLoss !== undefined && f.onWorkerLoss !== 'abort' && f.onWorkerLoss !== 'continue') {
    problems.push(`--on-worker-loss: must be abort or continue, got "${f.onWorkerLoss}"`);
  }
  return problems;
}
