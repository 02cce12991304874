import { describe, expect, it } from 'vitest';
import { Footer } from '../../src/tui/Footer.js';
import { HelpOverlay } from '../../src/tui/HelpOverlay.js';
import { KEYMAP } from '../../src/tui/keymap.js';
import { openNewTestForm } from '../../src/tui/new-test.js';
import { NewTestForm } from '../../src/tui/NewTestForm.js';
import { Tabs } from '../../src/tui/Tabs.js';
import { UserEditor } from '../../src/tui/UserEditor.js';
import { expectFits, lines, renderAt } from './render.js';

describe('Tabs', () => {
  it('names all nine tabs with their numbers, with counts on Failures, Exceptions and Logs (its warnings)', () => {
    const text = renderAt(<Tabs active="stats" width={140} failureCount={4} exceptionCount={2} warningCount={3} />, 140, 24).text();
    expect(text).toContain('1 Statistics');
    expect(text).toContain('2 Charts');
    expect(text).toContain('3 Percentiles');
    expect(text).toContain('4 Failures (4)');
    expect(text).toContain('5 Exceptions (2)');
    expect(text).toContain('6 Ratio');
    expect(text).toContain('7 Workers');
    expect(text).toContain('8 Target');
    expect(text).toContain('9 Logs (3)');
    expect(text).toContain('? keys');
  });

  it('highlights the active tab', () => {
    const raw = renderAt(<Tabs active="charts" width={120} failureCount={0} exceptionCount={0} />, 120, 24).raw();
    expect(raw).toMatch(/\x1b\[7m 2 Charts /);
    expect(raw).not.toMatch(/\x1b\[7m 1 Statistics/);
  });

  it('uses short labels when the full ones do not fit', () => {
    const r = renderAt(<Tabs active="stats" width={100} failureCount={4} exceptionCount={2} />, 100, 24);
    expect(r.text()).toContain('1 Statistics');
    expect(r.text()).toContain('3 Pctl');
    expect(r.text()).toContain('4 Failures (4)');
    expect(r.text()).toContain('9 Logs');
    expectFits(r.raw(), 100, 1);
  });

  it('keeps all nine tab keys and the counts visible at 80 and 60 columns, the active tab named', () => {
    for (const [width, active] of [[80, 'stats'], [80, 'logs'], [60, 'logs'], [60, 'stats']] as const) {
      const r = renderAt(<Tabs active={active} width={width} failureCount={4} exceptionCount={2} warningCount={13} />, width, 24);
      const text = r.text();
      expect(text, text).not.toContain('…');
      for (let i = 1; i <= 9; i++) expect(text).toMatch(new RegExp(` ${i}\\b`));
      expect(text).toContain('(4)');
      expect(text).toContain('(13)');
      expect(text).toContain(active === 'logs' ? '9 Logs (13)' : '1 St');
      expectFits(r.raw(), width, 1);
    }
  });
});

describe('HelpOverlay', () => {
  it('lists every key at 80×24, in the space it is given', () => {
    const r = renderAt(<HelpOverlay width={80} height={18} />, 80, 24);
    for (const k of KEYMAP) expect(r.text()).toContain(k.action);
    expectFits(r.raw(), 80, 18);
  });

  it('uses two columns when short and wide', () => {
    const r = renderAt(<HelpOverlay width={200} height={10} />, 200, 24);
    for (const k of KEYMAP) expect(r.text()).toContain(k.action);
    expect(lines(r.raw()).length).toBeLessThanOrEqual(10);
  });

  it('says what it had to leave out when the terminal is tiny', () => {
    const r = renderAt(<HelpOverlay width={60} height={6} />, 60, 24);
    expect(r.text()).toContain('more: enlarge the terminal');
    expectFits(r.raw(), 60, 6);
  });
});

describe('Footer', () => {
  it('shows the key hints with the current step', () => {
    const text = renderAt(<Footer flash={null} state="running" step={25} width={200} nowMs={0} />, 200, 24).text();
    expect(text).toContain('w/W +1/+10');
    expect(text).toContain('+/- ±25');
    expect(text).toContain('q quit');
  });

  it('shows what a key did for a few seconds, then the hints again', () => {
    const flash = { text: 'users → 30 (+10)', tone: 'info' as const, at: 1000 };
    expect(renderAt(<Footer flash={flash} state="running" step={50} width={80} nowMs={2000} />, 80, 24).text()).toContain('users → 30 (+10)');
    expect(renderAt(<Footer flash={flash} state="running" step={50} width={80} nowMs={9000} />, 80, 24).text()).toContain('w/W +1/+10');
  });

  it('says q quits once the test has stopped', () => {
    expect(renderAt(<Footer flash={null} state="stopped" step={50} width={80} nowMs={0} />, 80, 24).text()).toMatch(/Test stopped\. q to quit/);
  });

  it('fits 80 columns', () => {
    expectFits(renderAt(<Footer flash={null} state="running" step={50} width={80} nowMs={0} />, 80, 24).raw(), 80, 1);
  });
});

describe('UserEditor', () => {
  const editor = { users: '20', rate: '5', field: 'users' as const, fresh: true, error: null };

  it('shows both fields, the focused one marked, and how to apply or cancel', () => {
    const r = renderAt(<UserEditor editor={editor} width={80} openModel={false} />, 80, 24);
    expect(r.text()).toMatch(/users \[ 20▏\]\s+spawn rate \[ 5 \] users\/s/);
    expect(r.text()).toContain('Enter applies · Esc cancels');
    expectFits(r.raw(), 80, 2);
  });

  it('shows a validation error in place of the help', () => {
    const text = renderAt(<UserEditor editor={{ ...editor, error: 'users must be a whole number' }} width={80} openModel={false} />, 80, 24).text();
    expect(text).toContain('users must be a whole number');
  });

  it('calls the count the maximum number of users in the open model', () => {
    expect(renderAt(<UserEditor editor={editor} width={80} openModel />, 80, 24).text()).toContain('max users [');
  });
});

describe('NewTestForm', () => {
  const form = openNewTestForm({ users: 20, rate: 5, host: 'http://127.0.0.1:8089', openModel: false });
  it('says how to start and cancel whole at 80 columns; the baseline name is what gets cut', () => {
    const r = renderAt(<NewTestForm form={form} width={80} openModel={false} baseline="this run (demo-20261206-055614)" />, 80, 24);
    const hint = lines(r.text())[2] ?? '';
    expect(hint).toMatch(/^Enter starts · Tab next field · Esc cancels · baseline: this run \(demo-2026/);
    expectFits(r.raw(), 80, 24);
    const wide = lines(renderAt(<NewTestForm form={form} width={120} openModel={false} baseline="this run (demo-20261206-055614)" />, 120, 24).text())[2];
    expect(wide).toBe('Enter starts · Tab next field · Esc cancels · baseline: this run (demo-20261206-055614)');
  });
});
