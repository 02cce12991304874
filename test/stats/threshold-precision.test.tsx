/**
 * A threshold's target keeps the precision it was typed with, and its actual value is written
 * beside it so the two compare as the numbers do — in every place a person reads them: the TUI's
 * threshold strip, the console's verdict, and report.md/html's "Target | Actual | Status" table.
 * (`checks > 99.95%` with 99.97% passing once read `99.9%` everywhere.)
 */
import { describe, expect, it } from 'vitest';
import { formatVerdict } from '../../src/report/console.js';
import { reportHtml } from '../../src/report/html.js';
import { reportMarkdown } from '../../src/report/markdown.js';
import { StatsCollector } from '../../src/stats/collector.js';
import { evaluateThresholds, formatTarget, type ThresholdResult } from '../../src/stats/thresholds.js';
import { StatusBar } from '../../src/tui/StatusBar.js';
import { meta, threshold } from '../report/run-fixture.js';
import { snapshot as tuiSnapshot } from '../tui/fixtures.js';
import { renderAt } from '../tui/render.js';
import { IDLE_GENERATOR, manualClock, runStatus } from './helpers.js';

/** 10000 requests on a real collector: 13 failed (0.13%), 9997 of 10000 checks passed (99.97%), latencies 1..100 ms. */
function run() {
  const clock = manualClock();
  const c = new StatsCollector({ clock: clock.read });
  const a = c.endpoint('GET', '/a');
  for (let i = 0; i < 10_000; i++) {
    const ms = (i % 100) + 1;
    c.request(a, ms * 1000, ms * 1000, 10, i < 13 ? 'HTTP 500' : null);
    c.check(a, i >= 3);
  }
  clock.advance(100_000);
  return c.snapshot(runStatus({ elapsedMs: 100_000 }), IDLE_GENERATOR, clock.now);
}

const snap = run();
const exprs = ['checks > 99.95%', 'error_rate < 0.125%', 'error_rate < 0.05%', 'p95 < 95.5ms', 'rps > 99.5'];
const results = evaluateThresholds(exprs.map((e) => threshold(e)), snap, true);
const byExpr = (e: string): ThresholdResult => results.find((r) => r.threshold.source === e)!;

describe('threshold targets keep the precision typed', () => {
  it('writes each target as typed and each actual to at least its precision', () => {
    expect(results.map((r) => [r.threshold.source, formatTarget(r.threshold), r.actualText, r.passed])).toEqual([
      ['checks > 99.95%', '> 99.95%', '99.97%', true],
      ['error_rate < 0.125%', '< 0.125%', '0.13%', false],
      ['error_rate < 0.05%', '< 0.05%', '0.13%', false],
      ['p95 < 95.5ms', '< 95.5 ms', '95 ms', true],
      ['rps > 99.5', '> 99.5/s', '100/s', true],
    ]);
  });

  it('never shows an actual that reads as its target without being it', () => {
    const near = evaluateThresholds([threshold('checks > 99.98%')], snap, true)[0]!;
    expect(near).toMatchObject({ passed: false, actualText: '99.97%' });
    const at = evaluateThresholds([threshold('checks >= 99.97%')], snap, true)[0]!;
    expect(at).toMatchObject({ passed: true, actualText: '99.97%' });
  });

  it('in the console verdict', () => {
    const text = formatVerdict(results, 'FAILED', { columns: 120 });
    expect(text).toMatch(/✓ checks > 99\.95% +target > 99\.95% +actual 99\.97%/);
    expect(text).toMatch(/✗ error_rate < 0\.125% +target < 0\.125% +actual 0\.13%/);
  });

  it('in report.md and report.html', () => {
    const m = meta({ thresholds: exprs, thresholdResults: results });
    const md = reportMarkdown(snap, m, { history: [] });
    expect(md).toContain('| \\> 99.95% | 99.97% | ✅ Pass |');
    expect(md).toContain('| < 0.125% | 0.13% | ❌ Fail |');
    const html = reportHtml(snap, m, { history: [] });
    expect(html).toContain('<td>&gt; 99.95%</td><td class="r">99.97%</td>');
    expect(html).toContain('<td>&lt; 0.125%</td><td class="r">0.13%</td>');
  });

  it('in the TUI threshold strip', () => {
    const views = results.map((r) => ({ source: r.threshold.source, status: r.passed ? ('pass' as const) : ('fail' as const), actual: r.actualText }));
    const text = renderAt(<StatusBar snapshot={tuiSnapshot()} host="http://127.0.0.1:8089" width={200} resultsDir="/tmp/r" warning={null} lastExport={null} thresholds={views} />, 200, 50).text();
    expect(text).toContain('✓ checks > 99.95% (99.97%)');
    expect(text).not.toContain('(99.9%)');
  });
});
