/**
 * The always-visible status bar: state, host, users, elapsed/remaining with a progress gauge when
 * the run has a run time, current RPS with a last-minute sparkline, failures, in-flight, open
 * connections against the descriptor limit, dropped iterations and the open model's target rate;
 * a notice line (a target that is not there, generator saturation, the latest warning while it is
 * recent, else generator health); the
 * thresholds when the scenario has any; the results directory or the last exported snapshot. The
 * line count depends only on the scenario, so the layout never jumps. `statusLines` is pure so the
 * app can count the lines before laying out the rest.
 */
import { Box } from 'ink';
import type { RunState } from '../engine/types.js';
import type { MonitorSummary } from '../run/monitors/types.js';
import { shownState } from '../stats/run-state.js';
import { targetDown, targetDownMessage } from '../stats/target-down.js';
import type { StatsSnapshot } from '../stats/types.js';
import { fmtAgo, fmtCpu, fmtElapsed, fmtInUnit, fmtMs, fmtNumber, fmtPercentOf, fmtRate } from '../stats/format.js';
import { oneLine, sparkline, textWidth, truncateStart } from './format.js';
import { Line, type Segment, seg, lineWidth } from './Line.js';
import type { BasicColor } from './theme.js';
import type { ThresholdView } from './types.js';

export interface StatusBarProps {
  readonly snapshot: StatsSnapshot;
  readonly host: string;
  readonly width: number;
  readonly resultsDir: string;
  /** The latest warning's text, or null. */
  readonly warning: string | null;
  /**
   * When the latest warning was raised (epoch ms), with `nowMs`: the warning shows its age and is
   * shown for `WARNING_SHOW_MS`, then the generator's health comes back. Without them it stays.
   */
  readonly warningAt?: number | null;
  readonly nowMs?: number;
  /** The generator's own limit on open file descriptors (soft `ulimit -n`), when known. */
  readonly descriptorLimit?: number | null;
  readonly lastExport: string | null;
  readonly thresholds: readonly ThresholdView[];
  /** A distributed run's workers joined or running, of those it asked for (`workers 8/8`). */
  readonly workers?: { readonly live: number; readonly total: number } | null;
  /** The target's series; those marked `pin` get a line of their own. */
  readonly monitors?: readonly MonitorSummary[];
  /** The verdict so far against a baseline (a line of its own), or null. */
  readonly baseline?: readonly Segment[] | null;
  /** `--metrics-port`: where the live Prometheus metrics are served, or null. */
  readonly metricsUrl?: string | null;
}

export const STATE_COLORS: Record<RunState, BasicColor> = {
  ready: 'gray',
  spawning: 'yellow',
  running: 'green',
  paused: 'cyan',
  stopping: 'magenta',
  stopped: 'red',
};

/** How long the latest warning stays on the status bar (the Logs tab keeps them all). */
export const WARNING_SHOW_MS = 30_000;
/** Open connections at this share of the descriptor limit turn yellow, and red at `FD_DANGER`. */
const FD_WARN = 0.8;
const FD_DANGER = 0.95;

/** Sparkline span: the last minute of history rows (one per second). */
const SPARK_SECONDS = 60;
const SPARK_MAX_WIDTH = 60;

