/**
 * The row half of `StatsCollector.exportDelta`/`mergeDelta` (the collector owns those operations
 * and its state; it lends these functions its row state): `exportRows` drains the rows into a
 * `StatsDelta`; `mergeRows` folds one in. Merging is exact for counts, sums, min/max, histograms,
 * failures and exceptions: two collectors merged into a third equal one collector fed both streams.
 * Merged requests count in the receiver's open second (rates and windows skew by at most the export
 * interval).
 */
import type { RowColumns } from './columns.js';
import { STATS_DELTA_VERSION, type EndpointDelta, type StatsDelta } from './delta.js';
import type { ExceptionBook, FailureBook } from './failures.js';
import { addEncoded, encodeHistogram, type Histogram } from './histogram.js';
import { AGGREGATED_ROW, type NameRegistry } from './names.js';
import type { SecondCounters } from './rates.js';
import type { StatusBook } from './status-codes.js';
import type { LatencyBuckets } from './latency-buckets.js';
import type { RowHistograms } from './row-histograms.js';

/** A collector's row state: what its deltas and snapshots are made of. */
export interface RowState {
  readonly names: NameRegistry;
  readonly cols: RowColumns;
  readonly hists: RowHistograms;
  readonly counters: SecondCounters;
  readonly failureBook: FailureBook;
  readonly exceptionBook: ExceptionBook;
  readonly statusBook: StatusBook;
  readonly latencyBuckets: LatencyBuckets;
}

/** The collector-wide part of a delta, which the collector keeps itself. */
export interface DeltaHead {
  readonly firstRequestAt: number | null;
  readonly droppedIterations: number;
}

/** Drains rows `1 … rowCount-1` into a delta (the rows are left empty). */
export function exportRows(c: RowState, rowCount: number, head: DeltaHead): StatsDelta {
  const cols = c.cols;
  const endpoints: EndpointDelta[] = [];
  for (let row = AGGREGATED_ROW + 1; row < rowCount; row++) {
    const requests = cols.requests[row] as number;
    const checks = (cols.checksPassed[row] as number) + (cols.checksFailed[row] as number);
    if (requests === 0 && checks === 0) continue;
    const service = c.hists.service?.[row];
    endpoints.push({
      method: c.names.method(row),
      name: c.names.name(row),
      requests,
      failures: cols.failures[row] as number,
      notSent: cols.notSent[row] as number,
      latencySumUs: cols.sumUs[row] as number,
      minUs: cols.samples(row) > 0 ? (cols.minUs[row] as number) : 0,
      maxUs: cols.maxUs[row] as number,
      serviceMinUs: service !== undefined && service.totalCount > 0 ? (cols.serviceMinUs[row] as number) : 0,
      serviceMaxUs: cols.serviceMaxUs[row] as number,
      bytes: cols.bytes[row] as number,
      checksPassed: cols.checksPassed[row] as number,
      checksFailed: cols.checksFailed[row] as number,
      redirects: cols.redirects[row] as number,
      latencyHistogram: encodeHistogram(c.hists.latency[row] as Histogram),
      serviceHistogram: service !== undefined && service.totalCount > 0 ? encodeHistogram(service) : null,
      statusCodes: c.statusBook.of(row),
      latencyBuckets: c.latencyBuckets.of(row),
    });
  }
  const delta: StatsDelta = {
    version: STATS_DELTA_VERSION,
    firstRequestAt: head.firstRequestAt,
    endpoints,
    failures: c.failureBook.entries(
      (row) => c.names.method(row),
      (row) => c.names.name(row),
    ),
    exceptions: c.exceptionBook.entries(),
    droppedIterations: head.droppedIterations,
    overflowNames: c.names.overflowNames,
  };
  cols.clear(rowCount);
  c.hists.reset(false);
  c.failureBook.clear();
  c.exceptionBook.clear();
  c.statusBook.clear();
  c.latencyBuckets.clear();
  return delta;
}

/** Folds a delta's rows, failures and exceptions in; the collector takes `droppedIterations` and `firstRequestAt`. */
export function mergeRows(c: RowState, d: StatsDelta): void {
  if (d.version !== STATS_DELTA_VERSION) throw new Error(`unsupported stats delta version ${String(d.version)}`);
  const h = c.hists;
  for (const received of d.endpoints) {
    const withNotSent = { ...received, notSent: received.notSent ?? 0 };
    const e = received.serviceHistogram === null ? { ...withNotSent, serviceMinUs: Infinity, serviceMaxUs: 0 } : withNotSent;
    const row = c.names.rowFor(e.method, e.name);
    c.cols.addMany(row, e);
    c.cols.addMany(AGGREGATED_ROW, e);
    c.counters.addMany(row, e.requests, e.failures);
    c.counters.addMany(AGGREGATED_ROW, e.requests, e.failures);
    if (e.statusCodes !== undefined) c.statusBook.merge(row, e.statusCodes);
    if (e.latencyBuckets !== undefined) c.latencyBuckets.merge(row, e.latencyBuckets);
    if (e.requests > 0) {
      const targets = [h.latency[row], h.latency[AGGREGATED_ROW], h.windows[AGGREGATED_ROW]?.open, h.windows[row]?.open];
      addEncoded(e.latencyHistogram, targets.filter((t): t is Histogram => t !== undefined));
    }
    if (h.service !== null && e.serviceHistogram !== null) {
      addEncoded(e.serviceHistogram, [h.service[row] as Histogram, h.service[AGGREGATED_ROW] as Histogram]);
    }
  }
  for (const f of d.failures) {
    c.failureBook.merge(c.names.rowFor(f.method, f.name), f.error, f.occurrences, f.firstSeen, f.lastSeen);
  }
  for (const x of d.exceptions) {
    c.exceptionBook.merge(x.message, x.traceback, x.contexts, x.count, x.firstSeen, x.lastSeen);
  }
  c.names.noteRemoteOverflow(d.overflowNames);
}
