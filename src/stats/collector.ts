/**
 * `StatsCollector`: the engine's `ResultSink`, and the source of every `StatsSnapshot`.
 *
 * Threading: one thread; the engine calls the sink methods, a driver calls `tick` about once a
 * second, front ends call `snapshot`. Nothing here reads the clock except through `clock` (used for
 * failure and exception times and the statistics start); time for buckets and rates is passed in.
 *
 * Hot path: `request()` is O(1) and allocates nothing — typed-array counters (`RowColumns`,
 * `SecondCounters`) and `recordValue` into preallocated HDR histograms (3 by default: the
 * endpoint's, Aggregated's, and Aggregated's open second; +1 with full history, +2 with the open
 * model). A failure costs one `Map` lookup by its interned key and one `clock()` call. Measured by
 * `test/bench/stats-record.bench.mjs`.
 *
 * Memory is bounded by `nameCap` rows (see `row-histograms.ts` for bytes per row), the distinct
 * failure/exception caps (`failures.ts`), `historyRing` and `maxIntervals` (≈ 0.2 MB: `intervals.ts`).
 */
import type { GeneratorHealth, HistoryRow, StatsSnapshot } from './types.js';
import type { ResultSink, RunnerStatus } from '../engine/types.js';
import type { StatsDelta } from './delta.js';
import { RowColumns } from './columns.js';
import { ExceptionBook, FailureBook, compare } from './failures.js';
import { naturalCompare } from './natural-order.js';
import { clampUs, type Histogram } from './histogram.js';
import { type RecordedBuckets, recordedBuckets } from './latency-bins.js';
import { HistoryRing } from './history.js';
import { IntervalRecorder } from './intervals.js';
import { AGGREGATED_ROW, NameRegistry } from './names.js';
import { SecondCounters } from './rates.js';
import { StatusBook } from './status-codes.js';
import { LatencyBuckets } from './latency-buckets.js';
import { RowHistograms } from './row-histograms.js';
import { exportRows, mergeRows, type RowState } from './delta-io.js';
import { endpointStatsOf, historyRowOf, type RowSource } from './row-view.js';

export interface CollectorOptions {
  /** Distinct (method, name) rows before new names fold into `(other: names beyond N)`; default 500. */
  nameCap?: number;
  /** Called once when names start folding (and for other one-off warnings). */
  onWarning?: (msg: string) => void;
  /** Aggregated history rows kept in memory; default 3600 (1 h at one a second). */
  historyRing?: number;
  /** Also produce per-endpoint history rows (Locust's `--csv-full-history`). */
  fullHistory?: boolean;
  /** Seconds in the recent window for current rates and history percentiles; default 10. */
  windowSec?: number;
  /** Keep service-time histograms too (arrival-rate runs). */
  openModel?: boolean;
  /** Epoch-ms clock for failure/exception times and the statistics start; default `Date.now`. */
  clock?: () => number;
  /**
   * Removes secrets from text. Applied once to each new request name, failure key and exception
   * (message, traceback, context) when it is first recorded or merged, so every snapshot — and so
   * every view of one: TUI, console, CSV, summary.json, reports — is already redacted. (A secret
   * learned later, such as a token captured at run time, is redacted from text recorded after that.)
   */
  redact?: (text: string) => string;
  /** Closed interval histograms kept before they are coarsened (see `intervals.ts`); default 240. */
  maxIntervals?: number;
}

export class StatsCollector implements ResultSink {
  private readonly names: NameRegistry;
  private readonly cols: RowColumns;
  private readonly hists: RowHistograms;
  private readonly counters: SecondCounters;
  private readonly failureBook: FailureBook;
  private readonly exceptionBook: ExceptionBook;
  private readonly statusBook = new StatusBook();
  private readonly latencyBuckets = new LatencyBuckets();
  /** The row state above, lent to `delta-io.ts` and `row-view.ts`. */
  private readonly rows: RowState;
  private droppedIterations = 0;
  private statsStartedAt: number;
  /** True until the first request after a reset. */
  private awaitingFirst = true;
  private readonly clock: () => number;
  private readonly fullHistory: boolean;
  private readonly windowSec: number;
  private readonly history: HistoryRing;
  private readonly intervals: IntervalRecorder;
  private rowCount = 0;
  private sortedRows: number[] | null = null;

