/** A distributed run's record in summary.json and, when it lost a worker, the report's callout. */
import { describe, expect, it } from 'vitest';
import { reportHtml } from '../../src/report/html.js';
import { parseSummary, ResultsFormatError } from '../../src/report/load-results.js';
import { reportMarkdown } from '../../src/report/markdown.js';
import { summaryJson } from '../../src/report/summary.js';
import type { DistributedSummary } from '../../src/run/meta.js';
import { meta, stableRun } from './run-fixture.js';

const distributed = (lost: boolean): DistributedSummary => ({
  bus: 'nats://10.0.0.5:4222',
  planHash: '0123456789abcdef',
  workersRequested: 2,
  workersStarted: 2,
  onWorkerLoss: 'continue',
  workers: [
    { index: 0, host: 'load-1 (pid 10)', skewMs: 2, state: 'done', merged: { requests: 600, failures: 1 }, final: { requests: 600, failures: 1 }, lost: null },
    {
      index: 1,
      host: 'load-2 (pid 11)',
      skewMs: -4,
      state: lost ? 'gone' : 'done',
      merged: { requests: 300, failures: 0 },
      final: lost ? null : { requests: 300, failures: 0 },
      lost: lost ? { at: Date.UTC(2026, 0, 1, 10, 0, 40), reason: 'missing: no message for 3.1 s', lastReportAt: Date.UTC(2026, 0, 1, 10, 0, 37), unreportedFromMs: 37_000 } : null,
    },
  ],
  partialIntervals: [{ seq: 37, mergedAt: Date.UTC(2026, 0, 1, 10, 0, 38), missing: [1] }],
});

describe('distributed runs in the results', () => {
  it('summary.json carries the workers, their finals and their sum, losses and partial intervals', () => {
    const run = stableRun();
    const j = summaryJson(run.snapshot, meta({ distributed: distributed(true) })) as { distributed: Record<string, unknown> };
    expect(j.distributed).toMatchObject({
      bus: 'nats://10.0.0.5:4222',
      planHash: '0123456789abcdef',
      finalsRequests: 600,
      finalsFailures: 1,
      workersLost: 1,
      partialIntervals: [{ seq: 37, mergedAt: '2026-01-01T10:00:38.000Z', missing: [1] }],
    });
    expect((j.distributed.workers as { lost: unknown }[])[1]!.lost).toEqual({ at: '2026-01-01T10:00:40.000Z', reason: 'missing: no message for 3.1 s', lastReportAt: '2026-01-01T10:00:37.000Z', unreportedFromMs: 37_000 });
    expect('distributed' in summaryJson(run.snapshot, meta())).toBe(false);
  });

  it('report.md calls out a lost worker: who, why, and from when its requests are missing', () => {
    const run = stableRun();
    const text = reportMarkdown(run.snapshot, meta({ distributed: distributed(true) }));
    expect(text).toContain('Worker 1 (load-2 (pid 11)) was lost');
    expect(text).toContain('missing: no message for 3.1 s. From 0:37 into the run to its end, its requests are not in these numbers (`--on-worker-loss continue`).');
    expect(reportMarkdown(run.snapshot, meta({ distributed: distributed(false) }))).not.toContain('was lost');
  });

  it('summary.json reads back to the same record, so `cicada report DIR` writes the same report.md and report.html, callout included', () => {
    const run = stableRun();
    for (const lost of [true, false]) {
      const m = meta({ distributed: distributed(lost) });
      const back = parseSummary(JSON.stringify(summaryJson(run.snapshot, m), null, 2));
      expect(back.meta.distributed).toEqual(distributed(lost));
      expect(reportMarkdown(back.snapshot, back.meta, { history: run.history })).toBe(reportMarkdown(run.snapshot, m, { history: run.history }));
      expect(reportHtml(back.snapshot, back.meta, { history: run.history })).toBe(reportHtml(run.snapshot, m, { history: run.history }));
    }
    expect(reportMarkdown(run.snapshot, parseSummary(JSON.stringify(summaryJson(run.snapshot, meta({ distributed: distributed(true) })))).meta)).toContain('Worker 1 (load-2 (pid 11)) was lost');
  });

  it('a distributed record that is not what cicada writes is an error naming the field', () => {
    const run = stableRun();
    const doc = summaryJson(run.snapshot, meta({ distributed: distributed(true) })) as { distributed: { workers: { merged: unknown }[] } };
    doc.distributed.workers[1]!.merged = { requests: 'many', failures: 0 };
    expect(() => parseSummary(JSON.stringify(doc), 'r/summary.json')).toThrow(ResultsFormatError);
    expect(() => parseSummary(JSON.stringify(doc), 'r/summary.json')).toThrow('r/summary.json: distributed.workers[1].merged.requests should be a number');
  });
});
