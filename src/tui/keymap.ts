/** Every key the app understands, for the help overlay and the footer: one list, so they agree. */
import { TABS } from './types.js';

export interface KeyHelp {
  readonly keys: string;
  readonly action: string;
}

export const KEYMAP: readonly KeyHelp[] = [
  { keys: 'w / W', action: 'add 1 / 10 users' },
  { keys: 's / S', action: 'remove 1 / 10 users' },
  { keys: '+ / -', action: 'add / remove a step of users' },
  { keys: '[ / ]', action: 'halve / double the step' },
  { keys: 'u', action: 'edit user count and spawn rate' },
  { keys: 'p', action: 'pause / resume' },
  { keys: 'r', action: 'reset statistics' },
  { keys: 'e', action: 'export a snapshot (CSVs, summary.json)' },
  { keys: 'x', action: 'stop the test, keep the screen' },
  { keys: 'q / Ctrl-C', action: 'quit: results are written' },
  { keys: `1-${TABS.length}  Tab  ← →`, action: 'switch tab (Shift-Tab back)' },
  { keys: '↑ ↓  k j', action: 'select a row' },
  { keys: 'PgUp PgDn', action: 'a page up / down' },
  { keys: 'Home End  g G', action: 'first / last row' },
  { keys: 'o / O  < >', action: 'sort: next column / reverse / ← →' },
  { keys: 'c / C', action: 'next / previous column set' },
  { keys: '?  Esc', action: 'show / hide this help' },
];

/** The footer's short hints, most useful first (cut from the end when narrow). */
export function footerHints(step: number): string {
  return `w/W +1/+10  s/S -1/-10  +/- ±${step}  [/] step  u users  p pause  r reset  e export  x stop  q quit  ? help`;
}
