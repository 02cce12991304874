import { describe, expect, it } from 'vitest';
import { historyCsvHeader, historyCsvRows } from '../../src/report/csv.js';
import { parseHistoryCsv, readResultsCsv, parseSummary, ResultsFormatError } from '../../src/report/load-results.js';
import { reportHtml } from '../../src/report/html.js';
import { reportMarkdown } from '../../src/report/markdown.js';
import { summaryJson } from '../../src/report/summary.js';
import { degradingRun, withThresholds } from './run-fixture.js';

const run = degradingRun();
const m = withThresholds(run.snapshot, ['p95 < 30ms', 'error_rate < 50%', 'GET /items: p50 < 20ms']);
const text = JSON.stringify(summaryJson(run.snapshot, m), null, 2);

describe('reading a results directory back', () => {
  it('summary.json gives back the snapshot and meta the reports need: the same report.md', () => {
    const back = parseSummary(text);
    expect(back.snapshot.total.requests).toBe(3328);
    expect(back.snapshot.intervals).toHaveLength(run.snapshot.intervals!.length);
    expect(back.meta.thresholdResults.map((r) => [r.threshold.source, r.passed, r.actualText])).toEqual([
      ['p95 < 30ms', false, '40 ms'],
      ['error_rate < 50%', true, '6.9%'],
      ['GET /items: p50 < 20ms', true, '12 ms'],
    ]);
    const again = reportMarkdown(back.snapshot, back.meta, { history: run.history });
    expect(again).toBe(reportMarkdown(run.snapshot, m, { history: run.history }));
    // The charts come from the history; with it, the HTML is the same too.
    expect(reportHtml(back.snapshot, back.meta, { history: run.history })).toBe(reportHtml(run.snapshot, m, { history: run.history }));
  });

  it('stats_history.csv gives back the Aggregated rows (percentiles in whole ms, as written)', () => {
    const csv = historyCsvHeader() + historyCsvRows(run.history);
    const rows = parseHistoryCsv(csv);
    expect(rows).toHaveLength(30);
    expect(rows.map((r) => r.totalRequests)).toEqual(run.history.map((r) => r.totalRequests));
    expect(rows[29]).toMatchObject({ timestamp: run.history[29]!.timestamp, userCount: 50, totalFailures: 228, windowRequests: 1 });
    expect(rows[29]!.percentilesMs[5]).toBe(Math.round(run.history[29]!.percentilesMs[5]!));
    // Full-history files: endpoint rows are skipped; a line cut short at the end is ignored.
    const mixed = `${historyCsvHeader()}1700000001,5,GET,/a,1.0,0.0,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,3,0,0,0.0,0,0,0.0\r\n1700000001,5,,Aggregated,1.0,0.0,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,3,0,0,0.0,0,0,0.0\r\n1700000002,5,,Aggreg`;
    const parsed = parseHistoryCsv(mixed);
    expect(parsed).toHaveLength(1);
    expect(parsed[0]).toMatchObject({ totalRequests: 3, windowRequests: 0 });
  });

  it('reads RFC 4180 quoting with the one CSV reader; a quote cut short at the end is a cut-short last record', () => {
    expect(readResultsCsv('a,"b,c","d ""e"""\r\n"x\ny",z\n', 'f.csv')).toEqual([
      ['a', 'b,c', 'd "e"'],
      ['x\ny', 'z'],
    ]);
    expect(readResultsCsv('a,b\r\n1,2\r\n3,"GET /x', 'f.csv')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
    // Text after a closing quote is not a cut: the file is not what cicada writes.
    expect(() => readResultsCsv('a,b\r\n"x"y,2\r\n', 'results/r/stats_history.csv')).toThrow(
      /^results\/r\/stats_history\.csv:2:4: unexpected text after a closing quote/,
    );
  });

  it('says what is wrong with a file that is not a cicada summary', () => {
    const problem = (t: string): string => {
      try {
        parseSummary(t, 'results/x/summary.json');
      } catch (err) {
        expect(err).toBeInstanceOf(ResultsFormatError);
        return (err as Error).message;
      }
      throw new Error('no error');
    };
    expect(problem('{ nope')).toMatch(/^results\/x\/summary\.json is not valid JSON: /);
    expect(problem('{"stats": []}')).toBe('results/x/summary.json is not a cicada summary (no "schema": "cicada.summary/1")');
    expect(problem('{"schema": "cicada.summary/9"}')).toBe('results/x/summary.json has schema "cicada.summary/9"; this cicada reads "cicada.summary/1"');
    const doc = JSON.parse(text) as Record<string, unknown>;
    delete doc.totals;
    expect(problem(JSON.stringify(doc))).toBe('results/x/summary.json: "totals" is missing or not an object');
    const doc2 = JSON.parse(text) as { endpoints: Record<string, unknown>[] };
    doc2.endpoints[1]!.requests = 'many';
    expect(problem(JSON.stringify(doc2))).toBe('results/x/summary.json: endpoints[1].requests should be a number');
    expect(() => parseHistoryCsv('Type,Name,Request Count\r\n', 'h.csv')).toThrow(/^h\.csv is not a stats history file \(no "Timestamp", "User Count", /);
  });
});
