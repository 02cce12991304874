// Running a generator or a target as a measured child process: pinned to a CPU with `taskset` where
// it exists, its CPU time read exactly from bash's `times` (user + system of every waited-for
// descendant, so `--processes` children count), its peak RSS polled from /proc (VmHWM of each
// descendant other than the wrappers, summed), optionally inside a pseudo-terminal (`script`) so a TUI draws.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const hasTaskset = spawnSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' }).status === 0;
export const hasScript = spawnSync('script', ['--version'], { stdio: 'ignore' }).status === 0;
export const cpuCount = (() => {
  const r = spawnSync('nproc', [], { encoding: 'utf8' });
  return r.status === 0 ? Number(r.stdout.trim()) : 1;
})();

/** `argv` prefixed with `taskset -c <cpu>` when pinning is possible (`cpu` null: not pinned). */
export function pinned(cpu, argv) {
  return hasTaskset && cpu !== null ? ['taskset', '-c', String(cpu), ...argv] : argv;
}

/** A new private temporary directory. */
export function tempDir(prefix) {
  return mkdtempSync(join(tmpdir(), `cicada-bench-${prefix}-`));
}

const quote = (s) => `'${String(s).replaceAll("'", `'\\''`)}'`;

/**
 * Runs `argv` to its end and measures it.
 * @param {object} o
 * @param {string[]} o.argv
 * @param {Record<string, string|undefined>} [o.env]
 * @param {{cols: number, rows: number} | null} [o.pty] run inside a pseudo-terminal of that size
 * @param {((recentOutput: string) => boolean) | null} [o.quitWhen] type `q` (every 500 ms until it exits) once this holds
 * @param {number | null} [o.quitAfterMs] type `q` from then on anyway
 * @param {number} [o.timeoutMs] kill it after this long (default 10 minutes)
 * @param {(sample: {at: number, rssBytes: number}) => void} [o.onSample] each /proc poll (every 200 ms)
 * @param {RegExp | null} [o.markOnStderr] the first time stderr matches, read the CPU used so far (from /proc): `cpuMsAfterMark` is what it used from then to its end (start-up left out)
 * @returns {Promise<{code: number|null, wallMs: number, cpuMs: number, cpuMsAfterMark: number, peakRssBytes: number, stdout: string, stderr: string}>}
 */
export function runMeasured(o) {
  const dir = tempDir('proc');
  const timesFile = join(dir, 'times');
  const lines = ['#!/bin/bash'];
  if (o.pty) lines.push(`stty cols ${o.pty.cols} rows ${o.pty.rows} 2>/dev/null`);
  lines.push(`${o.argv.map(quote).join(' ')}`, 'rc=$?', `times > ${quote(timesFile)}`, 'exit $rc');
  const scriptFile = join(dir, 'run.sh');
  writeFileSync(scriptFile, `${lines.join('\n')}\n`);
  const env = { ...process.env, ...(o.env ?? {}) };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
  const argv = o.pty ? ['script', '-q', '-e', '-c', `bash ${quote(scriptFile)}`, '/dev/null'] : ['bash', scriptFile];
  const started = performance.now();
  const child = spawn(argv[0], argv.slice(1), { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let quitTimer = null;
  let tail = '';
  let quitting = false;
  const typeQ = () => {
    quitting = true;
    child.stdin.write('q');
    quitTimer = setTimeout(typeQ, 500);
  };
  child.stdout.setEncoding('utf8').on('data', (d) => {
    if (stdout.length < 4e6) stdout += d;
    if (o.quitWhen && !quitting) {
      tail = (tail + d).slice(-4096);
      if (o.quitWhen(tail)) {
        clearTimeout(quitTimer);
        typeQ();
      }
    }
  });
  let markCpuMs = null;
  child.stderr.setEncoding('utf8').on('data', (d) => {
    if (stderr.length < 4e6) stderr += d;
    if (o.markOnStderr && markCpuMs === null && o.markOnStderr.test(stderr)) markCpuMs = cpuMsOf([child.pid]);
  });
  child.stdin.on('error', () => {});
  const hwm = new Map();
  const poll = setInterval(() => {
    let rss = 0;
    for (const pid of nodeDescendants(child.pid)) {
      const st = status(pid);
      if (st === null) continue;
      hwm.set(pid, Math.max(hwm.get(pid) ?? 0, st.hwm));
      rss += st.rss;
    }
    o.onSample?.({ at: performance.now() - started, rssBytes: rss });
  }, 200);
  if (o.quitAfterMs != null) quitTimer = setTimeout(typeQ, o.quitAfterMs);
  const killTimer = setTimeout(() => child.kill('SIGKILL'), o.timeoutMs ?? 600_000);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = performance.now() - started;
      clearInterval(poll);
      clearTimeout(killTimer);
      clearTimeout(quitTimer);
      let peakRssBytes = 0;
      for (const v of hwm.values()) peakRssBytes += v;
      const cpuMs = readTimes(timesFile);
      resolve({ code, wallMs, cpuMs, cpuMsAfterMark: markCpuMs === null ? NaN : cpuMs - markCpuMs, peakRssBytes, stdout, stderr });
    });
  });
}

/** Children's user + system ms from the second line of bash's `times` (`0m3.332s 0m1.203s`). */
function readTimes(file) {
  if (!existsSync(file)) return NaN;
  const line = readFileSync(file, 'utf8').trim().split('\n')[1] ?? '';
  let ms = 0;
  for (const m of line.matchAll(/(\d+)m([\d.]+)s/g)) ms += (Number(m[1]) * 60 + Number(m[2])) * 1000;
  return ms;
}

const WRAPPERS = new Set(['bash', 'sh', 'script', 'taskset']);

/** Pids under `pid` (any depth) other than the shells and wrappers that start them. */
export function nodeDescendants(pid) {
  const out = [];
  const walk = (p, depth) => {
    if (depth > 6) return;
    let kids = '';
    try {
      kids = readFileSync(`/proc/${p}/task/${p}/children`, 'utf8');
    } catch {
      return;
    }
    for (const k of kids.split(' ')) {
      if (k === '') continue;
      const kid = Number(k);
      try {
        if (!WRAPPERS.has(readFileSync(`/proc/${kid}/comm`, 'utf8').trim())) out.push(kid);
      } catch {
        continue;
      }
      walk(kid, depth + 1);
    }
  };
  walk(pid, 0);
  return out;
}

/** VmRSS and VmHWM (peak RSS) of `pid` in bytes, or null when it is gone. */
function status(pid) {
  try {
    const s = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(s)?.[1] ?? 0) * 1024;
    return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
  } catch {
    return null;
  }
}

/** Whether a TCP port on 127.0.0.1 accepts connections. */
export async function waitForPort(port, timeoutMs = 10_000) {
  const { connect } = await import('node:net');
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const ok = await new Promise((resolve) => {
      const s = connect(port, '127.0.0.1', () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nothing listening on port ${port} after ${timeoutMs} ms`);
}

/** A port that was free a moment ago. */
export async function freePort() {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** CPU ms (user + system) used so far by `pids` and their threads, from /proc/<pid>/stat. */
export function cpuMsOf(pids) {
  let ticks = 0;
  for (const pid of pids) {
    for (const p of [pid, ...nodeDescendants(pid)]) {
      try {
        const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
        const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        ticks += Number(f[11]) + Number(f[12]); // utime, stime (fields 14 and 15)
      } catch {
        // gone
      }
    }
  }
  return (ticks * 1000) / CLOCK_TICKS;
}
const CLOCK_TICKS = (() => {
  const r = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
  return r.status === 0 ? Number(r.stdout.trim()) : 100;
})();
