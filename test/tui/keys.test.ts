import type { Key } from 'ink';
import { describe, expect, it } from 'vitest';
import { type KeyContext, handleKeys } from '../../src/tui/keys.js';
import { endpointKey, sortEndpoints } from '../../src/tui/sorting.js';
import { INITIAL_UI, type UiState } from '../../src/tui/ui-state.js';
import { COLUMN_SETS } from '../../src/tui/column-sets.js';
import { TABS } from '../../src/tui/types.js';
import type { RunnerStatus } from '../../src/engine/types.js';
import { snapshot } from './fixtures.js';

const NO_KEY: Key = {
  upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false,
  return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false,
  super: false, hyper: false, capsLock: false, numLock: false,
};
const k = (over: Partial<Key> = {}): Key => ({ ...NO_KEY, ...over });

function ctx(run: Partial<RunnerStatus> = {}, ui: UiState = INITIAL_UI): KeyContext {
  const snap = snapshot({ run, extraEndpoints: 20 });
  return { snapshot: snap, endpointKeys: sortEndpoints(snap.endpoints, ui.sortKey, ui.sortReverse).map(endpointKey), pageRows: 10, nowMs: 1000 };
}
/** Presses keys in order: strings are typed, objects are special keys. */
function press(keys: (string | Partial<Key>)[], run: Partial<RunnerStatus> = {}, start: UiState = INITIAL_UI) {
  let state = start;
  const effects = [];
  for (const key of keys) {
    const r = typeof key === 'string' ? handleKeys(state, key, k({ shift: key !== key.toLowerCase() }), ctx(run, state)) : handleKeys(state, '', k(key), ctx(run, state));
    state = r.state;
    effects.push(...r.effects);
  }
  return { state, effects };
}

