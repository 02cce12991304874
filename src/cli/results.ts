/**
 * The results directory of one run: `results/<scenario>-<YYYYMMDD-HHMMSS>/` with Locust's CSV files,
 * `summary.json` and the reports, written atomically every few seconds and at the end; the history
 * streamed a row per second; mid-run snapshots under `snapshots/<elapsed>/`. Each file is written
 * on its own: one that fails (disk full, permissions) is reported and the others are still written.
 */
import { appendFileSync, existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { formatDuration } from '../scenario/duration.js';
import { exceptionsCsv, failuresCsv, historyCsvHeader, historyCsvRows, statsCsv } from '../report/csv.js';
import { summaryJson } from '../report/summary.js';
import type { RunMeta } from '../report/types.js';
import type { HistoryRow, StatsSnapshot } from '../stats/types.js';
import { writeFileAtomic } from './atomic.js';

export interface ResultsOptions {
  /** `--results-dir`, default `results`. */
  readonly baseDir: string;
  readonly scenarioName: string;
  /** `--csv PREFIX`: Locust's file names as well. */
  readonly csvPrefix: string | null;
  /** `--json FILE`: summary.json there as well. */
  readonly jsonFile: string | null;
  readonly onWarning: (message: string) => void;
  /** Applied to text in summary.json that may quote a secret. */
  readonly redact?: (text: string) => string;
  /** Extra files rendered from the same snapshot (reports): file name → content. */
  readonly extraFiles?: (snapshot: StatsSnapshot, meta: RunMeta) => Record<string, string>;
}

/** One file to write: its name and how to render it. Rendering errors are isolated like write errors. */
type Render = readonly [name: string, render: () => string];

export class ResultsWriter {
  /** Absolute path of the run's directory. */
  readonly dir: string;
  private readonly failedOnce = new Set<string>();

  constructor(
    private readonly options: ResultsOptions,
    startedAt: Date = new Date(),
  ) {
    const base = resolve(options.baseDir);
    const stem = `${slug(options.scenarioName)}-${stamp(startedAt)}`;
    let dir = join(base, stem);
    for (let n = 2; existsSync(dir); n++) dir = join(base, `${stem}-${n}`);
    mkdirSync(dir, { recursive: true });
    this.dir = dir;
    this.append('stats_history.csv', historyCsvHeader());
    if (options.csvPrefix !== null) this.appendTo(`${options.csvPrefix}_stats_history.csv`, historyCsvHeader(), true);
  }

  /** Streams history rows (one second each) to `stats_history.csv` (and the `--csv` copy). */
  appendHistory(rows: readonly HistoryRow[]): void {
    if (rows.length === 0) return;
    const text = historyCsvRows(rows);
    this.append('stats_history.csv', text);
    if (this.options.csvPrefix !== null) this.appendTo(`${this.options.csvPrefix}_stats_history.csv`, text, false);
  }

  /**
   * Writes every results file for `snapshot`. Returns the names that could not be written (each
   * also reported once through onWarning).
   */
  writeAll(snapshot: StatsSnapshot, meta: RunMeta): string[] {
    const failed: string[] = [];
    for (const [name, render] of this.files(snapshot, meta)) {
      if (!this.write(join(this.dir, name), render)) failed.push(name);
    }
    const prefix = this.options.csvPrefix;
    if (prefix !== null) {
      for (const [name, render] of this.csvFiles(snapshot)) {
        if (!this.write(`${prefix}_${name}`, render)) failed.push(`${prefix}_${name}`);
      }
    }
    if (this.options.jsonFile !== null && !this.write(this.options.jsonFile, () => json(snapshot, meta, this.options.redact))) failed.push(this.options.jsonFile);
    return failed;
  }

  /** Every CSV and summary.json for this moment, in `snapshots/<elapsed>/`. Returns that directory. */
  writeSnapshot(snapshot: StatsSnapshot, meta: RunMeta): string {
    const stem = join(this.dir, 'snapshots', formatDuration(Math.round(snapshot.run.elapsedMs / 1000) * 1000));
    let dir = stem;
    for (let n = 2; existsSync(dir); n++) dir = `${stem}-${n}`;
    mkdirSync(dir, { recursive: true });
    for (const [name, render] of this.files(snapshot, meta)) this.write(join(dir, name), render);
    return dir;
  }

  private csvFiles(s: StatsSnapshot): Render[] {
    return [
      ['stats.csv', () => statsCsv(s)],
      ['failures.csv', () => failuresCsv(s)],
      ['exceptions.csv', () => exceptionsCsv(s)],
    ];
  }

  private files(s: StatsSnapshot, meta: RunMeta): Render[] {
    const list: Render[] = [...this.csvFiles(s), ['summary.json', () => json(s, meta, this.options.redact)]];
    if (this.options.extraFiles !== undefined) {
      let extra: Record<string, string> = {};
      try {
        extra = this.options.extraFiles(s, meta);
      } catch (err) {
        this.warnOnce('reports', `could not render the reports: ${(err as Error).message}`);
      }
      for (const [name, content] of Object.entries(extra)) list.push([name, () => content]);
    }
    return list;
  }

  private write(path: string, render: () => string): boolean {
    try {
      writeFileAtomic(path, render());
      this.failedOnce.delete(path);
      return true;
    } catch (err) {
      this.warnOnce(path, `could not write ${path}: ${(err as Error).message}`);
      return false;
    }
  }

  private append(name: string, text: string): void {
    this.appendTo(join(this.dir, name), text, false);
  }

  private appendTo(path: string, text: string, truncate: boolean): void {
    try {
      if (truncate) writeFileAtomic(path, text);
      else appendFileSync(path, text);
    } catch (err) {
      this.warnOnce(path, `could not write ${path}: ${(err as Error).message}`);
    }
  }

  private warnOnce(key: string, message: string): void {
    if (this.failedOnce.has(key)) return;
    this.failedOnce.add(key);
    this.options.onWarning(message);
  }
}

function json(s: StatsSnapshot, meta: RunMeta, redact?: (text: string) => string): string {
  return `${JSON.stringify(summaryJson(s, meta, redact === undefined ? undefined : { text: redact }), null, 2)}\n`;
}

/** A name safe for a directory: `My Test!` → `my-test`. */
export function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'run';
}

/** Local time as `YYYYMMDD-HHMMSS`. */
export function stamp(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}
