/**
 * Colour policy. Components ask the theme for a colour and get `undefined` when colour is off
 * (`NO_COLOR`), so no colour code is ever written then. Only the 16 basic ANSI colours are used:
 * no 256-colour or true-colour codes, which keeps tmux and old terminals happy.
 */
import { createContext, useContext } from 'react';
import type { ReactNode } from 'react';

export type BasicColor = 'black' | 'red' | 'green' | 'yellow' | 'blue' | 'magenta' | 'cyan' | 'white' | 'gray';

export interface Theme {
  readonly color: boolean;
  /** The colour when colour is on, else undefined (pass straight to `<Text color>`). */
  fg(color: BasicColor): BasicColor | undefined;
}

export function makeTheme(color: boolean): Theme {
  return { color, fg: (c) => (color ? c : undefined) };
}

/** NO_COLOR (https://no-color.org): present and not empty turns colour off. */
export function colorFromEnv(env: Record<string, string | undefined> = process.env): boolean {
  const v = env['NO_COLOR'];
  return v === undefined || v === '';
}

const ThemeContext = createContext<Theme>(makeTheme(colorFromEnv()));

export function ThemeProvider({ color, children }: { readonly color: boolean; readonly children?: ReactNode }) {
  return <ThemeContext.Provider value={makeTheme(color)}>{children}</ThemeContext.Provider>;
}

export function useTheme(): Theme {
  return useContext(ThemeContext);
}
