/**
 * Both reports of a run from one model: what the results directory gets as `report.md` and
 * `report.html`. Pure.
 */
import type { StatsSnapshot } from '../stats/types.js';
import { renderHtml, type HtmlReportOptions } from './html.js';
import { renderMarkdown } from './markdown.js';
import { buildReportModel } from './report-model.js';
import type { RunMeta } from './types.js';

export const REPORT_FILES = ['report.md', 'report.html'] as const;

export function reportFiles(s: StatsSnapshot, meta: RunMeta, opts: HtmlReportOptions = {}): Record<(typeof REPORT_FILES)[number], string> {
  const model = buildReportModel(s, meta, opts);
  return { 'report.md': renderMarkdown(model), 'report.html': renderHtml(model, s, opts) };
}

/**
 * The snapshot and meta with every text that may quote a secret passed through `redact` — the same
 * texts `summaryJson` redacts: endpoint and failure names, errors, exceptions, host, command line,
 * stop reason.
 */
export function redactRun(s: StatsSnapshot, meta: RunMeta, redact: (text: string) => string): { snapshot: StatsSnapshot; meta: RunMeta } {
  return {
    snapshot: {
      ...s,
      endpoints: s.endpoints.map((e) => ({ ...e, name: redact(e.name) })),
      failures: s.failures.map((f) => ({ ...f, name: redact(f.name), error: redact(f.error) })),
      exceptions: s.exceptions.map((x) => ({
        ...x,
        message: redact(x.message),
        traceback: redact(x.traceback),
        context: redact(x.context),
        contexts: x.contexts.map(redact),
      })),
      run: { ...s.run, stopReason: s.run.stopReason === null ? null : redact(s.run.stopReason) },
    },
    meta: {
      ...meta,
      host: redact(meta.host),
      commandLine: redact(meta.commandLine),
      stopReason: meta.stopReason === null ? null : redact(meta.stopReason),
    },
  };
}
