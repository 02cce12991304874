/**
 * The session's results on disk: the results directory (`ResultsWriter`) with `report.md` and
 * `report.html` rendered beside each full write (`LiveReports`).
 */
import type { OpenResults, RunResults } from '../run/results.js';
import { LiveReports } from './report-files.js';
import { ResultsWriter } from './results.js';
import { join } from 'node:path';
import { LogFile } from './log-file.js';
import type { ComparedRun } from '../report/compare.js';

export interface ResultsFilesOptions {
  /** `--results-dir`, default `results`. */
  readonly baseDir: string;
  readonly scenarioName: string;
  /** `--csv PREFIX`. */
  readonly csvPrefix: string | null;
  /** `--json FILE`. */
  readonly jsonFile: string | null;
  /** `--baseline`: the reports end with the comparison with this run. */
  readonly baseline?: ComparedRun | null;
}

/** The script's `log()` lines and console output, in the results directory. */
const SCRIPT_LOG = 'script.log';

/** Opens the results directory when the session starts (creating it; throws when it cannot). */
export function resultsFiles(options: ResultsFilesOptions): OpenResults {
  return ({ onWarning, redact }): RunResults => {
    const reports = new LiveReports({ redact, baseline: options.baseline ?? null });
    const writer = new ResultsWriter({ ...options, onWarning, redact, extraFiles: reports.render });
    const log = new LogFile(join(writer.dir, SCRIPT_LOG), onWarning);
    return {
      dir: writer.dir,
      appendHistory: (rows) => writer.appendHistory(rows),
      writeAll: (snapshot, meta, level) => {
        log.flush();
        return writer.writeAll(snapshot, meta, level);
      },
      writeSnapshot: (snapshot, meta) => {
        log.flush();
        return writer.writeSnapshot(snapshot, meta, [SCRIPT_LOG]);
      },
      observeHistory: (rows) => reports.observe(rows),
      appendLog: (line) => log.append(line),
      append: (name, text) => writer.appendFile(name, text),
    };
  };
}
