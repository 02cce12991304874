/**
 * The HTML report of a real run, opened in a real headless browser (Debian's chromium; `npm test`
 * installs it when missing): the page renders its tables, its SVG charts have plotted lines of real
 * length, nothing is fetched, it follows the dark colour scheme and prints to PDF. The sections of
 * issue 15 part 7 are laid out and visible (screenshots of each are taken and must not be blank),
 * threshold lines and hover titles are in the charts, and a hovered band lights up with no script.
 */
import { statSync, writeFileSync } from 'node:fs';
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
  const r = await runCli(['run', 's.yaml', '--headless', '--only-summary', '-t', '4s', '--threshold', 'p95<1s', '--threshold', 'error_rate<1%', '--threshold', 'rps>1'], { cwd });
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
  it('renders the charts with plotted lines', async () => {
    const r = await page.evaluate<Rendered>(RENDERED);
    expect(r.title).toBe('Load test report: browser-check');
    expect(r.charts.map((c) => c.id)).toEqual(['chart-throughput', 'chart-failure-rate', 'chart-latency', 'chart-users']);
    for (const c of r.charts) {
      expect(c.width).toBeGreaterThan(500);
      expect(c.height).toBeGreaterThan(100);
    }
    const lines = r.charts.flatMap((c) => c.lines);
    expect(lines.map((l) => l.series)).toEqual(['rps', 'failures', 'fail-ratio', 'p50', 'p95', 'users']);
    for (const l of lines) {
      expect(l.points, l.series).toBeGreaterThanOrEqual(3);
      expect(l.length, l.series).toBeGreaterThan(100); // a drawn line, not a dot
      expect(l.width, l.series).toBeGreaterThan(300); // spanning the run
    }
  });

  it('renders the tables: SLOs, endpoints, failures by kind, thirds', async () => {
    const { tables, headline, badge } = await page.evaluate<Rendered>(RENDERED);
    expect(headline).toMatch(/^✗ Failed — 1 of 3 thresholds failed: error_rate<1% \([\d.]+%\)\./);
    expect(tables.slo!.map((r) => [r[0], r[3]])).toEqual([
      ['Metric', 'Status'],
      ['p95 response time', '✓ Pass'],
      ['Error rate', '✗ Fail'],
      ['Throughput', '✓ Pass'],
    ]);
    expect(badge).toBe('rgb(207, 34, 46)');
    expect(tables.endpoints!.map((r) => r[1])).toEqual(['Name', '/fast', '/flaky', '/slow', 'Aggregated']);
    const total = Number(tables.endpoints!.at(-1)![2]);
    expect(total).toBe(server.total);
    expect(tables['failure-kinds']!.map((r) => r[0])).toEqual(['Kind', 'Server errors (HTTP 5xx)']);
    expect(tables.stability!.map((r) => r[0])).toEqual(['Part', 'First third', 'Middle third', 'Last third']);
    expect(tables.stability!.slice(1).reduce((n, r) => n + Number(r[2]), 0)).toBe(total);
  });

  it('fetches nothing and runs no script: no script element, no event-handler attribute, a small file', async () => {
    const r = await page.evaluate<Rendered>(RENDERED);
    expect(r.scripts).toBe(0);
    expect(r.resources).toBe(0);
    const handlers = await page.evaluate<number>(`[...document.querySelectorAll('*')].filter((el) => [...el.attributes].some((a) => /^on/i.test(a.name) || /javascript:/i.test(a.value))).length`);
    expect(handlers).toBe(0);
    expect(statSync(reportPath).size).toBeLessThan(150 * 1024);
  });

  it('lays out the new sections visibly: Response Time Statistics, Status codes, the final ratio', async () => {
    const SECTIONS = `(() => {
      const text = (el) => el.textContent.replace(/\\s+/g, ' ').trim();
      return ['response-times-section', 'status-codes-section', 'classes-section', 'endpoints-section'].map((id) => {
        const sec = document.getElementById(id);
        if (sec === null) return { id, missing: true };
        const table = sec.querySelector('table');
        const box = table.getBoundingClientRect();
        const style = getComputedStyle(sec);
        return { id, width: box.width, height: box.height, shown: style.display !== 'none' && style.visibility === 'visible' && sec.offsetParent !== null,
          rows: [...table.rows].map((r) => [...r.cells].map(text)) };
      });
    })()`;
    const sections = await page.waitFor<{ id: string; missing?: boolean; width: number; height: number; shown: boolean; rows: string[][] }[]>(SECTIONS);
    for (const sec of sections) {
      expect(sec.missing, sec.id).toBeUndefined();
      expect(sec.shown, sec.id).toBe(true);
      expect(sec.width, sec.id).toBeGreaterThan(400);
      expect(sec.height, sec.id).toBeGreaterThan(60);
    }
    const [times, codes, classes, endpoints] = sections.map((x) => x.rows);
    expect(times![0]).toEqual(['Method', 'Name', '50%', '60%', '70%', '80%', '90%', '95%', '99%', '99.9%', '99.99%', '100%']);
    expect(times!.map((r) => r[1])).toEqual(['Name', '/fast', '/flaky', '/slow', 'Aggregated']);
    // /slow answers in 20–60 ms: every cell of its ladder is in that range.
    for (const cell of times!.find((r) => r[1] === '/slow')!.slice(2)) expect(Number(cell.replace(' ms', ''))).toBeGreaterThanOrEqual(19);
    // Status codes: 200 and the 503s of /flaky, summing to every request the server answered.
    expect(codes![0]).toEqual(['Method', 'Name', '200', '503']);
    const agg = codes!.at(-1)!;
    expect(Number(agg[2]) + Number(agg[3])).toBe(server.total);
    expect(codes!.find((r) => r[1] === '/flaky')![3]).not.toBe('');
    expect(classes![1]![0]).toBe('U');
    expect(endpoints![0]).toEqual(['Method', 'Name', 'Requests', 'Fails', 'Fail %', 'Median', 'p95', 'p99', 'Avg', 'Min', 'Max', 'Avg size', 'RPS', 'Failures/s']);
    // Screenshots of each new section: real pixels, not a blank box.
    for (const id of ['response-times-section', 'status-codes-section', 'classes-section']) {
      const clip = await page.evaluate<{ x: number; y: number; width: number; height: number }>(
        `(() => { const b = document.getElementById('${id}').getBoundingClientRect(); return { x: b.x + scrollX, y: b.y + scrollY, width: b.width, height: b.height }; })()`,
      );
      const shot = await page.send<{ data: string }>('Page.captureScreenshot', { format: 'png', clip: { ...clip, scale: 1 }, captureBeyondViewport: true });
      const png = Buffer.from(shot.data, 'base64');
      writeFileSync(join(tmpdir(), `cicada-report-${id}.png`), png);
      expect(png.length, id).toBeGreaterThan(4_000); // a blank box of this size compresses to a few hundred bytes
    }
  });

  it('draws the thresholds on the charts and names every value in SVG titles', async () => {
    const CHARTS = `(() => {
      const title = (el) => el.querySelector(':scope > title')?.textContent ?? '';
      return [...document.querySelectorAll('figure')].map((f) => ({
        id: f.id,
        markers: [...f.querySelectorAll('g.marker')].map((g) => ({ cls: g.getAttribute('class'), title: title(g), width: g.getBBox().width })),
        bands: [...f.querySelectorAll('g.hover rect')].map((r) => ({ title: title(r), width: r.getBBox().width, height: r.getBBox().height })),
        points: Number(f.querySelector('path.line').dataset.points),
      }));
    })()`;
    const charts = await page.waitFor<{ id: string; markers: { cls: string; title: string; width: number }[]; bands: { title: string; width: number; height: number }[]; points: number }[]>(CHARTS);
    const byId = Object.fromEntries(charts.map((c) => [c.id, c]));
    expect(byId['chart-throughput']!.markers).toEqual([{ cls: 'marker pass', title: expect.stringMatching(/^Threshold rps>1: met \(actual [\d.]+\/s\)$/), width: expect.any(Number) }]);
    expect(byId['chart-failure-rate']!.markers).toEqual([{ cls: 'marker fail', title: expect.stringMatching(/^Threshold error_rate<1%: not met \(actual [\d.]+%\)$/), width: expect.any(Number) }]);
    // p95<1s over a 60 ms p95 is beyond reach: named at the top edge, the data not flattened.
    expect(byId['chart-latency']!.markers.map((x) => [x.cls, x.title])).toEqual([['marker pass off-scale', expect.stringMatching(/^Threshold p95<1s: met/)]]);
    for (const c of charts) {
      for (const mk of c.markers) expect(mk.width, `${c.id} marker`).toBeGreaterThan(mk.cls.includes('off-scale') ? 50 : 300); // a line across the plot
      expect(c.bands.length, c.id).toBe(c.points);
      for (const b of c.bands) {
        expect(b.width).toBeGreaterThan(0);
        expect(b.height).toBeGreaterThan(100);
      }
    }
    expect(byId['chart-latency']!.bands.at(-1)!.title).toMatch(/^0:0\d · p50 [\d.]+ ms · p95 [\d.]+ ms$/);
    expect(byId['chart-users']!.bands.at(-1)!.title).toMatch(/^0:0\d · users 3$/);
  });

  it('lights up the band under the mouse, with CSS alone', async () => {
    const at = await page.evaluate<{ x: number; y: number }>(`(() => {
      const r = document.querySelector('#chart-latency g.hover rect:last-child');
      r.scrollIntoView({ block: 'center' });
      const b = r.getBoundingClientRect();
      return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
    })()`);
    const opacity = `getComputedStyle(document.querySelector('#chart-latency g.hover rect:last-child')).fillOpacity`;
    expect(await page.evaluate<string>(opacity)).toBe('0');
    await page.send('Input.dispatchMouseEvent', { type: 'mouseMoved', x: at.x, y: at.y });
    expect(await page.waitFor<string>(`${opacity} !== '0' && ${opacity}`)).toBe('0.14');
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
