/**
 * Line charts as inline SVG text: no library, no script, no external asset. Colours come from CSS
 * classes (`.s0` … `.s3`, set by the page so they follow `prefers-color-scheme` and print well);
 * the axes carry "nice" ticks (1-2-5 steps for values, clock steps for time).
 *
 * Every plotted series is one `<path class="line sN" data-series="…" data-points="…">`, broken
 * where a value is missing (null); a series with fewer than three points also gets a dot per point
 * so a short run still shows something.
 */
import { escapeHtml } from './html-escape.js';
import { niceScale, timeTicks } from '../stats/axis.js';
import { fmtOffset } from '../stats/format.js';

export interface LineSeries {
  /** Legend text (escaped here). */
  readonly name: string;
  /** Machine name for `data-series`: `rps`, `p95`. */
  readonly key: string;
  /** CSS class giving its colour; default `s0`, `s1`, … by position. */
  readonly cls?: string;
  readonly values: readonly (number | null)[];
}

export interface LineChartSpec {
  /** Accessible title (escaped here). */
  readonly title: string;
  /** Seconds from the run's start, one per value. */
  readonly x: readonly number[];
  readonly series: readonly LineSeries[];
  /** Tick label for a value on the y axis: `120 ms`, `40/s`. */
  readonly yLabel: (v: number) => string;
  readonly width?: number;
  readonly height?: number;
}

const M = { left: 64, right: 14, top: 10, bottom: 26 };

export function lineChart(spec: LineChartSpec): string {
  const width = spec.width ?? 880;
  const height = spec.height ?? 220;
  const plotW = width - M.left - M.right;
  const plotH = height - M.top - M.bottom;
  const x0 = spec.x.length > 0 ? Math.min(0, spec.x[0]!) : 0;
  const x1 = Math.max(x0 + 1, spec.x.at(-1) ?? 1);
  let yMax = 0;
  for (const s of spec.series) for (const v of s.values) if (v !== null && Number.isFinite(v)) yMax = Math.max(yMax, v);
  const { ticks: yTicks, top: yTop } = valueScale(yMax);
  const px = (t: number): number => M.left + ((t - x0) / (x1 - x0)) * plotW;
  const py = (v: number): number => M.top + plotH - (v / yTop) * plotH;

  const parts: string[] = [];
  parts.push(
    `<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeHtml(spec.title)}">`,
    `<title>${escapeHtml(spec.title)}</title>`,
  );
  // Grid and y axis labels.
  for (const v of yTicks) {
    const y = r1(py(v));
    parts.push(`<line class="grid" x1="${M.left}" x2="${width - M.right}" y1="${y}" y2="${y}"/>`);
    parts.push(`<text class="tick" x="${M.left - 6}" y="${r1(y + 4)}" text-anchor="end">${escapeHtml(spec.yLabel(v))}</text>`);
  }
  // x axis and time labels.
  const baseY = M.top + plotH;
  parts.push(`<line class="axis" x1="${M.left}" x2="${width - M.right}" y1="${baseY}" y2="${baseY}"/>`);
  for (const t of timeTicks(x0, x1)) {
    const x = r1(px(t));
    parts.push(`<line class="axis" x1="${x}" x2="${x}" y1="${baseY}" y2="${baseY + 4}"/>`);
    parts.push(`<text class="tick" x="${x}" y="${baseY + 17}" text-anchor="middle">${fmtOffset(t)}</text>`);
  }
  spec.series.forEach((s, k) => {
    const cls = escapeHtml(s.cls ?? `s${k}`);
    let d = '';
    let pen = false;
    let points = 0;
    const dots: string[] = [];
    s.values.forEach((v, i) => {
      const t = spec.x[i];
      if (v === null || !Number.isFinite(v) || t === undefined) {
        pen = false;
        return;
      }
      const x = r1(px(t));
      const y = r1(py(v));
      d += `${pen ? 'L' : 'M'}${x} ${y}`;
      pen = true;
      points++;
      dots.push(`<circle class="dot ${cls}" cx="${x}" cy="${y}" r="2.5"/>`);
    });
    parts.push(`<path class="line ${cls}" data-series="${escapeHtml(s.key)}" data-points="${points}" d="${d === '' ? 'M0 0' : d}"${d === '' ? ' visibility="hidden"' : ''}/>`);
    if (points > 0 && points < 3) parts.push(...dots);
  });
  parts.push('</svg>');
  return parts.join('');
}

/** The legend for a chart's series, as HTML with the same colour classes. */
export function legend(series: readonly LineSeries[]): string {
  return `<div class="legend">${series
    .map((s, k) => `<span class="key"><span class="swatch ${escapeHtml(s.cls ?? `s${k}`)}"></span>${escapeHtml(s.name)}</span>`)
    .join('')}</div>`;
}

/** The report's value axis: 4 or 5 round steps from 0 (the shared `niceScale`, as the TUI's charts). */
export function valueScale(max: number): { ticks: readonly number[]; top: number } {
  return niceScale(max, 5);
}

function r1(v: number): number {
  return Math.round(v * 10) / 10;
}