export function statusLines(p: StatusBarProps): Segment[][] {
  const { snapshot: s, width } = p;
  const run = s.run;
  const lines: Segment[][] = [];

  // 1: state, host, users, time.
  const shown = shownState(run);
  const state: Segment[] = [seg(` ${shown.toUpperCase()} `, { color: shown === 'ramping down' ? 'yellow' : STATE_COLORS[run.state], inverse: true, bold: true })];
  if (run.state === 'stopped' && run.stopReason !== null) state.push(seg(` ${oneLine(run.stopReason)}`, { color: STATE_COLORS.stopped }));
  // Ramping down reads `users 25 → 20`: 25 running, going to 20.
  const users: Segment[] = [seg('  users '), seg(shown === 'ramping down' ? `${run.users} → ${run.targetUsers}` : `${run.users}/${run.targetUsers}`, { bold: true })];
  if (run.state === 'spawning' && run.users !== run.targetUsers) users.push(seg(` @${fmtRate(run.spawnRate)}`, { dim: true }));
  if (p.workers !== undefined && p.workers !== null) {
    const short = p.workers.live < p.workers.total && run.state !== 'stopped' && run.state !== 'stopping';
    users.push(seg('  workers '), seg(`${p.workers.live}/${p.workers.total}`, { bold: true, color: short ? 'yellow' : undefined }));
  }
  const time: Segment[] = [seg('  elapsed '), seg(fmtElapsed(run.elapsedMs), { bold: true })];
  // Once the test is over nothing is left of its run time (the gauge still shows how far it got).
  const over = run.state === 'stopping' || run.state === 'stopped';
  const left: Segment[] = run.remainingMs === null || over ? [] : [seg(` · ${fmtElapsed(run.remainingMs)} left`)];
  const host: Segment[] = [seg('  '), seg(oneLine(p.host), { dim: true })];
  // The gauge takes the room the host leaves (the host stays visible at 80 columns).
  const room = width - lineWidth([...state, ...users, ...time, ...left, ...host]);
  const gauge = run.remainingMs === null ? [] : progressGauge(run.elapsedMs, run.remainingMs, room);
  lines.push([...state, ...users, ...time, ...gauge, ...left, ...host]);

  // 2: throughput and failures.
  const t = s.total;
  const failColor: BasicColor | undefined = t.failures > 0 ? 'red' : undefined;
  const head: Segment[] = [seg('RPS '), seg(fmtNumber(t.currentRps), { bold: true })];
  const tail: Segment[] = [
    seg('  fails '),
    seg(fmtPercentOf(t.failures, t.requests), { color: failColor, bold: t.failures > 0 }),
    seg(` (${fmtRate(t.currentFailuresPerSec)})`, { color: failColor }),
    seg(`  in flight ${run.inFlight}`),
  ];
  if (run.connections !== undefined) tail.push(...connectionSegments(run.connections, p.descriptorLimit ?? null));
  if (run.targetRate !== null) tail.push(seg('  target '), seg(fmtRate(run.targetRate), { bold: true }));
  if (s.droppedIterations > 0) tail.push(seg(`  dropped ${s.droppedIterations}`, { color: 'yellow', bold: true }));
  const sparkWidth = Math.min(SPARK_MAX_WIDTH, width - lineWidth(head) - lineWidth(tail) - 1);
  const spark: Segment[] =
    sparkWidth >= 8 ? [seg(' '), seg(sparkline(s.history.slice(-SPARK_SECONDS).map((h) => h.rps), sparkWidth), { color: 'cyan' })] : [];
  lines.push([...head, ...spark, ...tail]);

  // 3: always present, so the layout does not jump: a target that is not there first (every
  // number below is about errors then), saturation (numbers from a saturated generator are not to
  // be trusted), the latest warning while it is recent, else the generator's health.
  const g = s.generator;
  const notice: Segment[] = [];
  const down = targetDown(s);
  const downText = down === null ? null : targetDownMessage(down, p.host);
  if (downText !== null) notice.push(seg(` ${downText} `, { color: 'red', inverse: true, bold: true }));
  if (g.saturated) {
    if (notice.length > 0) notice.push(seg('  '));
    notice.push(
      seg(' generator saturated: numbers unreliable ', { color: 'red', inverse: true, bold: true }),
      seg(` event-loop lag ${fmtMs(g.eventLoopLagMs)}, CPU ${fmtCpu(g.cpuPercent)}`, { color: 'red' }),
    );
  }
  const ageMs = p.warningAt !== undefined && p.warningAt !== null && p.nowMs !== undefined ? Math.max(0, p.nowMs - p.warningAt) : null;
  const warningShown = p.warning !== null && (ageMs === null || ageMs < WARNING_SHOW_MS) && (downText === null || !p.warning.startsWith(downText));
  if (warningShown && p.warning !== null) {
    if (notice.length > 0) notice.push(seg('  '));
    if (ageMs === null) notice.push(seg('warning: ', { color: 'yellow', bold: true }));
    else notice.push(seg('warning ', { color: 'yellow', bold: true }), seg(`${ageMs < 1000 ? 'just now' : fmtAgo(0, ageMs)}: `, { color: 'yellow' }));
    notice.push(seg(oneLine(p.warning), { color: 'yellow' }));
  }
  if (notice.length === 0) {
    notice.push(seg(`generator ok: lag ${fmtMs(g.eventLoopLagMs)}, CPU ${fmtCpu(g.cpuPercent)}`, { dim: true }));
  }
  if (g.processes !== undefined && g.processes.length > 0) {
    // --processes: each engine thread's users and CPU, so an uneven or saturated one stands out.
    notice.push(seg(`  ${g.processes.length} engines:`, { dim: true }));
    for (const proc of g.processes) {
      notice.push(seg(` #${proc.index} ${proc.users}u ${fmtCpu(proc.cpuPercent)}`, proc.cpuPercent > 90 ? { color: 'red', bold: true } : { dim: true }));
    }
  }
  lines.push(notice);

  if (p.thresholds.length > 0) {
    // Failing first: when the line is cut, what is cut is the good news.
    const rank = { fail: 0, pending: 1, pass: 2 } as const;
    const sorted = [...p.thresholds].sort((a, b) => rank[a.status] - rank[b.status]);
    const failing = p.thresholds.filter((t) => t.status === 'fail').length;
    const passing = p.thresholds.filter((t) => t.status === 'pass').length;
    const strip: Segment[] = [
      // Thresholds judge the whole run (the Charts tab's "(run)"), not the last 10 s it plots.
      seg('thresholds (run) ', { dim: true }),
      seg(`${failing} failing`, failing > 0 ? { color: 'red', bold: true } : { dim: true }),
      seg(`, ${passing} passing`, { dim: true }),
      seg(':', { dim: true }),
    ];
    for (const th of sorted) {
      const mark = th.status === 'pass' ? '✓' : th.status === 'fail' ? '✗' : '?';
      const color: BasicColor = th.status === 'pass' ? 'green' : th.status === 'fail' ? 'red' : 'gray';
      const actual = th.actual !== null ? ` (${oneLine(th.actual)})` : th.status === 'pending' ? ' (pending)' : '';
      strip.push(seg('  '), seg(`${mark} ${oneLine(th.source)}${actual}`, { color, bold: th.status === 'fail' }));
    }
    lines.push(strip);
  }

  const pinned = (p.monitors ?? []).filter((m) => m.pin);
  if (pinned.length > 0) {
    const line: Segment[] = [seg('target', { dim: true })];
    for (const m of pinned) {
      const own = p.thresholds.filter((t) => t.monitor === m.id);
      const failing = own.some((t) => t.status === 'fail');
      line.push(seg(`  ${oneLine(m.name)} `));
      if (m.last !== null) line.push(seg(fmtInUnit(m.last, m.unit), { bold: true, color: failing ? 'red' : undefined }));
      else line.push(seg(m.failing !== null ? 'gap' : '…', { color: m.failing !== null ? 'red' : 'gray' }));
      if (own.length > 0) line.push(seg(failing ? ' ✗' : own.every((t) => t.status === 'pass') ? ' ✓' : ' ?', { color: failing ? 'red' : own.every((t) => t.status === 'pass') ? 'green' : 'gray' }));
    }
    lines.push(line);
  }

  if (p.baseline != null) lines.push([...p.baseline]);

  // The last line: where the results go (or the latest snapshot, until the run is over: then the
  // final results are what matter), and with --metrics-port where Prometheus scrapes — beside it
  // when both fit whole, else the URL whole and the path cut from its start, from METRICS_MIN_WIDTH.
  const exported = p.lastExport !== null && run.state !== 'stopped';
  const label = exported ? 'exported → ' : 'results → ';
  const path = oneLine(exported ? (p.lastExport as string) : p.resultsDir);
  const pathStyle = exported ? { bold: true } : { dim: true };
  const metrics: Segment[] =
    p.metricsUrl === undefined || p.metricsUrl === null ? [] : [seg('  metrics → ', { dim: true }), seg(oneLine(p.metricsUrl), { color: 'cyan' })];
  const bothFit = textWidth(label) + textWidth(path) + lineWidth(metrics) <= width;
  const withMetrics = metrics.length > 0 && (bothFit || width >= METRICS_MIN_WIDTH);
  const pathRoom = width - textWidth(label) - (withMetrics ? lineWidth(metrics) : 0);
  lines.push([seg(label, exported ? { color: 'green' } : { dim: true }), seg(truncateStart(path, pathRoom), pathStyle), ...(withMetrics ? metrics : [])]);
  return lines;
}

