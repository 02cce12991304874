/**
 * `report.html`: one self-contained page — inline CSS, inline SVG charts generated here, no script,
 * no font, no image, no request of any kind (a Content-Security-Policy of `default-src 'none'`
 * says so to the browser too). The same tables as `report.md` (both render `report-model.ts`),
 * plus charts of throughput and failures per second, p50/p95 response time and users over time.
 * Light and dark (`prefers-color-scheme`), and printable. Every text from the run is escaped.
 * Pure: data in, string out.
 */
import { latencySamples, type StatsSnapshot } from '../stats/types.js';
import { chartSeries, type ChartPanel, type ChartSeries } from '../stats/chart-series.js';
import { escapeHtml } from './html-escape.js';
import { NO_VALUE, fmtCount, fmtExact, fmtMs, fmtNumber, fmtPercent, fmtPercentOf, fmtRate } from '../stats/format.js';
import {
  buildReportModel,
  FINAL_RATIO_NOTE,
  THRESHOLD_HINT,
  type Callout,
  type Cell,
  type Inline,
  type ReportModel,
  type ReportMarker,
  type ReportOptions,
  type Table,
} from './report-model.js';
import { legend, lineChart, type ChartRule, type LineSeries } from './svg-chart.js';
import type { MonitorSummary } from '../run/monitors/types.js';
import { LEAK_METHOD, monitorChartsHtml } from './monitors-report.js';
import type { RunMeta } from '../run/meta.js';

export interface HtmlReportOptions extends ReportOptions {
  /** Most points per chart; longer histories are merged (default 900). */
  readonly maxPoints?: number;
  /** The target's series, charted under the load charts. */
  readonly monitors?: readonly MonitorSummary[];
}

export function reportHtml(s: StatsSnapshot, meta: RunMeta, opts: HtmlReportOptions = {}): string {
  return renderHtml(buildReportModel(s, meta, opts), s, meta.monitors === undefined ? opts : { ...opts, monitors: meta.monitors });
}

/** The page for a model built from `s` (so `report.md` and `report.html` can share one model). */
export function renderHtml(m: ReportModel, s: StatsSnapshot, opts: HtmlReportOptions = {}): string {
  return page(m, s, chartSeries(opts.history ?? s.history, { sinceMs: s.statsStartedAt, maxPoints: opts.maxPoints ?? 900 }), opts.monitors ?? [], s.statsStartedAt);
}

const I95 = 5;
const I99 = 7;

