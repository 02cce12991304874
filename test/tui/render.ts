/**
 * Rendering helpers for the TUI tests: ink-testing-library at a chosen terminal size (its stdout
 * says 100 columns unless told otherwise), and checks that a frame fits that size.
 */
import { Box } from 'ink';
import { render } from 'ink-testing-library';
import { createElement, type ReactElement } from 'react';
import { expect } from 'vitest';
import { textWidth } from '../../src/tui/format.js';
import { ThemeProvider } from '../../src/tui/theme.js';

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;
export const stripAnsi = (s: string): string => s.replace(ANSI, '');

export type Rendered = ReturnType<typeof render> & {
  /** The last frame without ANSI codes. */
  text(): string;
  /** The last frame as it was written (with any ANSI codes). */
  raw(): string;
  resize(columns: number, rows: number): void;
};

/** Renders `node` into a fake terminal of `columns`×`rows`; colour on unless `color` is false. */
export function renderAt(node: ReactElement, columns: number, rows: number, color = true): Rendered {
  const r = render(createElement(Box));
  const size = { columns, rows };
  Object.defineProperty(r.stdout, 'columns', { get: () => size.columns, configurable: true });
  Object.defineProperty(r.stdout, 'rows', { get: () => size.rows, configurable: true });
  r.rerender(createElement(ThemeProvider, { color }, node));
  return Object.assign(r, {
    raw: () => r.lastFrame() ?? '',
    text: () => stripAnsi(r.lastFrame() ?? ''),
    resize(c: number, h: number) {
      size.columns = c;
      size.rows = h;
      r.stdout.emit('resize');
    },
  });
}

/** Every line at most `columns` wide and at most `rows` lines. */
export function expectFits(frame: string, columns: number, rows: number): void {
  const lines = stripAnsi(frame).split('\n');
  expect(lines.length, `frame has ${lines.length} lines for ${rows} rows`).toBeLessThanOrEqual(rows);
  for (const line of lines) {
    expect(textWidth(line), `line wider than ${columns}: ${JSON.stringify(line)}`).toBeLessThanOrEqual(columns);
  }
}

export const lines = (frame: string): string[] => stripAnsi(frame).split('\n');

/** Resolves after `ms` (lets Ink re-render after a key or a store tick). */
export const tick = (ms = 30): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `check` until it stops throwing, or rethrows after `timeoutMs`. */
export async function eventually(check: () => void, timeoutMs = 3000, stepMs = 25): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      check();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await tick(stepMs);
    }
  }
}
