/**
 * Turning a collector's raw row state (typed-array columns, histograms, second counters) into the
 * plain snapshot objects `EndpointStats` and `HistoryRow`. Pure reads: nothing here changes the
 * collector except its percentile caches.
 */
import type { RowState } from './delta-io.js';
import { PERCENTILES, REPORT_PERCENTILES, type EndpointStats, type HistoryRow } from './types.js';

/** What a view of a row reads: the row state and when the statistics started (epoch ms). */
export interface RowSource extends RowState {
  readonly statsStartedAt: number;
}

/**
 * Row `row` as of `nowMs` (epoch ms); see `StatsCollector.snapshot` for `maxAgeMs`. `report`: with
 * `reportPercentilesMs` (two more scans of the histogram: 60% and 70%).
 */
export function endpointStatsOf(s: RowSource, row: number, nowMs: number, maxAgeMs: number, report = false): EndpointStats {
  const c = s.cols;
  const requests = c.requests[row] as number;
  const failures = c.failures[row] as number;
  const samples = c.samples(row);
  const minUs = samples > 0 ? (c.minUs[row] as number) : 0;
  const maxUs = c.maxUs[row] as number;
  const percentilesMs = s.hists.latencyPercentiles(row, minUs, maxUs, nowMs, maxAgeMs);
  const elapsedSec = Math.max(1, (nowMs - s.statsStartedAt) / 1000);
  const current = s.counters.rates(row, nowMs, s.statsStartedAt);
  const bytes = c.bytes[row] as number;
  return {
    method: s.names.method(row),
    name: s.names.name(row),
    requests,
    failures,
    notSent: requests - samples,
    minMs: minUs / 1000,
    maxMs: maxUs / 1000,
    avgMs: samples > 0 ? (c.sumUs[row] as number) / samples / 1000 : 0,
    medianMs: percentilesMs[0] as number,
    percentilesMs,
    totalBytes: bytes,
    avgBytes: requests > 0 ? bytes / requests : 0,
    rps: requests / elapsedSec,
    failuresPerSec: failures / elapsedSec,
    currentRps: current.rps,
    currentFailuresPerSec: current.failuresPerSec,
    servicePercentilesMs: s.hists.servicePercentiles(
      row,
      c.serviceMinUs[row] as number,
      c.serviceMaxUs[row] as number,
      nowMs,
      maxAgeMs,
    ),
    checksPassed: c.checksPassed[row] as number,
    checksFailed: c.checksFailed[row] as number,
    redirects: c.redirects[row] as number,
    statusCodes: s.statusBook.of(row),
    latencyBuckets: s.latencyBuckets.of(row),
    ...(report ? { reportPercentilesMs: reportLadder(percentilesMs, s.hists.latencyAt(row, EXTRA, minUs, maxUs)) } : {}),
  };
}

/** The fractions of `REPORT_PERCENTILES` that `PERCENTILES` lacks (60%, 70%). */
const EXTRA: readonly number[] = REPORT_PERCENTILES.filter((p) => !(PERCENTILES as readonly number[]).includes(p));

/** `REPORT_PERCENTILES` from the `PERCENTILES` ladder and the values at `EXTRA`. */
function reportLadder(ladder: readonly number[], extra: readonly number[]): number[] {
  return REPORT_PERCENTILES.map((p) => {
    const i = (PERCENTILES as readonly number[]).indexOf(p);
    return i >= 0 ? (ladder[i] as number) : (extra[EXTRA.indexOf(p)] as number);
  });
}

/** The history row of `row` for the second ending at `endSec` (Unix seconds). */
export function historyRowOf(s: RowSource, row: number, endSec: number, userCount: number): HistoryRow {
  const c = s.cols;
  const requests = c.requests[row] as number;
  const samples = c.samples(row);
  const minUs = samples > 0 ? (c.minUs[row] as number) : 0;
  const maxUs = c.maxUs[row] as number;
  const rates = s.counters.rates(row, endSec * 1000, s.statsStartedAt);
  const window = s.hists.windowPercentiles(row);
  return {
    timestamp: endSec,
    userCount,
    method: s.names.method(row),
    name: s.names.name(row),
    rps: rates.rps,
    failuresPerSec: rates.failuresPerSec,
    percentilesMs: window.percentilesMs,
    windowRequests: window.requests,
    totalRequests: requests,
    totalFailures: c.failures[row] as number,
    totalMedianMs: samples > 0 ? s.hists.medianMs(row, minUs, maxUs) : 0,
    totalAvgMs: samples > 0 ? (c.sumUs[row] as number) / samples / 1000 : 0,
    totalMinMs: minUs / 1000,
    totalMaxMs: maxUs / 1000,
    totalAvgBytes: requests > 0 ? (c.bytes[row] as number) / requests : 0,
  };
}
