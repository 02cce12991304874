/**
 * Issue 13, files: inputs that are not files are refused (a FIFO and a growing file made in a temp
 * dir, /dev/zero only read), absolute data paths work, a large scenario reports its real error;
 * results are never written over the wrong thing (the run's inputs, a FIFO, a directory behind a
 * symlink), symlinks to files are written through, directories that cannot be made fail fast with
 * the system's own error (EROFS on a read-only tmpfs in a private mount namespace), and a disk
 * that fills up before the final write makes the run say so and exit 3, after which `cicada report`
 * refuses the stale summary.json unless --partial.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sleep } from '../support/listen.js';
import { toolPath } from '../support/tools.js';
import { CLI, runCli, runDirs, useServers, workdir, type CliResult } from './cli.js';

const server = useServers();

const scenario = (host: string, extra = ''): string =>
  `name: files\nhost: ${host}\nusers: 1\nspawnRate: 10\nuserClasses:\n  - name: U\n    wait: { constant: 50ms }\n    tasks: [ { get: /a } ]\n${extra}`;

function expectRefused(r: CliResult, cwd: string, message: RegExp): void {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/cicada failed|^\s+at /m);
  expect(runDirs(cwd)).toEqual([]);
}

const mkfifo = (path: string): void => void execFileSync(toolPath('mkfifo'), [path]);

describe('inputs that are not files are refused, quickly and clearly', () => {
  it('a scenario that is a FIFO (nobody writes to it): no hang', async () => {
    const cwd = workdir();
    mkfifo(join(cwd, 's.yaml'));
    const t0 = Date.now();
    const r = await runCli(['run', 's.yaml', '--headless', '-t', '1s'], { cwd });
    expect(Date.now() - t0).toBeLessThan(5000);
    expectRefused(r, cwd, /^error: s\.yaml: cannot read the scenario: it is a named pipe \(FIFO\), not a file/);
  });

  it('a scenario that is a device', async () => {
    const cwd = workdir();
    expectRefused(await runCli(['run', '/dev/zero', '--headless', '-t', '1s'], { cwd }), cwd, /^error: \/dev\/zero: cannot read the scenario: it is a device, not a file/);
  });

  it('data files that are a FIFO or a device (absolute paths are used as written)', async () => {
    const cwd = workdir();
    mkfifo(join(cwd, 'rows.csv'));
    const yaml = scenario('http://127.0.0.1:1', `data:\n  a: { csv: rows.csv }\n  b: { csv: /dev/zero }\n`);
    writeFileSync(join(cwd, 's.yaml'), yaml);
    const r = await runCli(['run', 's.yaml', '--headless', '-t', '1s'], { cwd });
    expectRefused(r, cwd, /s\.yaml:10:13: data\.a\.csv: cannot read data file rows\.csv: it is a named pipe \(FIFO\)/);
    expect(r.stderr).toMatch(/s\.yaml:11:13: data\.b\.csv: cannot read data file \/dev\/zero: it is a device/);
  });

  it('a scenario that grows without end is refused at its size limit', async () => {
    const cwd = workdir();
    const path = join(cwd, 'grow.yaml');
    writeFileSync(path, '# grows\n');
    // A writer appending 1 MiB every 10 ms up to 40 MiB (bounded, in the test's temp dir).
    const writer = spawn(process.execPath, ['-e', `const fs=require('fs');const b=Buffer.alloc(1<<20,'#');let n=0;const t=setInterval(()=>{fs.appendFileSync(${JSON.stringify(path)},b);if(++n>=40)clearInterval(t)},10)`]);
    try {
      while (!existsSync(path) || lstatSync(path).size < 17 * 1024 * 1024) await sleep(10);
      const r = await runCli(['run', 'grow.yaml', '--headless', '-t', '1s'], { cwd });
      expectRefused(r, cwd, /^error: grow\.yaml: cannot read the scenario: it (is [\d.]+ MB, over|grew past) the limit of 16 MB/);
    } finally {
      writer.kill();
    }
  });

  it('an absolute data path is read where it is, not under the scenario folder', async () => {
    const srv = await server({ delayMs: 1 });
    const cwd = workdir();
    const elsewhere = workdir({ 'ids.csv': 'id\nabs-1\nabs-2\n' });
    mkdirSync(join(cwd, 'scen'));
    const yaml = scenario(srv.url, `data:\n  ids: { csv: ${join(elsewhere, 'ids.csv')} }\n`).replace('tasks: [ { get: /a } ]', 'tasks:\n      - get: /a/${ids.id}\n        name: /a');
    writeFileSync(join(cwd, 'scen', 's.yaml'), yaml);
    const r = await runCli(['run', 'scen/s.yaml', '--headless', '-t', '1s'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    expect(srv.received.length).toBeGreaterThan(0);
    expect(srv.received.every((q) => /^\/a\/abs-[12]$/.test(q.path))).toBe(true);
  });

  it('a large scenario that reuses an anchor in every task reports its real error at its real line', async () => {
    const cwd = workdir();
    const lines = ['name: big', 'host: http://127.0.0.1:1', 'users: 1', 'userClasses:', '  - name: U', '    tasks:'];
    for (let i = 0; i < 20_000; i++) lines.push(`      - get: /item/${i}`, `        name: item-${i}`, i === 0 ? "        headers: &h { x-a: '1' }" : '        headers: *h');
    const errorLine = lines.length - 30; // inside task 19,990
    lines.splice(errorLine - 1, 0, '        timeout: never');
    writeFileSync(join(cwd, 'big.yaml'), `${lines.join('\n')}\n`);
    const r = await runCli(['run', 'big.yaml', '--headless', '-t', '1s'], { cwd });
    expectRefused(r, cwd, new RegExp(`^error: big\\.yaml:${errorLine}:18: userClasses\\[0\\]\\.tasks\\[\\d+\\]\\.timeout: must be a duration`));
    expect(r.stderr).not.toMatch(/alias/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('results are never written over the wrong thing', () => {
  it('--json naming the scenario (or a data file) is refused; the input is untouched', async () => {
    const cwd = workdir({ 's.yaml': scenario('http://127.0.0.1:1', 'data:\n  d: { csv: d.csv }\n'), 'd.csv': 'v\n1\n' });
    const before = readFileSync(join(cwd, 's.yaml'), 'utf8');
    expectRefused(await runCli(['run', 's.yaml', '--headless', '-t', '1s', '--json', 's.yaml'], { cwd }), cwd, /^error: --json: s\.yaml is the scenario file: results are never written over the run's inputs$/m);
    expectRefused(await runCli(['run', 's.yaml', '--headless', '-t', '1s', '--json', './d.csv'], { cwd }), cwd, /^error: --json: \.\/d\.csv is the data file .*d\.csv: results are never written/m);
    symlinkSync('s.yaml', join(cwd, 'alias.json'));
    expectRefused(await runCli(['run', 's.yaml', '--headless', '-t', '1s', '--json', 'alias.json'], { cwd }), cwd, /--json: alias\.json is the scenario file/);
    expect(readFileSync(join(cwd, 's.yaml'), 'utf8')).toBe(before);
  });

  it('--json or --csv naming a FIFO, a directory or a symlink to one is refused; nothing replaced', async () => {
    const cwd = workdir({ 's.yaml': scenario('http://127.0.0.1:1') });
    mkfifo(join(cwd, 'pipe'));
    mkdirSync(join(cwd, 'adir'));
    symlinkSync('adir', join(cwd, 'dirlink'));
    symlinkSync('pipe', join(cwd, 'x_stats.csv'));
    for (const [args, message] of [
      [['--json', 'pipe'], /^error: --json: pipe is a named pipe \(FIFO\), not a regular file: it is not replaced$/m],
      [['--json', 'dirlink'], /^error: --json: dirlink is a directory, not a regular file/m],
      [['--csv', 'x'], /^error: --csv: x_stats\.csv is a named pipe \(FIFO\)/m],
    ] as const) {
      expectRefused(await runCli(['run', 's.yaml', '--headless', '-t', '1s', ...args], { cwd }), cwd, message);
    }
    expect(lstatSync(join(cwd, 'pipe')).isFIFO()).toBe(true);
    expect(lstatSync(join(cwd, 'dirlink')).isSymbolicLink()).toBe(true);
  });

  it('a symlink to a regular file is written through and stays a link', async () => {
    const srv = await server({ delayMs: 1 });
    const cwd = workdir({ 's.yaml': scenario(srv.url), 'real.json': 'old\n' });
    symlinkSync('real.json', join(cwd, 'out.json'));
    const r = await runCli(['run', 's.yaml', '--headless', '-t', '1s', '--json', 'out.json'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    expect(lstatSync(join(cwd, 'out.json')).isSymbolicLink()).toBe(true);
    const summary = JSON.parse(readFileSync(join(cwd, 'real.json'), 'utf8')) as { totals: { requests: number } };
    expect(summary.totals.requests).toBe(srv.total);
  });

  it('a results directory under a file fails at once with the system error', async () => {
    const cwd = workdir({ 's.yaml': scenario('http://127.0.0.1:1'), afile: 'x\n' });
    const t0 = Date.now();
    const r = await runCli(['run', 's.yaml', '--headless', '-t', '1s', '--results-dir', 'afile/deeper/x'], { cwd });
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: cannot create the results directory under afile\/deeper\/x: ENOTDIR/);
  });
});

/**
 * Runs `script` in a private mount namespace (an unprivileged user namespace mapped to root), where
 * `$D` is a fresh tmpfs of `size`: a real read-only or full filesystem, invisible outside.
 */