function page(m: ReportModel, s: StatsSnapshot, series: ChartSeries, monitors: readonly MonitorSummary[], startedAtMs: number): string {
  const t = s.total;
  const body: string[] = [];
  body.push(`<header><h1>${escapeHtml(m.title)}</h1>`);
  body.push(`<p class="headline ${m.headline.tone}">${inlines(m.headline.text)}</p>`);
  body.push(`<p class="subtitle">${inlines(m.subtitle)}</p>`);
  if (m.progress !== null) body.push(callout(m.progress));
  body.push('</header>');
  for (const c of m.notes) body.push(callout(c));

  body.push('<section class="cards" aria-label="Key numbers">');
  body.push(card('Requests', fmtCount(t.requests)));
  body.push(card('Failed', fmtPercentOf(t.failures, t.requests), t.failures > 0 ? 'bad' : ''));
  body.push(card('Throughput', fmtRate(t.rps)));
  body.push(card('p95', latencySamples(t) > 0 ? fmtMs(t.percentilesMs[I95] ?? 0) : NO_VALUE));
  body.push(card('p99', latencySamples(t) > 0 ? fmtMs(t.percentilesMs[I99] ?? 0) : NO_VALUE));
  body.push('</section>');

  body.push(section('slo', 'SLO thresholds', m.slo !== null ? table(m.slo, 'slo') : noThresholds()));
  if (m.system !== null) {
    const leaks = m.system.leaks === null ? '' : `<h3>Memory leak detection</h3>\n${table(m.system.leaks, 'leaks')}<p class="note">${escapeHtml(LEAK_METHOD)}</p>`;
    body.push(section('system-metrics', 'System metrics', `${table(m.system.metrics, 'system')}${leaks}`));
  }
  body.push(section('charts', 'Over time', charts(series, m.markers)));
  if (monitors.length > 0) body.push(section('monitor-charts', 'The target over time', monitorChartsHtml(monitors, startedAtMs)));
  body.push(section('endpoints-section', 'Endpoints', table(m.endpoints, 'endpoints')));
  body.push(section('response-times-section', 'Response time statistics', table(m.responseTimes, 'response-times')));
  if (m.statusCodes !== null) {
    body.push(section('status-codes-section', 'Status codes', `${table(m.statusCodes.table, 'status-codes')}<p class="note">${inlines(m.statusCodes.classes)}</p>`));
  }
  if (m.classes !== null) {
    body.push(section('classes-section', 'User classes: final ratio', `<p class="note">${escapeHtml(FINAL_RATIO_NOTE)}</p>${table(m.classes, 'classes')}`));
  }
  body.push(section('failures-section', 'Failures', failures(m)));
  const st = m.stability;
  body.push(
    section(
      'stability-section',
      'Stability over the run',
      `${st.table !== null ? table(st.table, 'stability') : ''}<p class="verdict${st.verdict === null ? '' : ` v-${st.verdict.replace(/ /g, '-')}`}">${st.verdict === null ? '' : '<strong>Verdict:</strong> '}${escapeHtml(st.text)}</p>${st.note === '' ? '' : `<p class="note">${escapeHtml(st.note)}</p>`}`,
    ),
  );
  if (m.exceptions !== null) body.push(section('exceptions-section', 'Exceptions in the load test itself', table(m.exceptions, 'exceptions')));
  body.push(section('config-section', 'Totals and configuration', `<div class="two">${table(m.totals, 'totals')}${table(m.config, 'config')}</div>`));
  body.push(`<footer>Written by ${escapeHtml(m.generatedBy)}. <code>cicada report &lt;dir&gt;</code> writes this page and report.md again from the results directory.</footer>`);

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="generator" content="${escapeHtml(m.generatedBy)}">
<title>${escapeHtml(m.title)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
${body.join('\n')}
</main>
</body>
</html>
`;
}

function charts(c: ChartSeries, markers: readonly ReportMarker[]): string {
  if (c.t.length === 0) return '<p class="empty">No history yet: the charts appear after the first second of traffic.</p>';
  const rules = (...panels: ChartPanel[]): ChartRule[] =>
    markers
      .filter((mk) => panels.includes(mk.panel))
      .map((mk) => ({ value: mk.value, label: mk.label, status: mk.status, title: `Threshold ${mk.label}: ${MARKER_WORD[mk.status]} (actual ${mk.actual})` }));
  const figure = (id: string, title: string, caption: string, series: LineSeries[], yLabel: (v: number) => string, valueText: (v: number) => string, markerRules: ChartRule[] = []): string =>
    `<figure id="${id}"><figcaption><strong>${escapeHtml(title)}</strong> ${legend(series)}<span class="cap">${escapeHtml(caption)}${markerRules.length > 0 ? ' Dashed: the thresholds.' : ''} Hover for values.</span></figcaption>${lineChart({ title, x: c.t, series, yLabel, valueText, markers: markerRules })}</figure>`;
  const wide = c.t.length > 1 && (c.t.at(-1)! - (c.t.at(-2) ?? 0)) > 1.5;
  const span = wide ? ' Each point spans several seconds.' : '';
  const failureRules = rules('failures');
  const anyFailure = c.failuresPerSec.some((v) => v > 0);
  return [
    figure(
      'chart-throughput',
      'Throughput',
      `Requests and failures completed per second.${wide ? ' Averages over each point’s span.' : ''}`,
      [
        { name: 'requests/s', key: 'rps', cls: 'c-rps', values: c.rps },
        { name: 'failures/s', key: 'failures', cls: 'c-fail', values: c.failuresPerSec },
      ],
      (v) => `${axis(v)}/s`,
      fmtRate,
      rules('throughput'),
    ),
    ...(anyFailure || failureRules.length > 0
      ? [
          figure(
            'chart-failure-rate',
            'Failure rate',
            `Failed requests of those completed at each point.${span}`,
            [{ name: 'failed', key: 'fail-ratio', cls: 'c-fail', values: c.failRatio.map((v) => (v === null ? null : v * 100)) }],
            (v) => `${axis(v)}%`,
            (v) => fmtPercent(v / 100),
            failureRules,
          ),
        ]
      : []),
    figure(
      'chart-latency',
      'Response time',
      `Over the last 10s at each point.${wide ? ' The highest value in each point’s span.' : ''}`,
      [
        { name: 'p50', key: 'p50', cls: 'c-p50', values: c.p50Ms },
        { name: 'p95', key: 'p95', cls: 'c-p95', values: c.p95Ms },
      ],
      (v) => `${axis(v)} ms`,
      fmtMs,
      rules('median', 'tail'),
    ),
    figure('chart-users', 'Users', `Users running.${span}`, [{ name: 'users', key: 'users', cls: 'c-users', values: c.users }], (v) => fmtCount(v), fmtCount),
  ].join('\n');
}

const MARKER_WORD = { pass: 'met', fail: 'not met', pending: 'no data yet' } as const;

/** An axis tick: `0`, `2.5`, `1500` — ticks are round numbers, written exactly (`fmtNumber` would round 0.025 to `0.03`). */
const axis = fmtExact;

function failures(m: ReportModel): string {
  const f = m.failures;
  if (f.groups === null) return '<p class="good-text">No request failed.</p>';
  const parts = f.callouts.map(callout);
  parts.push('<h3>By kind</h3>', table(f.groups, 'failure-kinds'));
  if (f.details !== null) {
    parts.push('<h3>Every error</h3>', table(f.details, 'failures'));
    if (f.moreRows > 0) parts.push(`<p class="note">…and ${f.moreRows} more rows in failures.csv.</p>`);
  }
  return parts.join('\n');
}

function noThresholds(): string {
  return `<p>No thresholds were set for this run, so nothing passed or failed. Add service-level objectives to the scenario:</p>
<pre>${escapeHtml(THRESHOLD_HINT.yaml)}</pre>
<p>or on the command line: <code>${escapeHtml(THRESHOLD_HINT.cli)}</code></p>`;
}

function section(id: string, title: string, content: string): string {
  return `<section id="${id}"><h2>${escapeHtml(title)}</h2>\n${content}\n</section>`;
}

function card(label: string, value: string, tone = ''): string {
  return `<div class="card${tone === '' ? '' : ` ${tone}`}"><span class="label">${escapeHtml(label)}</span><span class="value">${escapeHtml(value)}</span></div>`;
}

function callout(c: Callout): string {
  return `<div class="callout ${c.tone}" role="note"><strong>${escapeHtml(c.title)}</strong><br>${inlines(c.text)}</div>`;
}

function table(t: Table, id: string): string {
  const cls = (i: number): string => (t.align[i] === 'r' ? ' class="r"' : '');
  const head = t.head.map((h, i) => `<th scope="col"${cls(i)}>${escapeHtml(h)}</th>`).join('');
  const rows = t.rows
    .map((row, r) => {
      const total = t.totalRow === true && r === t.rows.length - 1;
      const cells = row.map((c, i) => `<td${cellClass(c, t.align[i] === 'r')}>${cell(c)}</td>`).join('');
      return `<tr${total ? ' class="total"' : ''}>${cells}</tr>`;
    })
    .join('\n');
  return `<div class="scroll"><table id="${id}"><thead><tr>${head}</tr></thead>\n<tbody>\n${rows}\n</tbody></table></div>`;
}

function cellClass(c: Cell, right: boolean): string {
  const classes: string[] = right ? ['r'] : [];
  if (typeof c === 'object' && !Array.isArray(c) && 'status' in (c as Inline & object)) classes.push('status');
  return classes.length > 0 ? ` class="${classes.join(' ')}"` : '';
}

function cell(c: Cell): string {
  return typeof c === 'string' || !Array.isArray(c) ? inline(c as Inline) : inlines(c as readonly Inline[]);
}

function inlines(list: readonly Inline[]): string {
  return list.map(inline).join('');
}

function inline(x: Inline): string {
  if (typeof x === 'string') return escapeHtml(x);
  if ('code' in x) return `<code>${escapeHtml(x.code)}</code>`;
  if ('status' in x) return `<span class="badge ${x.status}">${STATUS_MARK[x.status]} ${escapeHtml(x.text)}</span>`;
  return `<strong>${escapeHtml(x.strong)}</strong>`;
}

/** Marks every font has (the emoji of report.md may be missing on a server or in print). */
const STATUS_MARK = { pass: '✓', fail: '✗', pending: '…' } as const;

const CSS = `
:root{--bg:#fff;--fg:#1d232b;--muted:#5f6b7a;--line:#d9dee5;--head:#f3f5f8;--code:#eef1f5;
--good:#1a7f37;--bad:#cf222e;--warn:#9a6700;--info:#0969da;
--rps:#0969da;--fail:#cf222e;--p50:#1a7f37;--p95:#bc4c00;--users:#8250df;color-scheme:light dark}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;--line:#30363d;--head:#161b22;--code:#1f2630;
--good:#3fb950;--bad:#f85149;--warn:#d29922;--info:#58a6ff;--rps:#58a6ff;--fail:#f85149;--p50:#3fb950;--p95:#f0883e;--users:#bc8cff}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif}
main{max-width:1120px;margin:0 auto;padding:24px 20px 40px}
h1{font-size:1.6em;margin:0 0 8px}h2{font-size:1.25em;margin:32px 0 10px;padding-bottom:4px;border-bottom:1px solid var(--line)}h3{font-size:1.02em;margin:18px 0 8px}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.88em;background:var(--code);border-radius:4px}
code{padding:1px 4px;overflow-wrap:anywhere}pre{padding:10px 12px;overflow:auto}
.headline{font-size:1.08em;padding:10px 14px;border-radius:6px;border-left:5px solid var(--info);background:var(--head)}
.headline.good{border-color:var(--good)}.headline.bad{border-color:var(--bad)}.headline.warn{border-color:var(--warn)}
.subtitle,.note,.cap,footer{color:var(--muted)}.note{font-size:.9em}
.callout{margin:12px 0;padding:10px 14px;border-radius:6px;border:1px solid var(--line);border-left:5px solid var(--info)}
.callout.warn{border-left-color:var(--warn)}.callout.bad{border-left-color:var(--bad)}.callout.good{border-left-color:var(--good)}
.cards{display:flex;flex-wrap:wrap;gap:10px;margin:18px 0}
.card{flex:1 1 150px;border:1px solid var(--line);border-radius:6px;padding:8px 12px}
.card .label{display:block;color:var(--muted);font-size:.85em}.card .value{font-size:1.35em;font-weight:600;font-variant-numeric:tabular-nums}
.card.bad .value{color:var(--bad)}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums;font-size:.92em}
th,td{padding:5px 9px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
th{background:var(--head);font-weight:600;white-space:nowrap}
.r{text-align:right;white-space:nowrap}
tr.total td{font-weight:600;border-top:2px solid var(--line)}
td.status{white-space:nowrap}.badge{display:inline-block;padding:0 8px;border-radius:10px;font-weight:600;color:#fff;font-size:.92em}
.badge.pass{background:var(--good)}.badge.fail{background:var(--bad)}.badge.pending{background:var(--warn)}
.two th:first-child,.two td:first-child{white-space:nowrap}
.verdict{font-size:1.02em}.v-degrading,.v-unstable{color:var(--bad)}.v-stable,.v-improving{color:var(--good)}
.good-text{color:var(--good)}
.two{display:grid;grid-template-columns:1fr 1fr;gap:20px}@media (max-width:800px){.two{grid-template-columns:1fr}}
figure{margin:0 0 20px}figcaption{margin-bottom:4px}.cap{display:block;font-size:.85em}
.legend{display:inline-flex;gap:14px;margin-left:12px;font-size:.88em}
.key{display:inline-flex;align-items:center;gap:5px}.swatch{display:inline-block;width:14px;height:3px;border-radius:2px}
svg.chart{width:100%;height:auto;display:block}
svg .grid{stroke:var(--line);stroke-width:1}svg .axis{stroke:var(--muted);stroke-width:1}
svg .tick{fill:var(--muted);font-size:11px;font-family:system-ui,sans-serif}
svg .line{fill:none;stroke-width:1.8;stroke-linejoin:round;stroke-linecap:round}
.c-rps{stroke:var(--rps);background:var(--rps);fill:var(--rps)}.c-fail{stroke:var(--fail);background:var(--fail);fill:var(--fail)}
.c-p50{stroke:var(--p50);background:var(--p50);fill:var(--p50)}.c-p95{stroke:var(--p95);background:var(--p95);fill:var(--p95)}
.c-users{stroke:var(--users);background:var(--users);fill:var(--users)}
svg path.line{fill:none}
svg .marker .rule{stroke-width:1.4;stroke-dasharray:6 4}svg .marker-label{font-size:11px;font-family:system-ui,sans-serif;font-weight:600}
svg .marker.pass .rule{stroke:var(--good)}svg .marker.pass .marker-label{fill:var(--good)}
svg .marker.fail .rule{stroke:var(--bad)}svg .marker.fail .marker-label{fill:var(--bad)}
svg .marker.pending .rule{stroke:var(--warn)}svg .marker.pending .marker-label{fill:var(--warn)}
svg .hover rect{fill:var(--muted);fill-opacity:0;pointer-events:all}svg .hover rect:hover{fill-opacity:.14}
footer{margin-top:36px;font-size:.88em}
@media print{:root{--bg:#fff;--fg:#000;--muted:#444;--line:#bbb;--head:#eee;--code:#f2f2f2;
--good:#1a7f37;--bad:#cf222e;--warn:#9a6700;--info:#0969da;--rps:#0969da;--fail:#cf222e;--p50:#1a7f37;--p95:#bc4c00;--users:#8250df}
body{font-size:11pt}main{max-width:none;padding:0}section,figure,table,.callout,.cards{break-inside:avoid}
h2{break-after:avoid}.scroll{overflow:visible}a{color:inherit}}
`;
