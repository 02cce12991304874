/** The tab bar: `1 Statistics  2 Charts ...`, the active tab highlighted, counts on Failures/Exceptions. */
import { Line, type Segment, lineWidth, seg } from './Line.js';
import { TABS, type TabId } from './types.js';

export const TAB_LABELS: Record<TabId, readonly [full: string, short: string]> = {
  stats: ['Statistics', 'Stats'],
  charts: ['Charts', 'Charts'],
  percentiles: ['Percentiles', 'Pctl'],
  failures: ['Failures', 'Fails'],
  exceptions: ['Exceptions', 'Exc'],
  ratio: ['Ratio', 'Ratio'],
  workers: ['Workers', 'Wrk'],
  target: ['Target', 'Target'],
};

export interface TabsProps {
  readonly active: TabId;
  readonly width: number;
  /** Distinct failure kinds and exceptions: shown next to their tab when > 0. */
  readonly failureCount: number;
  readonly exceptionCount: number;
}

/** `short`: every label short (true), none (false), or those tabs'. */
export function tabSegments(p: TabsProps, short: boolean | ReadonlySet<TabId>): Segment[] {
  const out: Segment[] = [];
  TABS.forEach((tab, i) => {
    const count = tab === 'failures' ? p.failureCount : tab === 'exceptions' ? p.exceptionCount : 0;
    const isShort = typeof short === 'boolean' ? short : short.has(tab);
    const label = `${i + 1} ${TAB_LABELS[tab][isShort ? 1 : 0]}${count > 0 ? ` (${count})` : ''}`;
    if (i > 0) out.push(seg(' '));
    out.push(
      tab === p.active
        ? seg(` ${label} `, { inverse: true, bold: true })
        : seg(` ${label} `, { color: count > 0 ? 'red' : undefined }),
    );
  });
  return out;
}

/** Tabs whose short label saves the most come first: shortened one by one until the bar fits. */
const SHORTEN_ORDER: readonly TabId[] = [...TABS].sort((a, b) => TAB_LABELS[b][0].length - TAB_LABELS[b][1].length - (TAB_LABELS[a][0].length - TAB_LABELS[a][1].length));

export function Tabs(props: TabsProps) {
  const hint = [seg('   ? keys', { dim: true })];
  const short = new Set<TabId>();
  let segments = tabSegments(props, short);
  for (const tab of SHORTEN_ORDER) {
    if (lineWidth(segments) <= props.width) break;
    short.add(tab);
    segments = tabSegments(props, short);
  }
  if (lineWidth(segments) + lineWidth(hint) <= props.width) segments = [...segments, ...hint];
  return <Line segments={segments} width={props.width} />;
}