  constructor(opts: CollectorOptions = {}) {
    this.clock = opts.clock ?? Date.now;
    const redact = opts.redact ?? ((text: string) => text);
    this.failureBook = new FailureBook(undefined, redact);
    this.exceptionBook = new ExceptionBook(undefined, redact);
    this.fullHistory = opts.fullHistory ?? false;
    this.windowSec = Math.max(1, Math.floor(opts.windowSec ?? 10));
    this.history = new HistoryRing(opts.historyRing ?? 3600);
    this.intervals = new IntervalRecorder(opts.maxIntervals !== undefined ? { maxIntervals: opts.maxIntervals } : {});
    const now = this.clock();
    this.statsStartedAt = now;
    this.cols = new RowColumns(64);
    this.counters = new SecondCounters(this.windowSec, 64, Math.floor(now / 1000));
    this.hists = new RowHistograms({
      openModel: opts.openModel ?? false,
      fullHistory: this.fullHistory,
      windowSec: this.windowSec,
    });
    const onWarning = opts.onWarning ?? (() => {});
    const nameCap = Math.max(1, Math.floor(opts.nameCap ?? 500));
    this.names = new NameRegistry(
      nameCap,
      (method, name) =>
        onWarning(
          `more than ${nameCap} distinct request names; "${method} ${name}" and later new names are grouped ` +
            `under "(other: names beyond ${nameCap})" — give dynamic URLs a \`name:\` to group them`,
        ),
      (rows) => this.addRow(rows),
      redact,
    );
    this.rows = {
      names: this.names,
      cols: this.cols,
      hists: this.hists,
      counters: this.counters,
      failureBook: this.failureBook,
      exceptionBook: this.exceptionBook,
      statusBook: this.statusBook,
      latencyBuckets: this.latencyBuckets,
    };
    this.addRow(1); // Aggregated
  }

  endpoint(method: string, name: string): number {
    return this.names.rowFor(method, name);
  }

  request(endpointId: number, latencyUs: number, serviceUs: number, bytes: number, failure: string | null): void {
    const row = endpointId;
    if (!(row > AGGREGATED_ROW && row < this.rowCount)) return;
    if (this.awaitingFirst) this.markFirstRequest(this.clock());
    const us = clampUs(latencyUs);
    const failed = failure !== null;
    this.cols.add(row, us, bytes, failed);
    this.cols.add(AGGREGATED_ROW, us, bytes, failed);
    this.counters.add(row, failed);
    this.counters.add(AGGREGATED_ROW, failed);
    const h = this.hists;
    h.latency[row]!.recordValue(us);
    h.latency[AGGREGATED_ROW]!.recordValue(us);
    this.latencyBuckets.record(row, us);
    h.windows[AGGREGATED_ROW]!.open.recordValue(us);
    const w = h.windows[row];
    if (w !== null && w !== undefined) w.open.recordValue(us);
    if (h.service !== null) {
      const serviceClamped = clampUs(serviceUs);
      h.service[row]!.recordValue(serviceClamped);
      h.service[AGGREGATED_ROW]!.recordValue(serviceClamped);
      this.cols.addService(row, serviceClamped);
      this.cols.addService(AGGREGATED_ROW, serviceClamped);
    }
    if (failure !== null) this.failureBook.record(row, failure, this.clock());
  }

  redirected(endpointId: number, hops: number): void {
    if (!(endpointId > AGGREGATED_ROW && endpointId < this.rowCount)) return;
    this.cols.redirects[endpointId]! += hops;
    this.cols.redirects[AGGREGATED_ROW]! += hops;
  }

  notSent(endpointId: number, failure: string): void {
    const row = endpointId;
    if (!(row > AGGREGATED_ROW && row < this.rowCount)) return;
    if (this.awaitingFirst) this.markFirstRequest(this.clock());
    this.cols.addNotSent(row);
    this.cols.addNotSent(AGGREGATED_ROW);
    this.counters.add(row, true);
    this.counters.add(AGGREGATED_ROW, true);
    this.failureBook.record(row, failure, this.clock());
  }

