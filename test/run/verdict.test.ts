/** The exit code and the verdict line, rule by rule (the CLI tests run the same rules end to end). */
import { describe, expect, it } from 'vitest';
import type { Threshold } from '../../src/scenario/types.js';
import type { ThresholdResult } from '../../src/stats/thresholds.js';
import { runVerdict, type VerdictInput } from '../../src/run/verdict.js';

const t = (source: string, passed: boolean, actualText = '1 ms'): ThresholdResult => ({
  threshold: { source } as Threshold,
  actual: 1,
  passed,
  actualText,
});
const base: VerdictInput = { thresholds: [], requests: 100, failures: 0, exceptions: 0, exitCodeOnError: undefined, interrupted: null };
const v = (over: Partial<VerdictInput>) => runVerdict({ ...base, ...over });

describe('runVerdict', () => {
  it('without thresholds, failed requests and errors in the test fail the run with 1, as Locust', () => {
    expect(v({})).toMatchObject({ code: 0, passed: true, line: 'PASSED' });
    expect(v({ failures: 3 })).toMatchObject({ code: 1, line: 'FAILED: 3 of 100 requests failed' });
    expect(v({ exceptions: 1 })).toMatchObject({ code: 1, line: 'FAILED: 1 error in the test itself' });
    expect(v({ failures: 3, exitCodeOnError: 0 })).toMatchObject({ code: 0, line: 'PASSED (3 of 100 requests failed: allowed by --exit-code-on-error 0)' });
    expect(v({ failures: 3, exitCodeOnError: 9 })).toMatchObject({ code: 9, line: 'FAILED: 3 of 100 requests failed (--exit-code-on-error 9)' });
  });

  it('with thresholds they alone decide unless --exit-code-on-error is given', () => {
    expect(v({ thresholds: [t('p95<1s', true)], failures: 3 }).code).toBe(0);
    expect(v({ thresholds: [t('p95<1s', true)], failures: 3, exitCodeOnError: 4 }).code).toBe(4);
    const failed = v({ thresholds: [t('p95<1s', false, '1.2 s'), t('rps>1', true)], failures: 3, exitCodeOnError: 4 });
    expect(failed.code).toBe(1); // a failed threshold is 1 whatever the flag
    expect(failed.line).toBe('FAILED: 1 of 2 thresholds failed: p95<1s (1.2 s); 3 of 100 requests failed (--exit-code-on-error 4)');
  });

  it('a run aborted as a failure (a worker lost under --on-worker-loss abort) exits 1 and says why', () => {
    expect(v({ aborted: 'worker 1 (box-a) lost: nothing heard for 3 s', thresholds: [t('p95<1s', true)] })).toMatchObject({
      code: 1,
      line: 'FAILED: run aborted: worker 1 (box-a) lost: nothing heard for 3 s',
    });
  });

  it('an interrupted run exits with its signal code and says so', () => {
    expect(v({ interrupted: { signal: 'SIGINT', code: 130 }, thresholds: [t('p95<1s', true)] })).toMatchObject({ code: 130, passed: false, line: 'FAILED: interrupted by SIGINT (Ctrl-C)' });
    expect(v({ interrupted: { signal: 'SIGTERM', code: 143 } }).line).toBe('FAILED: interrupted by SIGTERM');
  });
});
