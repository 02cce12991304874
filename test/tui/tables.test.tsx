import { describe, expect, it } from 'vitest';
import { ExceptionsTable, stackHead } from '../../src/tui/ExceptionsTable.js';
import { FailuresTable } from '../../src/tui/FailuresTable.js';
import { PercentilesTable } from '../../src/tui/PercentilesTable.js';
import { RatioTable, ratioRows } from '../../src/tui/RatioTable.js';
import { CLASSES, EXCEPTIONS, FAILURES, NOW, snapshot } from './fixtures.js';
import { expectFits, lines, renderAt } from './render.js';

describe('PercentilesTable', () => {
  const snap = snapshot();
  const table = (width: number, height: number) => (
    <PercentilesTable endpoints={snap.endpoints} total={snap.total} selected={0} offset={0} width={width} height={height} />
  );

  it('shows the whole ladder from 50% to 100% at 200 columns', () => {
    const r = renderAt(table(200, 40), 200, 50);
    const header = lines(r.raw())[0] as string;
    expect(header).toMatch(/Type\s+Name\s+50%\s+66%\s+75%\s+80%\s+90%\s+95%\s+98%\s+99%\s+99\.9%\s+99\.99%\s+100%\s+# Requests/);
    const slow = lines(r.raw()).find((l) => l.includes('/api/slow')) as string;
    // 1136 × (1 + 10(p − 0.5)²) for p = 0.5, 0.66, 0.75 ...
    expect(slow).toMatch(/\/api\/slow\s+1136\s+1427\s+1846\s+2158\s+2954\s+3436/);
    expect(r.text()).toMatch(/Aggregated/);
    expectFits(r.raw(), 200, 40);
  });

  it('keeps 50/95/99% and drops the least useful percentiles at 80 columns', () => {
    const r = renderAt(table(80, 16), 80, 24);
    const header = lines(r.raw())[0] as string;
    for (const p of ['50%', '95%', '99%', '90%', '100%']) expect(header).toContain(p);
    expect(header).not.toContain('99.99%');
    expect(r.text()).toContain('hidden for width');
    expectFits(r.raw(), 80, 16);
  });

  it('says which rows are on screen when the endpoints do not all fit (the histogram takes half the tab)', () => {
    const many = snapshot({ extraEndpoints: 12 });
    const at = (offset: number) =>
      renderAt(<PercentilesTable endpoints={many.endpoints} total={many.total} selected={offset} offset={offset} width={80} height={16} />, 80, 24).text();
    const n = many.endpoints.length;
    expect(at(0)).toMatch(new RegExp(`^rows 1–\\d+ of ${n} · response times in ms`, 'm'));
    expect(at(5)).toMatch(new RegExp(`^rows 6–\\d+ of ${n} · `, 'm'));
    // All on screen: no range.
    expect(renderAt(table(80, 40), 80, 44).text()).toMatch(/^response times in ms/m);
  });
});

describe('FailuresTable', () => {
  it('lists each failure with occurrences, method, name, message and when it was seen', () => {
    const r = renderAt(<FailuresTable failures={FAILURES} nowMs={NOW} selected={1} offset={0} width={120} height={16} />, 120, 24);
    const out = lines(r.raw());
    expect(out[0]).toMatch(/# Occurrences\s+Method\s+Name\s+Message\s+First seen\s+Last seen/);
    expect(out[1]).toMatch(/412\s+GET\s+\/api\/limited\s+HTTP 429\s+2m50s ago\s+1s ago/);
    expect(out[2]).toMatch(/^› \s*183\s+GET\s+\/api\/items\/\[id\]\s+HTTP 404/);
    // A message with a newline stays on its row.
    expect(out[4]).toMatch(/7\s+GET\s+\/api\/flaky\s+check: json \$\.status equals "ok" expected, got "degraded" w…\s+1m00s ago\s+30s ago/);
    expect(r.text()).toContain('4 kinds of failure, 692 occurrences');
    expectFits(r.raw(), 120, 16);
  });

  it('fits 80 columns by cutting the message', () => {
    const r = renderAt(<FailuresTable failures={FAILURES} nowMs={NOW} selected={0} offset={0} width={80} height={16} />, 80, 24);
    expect(r.text()).toContain('HTTP 429');
    expect(r.text()).toContain('…');
    expectFits(r.raw(), 80, 16);
  });

  it('says when there are none', () => {
    expect(renderAt(<FailuresTable failures={[]} nowMs={NOW} selected={0} offset={0} width={80} height={16} />, 80, 24).text()).toContain(
      'No failures so far',
    );
  });
});

describe('ExceptionsTable', () => {
  it('shows count, message, where, and the first lines of the stack', () => {
    const r = renderAt(<ExceptionsTable exceptions={EXCEPTIONS} selected={0} offset={0} width={120} height={16} />, 120, 24);
    const text = r.text();
    expect(text).toMatch(/›\s+12\s+TypeError: Cannot read properties of undefined \(reading 'id'\)\s+at Shopper\/cart/);
    expect(text).toContain('at capture (file:///cicada/dist/engine/user.js:120:15)');
    expect(text).toContain('at VirtualUser.onBody');
    expect(text).toContain('data "accounts" ran out of unique rows');
    expect(text).toContain('2 distinct exceptions');
    expectFits(r.raw(), 120, 16);
  });

  it('fits 80×24', () => {
    expectFits(renderAt(<ExceptionsTable exceptions={EXCEPTIONS} selected={1} offset={0} width={80} height={14} />, 80, 24).raw(), 80, 14);
  });

  it('skips the stack line that only repeats the message', () => {
    expect(stackHead(EXCEPTIONS[0]!, 1)).toEqual(['at capture (file:///cicada/dist/engine/user.js:120:15)']);
  });
});

describe('RatioTable', () => {
  it('shows each class and its tasks, configured vs actual', () => {
    const r = renderAt(<RatioTable classes={CLASSES} width={120} height={20} />, 120, 24);
    const out = lines(r.raw());
    expect(out[0]).toMatch(/Class \/ task\s+Configured\s+Actual\s+Users \/ runs/);
    expect(out[1]).toMatch(/Shopper\s+75%\s+75%\s+15\/15 users/);
    // /api/items/[id]: weight 6 of 15 = 40%; 1500 of 3830 runs = 39.2%.
    expect(r.text()).toMatch(/\/api\/items\/\[id\]\s+40%\s+39\.2%\s+1500 runs/);
    expect(r.text()).toMatch(/Visitor\s+25%\s+25%\s+5\/5 users/);
    expectFits(r.raw(), 120, 20);
  });

  it('fits 80 columns', () => {
    expectFits(renderAt(<RatioTable classes={CLASSES} width={80} height={14} />, 80, 24).raw(), 80, 14);
  });

  it('has no actual share before any user started', () => {
    const rows = ratioRows([{ ...CLASSES[0]!, users: 0, taskRuns: [0, 0, 0, 0, 0] }]);
    expect(rows[0]?.actual).toBeNull();
    expect(rows[1]?.actual).toBeNull();
  });
});
