/** Checks of the distributed-run flags shared by `run`, `worker` and `k8s`, as `--flag: message` lines. */

/** A NATS URL: `nats://host:port` (also `tls://`), as `--bus` takes it. */
export function checkBusUrl(url: string): string[] {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return [`--bus: not a URL: "${url}" (like nats://127.0.0.1:4222)`];
  }
  if (parsed.protocol !== 'nats:' && parsed.protocol !== 'tls:') return [`--bus: must be a nats:// (or tls://) URL, got "${url}"`];
  if (parsed.hostname === '') return [`--bus: names no host: "${url}"`];
  return [];
}
