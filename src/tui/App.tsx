/**
 * The app: subscribes to the store, lays the screen out to the terminal (status bar, tabs, the
 * current tab's body, footer), and turns keys into runner commands. Children are pure: they get
 * data and sizes as props. Every frame is at most `rows - 1` lines (a frame as tall as the terminal
 * makes Ink clear the screen on each redraw) and every line at most `columns` wide.
 */
import { basename } from 'node:path';
import { Box, useInput } from 'ink';
import { useCallback, useMemo, useRef, useState } from 'react';
import { baselineColumns, baselineNote, baselineStatusLine, compareLive } from './baseline-columns.js';
import { type ChartBaseline, Charts } from './Charts.js';
import { NEW_TEST_LINES, NewTestForm } from './NewTestForm.js';
import { ExceptionsTable, exceptionsVisible } from './ExceptionsTable.js';
import { FailuresTable, failuresVisibleRows } from './FailuresTable.js';
import { LogsTab, logsVisibleRows, selectedLog } from './LogsTab.js';
import { Footer } from './Footer.js';
import { HelpOverlay } from './HelpOverlay.js';
import { type KeyContext, handleKeys } from './keys.js';
import type { LiveState } from './live.js';
import { PercentilesTable, percentilesVisibleRows } from './PercentilesTable.js';
import { RatioTable } from './RatioTable.js';
import { sortKeysOnScreen } from './sort-columns.js';
import { endpointKey, sortEndpoints } from './sorting.js';
import { StatsTable, statsVisibleRows } from './StatsTable.js';
import { StatusBar, statusLines } from './StatusBar.js';
import type { PollingStore } from './store.js';
import { Tabs } from './Tabs.js';
import { WorkersTable, workersCount } from './WorkersTable.js';
import { TargetTab } from './TargetTab.js';
import type { NewTestSettings, TabId, TuiBaseline, TuiSession } from './types.js';
import { INITIAL_UI, type UiState } from './ui-state.js';
import { useCommands } from './use-commands.js';
import { useLive } from './use-live.js';
import { useScrollOffset } from './use-scroll-offset.js';
import { usePercentilesHistogram } from './use-histogram.js';
import { useTerminalSize } from './use-terminal-size.js';
import { EDITOR_LINES, UserEditor } from './UserEditor.js';

export interface AppProps {
  readonly session: TuiSession;
  readonly store: PollingStore<LiveState>;
  /** Initial UI state (tests open a tab directly). */
  readonly initial?: Partial<UiState>;
  /** Clock for flash messages; default `Date.now`. */
  readonly now?: () => number;
  /** `n`'s Enter: the host starts the new run and swaps the session (see RunHost); a problem or null. */
  readonly onNewTest?: (settings: NewTestSettings) => Promise<string | null>;
}

/** Lines left for the tab body in a frame of `height` lines. */
function bodyHeight(height: number, statusCount: number, footerCount: number): number {
  return Math.max(1, height - statusCount - 1 - footerCount);
}

function pageRows(tab: TabId, height: number): number {
  switch (tab) {
    case 'stats':
      return statsVisibleRows(height);
    case 'percentiles':
      return percentilesVisibleRows(height);
    case 'failures':
      return failuresVisibleRows(height);
    case 'exceptions':
      return exceptionsVisible(height);
    case 'logs':
      return logsVisibleRows(height);
    default:
      return 1;
  }
}

