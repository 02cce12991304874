/**
 * Key handling as a pure function: (state, key, what is on screen) → new state and the commands to
 * give the runner. The app runs the commands; tests can drive this without a terminal.
 */
import type { Key } from 'ink';
import type { StatsSnapshot } from '../stats/types.js';
import { type EditorState, type Flash, MAX_STEP, MAX_USERS, type UiState } from './ui-state.js';
import { nextColumnSet } from './column-sets.js';
import { defaultSortKeys } from './sort-columns.js';
import { nextSortKey, sortLabel } from './sorting.js';
import { type NewTestDefaults, type NewTestSettings, TABS } from './types.js';
import { newTestKey, openNewTestForm } from './new-test.js';
import { USER_KEY_STEPS } from './keymap.js';

export type Effect =
  | { readonly kind: 'setUsers'; readonly users: number; readonly spawnRate?: number }
  | { readonly kind: 'pause' }
  | { readonly kind: 'resume' }
  | { readonly kind: 'reset' }
  | { readonly kind: 'export' }
  | { readonly kind: 'stop' }
  | { readonly kind: 'quit' }
  /** Ctrl-C: quit as an interrupted run (exit 130), like SIGINT outside the TUI. */
  | { readonly kind: 'interrupt' }
  /** `n`, Enter: the same test again with these settings (see new-test.ts). */
  | { readonly kind: 'newTest'; readonly settings: NewTestSettings };

export interface KeyContext {
  readonly snapshot: StatsSnapshot;
  /** What `n` prefills once the run has stopped; absent or null when `n` cannot start one. */
  readonly newTest?: NewTestDefaults | null;
  /** Endpoint keys (`METHOD name`) in the order on screen. */
  readonly endpointKeys: readonly string[];
  /** Rows a page moves in the current tab. */
  readonly pageRows: number;
  readonly nowMs: number;
  /** Sort keys of the current table's columns on screen, in order (`o` `<` `>`); default: every Statistics column. */
  readonly sortKeys?: readonly string[];
  /** Entries in the Logs tab. */
  readonly logCount?: number;
}

export interface KeyResult {
  readonly state: UiState;
  readonly effects: readonly Effect[];
}

const NO_KEY: Key = {
  upArrow: false,
  downArrow: false,
  leftArrow: false,
  rightArrow: false,
  pageDown: false,
  pageUp: false,
  home: false,
  end: false,
  return: false,
  escape: false,
  ctrl: false,
  shift: false,
  tab: false,
  backspace: false,
  delete: false,
  meta: false,
  super: false,
  hyper: false,
  capsLock: false,
  numLock: false,
};

/**
 * Ink hands over a run of plain characters (a paste, fast typing over SSH, tmux send-keys) as one
 * input, control characters included: split it back into single key presses.
 */
export function splitKeys(input: string): [string, Key][] {
  const out: [string, Key][] = [];
  for (const c of input) {
    if (c === '\r' || c === '\n') out.push(['', { ...NO_KEY, return: true }]);
    else if (c === '\t') out.push(['', { ...NO_KEY, tab: true }]);
    else if (c === '\x7f' || c === '\b') out.push(['', { ...NO_KEY, backspace: true }]);
    else if (c === '\x03') out.push(['c', { ...NO_KEY, ctrl: true }]);
    else if (c === '\x1b') out.push(['', { ...NO_KEY, escape: true }]);
    else if (c >= ' ') out.push([c, { ...NO_KEY, shift: c !== c.toLowerCase() }]);
  }
  return out;
}

/**
 * Handles what Ink reports as one input: a key, or several characters typed at once (handled in
 * order, each seeing the user count the keys before it asked for, so `wwwww` adds five users).
 * `ctx.snapshot.run` should be the runner's status read at the key press, not a polled frame's.
 */
export function handleKeys(state: UiState, input: string, key: Key, ctx: KeyContext): KeyResult {
  // Esc and the next key pressed close together reach Ink as one sequence, which it reads as Alt
  // and that key (`\x1bp`): no binding uses Alt, so it is Esc (closing the editor, the form or the
  // help), then the key — not a swallowed Esc that leaves the editor open.
  if (key.meta && !key.escape && !key.ctrl && [...input].length === 1 && input >= ' ') {
    const esc = handleKey(state, '', { ...NO_KEY, escape: true }, ctx);
    const next = handleKeys(esc.state, input, { ...key, meta: false }, ctx);
    return { state: next.state, effects: [...esc.effects, ...next.effects] };
  }
  if ([...input].length <= 1 || input.startsWith('\x1b')) return handleKey(state, input, key, ctx);
  let s = state;
  let keyCtx = ctx;
  const effects: Effect[] = [];
  for (const [c, k] of splitKeys(input)) {
    const r = handleKey(s, c, k, keyCtx);
    s = r.state;
    effects.push(...r.effects);
    for (const e of r.effects) {
      const run = keyCtx.snapshot.run;
      if (e.kind === 'setUsers') keyCtx = { ...keyCtx, snapshot: { ...keyCtx.snapshot, run: { ...run, targetUsers: e.users, spawnRate: e.spawnRate ?? run.spawnRate } } };
      // `pp` in one input pauses and resumes, as two presses do.
      if (e.kind === 'pause') keyCtx = { ...keyCtx, snapshot: { ...keyCtx.snapshot, run: { ...run, state: 'paused' } } };
      if (e.kind === 'resume') keyCtx = { ...keyCtx, snapshot: { ...keyCtx.snapshot, run: { ...run, state: run.users === run.targetUsers ? 'running' : 'spawning' } } };
    }
    if (r.effects.some((e) => e.kind === 'quit' || e.kind === 'interrupt')) break;
  }
  return { state: s, effects };
}

