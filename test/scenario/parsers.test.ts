/**
 * The small pure parsers the scenario format is built from: durations, rates, JSON paths,
 * threshold expressions, CSV, and suggestions for misspellings.
 */
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/scenario/csv.js';
import { didYouMean } from '../../src/scenario/did-you-mean.js';
import { evalJsonPath, formatDuration, parseDuration, parseJsonPath, parseRate, parseThreshold } from '../../src/scenario/index.js';
import type { JsonPath } from '../../src/scenario/index.js';

describe('parseDuration', () => {
  it.each([
    ['30s', 30_000],
    ['3m', 180_000],
    ['1h30m', 5_400_000],
    ['250ms', 250],
    ['1.5s', 1500],
    ['1.1s', 1100],
    ['2m30s', 150_000],
    ['1s500ms', 1500],
    ['10m', 600_000],
    ['.5s', 500],
    [' 45s ', 45_000],
    ['30', 30_000],
    ['0', 0],
    [90, 90_000],
    [0.25, 250],
  ] as const)('%j → %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', 'abc', '30x', '-5s', '5 s', '30s1m', '1m1m', '1h 30m', 's', '1..5s', '1e3s'])('%j is not a duration', (text) => {
    expect(parseDuration(text)).toBeNull();
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])('%d is not a duration', (n) => {
    expect(parseDuration(n)).toBeNull();
  });
});

describe('formatDuration', () => {
  it.each([
    [90_000, '1m30s'],
    [250, '250ms'],
    [0, '0s'],
    [1500, '1.5s'],
    [3_600_000, '1h'],
    [7_205_000, '2h5s'],
    [600_000, '10m'],
    [0.5, '0.5ms'],
  ])('%d ms → %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('reads back to the same value', () => {
    for (const ms of [1, 999, 1000, 1001, 59_999, 61_500, 3_599_999, 3_600_001, 86_400_000]) {
      expect(parseDuration(formatDuration(ms))).toBe(ms);
    }
  });
});

describe('parseRate', () => {
  it.each([
    ['100/s', 100],
    ['6000/m', 100],
    ['6000/min', 100],
    ['3600/h', 1],
    ['20/10s', 2],
    ['0.5/s', 0.5],
    ['10', 10],
    [25, 25],
    ['0/s', 0],
  ] as const)('%j → %d per second', (text, perSec) => {
    expect(parseRate(text)).toBe(perSec);
  });

  it.each(['fast', '10/fortnight', '-1/s', '/s', '10/0s', ''])('%j is not a rate', (text) => {
    expect(parseRate(text)).toBeNull();
  });
});

describe('JSON paths', () => {
  const doc = { token: 'abc', items: [{ id: 1, tags: ['a'] }, { id: 2, tags: [] }, { id: 3 }], 'odd key': { 'x.y': true }, n: null };
  const path = (src: string): JsonPath => {
    const p = parseJsonPath(src);
    if (typeof p === 'string') throw new Error(p);
    return p;
  };

  it.each([
    ['$', []],
    ['$.token', ['token']],
    ['$.items[0].id', ['items', 0, 'id']],
    ['$.items[-1]', ['items', -1]],
    ['$.items[*].id', ['items', '*', 'id']],
    ['$.items.*', ['items', '*']],
    ["$['odd key'][\"x.y\"]", ['odd key', 'x.y']],
    ['$.content-type', ['content-type']],
  ] as const)('%s parses to %j', (src, segments) => {
    expect(path(src).segments).toEqual(segments);
  });

  it.each([
    ['token', 'starts with $'],
    ['$.', 'expected a key after "."'],
    ['$.items[', 'expected an index'],
    ['$.items[0', 'expected "]"'],
    ["$['key]", 'missing closing'],
    ['$ .x', 'unexpected " "'],
  ])('%s is an error mentioning %s', (src, fragment) => {
    const p = parseJsonPath(src);
    expect(typeof p).toBe('string');
    expect(p as string).toContain(fragment);
  });

  it('evaluates keys, indexes and negative indexes', () => {
    expect(evalJsonPath(doc, path('$.token'), 'first')).toBe('abc');
    expect(evalJsonPath(doc, path('$.items[1].id'), 'first')).toBe(2);
    expect(evalJsonPath(doc, path('$.items[-1].id'), 'first')).toBe(3);
    expect(evalJsonPath(doc, path("$['odd key']['x.y']"), 'first')).toBe(true);
    expect(evalJsonPath(doc, path('$'), 'first')).toBe(doc);
  });

  it('tells missing (undefined) from null', () => {
    expect(evalJsonPath(doc, path('$.n'), 'first')).toBeNull();
    expect(evalJsonPath(doc, path('$.missing'), 'first')).toBeUndefined();
    expect(evalJsonPath(doc, path('$.items[9]'), 'first')).toBeUndefined();
    expect(evalJsonPath(doc, path('$.token.length'), 'first')).toBeUndefined();
    expect(evalJsonPath('not json', path('$.x'), 'first')).toBeUndefined();
  });

  it('[*]: first match, every match, or a random one', () => {
    expect(evalJsonPath(doc, path('$.items[*].tags[0]'), 'first')).toBe('a');
    expect(evalJsonPath(doc, path('$.items[*].id'), 'all')).toEqual([1, 2, 3]);
    expect(evalJsonPath(doc, path('$.items[*].nope'), 'all')).toBeUndefined();
    const seen = new Set<unknown>();
    for (let i = 0; i < 200; i++) seen.add(evalJsonPath(doc, path('$.items[*].id'), 'random'));
    expect([...seen].sort()).toEqual([1, 2, 3]);
  });

  it("'all' without a wildcard is the value itself, even when it is an array", () => {
    expect(evalJsonPath(doc, path('$.items[0].tags'), 'all')).toEqual(['a']);
  });
});