export function App({ session, store, initial, now = Date.now, onNewTest }: AppProps) {
  const live = useLive(store);
  const { columns: width, rows } = useTerminalSize();
  const [ui, setUi] = useState<UiState>(() => ({ ...INITIAL_UI, ...initial }));
  // Keys can arrive faster than React re-renders: the ref is the state keys read and write.
  const uiRef = useRef(ui);
  const update = useCallback((change: (s: UiState) => UiState) => {
    uiRef.current = change(uiRef.current);
    setUi(uiRef.current);
  }, []);
  const perform = useCommands(session, store, update, onNewTest);

  const snap = live.snapshot;
  const nowMs = now();

  const baseline = session.baseline ?? null;
  const vsBaseline = useMemo(() => (baseline === null ? null : compareLive(baseline, snap)), [baseline, snap]);
  const extraColumns = useMemo(() => (vsBaseline === null ? [] : baselineColumns(vsBaseline)), [vsBaseline]);
  const extraRef = useRef(extraColumns);
  extraRef.current = extraColumns;
  const sorted = useMemo(() => sortEndpoints(snap.endpoints, ui.sortKey, ui.sortReverse, extraColumns), [snap.endpoints, ui.sortKey, ui.sortReverse, extraColumns]);
  const found = ui.selectedKey === null ? -1 : sorted.findIndex((e) => endpointKey(e) === ui.selectedKey);
  // ↓ past the last endpoint selects Aggregated (index `sorted.length`: the pinned row).
  const selected = sorted.length === 0 ? -1 : ui.selectedKey === endpointKey(snap.total) ? sorted.length : Math.max(0, found);

  // Layout: one line less than the terminal.
  const height = Math.max(3, rows - 1);
  const footerCount = ui.editor !== null ? EDITOR_LINES : ui.newTest !== null ? NEW_TEST_LINES : 1;
  const statusProps = {
    snapshot: snap,
    host: session.scenario.host,
    width,
    resultsDir: session.results.dir,
    warning: live.warning,
    warningAt: live.warningAt,
    nowMs,
    descriptorLimit: session.descriptorLimit ?? null,
    lastExport: ui.lastExport,
    thresholds: live.thresholds,
    workers: workersCount(live.workers),
    monitors: live.monitors,
    baseline: vsBaseline === null ? null : baselineStatusLine(vsBaseline),
    metricsUrl: session.metricsUrl ?? null,
  };
  // Very short terminals: the status bar gives up its last lines before the body goes.
  // The help overlay takes the status bar's room but its first line (the run's state stays in view).
  const statusCount = ui.help ? 1 : Math.min(statusLines(statusProps).length, Math.max(1, height - 1 - footerCount - 3));
  const body = bodyHeight(height, statusCount, footerCount);
  const histogram = usePercentilesHistogram(session, live, ui.tab === 'percentiles' && !ui.help ? (sorted[selected] ?? snap.total) : null, body);
  const layoutRef = useRef({ body, tab: ui.tab });
  layoutRef.current = { body, tab: ui.tab };

  const statsOffset = useScrollOffset(selected, statsVisibleRows(body), sorted.length);
  const pctOffset = useScrollOffset(selected, percentilesVisibleRows(body), sorted.length);
  const failureOffset = useScrollOffset(ui.failureIndex, failuresVisibleRows(body), snap.failures.length);
  const exceptionOffset = useScrollOffset(ui.exceptionIndex, exceptionsVisible(body), snap.exceptions.length);
  const logOffset = useScrollOffset(selectedLog(ui.logIndex, live.log.length), logsVisibleRows(body), live.log.length);

  useInput((input, key) => {
    const polled = store.getSnapshot().snapshot;
    // The runner's status now, not the last frame's: keys pressed between two frames accumulate.
    const current = { ...polled, run: session.runner.status() };
    const s = uiRef.current;
    const ctx: KeyContext = {
      snapshot: current,
      endpointKeys: [...sortEndpoints(current.endpoints, s.sortKey, s.sortReverse, extraRef.current).map(endpointKey), endpointKey(current.total)],
      pageRows: pageRows(layoutRef.current.tab, layoutRef.current.body),
      nowMs: now(),
      newTest: session.newTest?.defaults() ?? null,
      sortKeys: sortKeysOnScreen(s.tab, s.columnSet, [...current.endpoints, current.total], width, extraRef.current),
      logCount: store.getSnapshot().log.length,
    };
    const result = handleKeys(s, input, key, ctx);
    if (result.state !== s) update(() => result.state);
    perform(result.effects);
  });

  let content;
  if (ui.help) {
    content = <HelpOverlay width={width} height={body} />;
  } else {
    switch (ui.tab) {
      case 'stats':
        content = (
          <StatsTable
            endpoints={sorted}
            total={snap.total}
            selected={selected}
            offset={statsOffset}
            width={width}
            height={body}
            sortKey={ui.sortKey}
            sortReverse={ui.sortReverse}
            columnSet={ui.columnSet}
            {...(vsBaseline === null ? {} : { extraColumns, note: baselineNote(vsBaseline) })}
          />
        );
        break;
      case 'charts':
        content = <Charts history={snap.history} width={width} height={body} sinceMs={snap.statsStartedAt} total={snap.total} thresholds={session.scenario.thresholds} {...chartBaseline(baseline)} />;
        break;
      case 'percentiles':
        content = <PercentilesTable endpoints={sorted} total={snap.total} selected={selected} offset={pctOffset} width={width} height={body} sortKey={ui.sortKey} sortReverse={ui.sortReverse} histogram={histogram} />;
        break;
      case 'failures':
        content = <FailuresTable failures={snap.failures} nowMs={snap.takenAt} selected={ui.failureIndex} offset={failureOffset} width={width} height={body} />;
        break;
      case 'exceptions':
        content = <ExceptionsTable exceptions={snap.exceptions} selected={ui.exceptionIndex} offset={exceptionOffset} width={width} height={body} />;
        break;
      case 'ratio':
        content = <RatioTable classes={snap.run.classes} width={width} height={body} />;
        break;
      case 'workers':
        content = <WorkersTable workers={live.workers} width={width} height={body} />;
        break;
      case 'target':
        content = <TargetTab monitors={live.monitors} thresholds={live.thresholds} width={width} height={body} />;
        break;
      case 'logs':
        content = <LogsTab entries={live.log} selected={ui.logIndex} offset={logOffset} width={width} height={body} />;
        break;
    }
  }

  return (
    <Box flexDirection="column" width={width}>
      <StatusBar {...statusProps} maxLines={statusCount} />
      <Tabs active={ui.tab} width={width} failureCount={snap.failures.length} exceptionCount={snap.exceptions.length} warningCount={live.warningCount} />
      <Box flexDirection="column" height={body}>
        {content}
      </Box>
      {ui.newTest !== null ? (
        <NewTestForm form={ui.newTest} width={width} openModel={session.scenario.load.kind === 'open'} baseline={`this run (${basename(session.results.dir)})`} />
      ) : ui.editor !== null ? (
        <UserEditor editor={ui.editor} width={width} openModel={session.scenario.load.kind === 'open'} />
      ) : (
        <Footer flash={ui.flash} state={snap.run.state} step={ui.step} width={width} nowMs={nowMs} newTest={session.newTest !== undefined} />
      )}
    </Box>
  );
}

/** The baseline's series for the Charts tab, when it has a history. */
function chartBaseline(b: TuiBaseline | null): { baseline?: ChartBaseline } {
  return b === null || b.history === undefined || b.sinceMs === undefined ? {} : { baseline: { label: b.label, history: b.history, sinceMs: b.sinceMs } };
}
