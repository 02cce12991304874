/**
 * The tab bar: `1 Statistics  2 Charts ...`, the active tab highlighted, counts on Failures,
 * Exceptions and Logs (its warnings). Narrow terminals get shorter labels, those that save most
 * first: short (`Pctl`), then tiny (`Pct`) and at last the bare number for every tab but the active
 * one, so all nine keys stay visible at 80 columns.
 */
import { Line, type Segment, lineWidth, seg } from './Line.js';
import { TABS, type TabId } from './types.js';

export const TAB_LABELS: Record<TabId, readonly [full: string, short: string, tiny: string]> = {
  stats: ['Statistics', 'Stats', 'Stat'],
  charts: ['Charts', 'Charts', 'Chrt'],
  percentiles: ['Percentiles', 'Pctl', 'Pct'],
  failures: ['Failures', 'Fails', 'Fail'],
  exceptions: ['Exceptions', 'Exc', 'Exc'],
  ratio: ['Ratio', 'Ratio', 'Rat'],
  workers: ['Workers', 'Wrk', 'Wrk'],
  target: ['Target', 'Target', 'Tgt'],
  logs: ['Logs', 'Logs', 'Log'],
};

export interface TabsProps {
  readonly active: TabId;
  readonly width: number;
  /** Distinct failure kinds and exceptions: shown next to their tab when > 0. */
  readonly failureCount: number;
  readonly exceptionCount: number;
  /** Warnings in the run's log: shown next to Logs when > 0. */
  readonly warningCount?: number;
}

/** 0 full, 1 short, 2 tiny, 3 the number alone. */
type Level = 0 | 1 | 2 | 3;

/** `short`: every label short (true), none (false), or those tabs' (the rest full); or a level per tab. */
export function tabSegments(p: TabsProps, short: boolean | ReadonlySet<TabId> | ReadonlyMap<TabId, Level>): Segment[] {
  const out: Segment[] = [];
  TABS.forEach((tab, i) => {
    const count = tab === 'failures' ? p.failureCount : tab === 'exceptions' ? p.exceptionCount : tab === 'logs' ? (p.warningCount ?? 0) : 0;
    const level: Level = typeof short === 'boolean' ? (short ? 1 : 0) : short instanceof Map ? (short.get(tab) ?? 0) : (short as ReadonlySet<TabId>).has(tab) ? 1 : 0;
    const name = level === 3 ? '' : ` ${TAB_LABELS[tab][level]}`;
    const label = `${i + 1}${name}${count > 0 ? ` (${count})` : ''}`;
    // Each label padded by a space on both sides (the active one's padding is highlighted too):
    // two spaces between labels.
    out.push(
      tab === p.active
        ? seg(` ${label} `, { inverse: true, bold: true })
        : seg(` ${label} `, { color: count > 0 ? (tab === 'logs' ? 'yellow' : 'red') : undefined }),
    );
  });
  return out;
}

/** Tabs whose shorter label saves the most come first at each level. */
function shortenOrder(level: 1 | 2): readonly TabId[] {
  const saving = (t: TabId): number => TAB_LABELS[t][level - 1]!.length - TAB_LABELS[t][level]!.length;
  return [...TABS].sort((a, b) => saving(b) - saving(a));
}
const ORDERS = { 1: shortenOrder(1), 2: shortenOrder(2) } as const;

export function Tabs(props: TabsProps) {
  const hint = [seg('   ? keys', { dim: true })];
  const levels = new Map<TabId, Level>();
  let segments = tabSegments(props, levels);
  const steps: [TabId, Level][] = [
    ...ORDERS[1].map((t): [TabId, Level] => [t, 1]),
    ...ORDERS[2].filter((t) => t !== props.active).map((t): [TabId, Level] => [t, 2]),
    ...[...TABS].reverse().filter((t) => t !== props.active).map((t): [TabId, Level] => [t, 3]),
  ];
  for (const [tab, level] of steps) {
    if (lineWidth(segments) <= props.width) break;
    levels.set(tab, level);
    segments = tabSegments(props, levels);
  }
  if (lineWidth(segments) + lineWidth(hint) <= props.width) segments = [...segments, ...hint];
  return <Line segments={segments} width={props.width} />;
}