describe('parseThreshold', () => {
  it.each([
    ['p95 < 500ms', { metric: 'p95', endpoint: null, op: '<', value: 500 }],
    ['p95<500', { metric: 'p95', endpoint: null, op: '<', value: 500 }],
    ['p99 <= 1.5s', { metric: 'p99', op: '<=', value: 1500 }],
    ['p99.9 < 2s', { metric: 'p99.9', value: 2000 }],
    ['p(95) < 200', { metric: 'p95', value: 200 }],
    ['median < 100ms', { metric: 'p50', value: 100 }],
    ['error_rate < 0.5%', { metric: 'error_rate', value: 0.005 }],
    ['error_rate < 0.01', { metric: 'error_rate', value: 0.01 }],
    ['checks > 99%', { metric: 'checks', op: '>', value: 0.99 }],
    ['rps > 100', { metric: 'rps', value: 100 }],
    ['rps >= 1000/s', { metric: 'rps', op: '>=', value: 1000 }],
    ['requests > 10000', { metric: 'requests', value: 10000 }],
    ['/api/items: p99 < 1s', { metric: 'p99', endpoint: '/api/items', value: 1000 }],
    ['GET /api/items/:id: max < 2s', { metric: 'max', endpoint: 'GET /api/items/:id', value: 2000 }],
  ] as const)('%s', (expr, fields) => {
    const t = parseThreshold(expr);
    expect(t).toMatchObject({ ...fields, source: expr.trim() });
  });

  it.each([
    ['', 'empty threshold'],
    ['p95 500ms', 'no comparison'],
    ['p95 = 500ms', 'unsupported operator `=`'],
    ['p95 < fast', 'p95 needs a time'],
    ['error_rate < 5', 'a percentage like 0.5%'],
    ['error_rate < 150%', 'cannot be over 100%'],
    ['rps > lots', 'rps needs requests per second'],
    ['requests > 1.5', 'requests needs a whole number'],
    [': p95 < 1s', 'missing endpoint name'],
    ['< 1s', 'missing metric'],
    ['p95 <', 'missing value'],
    ['latency < 1s', 'unknown metric `latency`'],
  ])('%j is an error mentioning %s', (expr, fragment) => {
    const t = parseThreshold(expr);
    expect(typeof t).toBe('string');
    expect(t as string).toContain(fragment);
  });
});

describe('parseCsv (RFC 4180)', () => {
  it('reads quoted fields with commas, doubled quotes and newlines, CRLF or LF', () => {
    const r = parseCsv('name,quote\r\n"Smith, J","said ""hi"""\r\n"two\nlines",x\n\nlast,"" \n');
    expect(r.ok).toBe(false);
    const ok = parseCsv('name,quote\r\n"Smith, J","said ""hi"""\r\n"two\nlines",x\n\nlast,""\n');
    expect(ok).toEqual({
      ok: true,
      records: [
        { line: 1, fields: ['name', 'quote'] },
        { line: 2, fields: ['Smith, J', 'said "hi"'] },
        { line: 3, fields: ['two\nlines', 'x'] },
        { line: 6, fields: ['last', ''] },
      ],
    });
  });

  it('keeps a quote inside an unquoted field as text, and reads a last line without newline', () => {
    expect(parseCsv('a,b\n5" disk,x')).toEqual({ ok: true, records: [{ line: 1, fields: ['a', 'b'] }, { line: 2, fields: ['5" disk', 'x'] }] });
  });

  it('locates an unclosed quote and text after a closing quote', () => {
    expect(parseCsv('a\n"open\nmore')).toMatchObject({ ok: false, line: 2, col: 1, message: 'unclosed quote' });
    expect(parseCsv('a,b\n"x"y,z')).toMatchObject({ ok: false, line: 2, col: 4 });
  });
});

describe('didYouMean', () => {
  const keys = ['name', 'host', 'users', 'spawnRate', 'runTime', 'stopTimeout', 'userClasses'];
  it.each([
    ['spwanRate', 'spawnRate'],
    ['spawn_rate', 'spawnRate'],
    ['SpawnRate', 'spawnRate'],
    ['run-time', 'runTime'],
    ['usres', 'users'],
    ['hots', 'host'],
    ['user_classes', 'userClasses'],
  ])('%s → %s', (typo, meant) => {
    expect(didYouMean(typo, keys)).toBe(meant);
  });

  it('suggests nothing for a word that is not close', () => {
    expect(didYouMean('concurrency', keys)).toBeNull();
    expect(didYouMean('x', keys)).toBeNull();
  });
});
