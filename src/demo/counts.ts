/**
 * What the demo target received: requests per `METHOD path-template` (`GET /api/items/:id`) and a
 * `total`. Counted when the request arrives, before any latency, so a request the client gave up
 * on is still counted — the server saw it.
 */
export class RequestCounts {
  readonly #byRoute = new Map<string, number>();
  #total = 0;

  increment(key: string): void {
    this.#byRoute.set(key, (this.#byRoute.get(key) ?? 0) + 1);
    this.#total++;
  }

  /** Counts an outcome (`POST /api/orders → error`): a key of its own, not a request, not in `total`. */
  outcome(key: string): void {
    this.#byRoute.set(key, (this.#byRoute.get(key) ?? 0) + 1);
  }

  get total(): number {
    return this.#total;
  }

  reset(): void {
    this.#byRoute.clear();
    this.#total = 0;
  }

  /** A fresh plain object: every route seen, sorted by key, then `total`. */
  snapshot(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const key of [...this.#byRoute.keys()].sort()) out[key] = this.#byRoute.get(key)!;
    out['total'] = this.#total;
    return out;
  }
}
