/**
 * The HTML report of a real run, opened in a real headless browser (Debian's chromium; `npm test`
 * installs it when missing): the page renders its tables, its SVG charts have plotted lines of real
 * length, nothing is fetched, it follows the dark colour scheme and prints to PDF.
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, runDirs, workdir } from '../cli/cli.js';
import { startCountingServer, type CountingServer } from '../support/counting-server.js';
import { openPage, type Page } from './browser.js';

let server: CountingServer;
let page: Page;
let reportPath: string;

beforeAll(async () => {
  let n = 0;
  // /slow takes 20–60 ms, /flaky fails one request in five with a 503.
  server = await startCountingServer({
    delayMs: (req) => (req.url === '/slow' ? 20 + (n % 5) * 10 : 1),
    status: (req) => (req.url === '/flaky' && ++n % 5 === 0 ? 503 : 200),
  });
  const cwd = workdir({
    's.yaml': `
name: browser-check
host: ${server.url}
users: 3
spawnRate: 100
userClasses:
  - name: U
    wait: { between: [5ms, 10ms] }
    tasks:
      - get: /slow
      - get: /flaky
      - get: /fast
`,
  });
  const r = await runCli(['run', 's.yaml', '--headless', '--only-summary', '-t', '4s', '--threshold', 'p95<1s', '--threshold', 'error_rate<1%'], { cwd });
  expect(r.code).toBe(1); // the error-rate threshold fails: /flaky
  reportPath = join(runDirs(cwd)[0]!, 'report.html');
  page = await openPage(pathToFileURL(reportPath).href);
}, 90_000);

afterAll(async () => {
  await page?.close();
  await server?.close();
});

interface Rendered {
  title: string;
  charts: { id: string; width: number; height: number; lines: { series: string; points: number; length: number; width: number }[] }[];
  tables: Record<string, string[][]>;
  headline: string;
  scripts: number;
  resources: number;
  badge: string;
}

const RENDERED = `(() => {
  const text = (el) => el.textContent.replace(/\\s+/g, ' ').trim();
  const charts = [...document.querySelectorAll('figure')].map((f) => {
    const svg = f.querySelector('svg.chart');
    const box = svg.getBoundingClientRect();
    return {
      id: f.id,
      width: box.width,
      height: box.height,
      lines: [...svg.querySelectorAll('path.line')].map((p) => ({
        series: p.dataset.series,
        points: Number(p.dataset.points),
        length: p.getTotalLength(),
        width: p.getBBox().width,
      })),
    };
  });
  const tables = Object.fromEntries([...document.querySelectorAll('table[id]')].map((t) => [t.id, [...t.rows].map((r) => [...r.cells].map(text))]));
  return {
    title: document.title,
    charts,
    tables,
    headline: text(document.querySelector('.headline')),
    scripts: document.scripts.length,
    resources: performance.getEntriesByType('resource').length,
    badge: getComputedStyle(document.querySelector('.badge.fail')).backgroundColor,
  };
})()`;

describe('report.html in a headless browser', () => {
  it('renders three charts with plotted lines', async () => {
    const r = await page.evaluate<Rendered>(RENDERED);
    expect(r.title).toBe('Load test report: browser-check');
    expect(r.charts.map((c) => c.id)).toEqual(['chart-throughput', 'chart-latency', 'chart-users']);
    for (const c of r.charts) {
      expect(c.width).toBeGreaterThan(500);
      expect(c.height).toBeGreaterThan(100);
    }
    const lines = r.charts.flatMap((c) => c.lines);
    expect(lines.map((l) => l.series)).toEqual(['rps', 'failures', 'p50', 'p95', 'users']);
    for (const l of lines) {
      expect(l.points, l.series).toBeGreaterThanOrEqual(3);
      expect(l.length, l.series).toBeGreaterThan(100); // a drawn line, not a dot
      expect(l.width, l.series).toBeGreaterThan(300); // spanning the run
    }
  });

  it('renders the tables: SLOs, endpoints, failures by kind, thirds', async () => {
    const { tables, headline, badge } = await page.evaluate<Rendered>(RENDERED);
    expect(headline).toMatch(/^✗ Failed — 1 of 2 thresholds failed: error_rate<1% \([\d.]+%\)\./);
    expect(tables.slo!.map((r) => [r[0], r[3]])).toEqual([
      ['Metric', 'Status'],
      ['p95 (all requests)', '✓ Pass'],
      ['Error rate (all requests)', '✗ Fail'],
    ]);
    expect(badge).toBe('rgb(207, 34, 46)');
    expect(tables.endpoints!.map((r) => r[1])).toEqual(['Name', '/fast', '/flaky', '/slow', 'Aggregated']);
    const total = Number(tables.endpoints!.at(-1)![2]!.replace(/,/g, ''));
    expect(total).toBe(server.total);
    expect(tables['failure-kinds']!.map((r) => r[0])).toEqual(['Kind', 'Server errors (HTTP 5xx)']);
    expect(tables.stability!.map((r) => r[0])).toEqual(['Part', 'First third', 'Middle third', 'Last third']);
    expect(tables.stability!.slice(1).reduce((n, r) => n + Number(r[2]!.replace(/,/g, '')), 0)).toBe(total);
  });

  it('fetches nothing and runs no script', async () => {
    const r = await page.evaluate<Rendered>(RENDERED);
    expect(r.scripts).toBe(0);
    expect(r.resources).toBe(0);
  });

  it('follows the dark colour scheme, and prints', async () => {
    const light = await page.evaluate<string>('getComputedStyle(document.body).backgroundColor');
    await page.send('Emulation.setEmulatedMedia', { features: [{ name: 'prefers-color-scheme', value: 'dark' }] });
    const dark = await page.evaluate<string>('getComputedStyle(document.body).backgroundColor');
    expect(light).toBe('rgb(255, 255, 255)');
    expect(dark).toBe('rgb(13, 17, 23)');
    await page.send('Emulation.setEmulatedMedia', { features: [] });
    const shot = await page.send<{ data: string }>('Page.captureScreenshot', { format: 'png', captureBeyondViewport: true });
    const png = join(tmpdir(), 'cicada-report-screenshot.png');
    writeFileSync(png, Buffer.from(shot.data, 'base64'));
    expect(shot.data.length).toBeGreaterThan(20_000);
    const pdf = await page.send<{ data: string }>('Page.printToPDF', { printBackground: false });
    expect(Buffer.from(pdf.data, 'base64').subarray(0, 5).toString()).toBe('%PDF-');
  });
});