  status(endpointId: number, code: number): void {
    if (endpointId > AGGREGATED_ROW && endpointId < this.rowCount) this.statusBook.record(endpointId, code);
  }

  check(endpointId: number, passed: boolean): void {
    if (!(endpointId > AGGREGATED_ROW && endpointId < this.rowCount)) return;
    const column = passed ? this.cols.checksPassed : this.cols.checksFailed;
    column[endpointId]!++;
    column[AGGREGATED_ROW]!++;
  }

  exception(error: unknown, context: string): void {
    try {
      this.exceptionBook.record(error, context, this.clock());
    } catch {
      // a sink never throws
    }
  }

  dropped(count: number): void {
    if (count > 0) this.droppedIterations += count;
  }

  /** Clears every statistic (rows stay, with zero counts); the statistics start again now. */
  reset(): void {
    this.cols.clear(this.rowCount);
    this.hists.reset(true);
    this.counters.restart(this.counters.openSecond);
    this.failureBook.clear();
    this.exceptionBook.clear();
    this.statusBook.clear();
    this.latencyBuckets.clear();
    this.history.clear();
    this.intervals.reset();
    this.droppedIterations = 0;
    this.statsStartedAt = this.clock();
    this.awaitingFirst = true;
  }

  /**
   * Closes the one-second buckets that ended by `nowMs` (epoch ms) and returns a history row per
   * closed second — per endpoint (with full history, sorted) then Aggregated — stamped with the
   * second's end (Unix seconds). What was recorded since the previous tick is attributed to the last
   * complete second (`nowSec - 1`); any seconds skipped before it are empty. After a gap longer than
   * the window (a suspended process) only the last `windowSec + 2` seconds get rows: earlier ones
   * would all show zero rates.
   */
  tick(nowMs: number, userCount: number): HistoryRow[] {
    const out: HistoryRow[] = [];
    const nowSec = Math.floor(nowMs / 1000);
    const gap = nowSec - this.counters.openSecond;
    if (!(gap > 0)) return out;
    const closes = Math.min(gap, this.windowSec + 2);
    this.counters.relabelOpen(nowSec - 1);
    for (let emptyEnd = nowSec - closes + 1; emptyEnd < nowSec; emptyEnd++) {
      this.hists.skipSecond();
      this.emitHistory(emptyEnd, userCount, out);
    }
    this.counters.close();
    if (!this.awaitingFirst) {
      const open = this.hists.windows[AGGREGATED_ROW]!.open;
      const c = this.cols;
      this.intervals.closeSecond(nowSec - 1, open, c.requests[AGGREGATED_ROW]!, c.failures[AGGREGATED_ROW]!, userCount);
    }
    this.hists.closeSecond();
    this.emitHistory(nowSec, userCount, out);
    return out;
  }

  /**
   * An immutable view of everything, at `nowMs` (pass the run's end time for final reports, so
   * whole-run rates do not decay while files are written). Cost: ≈ 0.15 ms per row whose count
   * changed since the previous snapshot (its percentile ladder is recomputed); a live view that
   * redraws often may pass `maxPercentileAgeMs` (e.g. 1000) to recompute each row at most that often.
   * Counts, rates, min/max/avg are always current. `reportPercentiles`: each row also gets
   * `reportPercentilesMs` (for the results files: two more scans per row).
   */
  snapshot(
    run: RunnerStatus,
    generator: GeneratorHealth,
    nowMs: number = this.clock(),
    opts: { readonly maxPercentileAgeMs?: number; readonly reportPercentiles?: boolean } = {},
  ): StatsSnapshot {
    const maxAgeMs = opts.maxPercentileAgeMs ?? 0;
    const report = opts.reportPercentiles === true;
    const source = this.source();
    return {
      takenAt: nowMs,
      statsStartedAt: this.statsStartedAt,
      run,
      endpoints: this.rowsSorted().map((row) => endpointStatsOf(source, row, nowMs, maxAgeMs, report)),
      total: endpointStatsOf(source, AGGREGATED_ROW, nowMs, maxAgeMs, report),
      failures: this.failureBook.entries(
        (row) => this.names.method(row),
        (row) => this.names.name(row),
      ),
      exceptions: this.exceptionBook.entries(),
      history: this.history.rows(),
      droppedIterations: this.droppedIterations,
      generator,
      overflowNames: this.names.overflowNames,
      intervals: this.intervals.view(nowMs, this.cols.requests[AGGREGATED_ROW]!, this.cols.failures[AGGREGATED_ROW]!),
    };
  }

