/**
 * The secret values of a run: `${ENV}` values and secret vars from the scenario, plus tokens captured
 * at run time with `secret: true`. Everything that leaves the process passes through `redact()`.
 */
import { makeRedactor } from './redact.js';

/** Captured secrets kept for redaction; beyond this, patterns (bearer tokens, JWTs) still apply. */
const MAX_CAPTURED = 1000;

export class Secrets {
  private readonly values: string[];
  private captured = 0;
  private redactor: ReturnType<typeof makeRedactor> | null = null;

  constructor(
    values: readonly string[],
    private readonly headers: readonly string[],
  ) {
    this.values = [...values];
  }

  /** A value captured at run time; from now on it is redacted too. */
  add(value: string): void {
    if (value.length < 4 || this.captured >= MAX_CAPTURED || this.values.includes(value)) return;
    this.captured++;
    this.values.push(value);
    this.redactor = null; // rebuilt on next use
  }

  redact(text: string): string {
    this.redactor ??= makeRedactor(this.values, [...this.headers]);
    return this.redactor.text(text);
  }
}
