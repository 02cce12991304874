/**
 * Locust's "Response Time Statistics" table of its HTML report, in both reports: per endpoint and
 * Aggregated, the response time at 50, 60, 70, 80, 90, 95, 99, 99.9, 99.99 and 100%. Results
 * written before cicada kept 60% and 70% show `—` there. Pure.
 */
import { latencySamples, PERCENTILES, REPORT_PERCENTILES, type EndpointStats, type StatsSnapshot } from '../stats/types.js';
import { fmtMs } from '../stats/format.js';
import type { Cell, Table } from './report-model.js';

export const REPORT_PERCENTILE_HEADS: readonly string[] = REPORT_PERCENTILES.map((p) => `${String(Math.round(p * 10_000) / 100)}%`);

export function responseTimesTable(s: StatsSnapshot): Table {
  const row = (e: EndpointStats, total: boolean): Cell[] => {
    const values = reportLadder(e);
    const none = latencySamples(e) === 0;
    return [total ? '' : e.method, total ? { strong: 'Aggregated' } : { code: e.name }, ...values.map((v) => (none || v === null ? '—' : fmtMs(v)))];
  };
  return {
    head: ['Method', 'Name', ...REPORT_PERCENTILE_HEADS],
    align: ['l', 'l', ...REPORT_PERCENTILES.map(() => 'r' as const)],
    rows: [...s.endpoints.map((e) => row(e, false)), row(s.total, true)],
    totalRow: true,
  };
}

/** `e`'s values at `REPORT_PERCENTILES`; null where the snapshot does not know them. */
export function reportLadder(e: EndpointStats): (number | null)[] {
  if (e.reportPercentilesMs !== undefined) return [...e.reportPercentilesMs];
  return REPORT_PERCENTILES.map((p) => {
    const i = (PERCENTILES as readonly number[]).indexOf(p);
    return i < 0 ? null : (e.percentilesMs[i] ?? null);
  });
}
