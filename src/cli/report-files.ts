/**
 * The reports of a running session, for `ResultsWriter`'s `extraFiles`: `report.md` and
 * `report.html` rendered from each snapshot it writes (periodically, at the end, and into mid-run
 * snapshots).
 *
 * The snapshot carries only the last hour of history; this keeps the whole run's Aggregated
 * history for the charts, in bounded memory: beyond `maxRows` rows, neighbours are merged
 * (`halveHistory`), so a day-long run keeps at most `maxRows` rows (≈ 1 MB) and charts stay exact
 * in throughput. Per-third percentiles are computed incrementally between renders (`ReportCache`).
 */
import { halveHistory } from '../stats/chart-series.js';
import { newReportCache } from '../report/report-model.js';
import { readSummary } from '../report/load-results.js';
import { reportFiles } from '../report/reports.js';
import { summaryJson } from '../report/summary.js';
import type { RunMeta } from '../run/meta.js';
import type { HistoryRow, StatsSnapshot } from '../stats/types.js';
import { compareRuns, type ComparedRun } from '../report/compare.js';
import { withBaseline } from '../report/baseline-section.js';

export class LiveReports {
  private rows: HistoryRow[] = [];
  private lastTimestamp = -Infinity;
  private readonly cache = newReportCache();

  private readonly maxRows: number;

  /** `redact`: applied to every text that may quote a secret, as in summary.json (the same texts). */
  /** `baseline`: the run given by `--baseline`; both reports then end with the comparison with it. */
  constructor(private readonly opts: { readonly redact?: (text: string) => string; readonly maxRows?: number; readonly baseline?: ComparedRun | null } = {}) {
    this.maxRows = Math.max(16, opts.maxRows ?? 4000);
  }

  /**
   * `extraFiles` for `ResultsWriter`. The reports are rendered from the run as `summary.json`
   * states it (rounded and redacted the same way), so `cicada report DIR` later writes the same
   * `report.md`.
   */
  readonly render = (snapshot: StatsSnapshot, meta: RunMeta): Record<string, string> => {
    this.observe(snapshot.history);
    const redact = this.opts.redact;
    // The history goes to the reports from `rows`; leaving it out of this round trip halves the cost.
    const run = readSummary(summaryJson({ ...snapshot, history: [] }, meta, redact === undefined ? undefined : { text: redact }));
    const files = reportFiles(run.snapshot, run.meta, { history: this.rows, cache: this.cache });
    const baseline = this.opts.baseline ?? null;
    return baseline === null ? files : withBaseline(files, compareRuns(baseline, { label: 'this run', snapshot: run.snapshot, meta: run.meta }));
  };

  /** Rows kept so far (merged when the run is long). */
  history(): readonly HistoryRow[] {
    return this.rows;
  }

  /**
   * Takes in a snapshot's history (rows already seen are skipped): `render` does, and the session
   * calls this at every flush, so rows that leave the snapshot's one-hour ring between renders are kept.
   */
  observe(rows: readonly HistoryRow[]): void {
    for (const r of rows) {
      if (r.timestamp <= this.lastTimestamp) continue;
      this.rows.push(r);
      this.lastTimestamp = r.timestamp;
    }
    while (this.rows.length > this.maxRows) this.rows = halveHistory(this.rows);
  }
}
