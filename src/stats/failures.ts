/**
 * Failures by (row, error key) and exceptions by (message, traceback), each with occurrences and
 * first/last seen. Both are bounded: past `maxKeys` distinct keys, new ones are counted under one
 * catch-all key, so a target that puts request ids into its error text cannot grow memory.
 */
import { naturalCompare } from './natural-order.js';
import type { ExceptionEntry, FailureEntry } from './types.js';

/** Error key that collects failures beyond the distinct-key cap. */
export const OTHER_FAILURES = 'other errors (distinct error limit reached)';
/** Message of the entry that collects exceptions beyond the distinct-key cap. */
export const OTHER_EXCEPTIONS = 'other exceptions (distinct exception limit reached)';

const MAX_MESSAGE_CHARS = 2_000;
const MAX_TRACEBACK_CHARS = 16_000;
const MAX_CONTEXTS = 8;

class FailureRecord {
  occurrences = 0;
  firstSeen = Infinity;
  lastSeen = -Infinity;
  constructor(
    readonly row: number,
    readonly error: string,
  ) {}
}

export class FailureBook {
  private readonly byRow: Map<string, FailureRecord>[] = [];
  private keys = 0;

  constructor(
    private readonly maxKeys = 1_000,
    /** Applied to an error key once, when its record is created (the book still maps by the key as given). */
    private readonly redact: (text: string) => string = (text) => text,
  ) {}

  /** One failure of `row` at `atMs`. Allocates only for a key not seen before. */
  record(row: number, error: string, atMs: number): void {
    const rec = this.recordFor(row, error);
    rec.occurrences++;
    if (atMs < rec.firstSeen) rec.firstSeen = atMs;
    if (atMs > rec.lastSeen) rec.lastSeen = atMs;
  }

  /** Occurrences counted elsewhere (another process). */
  merge(row: number, error: string, occurrences: number, firstSeen: number, lastSeen: number): void {
    const rec = this.recordFor(row, error);
    rec.occurrences += occurrences;
    if (firstSeen < rec.firstSeen) rec.firstSeen = firstSeen;
    if (lastSeen > rec.lastSeen) rec.lastSeen = lastSeen;
  }

  /** Every (row, error), most occurrences first (ties: name, method, error). */
  entries(methodOf: (row: number) => string, nameOf: (row: number) => string): FailureEntry[] {
    const out: FailureEntry[] = [];
    for (const map of this.byRow) {
      if (map === undefined) continue;
      for (const rec of map.values()) {
        out.push({
          method: methodOf(rec.row),
          name: nameOf(rec.row),
          error: rec.error,
          occurrences: rec.occurrences,
          firstSeen: rec.firstSeen,
          lastSeen: rec.lastSeen,
        });
      }
    }
    return out.sort(
      (a, b) =>
        b.occurrences - a.occurrences ||
        naturalCompare(a.name, b.name) ||
        compare(a.method, b.method) ||
        compare(a.error, b.error),
    );
  }

  clear(): void {
    this.byRow.length = 0;
    this.keys = 0;
  }

  private recordFor(row: number, error: string): FailureRecord {
    let map = this.byRow[row];
    if (map === undefined) {
      map = new Map();
      this.byRow[row] = map;
    }
    let rec = map.get(error);
    if (rec === undefined) {
      const key = this.keys < this.maxKeys ? error : OTHER_FAILURES;
      rec = map.get(key);
      if (rec === undefined) {
        rec = new FailureRecord(row, this.redact(key));
        map.set(key, rec);
        this.keys++;
      }
    }
    return rec;
  }
}

interface ExceptionRecord {
  count: number;
  readonly message: string;
  readonly traceback: string;
  readonly contexts: Set<string>;
  firstSeen: number;
  lastSeen: number;
}

export class ExceptionBook {
  private readonly byKey = new Map<string, ExceptionRecord>();

  constructor(
    private readonly maxKeys = 200,
    /** Applied to the message, traceback and contexts of every exception before it is grouped. */
    private readonly redact: (text: string) => string = (text) => text,
  ) {}

  /** An error thrown inside the engine. Never throws, whatever `error` is. */
  record(error: unknown, context: string, atMs: number): void {
    const { message, traceback } = describe(error);
    this.merge(message, traceback, [context], 1, atMs, atMs);
  }

  /** `count` occurrences, seen in `contexts` (merged from another process). */
  merge(
    message: string,
    traceback: string,
    contexts: readonly string[],
    count: number,
    firstSeen: number,
    lastSeen: number,
  ): void {
    let key = `${message}\n${traceback}`;
    let rec = this.byKey.get(key);
    if (rec === undefined) {
      if (this.byKey.size >= this.maxKeys) {
        key = OTHER_EXCEPTIONS;
        message = OTHER_EXCEPTIONS;
        traceback = '';
        rec = this.byKey.get(key);
      }
      if (rec === undefined) {
        // Redacted once per distinct exception (grouping stays by the text as thrown).
        rec = { count: 0, message: this.redact(message), traceback: this.redact(traceback), contexts: new Set(), firstSeen, lastSeen };
        this.byKey.set(key, rec);
      }
    }
    rec.count += count;
    if (firstSeen < rec.firstSeen) rec.firstSeen = firstSeen;
    if (lastSeen > rec.lastSeen) rec.lastSeen = lastSeen;
    for (const c of contexts) {
      if (c !== '' && rec.contexts.size < MAX_CONTEXTS) rec.contexts.add(this.redact(c));
    }
  }

  /** Most frequent first (ties: message). */
  entries(): ExceptionEntry[] {
    const out: ExceptionEntry[] = [];
    for (const r of this.byKey.values()) {
      out.push({
        count: r.count,
        message: r.message,
        traceback: r.traceback,
        context: [...r.contexts].join(', '),
        contexts: [...r.contexts],
        firstSeen: r.firstSeen,
        lastSeen: r.lastSeen,
      });
    }
    return out.sort((a, b) => b.count - a.count || compare(a.message, b.message));
  }

  clear(): void {
    this.byKey.clear();
  }
}

function describe(error: unknown): { message: string; traceback: string } {
  try {
    if (error instanceof Error) {
      const message = error.message === '' ? error.name : `${error.name}: ${error.message}`;
      return { message: cut(message, MAX_MESSAGE_CHARS), traceback: cut(error.stack ?? '', MAX_TRACEBACK_CHARS) };
    }
    return { message: cut(String(error), MAX_MESSAGE_CHARS), traceback: '' };
  } catch {
    return { message: 'unprintable error', traceback: '' };
  }
}

function cut(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

/** Code-point order, as Locust's Python sort does (not locale order). */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
