import { describe, expect, it } from 'vitest';
import { StatsCollector } from '../../src/stats/collector.js';
import { OTHER_EXCEPTIONS, OTHER_FAILURES } from '../../src/stats/failures.js';
import { FailureBook, ExceptionBook } from '../../src/stats/failures.js';
import { IDLE_GENERATOR, T0, manualClock, runStatus } from './helpers.js';

describe('failures', () => {
  it('are keyed by (endpoint, error) with occurrences and first/last seen, most frequent first', () => {
    const clock = manualClock();
    const c = new StatsCollector({ clock: clock.read });
    const home = c.endpoint('GET', '/');
    const login = c.endpoint('POST', '/login');
    c.request(home, 1_000, 1_000, 0, 'HTTP 503');
    clock.advance(2_000);
    c.request(home, 1_000, 1_000, 0, 'HTTP 503');
    c.request(login, 1_000, 1_000, 0, 'HTTP 503');
    clock.advance(3_000);
    c.request(home, 1_000, 1_000, 0, 'HTTP 503');
    c.request(home, 1_000, 1_000, 0, 'ECONNREFUSED');
    c.request(home, 1_000, 1_000, 0, null);
    const f = c.snapshot(runStatus(), IDLE_GENERATOR).failures;
    expect(f).toEqual([
      { method: 'GET', name: '/', error: 'HTTP 503', occurrences: 3, firstSeen: T0, lastSeen: T0 + 5_000 },
      { method: 'GET', name: '/', error: 'ECONNREFUSED', occurrences: 1, firstSeen: T0 + 5_000, lastSeen: T0 + 5_000 },
      { method: 'POST', name: '/login', error: 'HTTP 503', occurrences: 1, firstSeen: T0 + 2_000, lastSeen: T0 + 2_000 },
    ]);
  });

  it('stay bounded: past the distinct-key cap new errors are counted under one catch-all key', () => {
    const book = new FailureBook(3);
    for (let i = 0; i < 10; i++) book.record(1, `HTTP 500 request ${i}`, T0 + i);
    const entries = book.entries(
      () => 'GET',
      () => '/',
    );
    expect(entries).toHaveLength(4);
    expect(entries[0]).toMatchObject({ error: OTHER_FAILURES, occurrences: 7, firstSeen: T0 + 3, lastSeen: T0 + 9 });
    expect(entries.reduce((n, e) => n + e.occurrences, 0)).toBe(10);
  });
});

describe('exceptions', () => {
  it('are keyed by message and stack, with count, traceback and the places they happened', () => {
    const clock = manualClock();
    const c = new StatsCollector({ clock: clock.read });
    const err = new TypeError('x is undefined');
    c.exception(err, 'Shopper/browse');
    clock.advance(1_000);
    c.exception(err, 'Shopper/checkout');
    c.exception(err, 'Shopper/browse');
    c.exception('a thrown string', 'Admin/purge');
    const x = c.snapshot(runStatus(), IDLE_GENERATOR).exceptions;
    expect(x).toHaveLength(2);
    expect(x[0]).toMatchObject({
      count: 3,
      message: 'TypeError: x is undefined',
      context: 'Shopper/browse, Shopper/checkout',
      contexts: ['Shopper/browse', 'Shopper/checkout'],
      firstSeen: T0,
      lastSeen: T0 + 1_000,
    });
    expect(x[0]!.traceback).toContain('failures.test.ts');
    expect(x[1]).toMatchObject({ count: 1, message: 'a thrown string', traceback: '' });
  });

  it('stay bounded past the distinct-exception cap', () => {
    const book = new ExceptionBook(2);
    for (let i = 0; i < 5; i++) book.record(new Error(`bad ${i}`), 'U/t', T0);
    const entries = book.entries();
    expect(entries).toHaveLength(3);
    expect(entries[0]).toMatchObject({ message: OTHER_EXCEPTIONS, count: 3 });
  });
});

describe('the name cap', () => {
  it('folds names beyond the cap into one row per method, warns once and counts each folded name once', () => {
    const warnings: string[] = [];
    const c = new StatsCollector({ nameCap: 3, onWarning: (m) => warnings.push(m), clock: manualClock().read });
    const kept = ['/a', '/b', '/c'].map((n) => c.endpoint('GET', n));
    const folded = ['/d', '/e', '/f'].map((n) => c.endpoint('GET', n));
    const foldedPost = c.endpoint('POST', '/g');
    expect(new Set(kept).size).toBe(3);
    expect(new Set(folded).size).toBe(1);
    expect(foldedPost).not.toBe(folded[0]);
    expect(c.endpoint('GET', '/d')).toBe(folded[0]); // asked again: same row, not counted again
    expect(c.endpoint('GET', '/a')).toBe(kept[0]);
    for (const id of [...kept, ...folded, foldedPost]) c.request(id, 1_000, 1_000, 0, null);
    const s = c.snapshot(runStatus(), IDLE_GENERATOR);
    expect(s.overflowNames).toBe(4);
    expect(s.endpoints.map((e) => `${e.method} ${e.name}`)).toEqual([
      'GET (other: names beyond 3)',
      'POST (other: names beyond 3)',
      'GET /a',
      'GET /b',
      'GET /c',
    ]);
    expect(s.endpoints[0]!.requests).toBe(3);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('"GET /d"');
  });

  it('bounds memory: 500 endpoints cost what the doc comments say', () => {
    const c = new StatsCollector({ clock: manualClock().read });
    const base = c.footprintBytes();
    for (let i = 0; i < 500; i++) c.endpoint('GET', `/items/${i}`);
    const perEndpoint = (c.footprintBytes() - base) / 500;
    expect(perEndpoint).toBeGreaterThan(119_808); // one 3-digit histogram…
    expect(perEndpoint).toBeLessThan(121_000); // …and a few hundred bytes of counters
    for (let i = 500; i < 5_000; i++) c.endpoint('GET', `/items/${i}`);
    expect((c.footprintBytes() - base) / 501).toBeLessThan(121_000); // folded names add one row only
  });
});
