/**
 * Monitors through the real CLI: a node_exporter killed in the middle of a headless run (gaps in
 * monitors.csv, one warning, the run goes on to its end), thresholds on monitors deciding the exit
 * code and aborting a run, and a bad monitor stopping before the run (exit 2, file:line:col).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startNodeExporter } from '../support/exporters.js';
import { readCsv, runCli, runDirs, startCli, useServers, workdir } from './cli.js';

const server = useServers();

function memTotalBytes(): number {
  return Number(/^MemTotal:\s+(\d+) kB/m.exec(readFileSync('/proc/meminfo', 'utf8'))![1]) * 1024;
}

describe('cicada run with monitors', () => {
  it('an exporter killed mid-run: gaps (never 0) in monitors.csv, one warning naming it, the run goes on; summary.json and report.md carry the series', async () => {
    const target = await server({ delayMs: 2 });
    const exporter = await startNodeExporter();
    const cwd = workdir();
    try {
      const cli = startCli(
        [
          'run', `${target.url}/ok`, '-u', '2', '-t', '6s', '--headless',
          '--monitor', `mem=${exporter.url}/metrics#node_memory_MemTotal_bytes`,
          '--threshold', 'mem.max > 1MB',
        ],
        { cwd },
      );
      // Two rows with a value, then the exporter goes away.
      const csv = (): string => {
        const dir = runDirs(cwd)[0];
        return dir === undefined || !existsSync(join(dir, 'monitors.csv')) ? '' : readFileSync(join(dir, 'monitors.csv'), 'utf8');
      };
      const deadline = Date.now() + 15_000;
      while (csv().split('\r\n').filter((l) => /^\d+,\d+/.test(l)).length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      exporter.child.kill('SIGKILL');
      const result = await cli.result;
      expect(result.code, result.stderr).toBe(0);
      const warnings = result.stderr.split('\n').filter((l) => l.includes('monitor mem'));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/monitor mem \(http:\/\/127\.0\.0\.1:\d+\/metrics node_memory_MemTotal_bytes\): connection refused; its samples are gaps until it answers again/);
      // The run went on to its end: 6 s, with requests after the kill.
      const dir = runDirs(cwd)[0]!;
      const rows = readCsv(join(dir, 'monitors.csv'));
      expect(rows[0]).toEqual(['Timestamp', 'mem (bytes)']);
      const values = rows.slice(1).map((r) => r[1]);
      const firstGap = values.indexOf('');
      expect(firstGap).toBeGreaterThanOrEqual(2);
      expect(values.slice(0, firstGap).every((v) => Number(v) === memTotalBytes())).toBe(true);
      expect(values.slice(firstGap).every((v) => v === '')).toBe(true);
      expect(values.length - firstGap).toBeGreaterThanOrEqual(2);
      const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
      expect(summary.run.stopReason).toMatch(/run time/);
      const mem = summary.monitors[0];
      expect([mem.id, mem.samples, mem.gaps, mem.max, mem.lastError]).toEqual(['mem', firstGap, values.length - firstGap, memTotalBytes(), 'connection refused']);
      expect(summary.thresholds[0]).toMatchObject({ expr: 'mem.max > 1MB', passed: true, monitor: { id: 'mem', stat: 'max', unit: 'bytes' } });
      const report = readFileSync(join(dir, 'report.md'), 'utf8');
      expect(report).toContain('## System metrics');
      expect(report).toMatch(/\| 127\.0\.0\.1:\d+ \| mem \(\d+ gaps; last: connection refused\) \| max > 1 MB \| .* \| ✅ Pass \|/);
      // The final console table says so too.
      expect(result.stdout).toMatch(/Target\s+Metric\s+Now\s+Min\s+Max\s+Avg\s+Thresholds/);
      expect(result.stdout).toMatch(/mem\s+gap: connection refused/);
    } finally {
      await exporter.stop();
    }
  });

  describe('thresholds on monitors', () => {
    const children: ReturnType<typeof spawn>[] = [];
    afterAll(() => children.forEach((c) => c.kill('SIGKILL')));

    it('a failed one makes the exit code 1; with abort: true it stops the run', async () => {
      const target = await server({ delayMs: 2 });
      // A local process holding ≈ 30 MB: its RSS is the monitored series.
      const holder = spawn(process.execPath, ['-e', 'const b = Buffer.alloc(30 * 1024 * 1024, 1); setInterval(() => b[0]++, 1000);'], { stdio: 'ignore' });
      children.push(holder);
      await new Promise((r) => setTimeout(r, 300));
      const scenario = (abort: boolean): string =>
        [
          `host: ${target.url}`,
          'users: 1',
          'runTime: 20s',
          'userClasses: [ { tasks: [ { get: /ok } ], wait: 100ms } ]',
          'monitors:',
          `  holder_rss: { process: ${holder.pid}, metric: rss, name: Holder memory, component: Holder }`,
          'thresholds:',
          abort ? '  - { expr: "holder_rss.max < 10MB", abort: true }' : '  - holder_rss.max < 10MB',
          '',
        ].join('\n');
      const cwd = workdir({ 'abort.yaml': scenario(true), 'plain.yaml': scenario(false) });
      const started = Date.now();
      const aborted = await runCli(['run', 'abort.yaml', '--headless', '--only-summary'], { cwd });
      expect(aborted.code, aborted.stderr).toBe(1);
      expect(Date.now() - started).toBeLessThan(15_000);
      const summary = JSON.parse(readFileSync(join(runDirs(cwd)[0]!, 'summary.json'), 'utf8'));
      expect(summary.run.stopReason).toMatch(/^threshold holder_rss\.max < 10MB failed \(\d+(\.\d+)? MB\)$/);
      expect(summary.thresholds[0]).toMatchObject({ passed: false, monitor: { id: 'holder_rss', stat: 'max', unit: 'bytes' } });
      expect(summary.thresholds[0].actual).toBeGreaterThan(30 * 1024 * 1024);
      const plain = await runCli(['run', 'plain.yaml', '--headless', '--only-summary', '-t', '2s'], { cwd });
      expect(plain.code, plain.stderr).toBe(1);
      expect(plain.stdout).toMatch(/Holder\s+Holder memory\s+\d+ MB.*✗ max < 10 MB/);
    });
  });

  it('a typo in a monitor stops before the run: exit 2, file:line:col, nothing written', async () => {
    const cwd = workdir({
      'bad.yaml': [
        'host: http://127.0.0.1:1',
        'userClasses: [ { tasks: [ { get: / } ] } ]',
        'monitors:',
        '  cpu: { promethus: /metrics, metric: process_cpu_seconds_total }',
        '  rss: { process: 1, metric: rs }',
        'thresholds: [ cpux.max < 70% ]',
        '',
      ].join('\n'),
    });
    const result = await runCli(['run', 'bad.yaml', '--headless', '--monitor', 'x=ftp://a#b'], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('bad.yaml:4:10: monitors.cpu.promethus: unknown key `promethus`; did you mean `prometheus`?');
    expect(result.stderr).toContain('bad.yaml:5:30: monitors.rss.metric: a process monitor reads one of cpu, rss, threads, fds, got "rs"; did you mean `rss`?');
    // The misspelt monitor is not defined, so the threshold's suggestions come from the others.
    expect(result.stderr).toContain('bad.yaml:6:15: thresholds[0]: no monitor is named `cpux` (monitors: rss)');
    expect(result.stderr).toContain('--monitor: unknown monitor (in "x=ftp://a#b")');
    expect(runDirs(cwd)).toEqual([]);
  });
});

describe('cicada demo', () => {
  it('its monitors answer from the first second: no monitor warning, no gap in monitors.csv or summary.json', async () => {
    const cwd = workdir();
    const result = await runCli(['demo', '--headless', '-t', '3s'], { cwd });
    expect(result.code, result.stderr).toBe(0);
    expect(`${result.stdout}\n${result.stderr}`).not.toMatch(/monitor \w+ \(/);
    const [dir] = runDirs(cwd);
    const summary = JSON.parse(readFileSync(join(dir!, 'summary.json'), 'utf8')) as { monitors: { id: string; samples: number; gaps: number }[] };
    expect(summary.monitors.map((m) => [m.id, m.gaps])).toEqual([
      ['app_cpu', 0],
      ['app_rss', 0],
      ['loop_lag', 0],
      ['in_flight', 0],
      ['db_pool', 0],
    ]);
    // The first sample (taken as the run starts) is among them: at least one per second of the run.
    expect(Math.min(...summary.monitors.filter((m) => m.id !== 'app_cpu').map((m) => m.samples))).toBeGreaterThanOrEqual(3);
    const rows = readCsv(join(dir!, 'monitors.csv')).slice(1);
    expect(rows.length).toBeGreaterThanOrEqual(3);
    // app_cpu's first cell is empty by nature (a rate needs two samples); every other cell has a value.
    expect(rows.flatMap((r, i) => r.slice(1).filter((cell, k) => cell === '' && !(i === 0 && k === 0)))).toEqual([]);
  });
});
