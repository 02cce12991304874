/**
 * `report.md`: the write-up people produce by hand after a load test, in the order a pull-request
 * comment wants it — the verdict and the `| Metric | Target | Actual | Status |` SLO table first
 * (with the target's system metrics when monitored), then totals, endpoints, the percentile ladder, user classes, failures by kind (429s and auth
 * failures called out), the run by thirds with a stability verdict, and the configuration last.
 * GitHub-flavoured Markdown, readable as plain text too. Pure: data in, string out.
 *
 * Every text that comes from the run (names, errors, hosts, commands) is escaped: in code spans
 * (with a fence longer than any backtick run inside) or with backslashes, `|` always escaped inside
 * tables, line breaks flattened — a failure message cannot break the layout or inject HTML.
 */
import type { StatsSnapshot } from '../stats/types.js';
import {
  buildReportModel,
  FINAL_RATIO_NOTE,
  THRESHOLD_HINT,
  type Callout,
  type Cell,
  type Inline,
  type ReportModel,
  type ReportOptions,
  type Table,
} from './report-model.js';
import { LEAK_METHOD } from './monitors-report.js';
import type { RunMeta } from '../run/meta.js';

export function reportMarkdown(s: StatsSnapshot, meta: RunMeta, opts: ReportOptions = {}): string {
  return renderMarkdown(buildReportModel(s, meta, opts));
}

/**
 * The verdict first and the SLO table right under it (what a pull-request comment needs), then the
 * numbers, what went wrong, how the run went, and how it was configured.
 */
export function renderMarkdown(m: ReportModel): string {
  const out: string[] = [];
  out.push(`# ${mdText(m.title)}`, '');
  out.push(inlines(m.headline.text), '');
  out.push(inlines(m.subtitle), '');

  out.push('## SLO thresholds', '');
  if (m.slo !== null) out.push(table(m.slo), '');
  else {
    out.push('No thresholds were set for this run, so nothing passed or failed. Add service-level objectives to the scenario:', '');
    out.push('```yaml', THRESHOLD_HINT.yaml, '```', '');
    out.push(`or on the command line: ${code(THRESHOLD_HINT.cli)}`, '');
  }

  if (m.system !== null) {
    out.push('## System metrics', '', table(m.system.metrics), '');
    if (m.system.leaks !== null) out.push('### Memory leak detection', '', table(m.system.leaks), '', `_${mdText(LEAK_METHOD)}_`, '');
  }

  if (m.progress !== null) out.push(callout(m.progress), '');
  for (const c of m.notes) out.push(callout(c), '');

  out.push('## Totals', '', table(m.totals), '');
  out.push('## Endpoints', '', table(m.endpoints), '');
  out.push('## Response time statistics', '', table(m.responseTimes), '');
  if (m.statusCodes !== null) out.push('## Status codes', '', table(m.statusCodes.table), '', inlines(m.statusCodes.classes), '');
  if (m.classes !== null) out.push('## User classes: final ratio', '', FINAL_RATIO_NOTE, '', table(m.classes), '');

  out.push('## Failures', '');
  const f = m.failures;
  if (f.groups === null) out.push('No request failed.', '');
  else {
    for (const c of f.callouts) out.push(callout(c), '');
    out.push('By kind:', '', table(f.groups), '');
    if (f.details !== null) {
      out.push('Every error:', '', table(f.details), '');
      if (f.moreRows > 0) out.push(`…and ${f.moreRows} more rows in ${code('failures.csv')}.`, '');
    }
  }

  out.push('## Stability over the run', '');
  if (m.stability.table !== null) out.push(table(m.stability.table), '');
  out.push(m.stability.verdict === null ? mdText(m.stability.text) : `**Verdict:** ${mdText(m.stability.text)}`, '');
  if (m.stability.note !== '') out.push(`_${mdText(m.stability.note)}_`, '');

  if (m.exceptions !== null) out.push('## Exceptions in the load test itself', '', table(m.exceptions), '');

  out.push('## Run configuration', '', table(m.config), '');

  out.push('---', '');
  out.push(`_Written by ${mdText(m.generatedBy)}. Charts are in ${code('report.html')}; ${code('cicada report <dir>')} writes both again from the results directory._`, '');
  return out.join('\n');
}

const STATUS_MARK = { pass: '✅', fail: '❌', pending: '⏳' } as const;

function callout(c: Callout): string {
  const icon = c.tone === 'good' ? '✅' : c.tone === 'info' ? 'ℹ️' : '⚠️';
  return `> ${icon} **${mdText(c.title)}**  \n> ${inlines(c.text)}`;
}

function table(t: Table): string {
  const lines = [
    `| ${t.head.map(mdCell).join(' | ')} |`,
    `|${t.align.map((a) => (a === 'r' ? '---:' : '---')).join('|')}|`,
    ...t.rows.map((row) => `| ${row.map((c) => cell(c)).join(' | ')} |`),
  ];
  return lines.join('\n');
}

function cell(c: Cell): string {
  const text = typeof c === 'string' || !Array.isArray(c) ? inline(c as Inline) : inlines(c as readonly Inline[]);
  return text === '' ? ' ' : text.replace(/\|/g, '\\|');
}

function inlines(list: readonly Inline[]): string {
  return list.map(inline).join('');
}

function inline(x: Inline): string {
  if (typeof x === 'string') return mdText(x);
  if ('code' in x) return code(x.code);
  if ('status' in x) return x.strong === true ? `**${STATUS_MARK[x.status]} ${mdText(x.text)}**` : `${STATUS_MARK[x.status]} ${mdText(x.text)}`;
  return `**${mdText(x.strong)}**`;
}

/** Prose: Markdown punctuation and HTML escaped, line breaks flattened. */
export function mdText(text: string): string {
  return flatten(text)
    .replace(/[\\`*_[\]|~]/g, (c) => `\\${c}`)
    .replace(/&(?=#?[A-Za-z0-9]+;)/g, '&amp;')
    .replace(/<(?=[A-Za-z/!?])/g, '&lt;')
    .replace(/^([#>]|[-+](?= ))/, '\\$1');
}

function mdCell(text: string): string {
  return mdText(text);
}

/** A code span that holds any text: the fence is longer than any run of backticks inside. */
export function code(text: string): string {
  const t = flatten(text);
  if (t === '') return '—';
  const longest = Math.max(0, ...[...t.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = t.startsWith('`') || t.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${t}${pad}${fence}`;
}

function flatten(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\r\n|[\r\n\u2028\u2029]+/g, ' ').replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '\uFFFD');
}
