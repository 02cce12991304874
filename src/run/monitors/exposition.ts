/**
 * The Prometheus text exposition format (version 0.0.4, and the OpenMetrics text that exporters
 * serve the same way), read strictly: a line that is not a comment, `# HELP`, `# TYPE` or a sample
 * `name{label="value",...} value [timestamp]` is an error naming its line, so a page that is not an
 * exposition (an HTML error page, a truncated body) becomes a gap rather than a wrong number.
 * No library on npm for this is kept up to date; this one is tested against node_exporter's and
 * Prometheus's own output (test/run/monitors-exporters.test.ts). Pure.
 */

export interface ExpositionSample {
  readonly name: string;
  /** Label pairs in the order written. */
  readonly labels: readonly (readonly [string, string])[];
  readonly value: number;
}

export interface Exposition {
  /** `# TYPE` per metric family: counter, gauge, histogram, summary, untyped (OpenMetrics: unknown, info, ...). */
  readonly types: ReadonlyMap<string, string>;
  readonly samples: readonly ExpositionSample[];
}

export class ExpositionError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
    this.name = 'ExpositionError';
  }
}

const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped', 'unknown', 'info', 'stateset', 'gaugehistogram']);
const NAME_START = /[A-Za-z_:]/;
const NAME_CHAR = /[A-Za-z0-9_:]/;
const LABEL_START = /[A-Za-z_]/;
const LABEL_CHAR = /[A-Za-z0-9_]/;
const FLOAT = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Parses a whole exposition; throws `ExpositionError` at the first malformed line. */
export function parseExposition(text: string): Exposition {
  const types = new Map<string, string>();
  const samples: ExpositionSample[] = [];
  let lineNo = 0;
  let pos = 0;
  let ended = false;
  while (pos < text.length) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    let line = text.slice(pos, end);
    pos = end + 1;
    lineNo++;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line.trim() === '') continue;
    if (ended) throw new ExpositionError(lineNo, 'text after "# EOF"');
    if (line.startsWith('#')) {
      const m = /^#\s*(HELP|TYPE|EOF)\b\s*(.*)$/.exec(line);
      if (m === null) continue; // a plain comment
      if (m[1] === 'EOF') {
        ended = true;
        continue;
      }
      const rest = m[2]!;
      const sp = rest.search(/\s/);
      const name = sp < 0 ? rest : rest.slice(0, sp);
      if (!isName(name)) throw new ExpositionError(lineNo, `# ${m[1]} needs a metric name, got ${JSON.stringify(name)}`);
      if (m[1] === 'TYPE') {
        const type = (sp < 0 ? '' : rest.slice(sp)).trim();
        if (!TYPES.has(type)) throw new ExpositionError(lineNo, `unknown metric type ${JSON.stringify(type)} for ${name}`);
        types.set(name, type);
      }
      continue;
    }
    samples.push(sampleLine(line, lineNo));
  }
  return { types, samples };
}

function sampleLine(line: string, lineNo: number): ExpositionSample {
  let i = 0;
  if (!NAME_START.test(line[0] ?? '')) throw new ExpositionError(lineNo, `a sample starts with a metric name, got ${JSON.stringify(line.slice(0, 40))}`);
  while (i < line.length && NAME_CHAR.test(line[i]!)) i++;
  const name = line.slice(0, i);
  const labels: [string, string][] = [];
  if (line[i] === '{') {
    i++;
    for (;;) {
      while (line[i] === ' ' || line[i] === '\t') i++;
      if (line[i] === '}') {
        i++;
        break;
      }
      const start = i;
      if (!LABEL_START.test(line[i] ?? '')) throw new ExpositionError(lineNo, `expected a label name in ${name}{…} at column ${i + 1}`);
      while (i < line.length && LABEL_CHAR.test(line[i]!)) i++;
      const label = line.slice(start, i);
      while (line[i] === ' ' || line[i] === '\t') i++;
      if (line[i] !== '=') throw new ExpositionError(lineNo, `expected = after label ${label} at column ${i + 1}`);
      i++;
      while (line[i] === ' ' || line[i] === '\t') i++;
      if (line[i] !== '"') throw new ExpositionError(lineNo, `the value of label ${label} must be in double quotes (column ${i + 1})`);
      i++;
      let value = '';
      let closed = false;
      while (i < line.length) {
        const c = line[i]!;
        if (c === '\\') {
          const n = line[i + 1];
          if (n === 'n') value += '\n';
          else if (n === '\\' || n === '"') value += n;
          else throw new ExpositionError(lineNo, `bad escape \\${n ?? ''} in the value of label ${label}`);
          i += 2;
        } else if (c === '"') {
          closed = true;
          i++;
          break;
        } else {
          value += c;
          i++;
        }
      }
      if (!closed) throw new ExpositionError(lineNo, `unterminated value of label ${label}`);
      labels.push([label, value]);
      while (line[i] === ' ' || line[i] === '\t') i++;
      if (line[i] === ',') {
        i++;
        continue;
      }
      if (line[i] === '}') {
        i++;
        break;
      }
      throw new ExpositionError(lineNo, `expected , or } after label ${label} (column ${i + 1})`);
    }
  }
  if (line[i] !== ' ' && line[i] !== '\t') throw new ExpositionError(lineNo, `expected a space and a value after ${name}${labels.length > 0 ? '{…}' : ''}`);
  const fields = line.slice(i).trim().split(/[ \t]+/);
  if (fields.length < 1 || fields.length > 2 || fields[0] === '') throw new ExpositionError(lineNo, `expected a value and an optional timestamp after ${name}, got ${JSON.stringify(line.slice(i).trim())}`);
  const value = floatOf(fields[0]!);
  if (value === null) throw new ExpositionError(lineNo, `${name}: ${JSON.stringify(fields[0])} is not a number`);
  if (fields.length === 2 && floatOf(fields[1]!) === null) throw new ExpositionError(lineNo, `${name}: the timestamp ${JSON.stringify(fields[1])} is not a number`);
  return { name, labels, value };
}

function floatOf(text: string): number | null {
  switch (text) {
    case '+Inf':
    case 'Inf':
      return Infinity;
    case '-Inf':
      return -Infinity;
    case 'NaN':
      return NaN;
  }
  return FLOAT.test(text) ? Number(text) : null;
}

function isName(text: string): boolean {
  return /^[A-Za-z_:][A-Za-z0-9_:]*$/.test(text);
}

/**
 * Whether the series `name` counts up (and so is shown as a rate): a counter, or the `_count`,
 * `_sum` and `_bucket` series of a histogram or summary; with no `# TYPE`, a name ending in `_total`.
 */
export function isCounterSeries(exposition: Exposition, name: string): boolean {
  const own = exposition.types.get(name);
  if (own !== undefined) return own === 'counter';
  const m = /^(.*)_(total|count|sum|bucket)$/.exec(name);
  if (m !== null) {
    const family = exposition.types.get(m[1]!);
    if (family === 'counter') return m[2] === 'total';
    if (family === 'histogram' || family === 'summary' || family === 'gaugehistogram') return m[2] !== 'bucket' || family !== 'gaugehistogram';
    if (family === undefined && m[2] === 'total') return true;
  }
  return false;
}
