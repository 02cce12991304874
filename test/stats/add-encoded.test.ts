/**
 * `addEncoded` reads only the recorded buckets of an encoded histogram (no temporary histogram):
 * into a target it must leave exactly what hdr-histogram-js's own decode + `add` leaves — counts,
 * every percentile, the smallest and largest value — for the same layout and for another one.
 */
import { decodeFromCompressedBase64 } from 'hdr-histogram-js';
import { describe, expect, it } from 'vitest';
import { addEncoded, decodeBuckets, encodeHistogram, newHistogram, wasmBackend } from '../../src/stats/histogram.js';

const QUANTILES = [0, 10, 50, 75, 90, 99, 99.9, 99.99, 100];

function state(h: ReturnType<typeof newHistogram>) {
  return { total: h.totalCount, max: h.maxValue, min: h.minNonZeroValue, percentiles: QUANTILES.map((q) => h.getValueAtPercentile(q)) };
}

describe('addEncoded', () => {
  it('equals decode + add, bucket for bucket, into a 3-digit and a 2-digit histogram', () => {
    let seed = 11;
    const rand = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const shapes: ((i: number) => number)[] = [
      () => 1 + Math.floor(rand() ** 3 * 3_000_000), // µs up to 3 s, most small
      () => Math.floor(rand() * 2 ** 36), // hours
      () => 1234, // one bucket
      (i) => (i === 0 ? 0 : 5), // zeros
    ];
    for (let trial = 0; trial < 120; trial++) {
      const src = newHistogram(3);
      const n = trial % 7 === 0 ? 1 : 1 + Math.floor(rand() * 400);
      const shape = shapes[trial % shapes.length]!;
      for (let i = 0; i < n; i++) src.recordValue(shape(i));
      const encoded = encodeHistogram(src);
      for (const digits of [3, 2] as const) {
        const viaAdd = newHistogram(digits);
        const viaBuckets = newHistogram(digits);
        for (const h of [viaAdd, viaBuckets]) h.recordValue(trial * 997);
        const decoded = decodeFromCompressedBase64(encoded, 32, wasmBackend());
        viaAdd.add(decoded);
        decoded.destroy();
        expect(addEncoded(encoded, [viaBuckets])).toBe(n);
        expect(state(viaBuckets), `trial ${trial}, ${digits} digits`).toEqual(state(viaAdd));
      }
    }
  });

  it('reads the buckets themselves: values, widths and counts', () => {
    const h = newHistogram(3);
    h.recordValue(5);
    h.recordValue(5);
    h.recordValue(100_000);
    const b = decodeBuckets(encodeHistogram(h))!;
    expect(b.total).toBe(3);
    expect(b.counts).toEqual([2, 1]);
    expect(b.values[0]).toBe(5);
    expect(b.values[1]! <= 100_000 && 100_000 < b.values[1]! + b.widths[1]!).toBe(true);
    expect(decodeBuckets('not a histogram')).toBeNull();
  });
});
