/**
 * Text width comes from the library Ink itself measures with (`string-width`), so emoji, variation
 * selectors and skin tones take the columns Ink gives them and table rows stay aligned.
 */
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { formatPercentileTable, formatStatsTable } from '../../src/report/console.js';
import { fit, stripSgr, textWidth, truncate, truncateStart } from '../../src/tui/format.js';
import { PercentilesTable } from '../../src/tui/PercentilesTable.js';
import { StatsTable } from '../../src/tui/StatsTable.js';
import { aggregate, endpoint, snapshot } from './fixtures.js';
import { expectFits, lines, renderAt } from './render.js';

const TRICKY = ['✅ ok', '👍🏽', '⚠️ slow', '日本語テキスト', 'e\u0301clair', '👨‍👩‍👧 family', '/plain/ascii'];

describe('text width as Ink measures it', () => {
  it('agrees with string-width where the old hand count did not: `✅ ok` is 5, `👍🏽` is 2', () => {
    expect(textWidth('✅ ok')).toBe(5);
    expect(textWidth('👍🏽')).toBe(2);
    expect(textWidth('⚠️')).toBe(2);
    expect(textWidth('日本語')).toBe(6);
    expect(textWidth('e\u0301')).toBe(1);
    for (const t of TRICKY) expect(textWidth(t), t).toBe(stringWidth(t));
  });

  it('cuts never wider than asked, never inside an emoji sequence, with … when cut', () => {
    for (const t of TRICKY) {
      for (let w = 1; w <= textWidth(t) + 1; w++) {
        for (const out of [truncate(t, w), truncateStart(t, w)]) {
          expect(stringWidth(out), `${JSON.stringify(t)} at ${w}: ${JSON.stringify(out)}`).toBeLessThanOrEqual(w);
          if (textWidth(t) <= w) expect(out).toBe(t);
          else expect(out).toContain('…');
          // A skin tone never loses its hand, a family never loses a member halfway.
          expect(out).not.toMatch(/^\u{1F3FD}|\u200d…|\u200d$/u);
        }
        expect(stringWidth(fit(t, w))).toBe(w);
        expect(stringWidth(fit(t, w, 'right'))).toBe(w);
      }
    }
    // A wide character that does not fit is left out rather than overflowing (cli-truncate alone gives 7 here).
    expect(truncate('日本語テキスト', 6)).toBe('日本…');
    expect(truncate('👍🏽👍🏽👍🏽', 5)).toBe('👍🏽👍🏽…');
  });

  it('strips every ANSI sequence, not only colours', () => {
    expect(stripSgr('\x1b[1;31mred\x1b[0m \x1b]8;;https://x\x07link\x1b]8;;\x07')).toBe('red link');
  });

  it('keeps Statistics and Percentiles rows aligned when names hold emoji and wide characters', () => {
    const rows = TRICKY.map((name, i) => endpoint({ method: 'GET', name, requests: 100 + i * 111, medianMs: 5 + i }));
    for (const width of [80, 120]) {
      const stats = renderAt(<StatsTable endpoints={rows} total={aggregate(rows)} selected={0} offset={0} width={width} height={12} sortKey="name" sortReverse={false} />, width, 20);
      const pct = renderAt(<PercentilesTable endpoints={rows} total={aggregate(rows)} selected={0} offset={0} width={width} height={12} />, width, 20);
      for (const r of [stats, pct]) {
        expectFits(r.raw(), width, 12);
        const body = lines(r.raw()).filter((l) => /^[› ] +(Type|GET|Aggregated)\b/.test(l));
        expect(body.length).toBe(TRICKY.length + 2);
        // Every row as wide as the header, measured as the terminal does: the columns line up.
        const header = stringWidth((body[0] as string).trimEnd());
        for (const line of body.slice(1)) expect(stringWidth(line.trimEnd()), line).toBe(header);
      }
    }
  });

  it('keeps the console tables (headless, final summary) aligned the same way', () => {
    const rows = TRICKY.map((name, i) => endpoint({ method: 'GET', name, requests: 100 + i * 111, medianMs: 5 + i }));
    const snap = { ...snapshot(), endpoints: rows, total: aggregate(rows), failures: [] };
    expect(formatStatsTable(snap, { columns: 120 })).toContain('|');
    for (const table of [formatStatsTable(snap, { columns: 120 }), formatStatsTable(snap, { columns: 80 }), formatPercentileTable(snap, { columns: 100 })]) {
      const body = table.split('\n').filter((l) => /^GET|^Type|^ +Aggregated/.test(l));
      expect(body.length).toBe(TRICKY.length + 2);
      // Every row as wide as the header, and the column separators `|` (where the table has them)
      // at the same display columns on every row.
      for (const line of body) expect(stringWidth(line.trimEnd()), line).toBe(stringWidth((body[0] as string).trimEnd()));
      const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
      const bars = (line: string): number[] => {
        const at: number[] = [];
        let w = 0;
        for (const { segment } of graphemes.segment(line)) {
          if (segment === '|') at.push(w);
          w += stringWidth(segment);
        }
        return at;
      };
      const expected = bars(body[0] as string);
      for (const line of body) expect(bars(line), line).toEqual(expected);
    }
  });
});
