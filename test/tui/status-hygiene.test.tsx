/**
 * What the status bar and the footer say, and stop saying: keys to quit and for help at 80
 * columns, warnings that carry their age and expire, a dead target named in words, no stale
 * "stopping", ramping down said as such, the run-time gauge and open connections against the
 * descriptor limit.
 */
import { describe, expect, it } from 'vitest';
import { Footer } from '../../src/tui/Footer.js';
import { StatusBar, WARNING_SHOW_MS, statusLines } from '../../src/tui/StatusBar.js';
import type { StatusBarProps } from '../../src/tui/StatusBar.js';
import type { FailureEntry, StatsSnapshot } from '../../src/stats/types.js';
import { NOW, aggregate, endpoint, snapshot } from './fixtures.js';
import { expectFits, lines, renderAt } from './render.js';

const base = (over: Partial<StatusBarProps> = {}, width = 80): StatusBarProps => ({
  snapshot: snapshot(),
  host: 'http://127.0.0.1:8089',
  width,
  resultsDir: '/home/dev/project/results/shop-20231114-221200',
  warning: null,
  lastExport: null,
  thresholds: [],
  ...over,
});

const text = (p: StatusBarProps): string => renderAt(<StatusBar {...p} />, p.width, 24).text();

/** A run whose every request of the last seconds failed with `error`. */
function failingEverything(error: string): StatsSnapshot {
  const rows = [endpoint({ method: 'GET', name: '/health', requests: 500, failures: 500, medianMs: 0.4 })];
  const failures: FailureEntry[] = [{ method: 'GET', name: '/health', error, occurrences: 500, firstSeen: NOW - 20_000, lastSeen: NOW - 200 }];
  const s = snapshot();
  return { ...s, endpoints: rows, total: aggregate(rows), failures };
}

describe('the footer', () => {
  it('keeps `q quit` and `? help` at 80 columns (and narrower), dropping the least needed hints first', () => {
    for (const width of [120, 80, 60, 40]) {
      const r = renderAt(<Footer flash={null} state="running" step={50} width={width} nowMs={0} />, width, 24);
      const line = r.text().trimEnd();
      expect(line, `${width}: ${line}`).toMatch(/q quit {2}\? help$/);
      expect(line).not.toContain('…');
      expectFits(r.raw(), width, 1);
    }
    const at80 = renderAt(<Footer flash={null} state="running" step={50} width={80} nowMs={0} />, 80, 24).text();
    expect(at80).toContain('w/W +1/+10');
    expect(at80).toContain('p pause');
    expect(at80).not.toContain('[/] step');
  });

  it('says nothing stale: the `stopping` flash of x is gone once the test has stopped', () => {
    const flash = { text: 'stopping: requests in flight get a moment to finish', tone: 'warn' as const, at: 1000, untilStopped: true };
    const stopping = renderAt(<Footer flash={flash} state="stopping" step={50} width={120} nowMs={1500} />, 120, 24).text();
    expect(stopping).toContain('stopping: requests in flight');
    const stopped = renderAt(<Footer flash={flash} state="stopped" step={50} width={120} nowMs={1500} />, 120, 24).text();
    expect(stopped).toContain('Test stopped. q to quit');
    expect(stopped.toLowerCase()).not.toContain('stopping');
    // Other flashes still show after a stop (an export, say).
    const exported = renderAt(<Footer flash={{ text: 'snapshot written: x', tone: 'good', at: 1000 }} state="stopped" step={50} width={120} nowMs={1500} />, 120, 24).text();
    expect(exported).toContain('snapshot written: x');
  });
});