describe('keys', () => {
  it("w/W add 1/10 users and s/S remove 1/10 from the target (Locust's keys)", () => {
    expect(press(['W']).effects).toEqual([{ kind: 'setUsers', users: 30 }]);
    expect(press(['w']).effects).toEqual([{ kind: 'setUsers', users: 21 }]);
    expect(press(['s']).effects).toEqual([{ kind: 'setUsers', users: 19 }]);
    expect(press(['S'], { targetUsers: 4 }).effects).toEqual([{ kind: 'setUsers', users: 0 }]);
    expect(press(['W']).state.flash?.text).toBe('users → 30 (+10)');
  });

  it('+/- move by a step that [ and ] halve and double', () => {
    expect(press(['+']).effects).toEqual([{ kind: 'setUsers', users: 70 }]);
    const r = press([']', ']', '[']);
    expect(r.state.step).toBe(100);
    expect(r.state.flash?.text).toBe('step ±100 users (+/-)');
    const one = press(['[', '[', '[', '[', '[', '[', '[']).state;
    expect(one.step).toBe(1);
    expect(one.flash?.text).toBe('step ±1 user (+/-)');
    expect(press(['-'], { targetUsers: 120 }).effects).toEqual([{ kind: 'setUsers', users: 70 }]);
  });

  it('reads Esc and a key that arrived with it as one sequence (Ink says Alt+key) as Esc, then that key', () => {
    // u opens the editor; Esc and p typed fast reach the app as ('p', meta): the editor closes, p pauses.
    const opened = press(['u']).state;
    expect(opened.editor).not.toBeNull();
    const both = handleKeys(opened, 'p', k({ meta: true }), ctx({}, opened));
    expect(both.state.editor).toBeNull();
    expect(both.effects).toEqual([{ kind: 'pause' }]);
    // The help closes the same way, and the key does its job (tab 3).
    const help = press(['?']).state;
    expect(help.help).toBe(true);
    const after = handleKeys(help, '3', k({ meta: true }), ctx({}, help));
    expect(after.state.help).toBe(false);
    expect(after.state.tab).toBe('percentiles');
    // A real Esc (Ink sets meta on it too) is still just Esc.
    expect(handleKeys(opened, '', k({ escape: true, meta: true }), ctx({}, opened)).state.editor).toBeNull();
  });

  it('splits a run of typed characters, control characters included, into key presses', () => {
    expect(handleKeys(INITIAL_UI, 'u40\t20\r', k(), ctx()).effects).toEqual([{ kind: 'setUsers', users: 40, spawnRate: 20 }]);
    expect(handleKeys(INITIAL_UI, 'u\x7f\x7f7\r', k(), ctx()).effects).toEqual([{ kind: 'setUsers', users: 7, spawnRate: 5 }]);
    expect(handleKeys(INITIAL_UI, 'u9\x1b', k(), ctx()).state.editor).toBeNull();
    expect(handleKeys(INITIAL_UI, 'Wq', k(), ctx()).effects).toEqual([{ kind: 'setUsers', users: 30 }, { kind: 'quit' }]);
    expect(handleKeys(INITIAL_UI, 'w\x03w', k(), ctx()).effects).toEqual([{ kind: 'setUsers', users: 21 }, { kind: 'interrupt' }]);
    // Each key of one input sees the count the keys before it asked for.
    expect(handleKeys(INITIAL_UI, 'wwwww', k(), ctx()).effects.at(-1)).toEqual({ kind: 'setUsers', users: 25 });
    expect(handleKeys(INITIAL_UI, 'WSs', k(), ctx()).effects.at(-1)).toEqual({ kind: 'setUsers', users: 19 });
    // Each p sees the state the p before it left: pause, then resume.
    expect(handleKeys(INITIAL_UI, 'pp', k(), ctx()).effects).toEqual([{ kind: 'pause' }, { kind: 'resume' }]);
    expect(handleKeys(INITIAL_UI, 'ppp', k(), ctx({ state: 'paused' })).effects).toEqual([{ kind: 'resume' }, { kind: 'pause' }, { kind: 'resume' }]);
  });

  it('handles several characters at once (a paste, tmux send-keys) one by one, each adding to the last', () => {
    const r = handleKeys(INITIAL_UI, 'WW', k({ shift: true }), ctx());
    expect(r.effects).toEqual([
      { kind: 'setUsers', users: 30 },
      { kind: 'setUsers', users: 40 },
    ]);
  });

  it('p pauses, and resumes when paused', () => {
    expect(press(['p']).effects).toEqual([{ kind: 'pause' }]);
    expect(press(['p'], { state: 'paused' }).effects).toEqual([{ kind: 'resume' }]);
  });

  it('r resets, e exports, x stops, q and Ctrl-C quit', () => {
    expect(press(['r']).effects).toEqual([{ kind: 'reset' }]);
    expect(press(['e']).effects).toEqual([{ kind: 'export' }]);
    expect(press(['x']).effects).toEqual([{ kind: 'stop' }]);
    expect(press(['q']).effects).toEqual([{ kind: 'quit' }]);
    expect(handleKeys(INITIAL_UI, 'c', k({ ctrl: true }), ctx()).effects).toEqual([{ kind: 'interrupt' }]);
  });

  it('once stopped, only quitting, exporting and looking around work', () => {
    const stopped = { state: 'stopped' as const };
    for (const key of ['w', 'W', 's', '+', 'p', 'r', 'u', 'x']) expect(press([key], stopped).effects).toEqual([]);
    expect(press(['w'], stopped).state.flash?.text).toContain('the test has stopped');
    expect(press(['e'], stopped).effects).toEqual([{ kind: 'export' }]);
    expect(press(['q'], stopped).effects).toEqual([{ kind: 'quit' }]);
    expect(press(['3'], stopped).state.tab).toBe('percentiles');
  });

  it('switches tabs with numbers, Tab and Shift-Tab, ← and →', () => {
    expect(press(['2']).state.tab).toBe('charts');
    expect(press(['6']).state.tab).toBe('ratio');
    expect(press([{ tab: true }, { tab: true }]).state.tab).toBe('percentiles');
    expect(press(['7']).state.tab).toBe('workers');
    expect(press(['8']).state.tab).toBe('target');
    // Back from the first tab wraps to the last one (tabs are added at the end).
    expect(press([{ tab: true, shift: true }]).state.tab).toBe(TABS.at(-1));
    expect(press([{ rightArrow: true }]).state.tab).toBe('charts');
    expect(press([{ leftArrow: true }]).state.tab).toBe(TABS.at(-1));
  });

  it('moves the selection with ↑/↓, k/j, PgUp/PgDn, Home/End and g/G, by endpoint', () => {
    const keys = ctx().endpointKeys;
    expect(press([{ downArrow: true }]).state.selectedKey).toBe(keys[1]);
    expect(press(['j', 'j', 'k']).state.selectedKey).toBe(keys[1]);
    expect(press([{ pageDown: true }]).state.selectedKey).toBe(keys[10]);
    expect(press([{ pageDown: true }, { pageDown: true }, { pageDown: true }, { pageUp: true }]).state.selectedKey).toBe(keys[19]);
    expect(press([{ end: true }]).state.selectedKey).toBe(keys[keys.length - 1]);
    expect(press(['G', 'g']).state.selectedKey).toBe(keys[0]);
    expect(press([{ upArrow: true }]).state.selectedKey).toBe(keys[0]);
  });

  it('keeps the selected endpoint when the sort order changes', () => {
    const r = press(['j', 'j', 'j', 'o']);
    const selected = r.state.selectedKey;
    expect(r.state.sortKey).toBe('requests');
    expect(selected).toBe(ctx().endpointKeys[3]);
  });

  it('o steps through every Statistics column, O reverses it', () => {
    expect(press(['o', 'o', 'o']).state.sortKey).toBe('median');
    // name → requests fails median p95 p99 avg min max size rps fps → type → name: all 13 columns.
    const seen = new Set<string>();
    let state = INITIAL_UI;
    for (let i = 0; i < 13; i++) {
      state = handleKeys(state, 'o', k(), ctx({}, state)).state;
      seen.add(state.sortKey);
    }
    expect([...seen].sort()).toEqual(['avg', 'fails', 'fps', 'max', 'median', 'min', 'name', 'p95', 'p99', 'requests', 'rps', 'size', 'type']);
    expect(state.sortKey).toBe('name');
    expect(press(['O']).state.sortReverse).toBe(true);
    expect(press(['O', 'O']).state.sortReverse).toBe(false);
    expect(press(['o']).state.flash?.text).toBe('sort: requests ▼');
  });

  it('< and > move the sort to the column left or right of the current one, among those on screen', () => {
    const onScreen = (state: UiState): KeyContext => ({ ...ctx({}, state), sortKeys: ['type', 'name', 'requests', 'median', 'p95'] });
    const go = (keys: string[]): UiState => keys.reduce((st, key) => handleKeys(st, key, k({ shift: key !== key.toLowerCase() }), onScreen(st)).state, INITIAL_UI);
    expect(go(['>']).sortKey).toBe('requests');
    expect(go(['<']).sortKey).toBe('type');
    expect(go(['<', '<']).sortKey).toBe('p95');
    expect(go(['>', '>', '>', '>']).sortKey).toBe('type');
    // A sort key not on screen (sorted in another tab): > starts from the first column.
    expect(handleKeys({ ...INITIAL_UI, sortKey: 'p99.9' }, '>', k(), onScreen(INITIAL_UI)).state.sortKey).toBe('type');
    expect(go(['>', 'O', '>']).sortReverse).toBe(false);
  });

  it('c and C cycle the column sets and say which', () => {
    expect(press(['c']).state.columnSet).toBe('latency');
    expect(press(['c']).state.flash?.text).toBe('columns: latency');
    expect(press(['c', 'c', 'c']).state.columnSet).toBe('failures');
    expect(press(['C']).state.columnSet).toBe(COLUMN_SETS.at(-1));
    expect(press(COLUMN_SETS.map(() => 'c')).state.columnSet).toBe('all');
  });

  it('scrolls failures and exceptions in their own tabs', () => {
    expect(press(['4', 'j', 'j']).state.failureIndex).toBe(2);
    expect(press(['4', { end: true }]).state.failureIndex).toBe(3);
    expect(press(['5', 'j', 'j', 'j']).state.exceptionIndex).toBe(1);
  });

  it('? toggles the help; Esc closes it; other keys close it and still work', () => {
    expect(press(['?']).state.help).toBe(true);
    expect(press(['?', '?']).state.help).toBe(false);
    expect(press(['?', { escape: true }]).state.help).toBe(false);
    const r = press(['?', '2']);
    expect(r.state.help).toBe(false);
    expect(r.state.tab).toBe('charts');
  });

  describe('u: exact users and spawn rate', () => {
    it('opens prefilled with the current target; typing replaces, Enter applies', () => {
      const open = press(['u']).state;
      expect(open.editor).toEqual({ users: '20', rate: '5', field: 'users', fresh: true, error: null });
      const r = press(['u', '1', '5', '0', { tab: true }, '2', '5', { return: true }]);
      expect(r.effects).toEqual([{ kind: 'setUsers', users: 150, spawnRate: 25 }]);
      expect(r.state.editor).toBeNull();
      expect(r.state.flash?.text).toBe('users → 150 at 25/s');
    });

    it('edits with backspace and keeps untouched fields', () => {
      const r = press(['u', { backspace: true }, '3', { return: true }]);
      expect(r.effects).toEqual([{ kind: 'setUsers', users: 3, spawnRate: 5 }]);
      const s = press(['u', { tab: true }, { delete: true }, '0', '.', '5', { return: true }]);
      expect(s.effects).toEqual([{ kind: 'setUsers', users: 20, spawnRate: 0.5 }]);
    });

    it('validates: no effect and an error until the input is right', () => {
      const empty = press(['u', { backspace: true }, { return: true }]);
      expect(empty.effects).toEqual([]);
      expect(empty.state.editor?.error).toMatch(/users must be a whole number/);
      const zeroRate = press(['u', { tab: true }, '0', { return: true }]);
      expect(zeroRate.state.editor?.error).toMatch(/spawn rate must be a number above 0/);
      const fraction = press(['u', '1', '.', '5', { return: true }]);
      expect(fraction.state.editor?.error).toMatch(/whole number/);
      expect(press(['u', '9', '9', '9', '9', '9', '9', '9', '9', { return: true }]).state.editor?.error).toMatch(/from 0 to 1000000/);
    });

    it('ignores letters while editing, Esc cancels, Ctrl-C still quits', () => {
      expect(press(['u', 'q', 'W', 'x']).effects).toEqual([]);
      const cancelled = press(['u', '7', { escape: true }]);
      expect(cancelled.state.editor).toBeNull();
      expect(cancelled.effects).toEqual([]);
      expect(handleKeys(press(['u']).state, 'c', k({ ctrl: true }), ctx()).effects).toEqual([{ kind: 'interrupt' }]);
    });
  });
});
