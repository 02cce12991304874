/**
 * `n` after a run has stopped: a small form (users, spawn rate or the open model's rate, host),
 * then the same scenario again in a fresh results directory, with the finished run as its
 * baseline. This file is the form's state and keys, pure like `keys.ts`; `NewTestForm.tsx` draws
 * it, and the CLI starts the run (`TuiSession.newTest`).
 */
import type { Key } from 'ink';
import type { NewTestDefaults, NewTestSettings } from './types.js';
import { MAX_USERS } from './ui-state.js';

export type NewTestField = 'users' | 'rate' | 'host';
const FIELDS: readonly NewTestField[] = ['users', 'rate', 'host'];

export interface NewTestFormState {
  readonly users: string;
  readonly rate: string;
  readonly host: string;
  readonly field: NewTestField;
  /** The focused number still holds its prefilled value: the first character typed replaces it (never for the host). */
  readonly fresh: boolean;
  readonly error: string | null;
  /** Set once Enter was accepted: the run is being started (keys wait). */
  readonly starting: boolean;
}

export function openNewTestForm(d: NewTestDefaults): NewTestFormState {
  return { users: String(d.users), rate: String(d.rate), host: d.host, field: 'users', fresh: true, error: null, starting: false };
}

export type NewTestKeyResult =
  | { readonly kind: 'edit'; readonly form: NewTestFormState }
  | { readonly kind: 'cancel' }
  | { readonly kind: 'start'; readonly form: NewTestFormState; readonly settings: NewTestSettings };

/** One key in the form: Tab/↑/↓ move between fields, Enter validates and starts, Esc cancels. */
export function newTestKey(form: NewTestFormState, input: string, key: Key): NewTestKeyResult {
  const edit = (f: Partial<NewTestFormState>): NewTestKeyResult => ({ kind: 'edit', form: { ...form, ...f } });
  if (form.starting) return edit({});
  if (key.escape) return { kind: 'cancel' };
  if (key.tab || key.upArrow || key.downArrow) {
    const back = (key.tab && key.shift) || key.upArrow;
    const i = FIELDS.indexOf(form.field);
    const field = FIELDS[(i + (back ? FIELDS.length - 1 : 1)) % FIELDS.length]!;
    // A host is edited more often than replaced (a port, a path): its text is kept.
    return edit({ field, fresh: field !== 'host' });
  }
  if (key.return) {
    const problem = validate(form);
    if (problem !== null) return edit({ error: problem });
    return {
      kind: 'start',
      form: { ...form, starting: true, error: null },
      settings: { users: Number(form.users), rate: Number(form.rate), host: form.host.trim() },
    };
  }
  const text = form[form.field];
  if (key.backspace || key.delete) return edit({ [form.field]: form.fresh ? '' : text.slice(0, -1), fresh: false, error: null });
  if (key.ctrl || key.meta || input === '') return edit({});
  const allowed = form.field === 'host' ? /^[\x21-\x7e]+$/ : /^[0-9.]+$/;
  if (!allowed.test(input)) return edit({});
  const next = (form.fresh ? '' : text) + input;
  return edit({ [form.field]: next.slice(0, form.field === 'host' ? 200 : 12), fresh: false, error: null });
}

function validate(f: NewTestFormState): string | null {
  const users = Number(f.users);
  if (!/^\d+$/.test(f.users) || !Number.isSafeInteger(users) || users < 1 || users > MAX_USERS) return `users must be a whole number from 1 to ${MAX_USERS}`;
  const rate = Number(f.rate);
  if (!/^\d+(\.\d+)?$|^\.\d+$/.test(f.rate) || !(rate > 0)) return 'the rate must be a number above 0 (per second)';
  if (!/^https?:\/\/[^\s/]+/i.test(f.host.trim())) return 'host must be an http:// or https:// URL';
  return null;
}
