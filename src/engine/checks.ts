/**
 * Checks and captures on a finished response. Each check's failure key is fixed when the scenario
 * is prepared (only the status check's key varies, by status code), so failures group into stable rows.
 */
import type { Capture, Check } from '../scenario/types.js';
import { evalJsonPath } from '../scenario/jsonpath.js';
import { formatDuration } from '../scenario/duration.js';
import { intern } from './failures.js';
import type { ResultSink } from './types.js';

/** What checks and captures can read of a response. Body and headers are decoded on first use. */
export interface ResponseView {
  readonly status: number;
  readonly latencyMs: number;
  /** The first value of a header (name in lower case), or undefined. */
  header(name: string): string | undefined;
  /** The body as text, or null when it was larger than the buffering limit. */
  text(): string | null;
  /** The body parsed as JSON; `undefined` result with ok=false when it is not JSON. */
  json(): { readonly ok: boolean; readonly value: unknown };
}

export interface PreparedCheck {
  readonly check: Check;
  /** The failure key; for status checks, the prefix to which `, got N` is added. */
  readonly key: string;
}

export function prepareCheck(check: Check): PreparedCheck {
  return { check, key: intern(describeFailure(check)) };
}

function describeFailure(c: Check): string {
  switch (c.kind) {
    case 'status':
      return `check: status ${c.label} expected`;
    case 'json':
      return c.op === 'exists'
        ? `check: ${c.path.source} missing`
        : c.op === 'absent'
          ? `check: ${c.path.source} present`
          : `check: ${c.path.source} not equal to ${JSON.stringify(c.value)}`;
    case 'bodyContains':
      return `check: body does not contain ${JSON.stringify(c.text)}`;
    case 'header':
      return c.op === 'exists'
        ? `check: header ${c.name} missing`
        : c.op === 'equals'
          ? `check: header ${c.name} not equal to ${JSON.stringify(c.value)}`
          : `check: header ${c.name} does not match ${String(c.regex)}`;
    case 'maxLatency':
      return `check: latency over ${formatDuration(c.ms)}`;
  }
}

const statusKeys = new Map<string, string>();

/**
 * Runs the checks in order, telling `sink` of each, and stops at the first failure. Returns its
 * key, or null when all pass. (A sink and an id rather than a callback: no closure per request.)
 */
export function runChecks(
  checks: readonly PreparedCheck[],
  res: ResponseView,
  sink: Pick<ResultSink, 'check'>,
  endpointId: number,
): string | null {
  for (let i = 0; i < checks.length; i++) {
    const failure = checkOne(checks[i]!, res);
    sink.check(endpointId, failure === null);
    if (failure !== null) return failure;
  }
  return null;
}

/** True when `status` is in one of the status check's ranges. */
export function statusMatches(ranges: readonly (readonly [number, number])[], status: number): boolean {
  for (const [lo, hi] of ranges) if (status >= lo && status <= hi) return true;
  return false;
}

function checkOne(pc: PreparedCheck, res: ResponseView): string | null {
  const c = pc.check;
  switch (c.kind) {
    case 'status': {
      if (statusMatches(c.ranges, res.status)) return null;
      const full = `${pc.key}, got ${res.status}`;
      let k = statusKeys.get(full);
      if (k === undefined) statusKeys.set(full, (k = intern(full)));
      return k;
    }
    case 'json': {
      const parsed = res.json();
      if (!parsed.ok) return intern(`check: ${c.path.source}: body is not JSON`);
      const found = evalJsonPath(parsed.value, c.path, 'all');
      const values = Array.isArray(found) && c.path.segments.includes('*') ? found : found === undefined ? [] : [found];
      if (c.op === 'exists') return values.length > 0 ? null : pc.key;
      if (c.op === 'absent') return values.length === 0 ? null : pc.key;
      return values.some((v) => deepEqual(v, c.value)) ? null : pc.key;
    }
    case 'bodyContains': {
      const text = res.text();
      if (text === null) return intern('check: body too large to check');
      return text.includes(c.text) ? null : pc.key;
    }
    case 'header': {
      const v = res.header(c.name);
      if (c.op === 'exists') return v === undefined ? pc.key : null;
      if (v === undefined) return intern(`check: header ${c.name} missing`);
      if (c.op === 'equals') return v === c.value ? null : pc.key;
      return c.regex!.test(v) ? null : pc.key;
    }
    case 'maxLatency':
      return res.latencyMs <= c.ms ? null : pc.key;
  }
}

export interface PreparedCapture {
  readonly capture: Capture;
  readonly missingKey: string;
}

export function prepareCapture(capture: Capture): PreparedCapture {
  const where =
    capture.from === 'json' ? capture.path.source : capture.from === 'header' ? `header ${capture.header}` : `/${capture.regex.source}/`;
  return { capture, missingKey: intern(`capture: ${capture.name} not found (${where})`) };
}

/**
 * Runs the captures; each found value goes to `store`. Returns the failure key of the first capture
 * that found nothing, or null.
 */
export function runCaptures(
  captures: readonly PreparedCapture[],
  res: ResponseView,
  store: (name: string, value: string, secret: boolean) => void,
): string | null {
  for (const pc of captures) {
    const c = pc.capture;
    let value: string | undefined;
    if (c.from === 'header') {
      value = res.header(c.header);
    } else if (c.from === 'json') {
      const parsed = res.json();
      if (parsed.ok) {
        const found = evalJsonPath(parsed.value, c.path, 'random');
        if (found !== undefined && found !== null) value = typeof found === 'string' ? found : JSON.stringify(found);
      }
    } else {
      const text = res.text();
      const m = text === null ? null : c.regex.exec(text);
      if (m !== null) value = m[c.group];
    }
    if (value === undefined) return pc.missingKey;
    store(c.name, value, c.secret);
  }
  return null;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'number' && typeof b === 'string') return String(a) === b;
  if (typeof a === 'boolean' && typeof b === 'string') return String(a) === b;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