function inMountNamespace(dir: string, size: string, script: string): { code: number; out: string } {
  try {
    const out = execFileSync(toolPath('unshare'), ['--user', '--map-root-user', '--mount', 'sh', '-c', `set -e; D=${dir}; mount -t tmpfs -o size=${size} none "$D"; ${script}`], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 60_000,
    });
    return { code: 0, out };
  } catch (e) {
    const err = e as { status: number | null; stdout: string; stderr: string };
    return { code: err.status ?? -1, out: `${err.stdout}${err.stderr}` };
  }
}

describe('filesystems that refuse', () => {
  it('a read-only filesystem is reported as EROFS, at once', async () => {
    const cwd = workdir({ 's.yaml': scenario('http://127.0.0.1:1') });
    const mnt = join(cwd, 'mnt');
    mkdirSync(mnt);
    const r = inMountNamespace(mnt, '1m', `mount -o remount,ro "$D"; cd ${cwd}; ${process.execPath} ${CLI} run s.yaml --headless -t 1s --results-dir "$D/results" 2>&1 || echo "exit=$?"`);
    expect(r.out).toMatch(/error: cannot create the results directory under .*\/mnt\/results: EROFS/);
    expect(r.out).toMatch(/exit=2/);
  });

  it('a disk that fills before the final write: the run says so and exits 3; `cicada report` refuses the stale summary unless --partial', async () => {
    const srv = await server({ delayMs: 1 });
    const cwd = workdir({ 's.yaml': scenario(srv.url) });
    const mnt = join(cwd, 'mnt');
    const keep = join(cwd, 'kept');
    mkdirSync(mnt);
    // The run starts on an empty 1 MiB tmpfs; once its first files are there the filesystem is
    // filled to the last byte; the run then ends by itself and its final write fails (ENOSPC).
    const script = [
      `cd ${cwd}`,
      `${process.execPath} ${CLI} run s.yaml --headless --only-summary -t 2s --results-dir "$D/results" > "$D/../out.txt" 2>&1 &`,
      'pid=$!',
      'while [ -z "$(ls "$D"/results/*/summary.json 2>/dev/null)" ]; do sleep 0.05; done',
      'dd if=/dev/zero of="$D/filler" bs=4k 2>/dev/null || true',
      'code=0; wait $pid || code=$?',
      'echo "exit=$code"',
      `cp -r "$D/results" ${keep}`,
    ].join('\n');
    const r = inMountNamespace(mnt, '1m', script);
    const out = readFileSync(join(cwd, 'out.txt'), 'utf8');
    expect(r.out, out).toMatch(/exit=3/);
    expect(out).toMatch(/ENOSPC/);
    expect(out).toMatch(/error: the final results could not all be written \(.*summary\.json.*\)/);
    const dir = runDirs(cwd, 'kept')[0]!;
    const stale = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as { run: { endedAt: string | null } };
    expect(stale.run.endedAt).toBeNull();
    const refused = await runCli(['report', dir]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/summary\.json is not final: it was written while the run was \w+ \(\d+ requests, .* in\).*Use --partial/);
    const partial = await runCli(['report', dir, '--partial']);
    expect(partial.code).toBe(0);
    expect(partial.stderr).toMatch(/warning: .*summary\.json is not final.*writing the reports from it as asked \(--partial\)/);
    expect(readFileSync(join(dir, 'report.md'), 'utf8')).toMatch(/still in progress/);
  });
});
