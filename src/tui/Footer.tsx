/**
 * The bottom line: the key hints, or for a few seconds what the last key did. Once the test is
 * stopping or stopped it always starts with how to quit.
 */
import type { RunState } from '../engine/types.js';
import { footerHints } from './keymap.js';
import { Line, type Segment, seg } from './Line.js';
import type { BasicColor } from './theme.js';
import { FLASH_MS, type Flash } from './ui-state.js';
import { TABS } from './types.js';

export interface FooterProps {
  readonly flash: Flash | null;
  readonly state: RunState;
  readonly step: number;
  readonly width: number;
  readonly nowMs: number;
  /** `n` can start a new test once this one has stopped. */
  readonly newTest?: boolean;
}

const TONE: Record<Flash['tone'], BasicColor> = { info: 'cyan', good: 'green', warn: 'yellow', error: 'red' };

export function footerSegments(p: FooterProps): Segment[] {
  const shown = p.flash !== null && p.nowMs - p.flash.at < FLASH_MS && !(p.flash.untilStopped === true && p.state === 'stopped');
  const flash: Segment[] = shown && p.flash !== null ? [seg(p.flash.text, { color: TONE[p.flash.tone], bold: true })] : [];
  if (p.state === 'stopped' || p.state === 'stopping') {
    // How to leave is never hidden once the test is over.
    const head = [seg(p.state === 'stopped' ? 'Test stopped.' : 'Stopping…', { bold: true }), seg(' q to quit', { bold: true, color: 'yellow' })];
    if (flash.length > 0) return [...head, seg('  '), ...flash];
    const again = p.newTest === true && p.state === 'stopped' ? [seg(' · '), seg('n new test', { bold: true, color: 'green' })] : [];
    return [...head, ...again, seg(` · e export a snapshot · 1-${TABS.length} tabs · ? keys`, { dim: true })];
  }
  if (flash.length > 0) return flash;
  return [seg(footerHints(p.step, p.width), { dim: true })];
}

export function Footer(props: FooterProps) {
  return <Line segments={footerSegments(props)} width={props.width} />;
}
