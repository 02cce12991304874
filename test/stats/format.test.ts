/**
 * The one voice for numbers people read (src/stats/format.ts): a table of inputs and the text each
 * formatter gives, edges included (0, sub-millisecond, carries at rounding boundaries, hours,
 * NaN/Infinity, negatives), and durations that the scenario's own parser reads back.
 */
import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../src/scenario/duration.js';
import {
  NO_VALUE,
  fmtAgo,
  fmtBytes,
  fmtCount,
  fmtConfigured,
  fmtCountShort,
  fmtCpu,
  fmtDuration,
  fmtElapsed,
  fmtExact,
  fmtInUnit,
  fmtMs,
  fmtNumber,
  fmtNumberAgainst,
  fmtOffset,
  fmtPercent,
  fmtPercentOf,
  fmtRate,
  fmtSignedPercent,
  fmtSignedPoints,
  fmtStretch,
  fmtUtc,
} from '../../src/stats/format.js';

function table(f: (x: number) => string, rows: readonly (readonly [number, string])[]): void {
  expect(rows.map(([x]) => [x, f(x)])).toEqual(rows);
}

describe('fmtNumber: two decimals below 1, one below 10, whole above, trailing zeros dropped, no separators', () => {
  it('formats the table', () => {
    table(fmtNumber, [
      [0, '0'],
      [-0, '0'],
      [0.0012, '0.001'],
      [0.00004, '0.00004'],
      [0.004, '0.004'],
      [0.005, '0.01'],
      [0.42, '0.42'],
      [0.994, '0.99'],
      [0.996, '1'],
      [4.4, '4.4'],
      [4.26, '4.3'],
      [9.94, '9.9'],
      [9.96, '10'],
      [12.44, '12'],
      [78.5, '79'],
      [99.96, '100'],
      [1634.4, '1634'],
      [1_234_567, '1234567'],
      [-2.5, '-2.5'],
      [-0.0001, '-0.0001'],
      [1e-30, '0'],
      [Number.NaN, NO_VALUE],
      [Number.POSITIVE_INFINITY, NO_VALUE],
      [Number.NEGATIVE_INFINITY, NO_VALUE],
    ]);
  });
  it('puts units after the number the same way for ms and rates', () => {
    table(fmtMs, [
      [0, '0 ms'],
      [0.42, '0.42 ms'],
      [1634, '1634 ms'],
      [-3, '-3 ms'],
      [Number.NaN, NO_VALUE],
    ]);
    table(fmtRate, [
      [0, '0/s'],
      [0.35, '0.35/s'],
      [4.44, '4.4/s'],
      [12.4, '12/s'],
      [123_456.7, '123457/s'],
      [Number.POSITIVE_INFINITY, NO_VALUE],
    ]);
  });
});

describe('fmtCount and fmtCountShort', () => {
  it('writes counts exactly, without separators', () => {
    table(fmtCount, [
      [0, '0'],
      [15914, '15914'],
      [2.6, '3'],
      [-3, '-3'],
      [12_345_678_901, '12345678901'],
      [Number.NaN, NO_VALUE],
    ]);
  });
  it('abbreviates from ten million for narrow cells', () => {
    table(fmtCountShort, [
      [0, '0'],
      [9_999_999, '9999999'],
      [9_999_999.6, '10M'],
      [12_345_678, '12.3M'],
      [123_456_789, '123M'],
      [999_600_000, '1G'],
      [4_600_000_000, '4.6G'],
      [-12_345_678, '-12.3M'],
      [Number.POSITIVE_INFINITY, NO_VALUE],
    ]);
  });
});

describe('fmtBytes: powers of 1024, one rounding', () => {
  it('formats the table, carrying into the next unit', () => {
    table(fmtBytes, [
      [0, '0 B'],
      [0.4, '0 B'],
      [512, '512 B'],
      [1023, '1023 B'],
      [1023.6, '1.0 KB'],
      [1229, '1.2 KB'],
      [10_188, '9.9 KB'],
      [10_200, '10 KB'],
      [12.3 * 1024, '12 KB'],
      [1023.6 * 1024, '1.0 MB'],
      [3.4 * 1024 ** 2, '3.4 MB'],
      [5 * 1024 ** 3, '5.0 GB'],
      [2 * 1024 ** 6, '2048 PB'],
      [-2048, '-2.0 KB'],
      [Number.NaN, NO_VALUE],
    ]);
  });
});

