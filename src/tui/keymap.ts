/** Every key the app understands, for the help overlay and the footer: one list, so they agree. */
import { TABS } from './types.js';

export interface KeyHelp {
  readonly keys: string;
  readonly action: string;
}

/** Locust's user keys: w/W add 1/10 users, s/S remove 1/10 (the TUI and a headless run's terminal). */
export const USER_KEY_STEPS: Readonly<Record<string, number>> = { w: 1, W: 10, s: -1, S: -10 };

export const KEYMAP: readonly KeyHelp[] = [
  { keys: 'w / W', action: 'add 1 / 10 users' },
  { keys: 's / S', action: 'remove 1 / 10 users' },
  { keys: '+ / -', action: 'add / remove a step of users' },
  { keys: '[ / ]', action: 'halve / double the step' },
  { keys: 'u', action: 'edit user count and spawn rate' },
  { keys: 'p', action: 'pause / resume' },
  { keys: 'r', action: 'reset statistics' },
  { keys: 'e', action: 'export a snapshot (CSVs, summary.json)' },
  { keys: 'x / n', action: 'stop, keep the screen / then: test again' },
  { keys: 'q / Ctrl-C', action: 'quit: results are written' },
  { keys: `1-${TABS.length}  Tab  ← →`, action: 'switch tab (Shift-Tab back)' },
  { keys: '↑ ↓  k j', action: 'select a row (Aggregated last)' },
  { keys: 'PgUp PgDn', action: 'a page up / down' },
  { keys: 'Home End  g G', action: 'first / last row' },
  { keys: 'o / O  < >', action: 'sort: next column / reverse / ← →' },
  { keys: 'c / C', action: 'column set / back (C: status codes)' },
  { keys: '?  Esc', action: 'show / hide this help' },
];

/**
 * The footer's short hints in `width` columns. `q quit` and `? help` always stay, at the end where
 * people look for them; when the line is too narrow the others go, least needed first.
 */
export function footerHints(step: number, width = Infinity): string {
  // [hint, rank]: the higher the rank, the longer it stays.
  const hints: [string, number][] = [
    ['w/W +1/+10', 9],
    ['s/S -1/-10', 8],
    [`+/- ±${step}`, 3],
    ['[/] step', 1],
    ['u users', 4],
    ['p pause', 7],
    ['r reset', 5],
    ['e export', 6],
    ['x stop', 2],
  ];
  const always = 'q quit  ? help';
  const line = (kept: readonly [string, number][]): string => [...kept.map(([h]) => h), always].join('  ');
  let kept = hints;
  while (kept.length > 0 && line(kept).length > width) {
    const lowest = Math.min(...kept.map(([, rank]) => rank));
    kept = kept.filter(([, rank]) => rank !== lowest);
  }
  return line(kept);
}