  /**
   * The recorded buckets of one row's cumulative latency histogram (µs): an endpoint by its method and
   * name as snapshots show them, or Aggregated (`''`, `'Aggregated'`); null when there is no such
   * row. For a view of one row a few times a second (the TUI's histogram), not for the hot path.
   */
  rowLatencyBuckets(method: string, name: string): RecordedBuckets | null {
    for (let row = 0; row < this.rowCount; row++) {
      if (this.names.method(row) === method && this.names.name(row) === name) return recordedBuckets(this.hists.latency[row] as Histogram);
    }
    return null;
  }

  /**
   * Everything recorded since the previous export, for the coordinator's `mergeDelta`. Exporting
   * moves the cumulative counts, histograms, failures and exceptions out: a collector that exports
   * is a buffer, and only the coordinator's collector is read. Windows and rates are not exported
   * (the coordinator counts merged requests in its own open second).
   */
  exportDelta(): StatsDelta {
    const delta = exportRows(this.rows, this.rowCount, {
      firstRequestAt: this.awaitingFirst ? null : this.statsStartedAt,
      droppedIterations: this.droppedIterations,
    });
    this.droppedIterations = 0;
    return delta;
  }

  /** Folds another process's delta in, as if its requests had been recorded here now. */
  mergeDelta(d: StatsDelta): void {
    mergeRows(this.rows, d);
    this.droppedIterations += d.droppedIterations;
    // Not later than now on this collector's clock (another process's wall clock may be ahead of it: a run clock stands still while paused).
    if (this.awaitingFirst && d.firstRequestAt !== null) this.markFirstRequest(Math.min(d.firstRequestAt, this.clock()));
  }

  /** Bytes held by histograms and counters (the histograms dominate: see `row-histograms.ts`). */
  footprintBytes(): number {
    const columnBytes = this.cols.rowCapacity * (10 * 8 + 1);
    const counterBytes = this.cols.rowCapacity * this.counters.slots * 16;
    return this.hists.footprintBytes() + columnBytes + counterBytes + this.intervals.footprintBytes();
  }

  private source(): RowSource {
    return { ...this.rows, statsStartedAt: this.statsStartedAt };
  }

  private emitHistory(endSec: number, userCount: number, out: HistoryRow[]): void {
    const source = this.source();
    if (this.fullHistory) {
      for (const row of this.rowsSorted()) out.push(historyRowOf(source, row, endSec, userCount));
    }
    const total = historyRowOf(source, AGGREGATED_ROW, endSec, userCount);
    this.history.push(total);
    out.push(total);
  }

  private markFirstRequest(atMs: number): void {
    this.awaitingFirst = false;
    this.statsStartedAt = Math.max(this.statsStartedAt, atMs);
  }

  private addRow(rows: number): void {
    while (this.rowCount < rows) {
      this.cols.grow(this.rowCount + 1);
      this.counters.grow(this.cols.rowCapacity);
      this.hists.addRow();
      this.rowCount++;
      this.statusBook.grow(this.rowCount);
      this.latencyBuckets.grow(this.rowCount);
    }
    this.sortedRows = null;
  }

  /** Endpoint rows that have ever had a request, by name (natural order: `/ep/2` before `/ep/10`) then method. */
  private rowsSorted(): number[] {
    if (this.sortedRows === null) {
      const rows: number[] = [];
      for (let row = 1; row < this.rowCount; row++) rows.push(row);
      rows.sort(
        (a, b) =>
          naturalCompare(this.names.name(a), this.names.name(b)) || compare(this.names.method(a), this.names.method(b)),
      );
      this.sortedRows = rows;
    }
    return this.sortedRows.filter((row) => this.cols.recorded[row] === 1);
  }
}
