/**
 * Line charts as inline SVG text: no library, no script, no external asset. Colours come from CSS
 * classes (`.s0` … `.s3`, set by the page so they follow `prefers-color-scheme` and print well);
 * the axes carry "nice" ticks (1-2-5 steps for values, clock steps for time).
 *
 * Every plotted series is one `<path class="line sN" data-series="…" data-points="…">`, broken
 * where a value is missing (null); a series with fewer than three points also gets a dot per point
 * so a short run still shows something.
 *
 * Values on hover without a script: the plot is cut into vertical bands (one per point, or per few
 * points beyond `MAX_HOVER_BANDS`), each a transparent `<rect>` whose `<title>` the browser shows as
 * a tooltip — the time and every series' value there. Threshold lines (`markers`) are dashed
 * `<g class="marker …">` lines with their label and a `<title>`; the value axis stretches to hold
 * one within `MARKER_REACH` of the data (the rule the TUI's charts follow), and one beyond it is
 * named at the top edge instead of flattening the data.
 */
import { escapeHtml } from './html-escape.js';
import { axisReach, markerOnScale, niceScale, timeTicks } from '../stats/axis.js';
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
  /** A value in hover texts: `170 ms`, `25.2/s`; default `yLabel`. */
  readonly valueText?: (v: number) => string;
  /** Horizontal threshold lines, in the chart's unit. */
  readonly markers?: readonly ChartRule[];
  readonly width?: number;
  readonly height?: number;
}

/** A threshold drawn across a chart. */
export interface ChartRule {
  readonly value: number;
  /** On the line: `p95 < 500ms`. */
  readonly label: string;
  /** Tooltip: `Threshold p95 < 500ms: failed (actual 612 ms)`. */
  readonly title: string;
  /** `pass`, `fail` or `pending`: the line's colour. */
  readonly status: string;
}

/** Most hover bands per chart: beyond, each band covers several neighbouring points. */
export const MAX_HOVER_BANDS = 240;

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
  const markers = spec.markers ?? [];
  const { ticks: yTicks, top: yTop } = valueScale(axisReach(yMax, markers.map((m) => m.value)));
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
  parts.push(...markerParts(markers, yMax, py, width));
  parts.push(hoverBands(spec, px, M.top, plotH, M.left, width - M.right));
  parts.push('</svg>');
  return parts.join('');
}

function markerParts(markers: readonly ChartRule[], dataMax: number, py: (v: number) => number, width: number): string[] {
  const out: string[] = [];
  let above = 0;
  for (const m of markers) {
    const cls = `marker ${escapeHtml(m.status)}`;
    const title = `<title>${escapeHtml(m.title)}</title>`;
    if (!markerOnScale(dataMax, m.value)) {
      // Named at the top edge, one under another: drawing it would flatten the data.
      const y = M.top + 11 + 13 * above++;
      out.push(`<g class="${cls} off-scale">${title}<text class="marker-label" x="${width - M.right - 4}" y="${y}" text-anchor="end">▲ ${escapeHtml(m.label)} (above the chart)</text></g>`);
      continue;
    }
    const y = r1(py(m.value));
    // The label sits above its line, or under it when the line is at the top of the plot.
    out.push(
      `<g class="${cls}" data-value="${m.value}">${title}<line class="rule" x1="${M.left}" x2="${width - M.right}" y1="${y}" y2="${y}"/>` +
        `<text class="marker-label" x="${width - M.right - 4}" y="${r1(y - 4 < M.top + 10 ? y + 13 : y - 4)}" text-anchor="end">${escapeHtml(m.label)}</text></g>`,
    );
  }
  return out;
}

/**
 * The hover bands: `<rect>`s covering the plot's height, each with a `<title>` giving the time (or
 * time span) and each series' value (or range, when a band covers several points).
 */
function hoverBands(spec: LineChartSpec, px: (t: number) => number, top: number, height: number, left: number, right: number): string {
  const n = spec.x.length;
  if (n === 0) return '';
  const text = spec.valueText ?? spec.yLabel;
  const per = Math.ceil(n / MAX_HOVER_BANDS);
  const edge = (i: number): number => (i <= 0 ? left : i >= n ? right : (px(spec.x[i - 1]!) + px(spec.x[i]!)) / 2);
  const bands: string[] = [];
  for (let i = 0; i < n; i += per) {
    const j = Math.min(n, i + per);
    const x0 = r1(edge(i));
    const x1 = r1(edge(j));
    // A band of several points spans from the end of the point before it.
    const from = i === 0 ? Math.min(0, spec.x[0]!) : spec.x[i - 1]!;
    const to = spec.x[j - 1]!;
    const when = per === 1 ? fmtOffset(to) : `${fmtOffset(from)}–${fmtOffset(to)}`;
    const values = spec.series.map((s) => {
      const vs = s.values.slice(i, j).filter((v): v is number => v !== null && Number.isFinite(v));
      if (vs.length === 0) return `${s.name} —`;
      const lo = Math.min(...vs);
      const hi = Math.max(...vs);
      return `${s.name} ${text(lo) === text(hi) ? text(hi) : `${text(lo)}–${text(hi)}`}`;
    });
    bands.push(`<rect x="${x0}" y="${top}" width="${r1(Math.max(0.1, x1 - x0))}" height="${height}"><title>${escapeHtml(`${when} · ${values.join(' · ')}`)}</title></rect>`);
  }
  return `<g class="hover">${bands.join('')}</g>`;
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