const flash = (text: string, tone: Flash['tone'], ctx: KeyContext): Flash => ({ text, tone, at: ctx.nowMs });
const none = (state: UiState): KeyResult => ({ state, effects: [] });

export function handleKey(state: UiState, input: string, key: Key, ctx: KeyContext): KeyResult {
  if (key.ctrl && input === 'c') return { state, effects: [{ kind: 'interrupt' }] };
  if (state.editor !== null) return editorKey(state, state.editor, input, key, ctx);
  if (state.newTest !== null) {
    const r = newTestKey(state.newTest, input, key);
    if (r.kind === 'cancel') return none({ ...state, newTest: null, flash: flash('new test cancelled', 'info', ctx) });
    if (r.kind === 'edit') return none({ ...state, newTest: r.form });
    return { state: { ...state, newTest: r.form }, effects: [{ kind: 'newTest', settings: r.settings }] };
  }
  if (state.help && (key.escape || input === '?')) return none({ ...state, help: false });
  if (key.escape) return none({ ...state, flash: null });
  // Any other key closes the help and does its job.
  const s: UiState = state.help ? { ...state, help: false } : state;
  const run = ctx.snapshot.run;
  const over = run.state === 'stopping' || run.state === 'stopped';
  const refuse = (): KeyResult => none({ ...s, flash: flash('the test has stopped: that key no longer applies', 'warn', ctx) });
  const users = (delta: number): KeyResult => {
    if (over) return refuse();
    const target = Math.max(0, Math.min(MAX_USERS, run.targetUsers + delta));
    const text = `users → ${target} (${delta >= 0 ? '+' : ''}${target - run.targetUsers})`;
    return { state: { ...s, flash: flash(text, 'info', ctx) }, effects: [{ kind: 'setUsers', users: target }] };
  };

  switch (input) {
    case 'q':
      return { state: s, effects: [{ kind: 'quit' }] };
    case '?':
      return none({ ...s, help: true });
    case 'w':
    case 'W':
    case 's':
    case 'S':
      return users(USER_KEY_STEPS[input]!);
    case '+':
    case '=':
      return users(s.step);
    case '-':
    case '_':
      return users(-s.step);
    case '[':
    case ']': {
      const step = input === '[' ? Math.max(1, Math.floor(s.step / 2)) : Math.min(MAX_STEP, s.step * 2);
      return none({ ...s, step, flash: flash(`step ±${step} user${step === 1 ? '' : 's'} (+/-)`, 'info', ctx) });
    }
    case 'u':
      if (over) return refuse();
      return none({ ...s, editor: { users: String(run.targetUsers), rate: String(run.spawnRate), field: 'users', fresh: true, error: null } });
    case 'p':
      if (over) return refuse();
      if (run.state === 'paused') return { state: { ...s, flash: flash('resumed', 'good', ctx) }, effects: [{ kind: 'resume' }] };
      return {
        state: { ...s, flash: flash('paused: no new requests, in-flight ones finish (p resumes)', 'warn', ctx) },
        effects: [{ kind: 'pause' }],
      };
    case 'r':
      if (over) return refuse();
      return { state: { ...s, flash: flash('statistics reset', 'good', ctx), failureIndex: 0, exceptionIndex: 0 }, effects: [{ kind: 'reset' }] };
    case 'e':
      return { state: s, effects: [{ kind: 'export' }] };
    case 'n':
      if (run.state !== 'stopped') return none({ ...s, flash: flash('n starts a new test once this one has stopped (x stops it)', 'warn', ctx) });
      if (ctx.newTest == null) return none({ ...s, flash: flash('a new test cannot be started from this screen (a distributed run)', 'warn', ctx) });
      return none({ ...s, newTest: openNewTestForm(ctx.newTest) });
    case 'x':
      if (over) return none(s);
      return { state: { ...s, flash: { ...flash('stopping: requests in flight get a moment to finish', 'warn', ctx), untilStopped: true } }, effects: [{ kind: 'stop' }] };
    case 'o':
    case '>':
    case '<': {
      const sortKey = nextSortKey(s.sortKey, ctx.sortKeys ?? defaultSortKeys(), input === '<' ? -1 : 1);
      return none({ ...s, sortKey, sortReverse: false, flash: flash(`sort: ${sortLabel(sortKey, false)}`, 'info', ctx) });
    }
    case 'c':
    case 'C': {
      const columnSet = nextColumnSet(s.columnSet, input === 'c' ? 1 : -1);
      return none({ ...s, columnSet, flash: flash(`columns: ${columnSet}`, 'info', ctx) });
    }
    case 'O':
      return none({ ...s, sortReverse: !s.sortReverse, flash: flash(`sort: ${sortLabel(s.sortKey, !s.sortReverse)}`, 'info', ctx) });
    default:
      break;
  }
  const tabIndex = TABS.map((_, i) => String(i + 1)).join('').indexOf(input);
  if (input.length === 1 && tabIndex !== -1) return none({ ...s, tab: TABS[tabIndex] ?? s.tab });
  if (key.tab || key.rightArrow || key.leftArrow) {
    const back = (key.tab && key.shift) || key.leftArrow;
    const i = TABS.indexOf(s.tab);
    return none({ ...s, tab: TABS[(i + (back ? TABS.length - 1 : 1)) % TABS.length] ?? s.tab });
  }
  const move =
    key.upArrow || input === 'k' ? -1
    : key.downArrow || input === 'j' ? 1
    : key.pageUp ? -Math.max(1, ctx.pageRows)
    : key.pageDown ? Math.max(1, ctx.pageRows)
    : key.home || input === 'g' ? -Infinity
    : key.end || input === 'G' ? Infinity
    : 0;
  if (move !== 0) return none(moveSelection(s, move, ctx));
  return none(s);
}