describe('fmtPercent', () => {
  it('never reads 0% or 100% unless it is', () => {
    table(fmtPercent, [
      [0, '0%'],
      [0.000001, '0.0001%'],
      [0.0005, '0.05%'],
      [0.0031, '0.31%'],
      [0.023, '2.3%'],
      [0.125, '12.5%'],
      [0.9997, '99.9%'],
      [1, '100%'],
      [-0.1, '-10%'],
      [Number.NaN, NO_VALUE],
    ]);
    expect([fmtPercentOf(0, 0), fmtPercentOf(1, 2000), fmtPercentOf(5, 5)]).toEqual(['0%', '0.05%', '100%']);
  });
  it('signs changes', () => {
    table(fmtSignedPercent, [
      [0, '±0%'],
      [0.125, '+12.5%'],
      [-0.03, '-3%'],
      [0.000001, '+0.0001%'],
      [Number.POSITIVE_INFINITY, '+∞%'],
      [Number.NaN, NO_VALUE],
    ]);
    table(fmtSignedPoints, [
      [0, '±0 pt'],
      [0.0042, '+0.42 pt'],
      [-0.1, '-10 pt'],
    ]);
  });
});

describe('fmtDuration: rounded for reading, in the scenario syntax', () => {
  const rows = [
    [0, '0s'],
    [0.42, '0.42ms'],
    [4.26, '4.3ms'],
    [850, '850ms'],
    [999.4, '999ms'],
    [999.6, '1s'],
    [1250, '1.3s'],
    [9940, '9.9s'],
    [9960, '10s'],
    [20_840, '21s'],
    [45_000, '45s'],
    [59_400, '59s'],
    [59_500, '1m00s'],
    [59_950, '1m00s'],
    [62_000, '1m02s'],
    [185_400, '3m05s'],
    [3_599_400, '59m59s'],
    [3_599_600, '1h00m'],
    [3_723_000, '1h02m'],
    [180_000_000, '50h00m'],
    [360_000_000, '100h00m'],
    [-1500, '-1.5s'],
  ] as const;
  it('formats the table', () => {
    table(fmtDuration, [...rows, [Number.NaN, NO_VALUE], [Number.POSITIVE_INFINITY, NO_VALUE]]);
  });
  it('writes what parseDuration reads back, to the precision shown', () => {
    for (const [ms, text] of rows) {
      if (ms < 0) continue;
      const back = parseDuration(text);
      expect(back, text).not.toBeNull();
      // Within half of the last digit shown.
      const tolerance = ms < 0.995 ? 0.005 : ms < 9.95 ? 0.05 : ms < 999.5 ? 0.5 : ms < 9950 ? 50 : ms < 3_599_500 ? 500 : 30_000;
      expect(Math.abs(back! - ms), text).toBeLessThanOrEqual(tolerance);
    }
  });
  it('floors a running clock to whole seconds', () => {
    table(fmtElapsed, [
      [0, '0s'],
      [999, '0s'],
      [59_999, '59s'],
      [62_700, '1m02s'],
      [3_659_999, '1h00m'],
      [-5, '0s'],
      [Number.NaN, NO_VALUE],
    ]);
    expect([fmtAgo(1000, 1500), fmtAgo(0, 12_000), fmtAgo(0, 184_900)]).toEqual(['now', '12s ago', '3m04s ago']);
  });
});

describe('moments', () => {
  it('writes offsets into a run and UTC times', () => {
    table(fmtOffset, [
      [0, '0:00'],
      [7.4, '0:07'],
      [750, '12:30'],
      [3723, '1:02:03'],
      [-3, '0:00'],
      [Number.NaN, NO_VALUE],
    ]);
    expect(fmtUtc(Date.UTC(2026, 10, 22, 16, 26, 4))).toBe('2026-11-22 16:26:04 UTC');
    expect([fmtStretch(0.2, 1), fmtStretch(3, 7), fmtStretch(70, 220), fmtStretch(7, 7), fmtStretch(Number.NaN, 1)]).toEqual(['0:00 for 800ms', '0:03 for 4s', '1:10 for 2m30s', '0:07', NO_VALUE]);
    expect([fmtUtc(null), fmtUtc(Number.NaN)]).toEqual([NO_VALUE, NO_VALUE]);
  });
});

