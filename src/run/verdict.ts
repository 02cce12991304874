/**
 * A finished run's verdict: the exit code and the one line that says what set it, Locust's way.
 *
 * - Interrupted (Ctrl-C in the TUI or SIGINT, SIGTERM, SIGHUP): the signal's code (130, 143, 129).
 * - Without thresholds, any failed request — or error in the test itself (an exception), as Locust
 *   counts both — fails the run with `--exit-code-on-error`'s code, 1 by default (Locust's
 *   `--exit-code-on-error` defaults to 1); `--exit-code-on-error 0` opts out.
 * - With thresholds, they alone decide (a failed one exits 1), unless `--exit-code-on-error` is
 *   given: then failed requests fail the run too, with its code.
 *
 * Pure: the CLI turns the code into the process's exit status and prints the line.
 */
import type { ThresholdResult } from '../stats/thresholds.js';

export interface VerdictInput {
  /** The thresholds as evaluated at the end (no data is a failure). */
  readonly thresholds: readonly ThresholdResult[];
  readonly requests: number;
  readonly failures: number;
  /** Errors raised in the test itself (exceptions.csv occurrences). */
  readonly exceptions: number;
  /** `--exit-code-on-error N` as given; undefined when not given. */
  readonly exitCodeOnError: number | undefined;
  /** The signal that ended the run and its exit code, or null. */
  readonly interrupted: { readonly signal: string; readonly code: number } | null;
  /** Why the run was aborted as a failure (a worker lost under `--on-worker-loss abort`), or null. */
  readonly aborted?: string | null;
}

export interface Verdict {
  readonly code: number;
  readonly passed: boolean;
  /** What set a non-zero code, in words; empty when it passed. */
  readonly reasons: readonly string[];
  /** `PASSED` (with a note when failures were let through) or `FAILED: <reasons>`. */
  readonly line: string;
}

export const EXIT_FAILED = 1;

export function runVerdict(v: VerdictInput): Verdict {
  if (v.interrupted !== null) {
    const reasons = [`interrupted by ${v.interrupted.signal}${v.interrupted.signal === 'SIGINT' ? ' (Ctrl-C)' : ''}`];
    return { code: v.interrupted.code, passed: false, reasons, line: `FAILED: ${reasons.join('; ')}` };
  }
  const reasons: string[] = [];
  let code = 0;
  if (v.aborted != null) {
    code = EXIT_FAILED;
    reasons.push(`run aborted: ${v.aborted}`);
  }
  const failed = v.thresholds.filter((t) => t.passed === false);
  if (failed.length > 0) {
    code = EXIT_FAILED;
    const list = failed.map((t) => `${t.threshold.source} (${t.actualText})`).join(', ');
    reasons.push(`${failed.length} of ${v.thresholds.length} threshold${v.thresholds.length === 1 ? '' : 's'} failed: ${list}`);
  }
  const onError = v.exitCodeOnError ?? (v.thresholds.length > 0 ? undefined : EXIT_FAILED);
  const parts: string[] = [];
  if (v.failures > 0) parts.push(`${v.failures} of ${v.requests} request${v.requests === 1 ? '' : 's'} failed`);
  if (v.exceptions > 0) parts.push(`${v.exceptions} error${v.exceptions === 1 ? '' : 's'} in the test itself`);
  const failedRequests = parts.join(', ');
  if (parts.length > 0 && onError !== undefined && onError !== 0) {
    if (code === 0) code = onError;
    reasons.push(v.exitCodeOnError === undefined ? failedRequests : `${failedRequests} (--exit-code-on-error ${v.exitCodeOnError})`);
  }
  if (code !== 0) return { code, passed: false, reasons, line: `FAILED: ${reasons.join('; ')}` };
  let note = '';
  if (parts.length > 0) {
    note =
      onError === 0
        ? ` (${failedRequests}: allowed by --exit-code-on-error 0)`
        : ` (every threshold met; ${failedRequests}, which with thresholds only --exit-code-on-error makes a failure)`;
  }
  return { code: 0, passed: true, reasons: [], line: `PASSED${note}` };
}
