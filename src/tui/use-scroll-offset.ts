/** Remembers a list's first visible row between frames and moves it only as far as the selection needs. */
import { useRef } from 'react';
import { scrollOffset } from './columns.js';

export function useScrollOffset(selected: number, visible: number, total: number): number {
  const ref = useRef(0);
  ref.current = scrollOffset(ref.current, Math.max(0, selected), visible, total);
  return ref.current;
}
