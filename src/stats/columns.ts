/**
 * Cumulative counters per statistics row, as columns of typed arrays (row 0 is Aggregated). Adding a
 * request is a handful of array writes; nothing is allocated except when rows are added (`grow`).
 * Latencies are integer microseconds; `minUs` is `Infinity` and `maxUs` 0 while a row is empty.
 */
export class RowColumns {
  requests: Float64Array;
  failures: Float64Array;
  /**
   * Requests never sent (counted in `requests` and `failures`, never in the latency columns or
   * histograms): `requests - notSent` requests are latency samples.
   */
  notSent: Float64Array;
  sumUs: Float64Array;
  minUs: Float64Array;
  maxUs: Float64Array;
  bytes: Float64Array;
  checksPassed: Float64Array;
  checksFailed: Float64Array;
  /** Redirects followed by the row's requests (a chain is one request). */
  redirects: Float64Array;
  /** Exact service-time extremes (open model only), µs. */
  serviceMinUs: Float64Array;
  serviceMaxUs: Float64Array;
  /** 1 once a row has had a request; survives `clear` so a reset keeps the row visible, as Locust does. */
  recorded: Uint8Array;
  private capacity: number;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.requests = new Float64Array(capacity);
    this.failures = new Float64Array(capacity);
    this.notSent = new Float64Array(capacity);
    this.sumUs = new Float64Array(capacity);
    this.minUs = new Float64Array(capacity).fill(Infinity);
    this.maxUs = new Float64Array(capacity);
    this.bytes = new Float64Array(capacity);
    this.checksPassed = new Float64Array(capacity);
    this.checksFailed = new Float64Array(capacity);
    this.redirects = new Float64Array(capacity);
    this.serviceMinUs = new Float64Array(capacity).fill(Infinity);
    this.serviceMaxUs = new Float64Array(capacity);
    this.recorded = new Uint8Array(capacity);
  }

  /** Rows the columns can hold. */
  get rowCapacity(): number {
    return this.capacity;
  }

  /** Room for at least `rows` rows (doubling), keeping values. Not for the hot path. */
  grow(rows: number): void {
    if (rows <= this.capacity) return;
    let capacity = this.capacity * 2;
    while (capacity < rows) capacity *= 2;
    const widen = <T extends Float64Array | Uint8Array>(a: T, fill: number): T => {
      const b = new (a.constructor as new (n: number) => T)(capacity);
      b.fill(fill);
      b.set(a);
      return b;
    };
    this.requests = widen(this.requests, 0);
    this.failures = widen(this.failures, 0);
    this.notSent = widen(this.notSent, 0);
    this.sumUs = widen(this.sumUs, 0);
    this.minUs = widen(this.minUs, Infinity);
    this.maxUs = widen(this.maxUs, 0);
    this.bytes = widen(this.bytes, 0);
    this.checksPassed = widen(this.checksPassed, 0);
    this.checksFailed = widen(this.checksFailed, 0);
    this.redirects = widen(this.redirects, 0);
    this.serviceMinUs = widen(this.serviceMinUs, Infinity);
    this.serviceMaxUs = widen(this.serviceMaxUs, 0);
    this.recorded = widen(this.recorded, 0);
    this.capacity = capacity;
  }

  /** Hot path: one request of `row`. `latencyUs` is already clamped; `bytes` may be anything. */
  add(row: number, latencyUs: number, bytes: number, failed: boolean): void {
    this.requests[row]!++;
    if (failed) this.failures[row]!++;
    this.sumUs[row]! += latencyUs;
    if (latencyUs < (this.minUs[row] as number)) this.minUs[row] = latencyUs;
    if (latencyUs > (this.maxUs[row] as number)) this.maxUs[row] = latencyUs;
    if (bytes > 0) this.bytes[row]! += bytes;
    this.recorded[row] = 1;
  }

  /** Hot path: one request of `row` that was never sent — a request and a failure, no latency. */
  addNotSent(row: number): void {
    this.requests[row]!++;
    this.failures[row]!++;
    this.notSent[row]!++;
    this.recorded[row] = 1;
  }

  /** Requests of `row` that are latency samples (sent). */
  samples(row: number): number {
    return (this.requests[row] as number) - (this.notSent[row] as number);
  }

  /** Hot path, open model: the service time of the request just added. */
  addService(row: number, serviceUs: number): void {
    if (serviceUs < (this.serviceMinUs[row] as number)) this.serviceMinUs[row] = serviceUs;
    if (serviceUs > (this.serviceMaxUs[row] as number)) this.serviceMaxUs[row] = serviceUs;
  }

  /** Counts accumulated elsewhere (another process), folded into `row`. */
  addMany(
    row: number,
    d: {
      readonly requests: number;
      readonly failures: number;
      readonly notSent: number;
      readonly latencySumUs: number;
      readonly minUs: number;
      readonly maxUs: number;
      readonly bytes: number;
      readonly checksPassed: number;
      readonly checksFailed: number;
      readonly redirects?: number;
      readonly serviceMinUs: number;
      readonly serviceMaxUs: number;
    },
  ): void {
    this.requests[row]! += d.requests;
    this.failures[row]! += d.failures;
    this.notSent[row]! += d.notSent;
    this.sumUs[row]! += d.latencySumUs;
    if (d.requests > 0) this.recorded[row] = 1;
    if (d.requests > d.notSent) {
      if (d.minUs < (this.minUs[row] as number)) this.minUs[row] = d.minUs;
      if (d.maxUs > (this.maxUs[row] as number)) this.maxUs[row] = d.maxUs;
      if (d.serviceMinUs < (this.serviceMinUs[row] as number)) this.serviceMinUs[row] = d.serviceMinUs;
      if (d.serviceMaxUs > (this.serviceMaxUs[row] as number)) this.serviceMaxUs[row] = d.serviceMaxUs;
    }
    this.bytes[row]! += d.bytes;
    this.checksPassed[row]! += d.checksPassed;
    this.checksFailed[row]! += d.checksFailed;
    this.redirects[row]! += d.redirects ?? 0;
  }

  /** Zeroes rows `0 … rows - 1` (`recorded` is kept). */
  clear(rows: number): void {
    const zeroed = [this.requests, this.failures, this.notSent, this.sumUs, this.maxUs, this.bytes, this.checksPassed, this.checksFailed, this.redirects, this.serviceMaxUs];
    for (const a of zeroed) a.fill(0, 0, rows);
    this.minUs.fill(Infinity, 0, rows);
    this.serviceMinUs.fill(Infinity, 0, rows);
  }
}
