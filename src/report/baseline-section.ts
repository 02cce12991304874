/**
 * The comparison with a baseline run (`cicada run --baseline`) as a section of both reports: its
 * verdict first, then the table `cicada compare` prints (A the baseline, B this run). Pure.
 */
import { fmtSignedPercent, fmtSignedPoints } from '../stats/format.js';
import { type Comparison, formatComparison } from './compare.js';
import { escapeHtml } from './html-escape.js';

/** One line: `Against the baseline: REGRESSION — p95 +18% on GET /a` or `OK`. */
export function baselineVerdict(c: Comparison): string {
  if (c.regressions.length === 0) return `Against the baseline (${c.baseline.label}): OK — no regression beyond tolerance`;
  const first = c.regressions
    .slice(0, 3)
    .map((g) => `${g.metric === 'errorRate' ? 'error rate' : g.metric} ${g.change === null ? 'new' : g.metric === 'errorRate' ? fmtSignedPoints(g.change) : fmtSignedPercent(g.change)} on ${g.endpoint}`);
  const more = c.regressions.length > 3 ? ` and ${c.regressions.length - 3} more` : '';
  return `Against the baseline (${c.baseline.label}): REGRESSION — ${first.join(', ')}${more}`;
}

export function baselineMarkdown(c: Comparison): string {
  return `\n## Against the baseline\n\n**${baselineVerdict(c)}**\n\n\`\`\`text\n${formatComparison(c)}\`\`\`\n`;
}

export function baselineHtml(c: Comparison): string {
  return `<section id="baseline"><h2>Against the baseline</h2><p><strong>${escapeHtml(baselineVerdict(c))}</strong></p><pre>${escapeHtml(formatComparison(c))}</pre></section>\n`;
}

/** Both reports with the section added (markdown at the end, HTML before the end of `<main>`). */
export function withBaseline<T extends { 'report.md': string; 'report.html': string }>(files: T, c: Comparison): T {
  const html = files['report.html'];
  const at = html.lastIndexOf('</main>');
  return {
    ...files,
    'report.md': `${files['report.md'].trimEnd()}\n${baselineMarkdown(c)}`,
    'report.html': at < 0 ? html + baselineHtml(c) : html.slice(0, at) + baselineHtml(c) + html.slice(at),
  };
}
