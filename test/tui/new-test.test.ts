/**
 * The `n` form's keys (issue 16 part 3), pure: prefilled from the finished test, fields edited and
 * checked, Enter starts, Esc cancels, and `n` itself only once the test has stopped.
 */
import { describe, expect, it } from 'vitest';
import { handleKeys, splitKeys, type KeyContext } from '../../src/tui/keys.js';
import { INITIAL_UI, type UiState } from '../../src/tui/ui-state.js';
import { runStatus, snapshot } from './fixtures.js';

const defaults = { users: 20, rate: 5, host: 'http://127.0.0.1:8089', openModel: false };

function ctx(state: 'running' | 'stopped', withNewTest = true): KeyContext {
  const s = snapshot();
  return { snapshot: { ...s, run: runStatus({ state }) }, endpointKeys: [], pageRows: 10, nowMs: 0, newTest: withNewTest ? defaults : null, sortKeys: [] } as KeyContext;
}

/** Types `text` key by key (as tmux send-keys does). */
function type(state: UiState, text: string, c: KeyContext) {
  let s = state;
  const effects = [];
  for (const [input, key] of splitKeys(text)) {
    const r = handleKeys(s, input, key, c);
    s = r.state;
    effects.push(...r.effects);
  }
  return { state: s, effects };
}

describe('n: a new test', () => {
  it('is refused while the test runs, and where no new test can start', () => {
    expect(type(INITIAL_UI, 'n', ctx('running')).state.flash?.text).toMatch(/once this one has stopped/);
    expect(type(INITIAL_UI, 'n', ctx('stopped', false)).state.flash?.text).toMatch(/cannot be started/);
    expect(type(INITIAL_UI, 'n', ctx('stopped')).state.newTest).toMatchObject({ users: '20', rate: '5', host: 'http://127.0.0.1:8089', field: 'users' });
  });

  it('edits users, rate and host (Tab moves, the first key replaces the prefilled value), and Enter starts with them', () => {
    const c = ctx('stopped');
    const r = type(INITIAL_UI, 'n50\t2.5\t\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7fhttp://127.0.0.1:9000\r', c);
    expect(r.effects).toEqual([{ kind: 'newTest', settings: { users: 50, rate: 2.5, host: 'http://127.0.0.1:9000' } }]);
    expect(r.state.newTest?.starting).toBe(true);
  });

  it('the host is edited in place (Backspace, then type); letters go nowhere in a number field', () => {
    const c = ctx('stopped');
    const r = type(INITIAL_UI, 'nab\t\t\x7f\x7f\x7f\x7f9000\r', c);
    expect(r.effects).toEqual([{ kind: 'newTest', settings: { users: 20, rate: 5, host: 'http://127.0.0.1:9000' } }]);
  });

  it('says what is wrong instead of starting, and Esc cancels', () => {
    const c = ctx('stopped');
    const bad = type(INITIAL_UI, 'n0\r', c);
    expect(bad.effects).toEqual([]);
    expect(bad.state.newTest?.error).toMatch(/users must be a whole number from 1/);
    const host = type(INITIAL_UI, 'n\t\t' + '\x7f'.repeat(30) + 'localhost\r', c);
    expect(host.state.newTest?.error).toMatch(/host must be an http/);
    const cancelled = type(bad.state, '\x1b', c);
    expect(cancelled.state.newTest).toBeNull();
    expect(cancelled.effects).toEqual([]);
  });
});
