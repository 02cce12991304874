/**
 * Tab 7, Workers: each worker of a distributed run (`--workers N --bus URL`) — its index, host,
 * state, users, requests per second, CPU, how long ago it last reported and its clock skew — as
 * Locust's Workers tab. A worker that is gone is red; one whose report is late is yellow.
 */
import { Box } from 'ink';
import { type Column, layoutTable } from './columns.js';
import { NO_VALUE, fmtCountShort, fmtCpu, fmtDuration, fmtMs, fmtNumber } from '../stats/format.js';
import { oneLine } from './format.js';
import { Line, Paragraph, seg } from './Line.js';
import { Table } from './Table.js';
import type { BasicColor } from './theme.js';
import type { WorkerView } from './types.js';

/** A report older than this is late (reports come each second; 3 s silent is gone). */
const LATE_MS = 1500;

const age = (ms: number | null): string => (ms === null ? NO_VALUE : fmtDuration(ms));
const stateColor = (w: WorkerView): BasicColor | undefined =>
  w.state === 'gone' || w.state === 'refused' ? 'red' : w.state === 'running' && (w.lastReportAgeMs ?? 0) > LATE_MS ? 'yellow' : w.state === 'running' ? 'green' : undefined;

const COLUMNS: readonly Column<WorkerView>[] = [
  { key: 'index', header: '#', width: 3, align: 'right', priority: 100, cell: (w) => String(w.index) },
  { key: 'host', header: 'Host', width: 12, maxWidth: 40, flex: true, align: 'left', priority: 95, cell: (w) => oneLine(w.host ?? '(not joined)') },
  { key: 'state', header: 'State', width: 8, align: 'left', priority: 98, cell: (w) => w.state, color: stateColor },
  { key: 'users', header: 'Users', width: 6, align: 'right', priority: 90, cell: (w) => fmtCountShort(w.users) },
  { key: 'rps', header: 'RPS', width: 7, align: 'right', priority: 85, cell: (w) => fmtNumber(w.rps) },
  { key: 'cpu', header: 'CPU', width: 5, align: 'right', priority: 80, cell: (w) => fmtCpu(w.cpuPercent), color: (w) => (w.cpuPercent > 90 ? 'red' : undefined) },
  { key: 'age', header: 'Last report', short: 'Report', width: 7, align: 'right', priority: 75, cell: (w) => age(w.lastReportAgeMs), color: (w) => ((w.lastReportAgeMs ?? 0) > LATE_MS && w.state === 'running' ? 'yellow' : undefined) },
  { key: 'skew', header: 'Clock skew', short: 'Skew', width: 7, align: 'right', priority: 60, cell: (w) => (w.skewMs === null ? NO_VALUE : `${w.skewMs > 0 ? '+' : ''}${fmtMs(w.skewMs)}`) },
];

export interface WorkersTableProps {
  readonly workers: readonly WorkerView[] | null;
  readonly width: number;
  readonly height: number;
}

export function WorkersTable(p: WorkersTableProps) {
  if (p.workers === null) {
    return <Paragraph text="This run has no workers: it runs on this machine. cicada run <scenario> --workers N --bus nats://HOST:4222 distributes it." width={p.width} style={{ dim: true }} />;
  }
  const layout = layoutTable(COLUMNS, p.workers, p.width);
  const fit = Math.max(1, p.height - 2);
  const shown = p.workers.slice(0, fit);
  const more = p.workers.length - shown.length;
  const live = p.workers.filter((w) => w.state === 'running').length;
  return (
    <Box flexDirection="column">
      <Table layout={layout} rows={shown} selected={-1} width={p.width} />
      <Line segments={[seg(more > 0 ? `… ${more} more workers (enlarge the terminal)` : `${live} of ${p.workers.length} running; reports each second, gone after 3 s without one`, { dim: true })]} width={p.width} />
    </Box>
  );
}

/** The status bar's `workers 8/8`: workers joined or running of those the run asked for. */
export function workersCount(workers: readonly WorkerView[] | null): { live: number; total: number } | null {
  if (workers === null) return null;
  return { live: workers.filter((w) => w.state === 'running' || w.state === 'ready' || w.state === 'joining').length, total: workers.length };
}
