/**
 * The Percentiles tab's latency histogram (what oha shows): the selected row's — an endpoint or
 * Aggregated — response times in log-spaced bins with round edges, one line a bin: the range, a bar
 * proportional to the count (eighth-blocks), the count, its share, and where p50/p95/p99 fall.
 * Counts come from the row's cumulative HDR histogram, so they add up to its requests with a response time.
 */
import { Box } from 'ink';
import { fmtCount, fmtExact, fmtPercentOf } from '../stats/format.js';
import type { LatencyBin } from '../stats/latency-bins.js';
import type { EndpointStats } from '../stats/types.js';
import { fit, oneLine, textWidth } from './format.js';
import { Line, type Segment, seg } from './Line.js';

export interface HistogramProps {
  /** The row the bins are of (title, percentile marks). */
  readonly row: EndpointStats;
  /** Its bins (`logBins`); null when the session cannot give them. */
  readonly bins: readonly LatencyBin[] | null;
  readonly width: number;
  readonly height: number;
}

/** Lines the histogram takes in a Percentiles tab of `height` lines: none when short, else about half. */
export function histogramHeight(height: number): number {
  return height < 14 ? 0 : Math.max(8, Math.min(22, Math.floor(height / 2)));
}

/** Bins that fit in `height` lines (one goes to the title). */
export function histogramBins(height: number): number {
  return Math.max(1, height - 1);
}

const EIGHTHS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

/** A bar of `fraction` (0..1) of `width` columns, in eighths of a column; at least ▏ for a non-zero count. */
export function bar(fraction: number, width: number): string {
  const eighths = Math.max(fraction > 0 ? 1 : 0, Math.round(fraction * width * 8));
  return '█'.repeat(Math.floor(eighths / 8)) + (EIGHTHS[eighths % 8] as string);
}

/** Percentile marks: which of p50, p95, p99 fall in each bin. */
function marks(row: EndpointStats, bins: readonly LatencyBin[]): string[] {
  const out = bins.map(() => '');
  const at: [string, number][] = [
    ['p50', row.percentilesMs[0] ?? 0],
    ['p95', row.percentilesMs[5] ?? 0],
    ['p99', row.percentilesMs[7] ?? 0],
  ];
  for (const [label, ms] of at) {
    const us = ms * 1000;
    let i = bins.findIndex((b) => us < b.toUs);
    if (i === -1) i = bins.length - 1;
    if (us < (bins[0]?.fromUs ?? 0)) i = 0;
    out[i] = out[i] === '' ? `◂ ${label}` : `${out[i]} ${label}`;
  }
  return out;
}

export function Histogram({ row, bins, width, height }: HistogramProps) {
  const who = row.method === '' ? row.name : `${row.method} ${oneLine(row.name)}`;
  const total = bins === null ? 0 : bins.reduce((n, b) => n + b.count, 0);
  const seconds = bins !== null && bins.length > 0 && (bins[bins.length - 1] as LatencyBin).toUs > 10_000_000;
  const unit = seconds ? 's' : 'ms';
  const title: Segment[] = [seg('Latency histogram ', { bold: true }), seg(who, { bold: true, color: 'cyan' })];
  if (bins !== null && total > 0) title.push(seg(`  ${fmtCount(total)} responses timed · ${unit}, log-spaced`, { dim: true }));
  const lines: Segment[][] = [title];
  if (bins === null) lines.push([seg('  no histogram from this session', { dim: true })]);
  else if (total === 0) lines.push([seg('  waiting for the first responses…', { dim: true })]);
  else {
    const scale = seconds ? 1e6 : 1e3;
    // Edges are round numbers (1, 1.25, 1.5 … per decade): written exactly, not rounded for reading (`12.5`, not `13`).
    const labels = bins.map((b) => `${fmtExact(b.fromUs / scale)}–${fmtExact(b.toUs / scale)}`);
    const counts = bins.map((b) => fmtCount(b.count));
    const shares = bins.map((b) => fmtPercentOf(b.count, total));
    const notes = marks(row, bins);
    const labelW = Math.max(...labels.map(textWidth));
    const countW = Math.max(...counts.map(textWidth));
    const shareW = Math.max(...shares.map(textWidth));
    const noteW = Math.max(...notes.map(textWidth));
    // Room for the bar: what is left after the label, count, share and marks (each dropped if need be).
    let showShare = true;
    let showNote = noteW > 0;
    const fixed = (): number => 2 + labelW + 2 + 1 + countW + (showShare ? 1 + shareW : 0) + (showNote ? 1 + noteW : 0);
    if (width - fixed() < 10) showNote = false;
    if (width - fixed() < 10) showShare = false;
    // Wide terminals: a bar of at most 60 columns reads better than one across the screen.
    const barW = Math.max(1, Math.min(60, width - fixed()));
    const most = Math.max(...bins.map((b) => b.count));
    bins.forEach((b, i) => {
      const line: Segment[] = [seg(`  ${fit(labels[i] as string, labelW, 'right')} `, { dim: b.count === 0 }), seg('│', { dim: true })];
      line.push(seg(fit(bar(b.count / most, barW), barW), { color: 'cyan' }));
      line.push(seg(` ${fit(counts[i] as string, countW, 'right')}`, { bold: b.count > 0, dim: b.count === 0 }));
      if (showShare) line.push(seg(` ${fit(shares[i] as string, shareW, 'right')}`, { dim: true }));
      if (showNote && notes[i] !== '') line.push(seg(` ${notes[i]}`, { color: 'yellow' }));
      lines.push(line);
    });
  }
  return (
    <Box flexDirection="column">
      {lines.slice(0, Math.max(1, height)).map((segments, i) => (
        <Line key={i} segments={segments} width={width} />
      ))}
    </Box>
  );
}
