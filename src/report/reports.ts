/**
 * Both reports of a run from one model: what the results directory gets as `report.md` and
 * `report.html`. Pure.
 */
import type { StatsSnapshot } from '../stats/types.js';
import { renderHtml, type HtmlReportOptions } from './html.js';
import { renderMarkdown } from './markdown.js';
import { buildReportModel } from './report-model.js';
import type { RunMeta } from '../run/meta.js';

export const REPORT_FILES = ['report.md', 'report.html'] as const;

export function reportFiles(s: StatsSnapshot, meta: RunMeta, opts: HtmlReportOptions = {}): Record<(typeof REPORT_FILES)[number], string> {
  const model = buildReportModel(s, meta, opts);
  return { 'report.md': renderMarkdown(model), 'report.html': renderHtml(model, s, meta.monitors === undefined ? opts : { ...opts, monitors: meta.monitors }) };
}

