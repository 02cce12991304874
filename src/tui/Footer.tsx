/**
 * The bottom line: a short-lived message after a key (what it did), else what to do next when the
 * test has stopped, else the key hints.
 */
import type { RunState } from '../engine/types.js';
import { footerHints } from './keymap.js';
import { Line, type Segment, seg } from './Line.js';
import type { BasicColor } from './theme.js';
import { FLASH_MS, type Flash } from './ui-state.js';

export interface FooterProps {
  readonly flash: Flash | null;
  readonly state: RunState;
  readonly step: number;
  readonly width: number;
  readonly nowMs: number;
}

const TONE: Record<Flash['tone'], BasicColor> = { info: 'cyan', good: 'green', warn: 'yellow', error: 'red' };

export function footerSegments(p: FooterProps): Segment[] {
  if (p.flash !== null && p.nowMs - p.flash.at < FLASH_MS) return [seg(p.flash.text, { color: TONE[p.flash.tone], bold: true })];
  if (p.state === 'stopped' || p.state === 'stopping') {
    return [seg(p.state === 'stopped' ? 'Test stopped.' : 'Stopping…', { bold: true }), seg(' q to quit', { bold: true, color: 'yellow' }), seg(' · e export a snapshot · 1-6 tabs · ? keys', { dim: true })];
  }
  return [seg(footerHints(p.step), { dim: true })];
}

export function Footer(props: FooterProps) {
  return <Line segments={footerSegments(props)} width={props.width} />;
}