/** From this width the metrics URL is always on the status bar (the results path gives way). */
export const METRICS_MIN_WIDTH = 100;

/** Widest gauge, in cells between its bars. */
const GAUGE_MAX_CELLS = 20;

/**
 * How far through its run time the run is, in at most `room` columns: `▕██████░░░░▏ 62%` — up to
 * 20 cells with the percentage, 4 to 7 cells without it when room is short, nothing below that.
 * Whole cells, so the gauge never claims more than is done.
 */
export function progressGauge(elapsedMs: number, remainingMs: number, room: number): Segment[] {
  const total = elapsedMs + remainingMs;
  const done = total > 0 ? Math.min(1, Math.max(0, elapsedMs / total)) : 1;
  const percent = ` ${Math.floor(done * 100)}%`;
  // ' ▕' + cells + '▏' (+ the percentage when 8 cells or more fit beside it).
  const withPercent = Math.min(GAUGE_MAX_CELLS, room - 3 - percent.length);
  const cells = withPercent >= 8 ? withPercent : Math.min(GAUGE_MAX_CELLS, room - 3);
  if (cells < 4) return [];
  const filled = Math.floor(done * cells);
  return [
    seg(' ▕', { dim: true }),
    seg('█'.repeat(filled), { color: 'cyan' }),
    seg('░'.repeat(cells - filled), { dim: true }),
    seg('▏', { dim: true }),
    ...(withPercent >= 8 ? [seg(percent, { bold: true })] : []),
  ];
}

/**
 * Open connections, against the generator's descriptor limit when known (`conns 950/1024`): every
 * connection is a descriptor, and at the limit new ones fail with EMFILE.
 */
function connectionSegments(open: number, limit: number | null): Segment[] {
  if (limit === null || !(limit > 0)) return [seg(`  conns ${open}`)];
  const share = open / limit;
  const style = share >= FD_DANGER ? { color: 'red' as const, bold: true } : share >= FD_WARN ? { color: 'yellow' as const, bold: true } : {};
  return [seg('  conns '), seg(`${open}/${limit}`, style)];
}

/** `maxLines` cuts the optional lines at the end when the terminal is very short. */
export function StatusBar(props: StatusBarProps & { readonly maxLines?: number }) {
  return (
    <Box flexDirection="column">
      {statusLines(props).slice(0, props.maxLines ?? Infinity).map((segments, i) => (
        <Line key={i} segments={segments} width={props.width} />
      ))}
    </Box>
  );
}