const clamp = (i: number, n: number): number => Math.max(0, Math.min(n - 1, i));

/** Moves the selection of the current tab by `delta` rows (±Infinity: to the first/last). */
export function moveSelection(s: UiState, delta: number, ctx: KeyContext): UiState {
  const step = (index: number, n: number): number => (n === 0 ? 0 : clamp(Number.isFinite(delta) ? index + delta : delta < 0 ? 0 : n - 1, n));
  switch (s.tab) {
    case 'stats':
    case 'percentiles': {
      const keys = ctx.endpointKeys;
      if (keys.length === 0) return s;
      // With no selection (or a selected endpoint that is gone) the first row shows as selected.
      const current = Math.max(0, s.selectedKey === null ? 0 : keys.indexOf(s.selectedKey));
      const next = step(current, keys.length);
      return { ...s, selectedKey: keys[next] ?? null };
    }
    case 'failures':
      return { ...s, failureIndex: step(s.failureIndex, ctx.snapshot.failures.length) };
    case 'exceptions':
      return { ...s, exceptionIndex: step(s.exceptionIndex, ctx.snapshot.exceptions.length) };
    case 'logs': {
      // From the newest when following it; back to following when the newest is reached again.
      const n = ctx.logCount ?? 0;
      const next = step(s.logIndex ?? n - 1, n);
      return { ...s, logIndex: n === 0 || next >= n - 1 ? null : next };
    }
    default:
      return s;
  }
}

function editorKey(state: UiState, ed: EditorState, input: string, key: Key, ctx: KeyContext): KeyResult {
  if (key.escape) return none({ ...state, editor: null, flash: flash('edit cancelled', 'info', ctx) });
  if (key.tab || key.upArrow || key.downArrow) {
    return none({ ...state, editor: { ...ed, field: ed.field === 'users' ? 'rate' : 'users', fresh: true } });
  }
  if (key.return) {
    const users = Number(ed.users);
    const rate = Number(ed.rate);
    let error: string | null = null;
    if (!/^\d+$/.test(ed.users) || !Number.isSafeInteger(users) || users > MAX_USERS) error = `users must be a whole number from 0 to ${MAX_USERS}`;
    else if (!/^\d+(\.\d+)?$|^\.\d+$/.test(ed.rate) || !(rate > 0) || rate > MAX_USERS) error = 'spawn rate must be a number above 0 (users per second)';
    if (error !== null) return none({ ...state, editor: { ...ed, error } });
    return {
      state: { ...state, editor: null, flash: flash(`users → ${users} at ${rate}/s`, 'info', ctx) },
      effects: [{ kind: 'setUsers', users, spawnRate: rate }],
    };
  }
  const field = ed.field;
  const text = ed[field];
  if (key.backspace || key.delete) return none({ ...state, editor: { ...ed, [field]: ed.fresh ? '' : text.slice(0, -1), fresh: false, error: null } });
  if (/^[0-9.]+$/.test(input)) {
    const next = (ed.fresh ? '' : text) + input;
    return none({ ...state, editor: { ...ed, [field]: next.slice(0, 12), fresh: false, error: null } });
  }
  return none(state);
}
