/**
 * The results directory of one run: `results/<scenario>-<YYYYMMDD-HHMMSS>/` with Locust's CSV files,
 * `summary.json` and the reports, written atomically every few seconds and at the end; the history
 * streamed a row per second; mid-run snapshots under `snapshots/<elapsed>/`. Each file is written
 * on its own: one that fails (disk full, permissions) is reported and the others are still written.
 */
import { closeSync, existsSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { formatDuration } from '../scenario/duration.js';
import { exceptionsCsv, failuresCsv, historyCsvHeader, historyCsvRows, statsCsv } from '../report/csv.js';
import { summaryJson } from '../report/summary.js';
import type { RunMeta } from '../run/meta.js';
import type { HistoryRow, StatsSnapshot } from '../stats/types.js';
import { makeNewDir, writableTarget, writeFileAtomic } from './atomic.js';

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
  /**
   * Descriptors of the streamed history files, opened before any user starts: appending then needs
   * no new descriptor, so history is not lost when the run has used them all (EMFILE).
   */
  private readonly appendFds = new Map<string, number>();
  /** History bytes that could not be appended yet; written first by the next append. */
  private readonly unwritten = new Map<string, Buffer>();
  /** Names of the run directory's streamed files (`stats_history.csv`, `monitors.csv`): a snapshot copies them. */
  private readonly streamed = new Set<string>();

  constructor(
    private readonly options: ResultsOptions,
    startedAt: Date = new Date(),
  ) {
    const base = resolve(options.baseDir);
    const stem = `${slug(options.scenarioName)}-${stamp(startedAt)}`;
    this.dir = makeNewDir(join(base, stem));
    this.append('stats_history.csv', historyCsvHeader());
    if (options.csvPrefix !== null) {
      this.appendTo(`${options.csvPrefix}_stats_history.csv`, historyCsvHeader(), true);
      this.appendTo(`${options.csvPrefix}_stats_history.csv`, '', false); // opens it now
    }
  }

  /** Closes the history files (appends after this reopen them). */
  close(): void {
    for (const fd of this.appendFds.values()) {
      try {
        closeSync(fd);
      } catch {
        // already closed
      }
    }
    this.appendFds.clear();
  }

  /** Streams history rows (one second each) to `stats_history.csv` (and the `--csv` copy). */
  appendHistory(rows: readonly HistoryRow[]): void {
    if (rows.length === 0) return;
    const text = historyCsvRows(rows);
    this.append('stats_history.csv', text);
    if (this.options.csvPrefix !== null) this.appendTo(`${this.options.csvPrefix}_stats_history.csv`, text, false);
  }

  /** Appends `text` to the run directory's file `name` (a streamed file like `monitors.csv`). */
  appendFile(name: string, text: string): void {
    this.append(name, text);
  }

  /**
   * Writes the results files for `snapshot`: `'csv'` the CSV files only (cheap whatever the run's
   * length); `'data'` with `summary.json` too; `'all'` with the reports as well (at the end and for
   * snapshots: they are views of `summary.json`, which `cicada report DIR` can render again). Returns
   * the names that could not be written (each also reported once through onWarning).
   */
  writeAll(snapshot: StatsSnapshot, meta: RunMeta, level: 'csv' | 'data' | 'all' = 'all'): string[] {
    const failed: string[] = [];
    for (const [name, render] of level === 'csv' ? this.csvFiles(snapshot) : this.files(snapshot, meta, level === 'all')) {
      if (!this.write(join(this.dir, name), render)) failed.push(name);
    }
    const prefix = this.options.csvPrefix;
    if (prefix !== null) {
      for (const [name, render] of this.csvFiles(snapshot)) {
        if (!this.write(`${prefix}_${name}`, render)) failed.push(`${prefix}_${name}`);
      }
    }
    if (level !== 'csv' && this.options.jsonFile !== null && !this.write(this.options.jsonFile, () => json(snapshot, meta, this.options.redact))) failed.push(this.options.jsonFile);
    return failed;
  }

  /**
   * A results directory of this moment in `snapshots/<elapsed>/`: every CSV, summary.json and the
   * reports rendered from `snapshot`, and the streamed files (`stats_history.csv`, `monitors.csv`,
   * and `also`, e.g. `script.log`, when they exist) as they stand, so `cicada report` renders it
   * like the run's own; its meta says it is a snapshot. The `--csv` and `--json` files are the
   * run's and are not touched. Returns the directory; throws when a file of it could not be
   * written (each also reported through onWarning).
   */
  writeSnapshot(snapshot: StatsSnapshot, runMeta: RunMeta, also: readonly string[] = []): string {
    const meta: RunMeta = { ...runMeta, snapshot: true };
    const stem = join(this.dir, 'snapshots', formatDuration(Math.round(snapshot.run.elapsedMs / 1000) * 1000));
    const dir = makeNewDir(stem);
    const streamed = [...this.streamed, ...also.filter((n) => !this.streamed.has(n) && existsSync(join(this.dir, n)))];
    const copies = streamed.map((name): Render => [name, () => this.streamedText(name)]);
    const failed = [...this.files(snapshot, meta, true), ...copies].filter(([name, render]) => !this.write(join(dir, name), render)).map(([name]) => name);
    if (failed.length > 0) throw new Error(`the snapshot in ${dir} is incomplete: ${failed.join(', ')} could not be written`);
    return dir;
  }

  /** A streamed file's text as it stands: what is on disk and what is still waiting to be appended. */
  private streamedText(name: string): string {
    const path = join(this.dir, name);
    const waiting = this.unwritten.get(path);
    return readFileSync(path, 'utf8') + (waiting === undefined ? '' : waiting.toString('utf8'));
  }

  private csvFiles(s: StatsSnapshot): Render[] {
    return [
      ['stats.csv', () => statsCsv(s)],
      ['failures.csv', () => failuresCsv(s)],
      ['exceptions.csv', () => exceptionsCsv(s)],
    ];
  }

  private files(s: StatsSnapshot, meta: RunMeta, withExtra: boolean): Render[] {
    const list: Render[] = [...this.csvFiles(s), ['summary.json', () => json(s, meta, this.options.redact)]];
    if (withExtra && this.options.extraFiles !== undefined) {
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
    this.streamed.add(name);
    this.appendTo(join(this.dir, name), text, false);
  }

  private appendTo(path: string, text: string, truncate: boolean): void {
    const earlier = this.unwritten.get(path);
    let due = earlier === undefined ? Buffer.from(text) : Buffer.concat([earlier, Buffer.from(text)]);
    try {
      if (truncate) {
        writeFileAtomic(path, due);
        due = Buffer.alloc(0);
      } else {
        let fd = this.appendFds.get(path);
        if (fd === undefined) this.appendFds.set(path, (fd = openSync(writableTarget(path), 'a')));
        while (due.length > 0) due = due.subarray(writeSync(fd, due));
      }
      this.unwritten.delete(path);
      this.failedOnce.delete(path);
    } catch (err) {
      this.warnOnce(path, `could not write ${path}: ${(err as Error).message}`);
      if (due.length <= MAX_UNWRITTEN_BYTES) this.unwritten.set(path, due);
      else {
        this.unwritten.delete(path);
        this.warnOnce(`${path} (lost)`, `${due.length} bytes of history for ${path} could not be written and were dropped`);
      }
    }
  }

  private warnOnce(key: string, message: string): void {
    if (this.failedOnce.has(key)) return;
    this.failedOnce.add(key);
    this.options.onWarning(message);
  }
}

/** History kept in memory while its file cannot be written (≈ 80,000 one-second rows). */
const MAX_UNWRITTEN_BYTES = 16 * 1024 * 1024;

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