describe('the status bar notice line', () => {
  it('shows a warning with its age, then lets it expire so "generator ok" comes back', () => {
    const warning = 'data "accounts" ran out of unique rows';
    const fresh = text(base({ warning, warningAt: NOW - 400, nowMs: NOW }, 120));
    expect(fresh).toContain(`warning just now: ${warning}`);
    expect(fresh).not.toContain('generator ok');
    const older = text(base({ warning, warningAt: NOW - 12_000, nowMs: NOW }, 120));
    expect(older).toContain(`warning 12s ago: ${warning}`);
    const expired = text(base({ warning, warningAt: NOW - WARNING_SHOW_MS - 1, nowMs: NOW }, 120));
    expect(expired).not.toContain(warning);
    expect(expired).toMatch(/generator ok: lag 3 ms, CPU 41%/);
    // Same number of lines either way: the layout does not jump.
    expect(statusLines(base({ warning, warningAt: NOW, nowMs: NOW })).length).toBe(statusLines(base()).length);
  });

  it('says in words that nothing is listening when every request is refused, not only `fails 100%`', () => {
    const down = text(base({ snapshot: failingEverything('ECONNREFUSED'), host: 'http://127.0.0.1:1' }));
    expect(down).toContain('nothing is listening at 127.0.0.1:1 — is it running?');
    expect(down).toContain('fails 100%');
    expect(down).not.toContain('generator ok');
    // The same words as the session's warning are not repeated beside it.
    const warned = text(base({ snapshot: failingEverything('ECONNREFUSED'), host: 'http://127.0.0.1:1', warning: 'nothing is listening at 127.0.0.1:1 — is it running? (connection refused)', warningAt: NOW - 2000, nowMs: NOW }, 200));
    expect(warned.match(/nothing is listening/g)).toHaveLength(1);
    // A name that does not resolve says so; a target that answers with errors is not "down".
    expect(text(base({ snapshot: failingEverything('ENOTFOUND'), host: 'http://no-such-host.invalid:8080' }, 120))).toContain('no-such-host.invalid:8080 does not resolve (DNS)');
    expect(text(base({ snapshot: failingEverything('HTTP 500') }, 120))).not.toMatch(/nothing is listening|does not resolve/);
    // Refusals that stopped a while ago (the target came back) are history, not news.
    const old = failingEverything('ECONNREFUSED');
    const recovered = { ...old, failures: old.failures.map((f) => ({ ...f, lastSeen: NOW - 60_000 })) };
    expect(text(base({ snapshot: recovered }))).not.toContain('nothing is listening');
  });

  it('reads ramping down as such, not as SPAWNING 25/20', () => {
    const down = text(base({ snapshot: snapshot({ run: { state: 'spawning', users: 25, targetUsers: 20, spawnRate: 5 } }) }));
    expect(down).toContain('RAMPING DOWN');
    expect(down).toContain('users 25 → 20');
    expect(down).not.toContain('SPAWNING');
    expect(down).not.toContain('25/20');
    const up = text(base({ snapshot: snapshot({ run: { state: 'spawning', users: 12, targetUsers: 20 } }) }));
    expect(up).toContain('SPAWNING');
    expect(up).toContain('users 12/20');
  });
});

describe('progress and connections', () => {
  it('draws a progress gauge when the run has a run time, none without', () => {
    // 3m05s of 5m: 61%.
    const timed = text(base({}, 120));
    expect(timed).toMatch(/elapsed 3m05s ▕█{12}░{8}▏ 61% · 1m55s left {2}http:\/\/127\.0\.0\.1:8089/);
    // At 80 columns the gauge takes the room the host leaves: a short one, the host still whole.
    const at80 = renderAt(<StatusBar {...base()} />, 80, 24);
    expect(lines(at80.raw())[0]).toMatch(/elapsed 3m05s ▕█{2}░{2}▏ · 1m55s left {2}http:\/\/127\.0\.0\.1:8089$/);
    expectFits(at80.raw(), 80, 24);
    // A long host leaves no room: no gauge rather than a cut host.
    expect(text(base({ host: 'https://a-rather-long-host-name.example.com' }))).not.toContain('▕');
    const open = text(base({ snapshot: snapshot({ run: { remainingMs: null } }) }, 120));
    expect(open).not.toMatch(/[▕▏]|left/);
    const done = text(base({ snapshot: snapshot({ run: { state: 'stopped', elapsedMs: 300_000, remainingMs: 0 } }) }, 120));
    expect(done).toMatch(/▕█{20}▏ 100%/);
  });

  it('shows open connections against the descriptor limit, yellow from 80% and red from 95%', () => {
    const withConns = (connections: number, descriptorLimit: number | null) =>
      renderAt(<StatusBar {...base({ snapshot: snapshot({ run: { connections } }), descriptorLimit }, 120)} />, 120, 24);
    expect(withConns(20, 1024).text()).toContain('conns 20/1024');
    expect(withConns(20, null).text()).toMatch(/conns 20(?!\/)/);
    const line2 = (raw: string): string => raw.split('\n')[1] as string;
    // Colours: none when low, yellow (33) near the limit, red (31) at it.
    expect(withConns(20, 1024).raw()).not.toMatch(/\x1b\[[0-9;]*(33|31)m20\/1024/);
    expect(line2(withConns(850, 1024).raw())).toMatch(/\x1b\[33m850\/1024/);
    expect(line2(withConns(1000, 1024).raw())).toMatch(/\x1b\[31m1000\/1024/);
    // Not counted (a status from elsewhere): nothing shown.
    expect(text(base({}, 120))).not.toContain('conns');
  });
});