describe('fmtCpu: a sampled utilisation in whole percent', () => {
  it('rounds (not truncates) and never shows decimals', () => {
    table(fmtCpu, [
      [0, '0%'],
      [0.4, '0%'],
      [41.6, '42%'],
      [97.8, '98%'],
      [197.2, '197%'],
      [Number.NaN, NO_VALUE],
    ]);
  });
});

describe('values in a unit, configured values and values beside their target', () => {
  it('writes a monitor\'s units with the formatters above', () => {
    expect(['percent', 'bytes', 'bytes/s', 'seconds', 'ms', '/s', '', 'conns'].map((u) => fmtInUnit(1536.4, u))).toEqual([
      '1536.4%', '1.5 KB', '1.5 KB/s', '1536 s', '1536 ms', '1536/s', '1536', '1536 conns',
    ]);
    expect([fmtInUnit(0.0042, 'seconds'), fmtInUnit(0.123, 'percent'), fmtInUnit(99.97, 'percent'), fmtInUnit(null, 'bytes'), fmtInUnit(Number.NaN, 'ms')]).toEqual([
      '4.2 ms', '0.12%', '99.9%', NO_VALUE, NO_VALUE,
    ]);
  });

  it('writes a configured value exactly as precise as typed, without binary noise or exponents', () => {
    table(fmtExact, [
      [99.95, '99.95'],
      [0.125, '0.125'],
      [0.0007 * 100, '0.07'],
      [1234.5, '1234.5'],
      [-2.5, '-2.5'],
      [0, '0'],
      [1e-9, '0.000000001'],
      [1e22, '10000000000000000000000'],
      [Number.POSITIVE_INFINITY, NO_VALUE],
    ]);
    expect([fmtConfigured(99.95, 'percent'), fmtConfigured(512 * 1024 ** 2, 'bytes'), fmtConfigured(1.5 * 1024 ** 3, 'bytes/s'), fmtConfigured(0.25, 'seconds'), fmtConfigured(1.5, 'seconds'), fmtConfigured(99.5, '/s'), fmtConfigured(12, 'conns')]).toEqual([
      '99.95%', '512 MB', '1.5 GB/s', '250 ms', '1.5 s', '99.5/s', '12 conns',
    ]);
  });

  it('writes a value beside its target to the target\'s precision, never reading as it (or 0, or 100%) unless it is', () => {
    expect([99.97, 99.949, 99.95, 99.9999, 100].map((v) => fmtInUnit(v, 'percent', 99.95))).toEqual(['99.97%', '99.949%', '99.95%', '99.9999%', '100%']);
    expect([0.13, 0.0001, 0].map((v) => fmtInUnit(v, 'percent', 0.125))).toEqual(['0.13%', '0.0001%', '0%']);
    expect([fmtInUnit(2.26, 'ms', 2.25), fmtInUnit(95, 'ms', 95.5), fmtInUnit(95.49, 'ms', 95.5), fmtInUnit(1634.2, 'ms', 500)]).toEqual(['2.26 ms', '95 ms', '95.49 ms', '1634 ms']);
    expect([fmtInUnit(99.6, '/s', 99.5), fmtInUnit(99.5, '/s', 99.5)]).toEqual(['99.6/s', '99.5/s']);
    // Bytes share the target's unit when they are in it; otherwise each reads in its own.
    expect([fmtInUnit(513.4 * 1024 ** 2, 'bytes', 512 * 1024 ** 2), fmtInUnit(512.2 * 1024 ** 2, 'bytes', 512 * 1024 ** 2), fmtInUnit(300 * 1024, 'bytes', 512 * 1024 ** 2)]).toEqual([
      '513 MB', '512.2 MB', '300 KB',
    ]);
    expect([fmtInUnit(0.3, 'seconds', 0.25), fmtInUnit(2.25, 'seconds', 2.5)]).toEqual(['300 ms', '2.3 s']);
    expect([fmtNumberAgainst(-1.04, -1.05), fmtNumberAgainst(4, 3.999), fmtNumberAgainst(Number.NaN, 1)]).toEqual(['-1.04', '4', NO_VALUE]);
  });
});
