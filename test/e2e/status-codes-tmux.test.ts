/**
 * The status-code view in a real terminal: tmux (80×24) runs `cicada run` against a counting server
 * that answers 200, 201, 404 and 500 by path; `C` opens the codes column set, and once the run has
 * stopped the counts on screen — per endpoint and Aggregated — are the server's own; so are the
 * counts of the Percentiles tab's latency histogram.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CountingServer, startCountingServer } from '../support/counting-server.js';
import { STATUS_HEADERS, cellsUnder } from '../support/table-cells.js';
import { cicadaCommand, tmuxServer } from '../support/tmux.js';

const tmux = tmuxServer('codes');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const STATUS: Record<string, number> = { '/ok': 200, '/created': 201, '/missing': 404, '/boom': 500 };

describe('status codes in the TUI (real CLI, tmux 80×24, counting server)', () => {
  let server: CountingServer;
  let dir: string;

  beforeAll(async () => {
    server = await startCountingServer({ status: (req) => STATUS[req.url ?? ''] ?? 200 });
    dir = mkdtempSync(join(tmpdir(), 'cicada-codes-e2e-'));
    writeFileSync(
      join(dir, 'codes.yaml'),
      [
        'name: codes',
        `host: ${server.url}`,
        'users: 2',
        'spawnRate: 10',
        'userClasses:',
        '  - name: Mixed',
        '    wait: { constant: 40ms }',
        '    tasks:',
        '      - get: /ok',
        '      - post: /created',
        '      - get: /missing',
        '      - get: /boom',
        '',
      ].join('\n'),
    );
    // CI and CONTINUOUS_INTEGRATION make Ink draw only the last frame: the TUI must run without them.
    const command = cicadaCommand({ home: dir, args: `run '${join(dir, 'codes.yaml')}' -t 3s --results-dir '${join(dir, 'results')}'`, exitFile: join(dir, 'exit-code'), holdSec: 60 });
    tmux.start('codes', 80, 24, command);
  });

  afterAll(async () => {
    tmux.kill();
    await server?.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('C shows responses by class and code; after the stop they equal what the server answered', async () => {
    await tmux.waitForScreen('codes', (s) => /Aggregated\s+[1-9]/.test(s), 'the first requests');
    tmux.press('codes', 'C');
    await tmux.waitForScreen('codes', (s) => s.includes('columns codes (c)'), 'the codes column set after C');
    const s = await tmux.waitForScreen('codes', (x) => x.includes('STOPPED') && x.includes('columns codes (c)'), 'the run to stop after 3 s');
    const lines = s.split('\n');
    const header = lines.find((l) => l.includes('2xx')) as string;
    expect(header, s).toMatch(/Type\s+Name.*# Req.*2xx\s+200\s+201.*4xx\s+404\s+5xx\s+500/);
    for (const l of lines) expect([...l].length, l).toBeLessThanOrEqual(80);
    const row = (text: string): Record<string, string> => cellsUnder(header, lines.find((l) => l.includes(text)) as string, STATUS_HEADERS);

    const routes = server.byRoute();
    const ok = routes['GET /ok'] ?? 0;
    const created = routes['POST /created'] ?? 0;
    const missing = routes['GET /missing'] ?? 0;
    const boom = routes['GET /boom'] ?? 0;
    expect(ok).toBeGreaterThan(5);
    expect(row('GET  /ok')).toMatchObject({ '2xx': String(ok), '200': String(ok), '4xx': '0', '5xx': '0' });
    expect(row('POST /created')).toMatchObject({ '2xx': String(created), '201': String(created), '200': '0' });
    expect(row('GET  /missing')).toMatchObject({ '4xx': String(missing), '404': String(missing), '2xx': '0' });
    expect(row('GET  /boom')).toMatchObject({ '5xx': String(boom), '500': String(boom), '4xx': '0' });
    expect(row('Aggregated')).toMatchObject({
      '2xx': String(ok + created),
      '200': String(ok),
      '201': String(created),
      '4xx': String(missing),
      '404': String(missing),
      '5xx': String(boom),
      '500': String(boom),
    });
    // Every request the server received got its response: no `No resp` column.
    expect(header).not.toContain('No resp');
    expect(new RegExp(`Aggregated\\s+${server.total}\\s`).test(s), s).toBe(true);

    // 3: the Percentiles tab, with the selected row's latency histogram from the run's own HDR
    // histogram; its bins hold every response the server sent for that row.
    const first = lines.find((l) => l.startsWith('›')) ?? '';
    const [, method, path] = /^›\s+(\w+)\s+(\S+)/.exec(first) ?? [];
    tmux.press('codes', '3');
    const pct = await tmux.waitForScreen('codes', (x) => x.includes(`Latency histogram ${method} ${path}`), 'the histogram of the selected row');
    const binCounts = pct
      .split('\n')
      .filter((l) => l.includes('│'))
      .map((l) => Number(/│[█▏▎▍▌▋▊▉ ]*\s(\d+)(\s|$)/.exec(l)?.[1] ?? NaN));
    expect(binCounts.length, pct).toBeGreaterThan(0);
    expect(binCounts.reduce((a, b) => a + b, 0), pct).toBe(routes[`${method} ${path}`]);
    for (const l of pct.split('\n')) expect([...l].length, l).toBeLessThanOrEqual(80);

    tmux.press('codes', 'q');
    const deadline = Date.now() + 15_000;
    while (!existsSync(join(dir, 'exit-code')) && Date.now() < deadline) await sleep(150);
    expect(existsSync(join(dir, 'exit-code'))).toBe(true);
  }, 45_000);
});
