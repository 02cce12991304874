/**
 * Local processes from Linux's /proc: CPU time, resident memory, threads and open descriptors of a
 * process and its descendants, through a `ProcReader` the caller gives (run/ touches no file
 * itself: cli/ hands in the real /proc, `cli/proc-reader.ts`; tests may hand in another).
 *
 * CPU times are in clock ticks of USER_HZ, which is 100 on every Linux architecture Node runs on.
 */

export interface ProcReader {
  /** Text of a file under /proc; throws (ENOENT) when the process is gone. */
  readFile(path: string): string;
  /** Names in a directory under /proc. */
  readdir(path: string): string[];
}

/** The reader when none was given: every process monitor's samples are gaps saying so. */
export const NO_PROC: ProcReader = {
  readFile: () => {
    throw new Error('no /proc reader was given to the monitors');
  },
  readdir: () => {
    throw new Error('no /proc reader was given to the monitors');
  },
};

export const CLOCK_TICKS_PER_SEC = 100;

export interface ProcStat {
  readonly pid: number;
  readonly ppid: number;
  /** utime + stime, clock ticks. */
  readonly cpuTicks: number;
  readonly threads: number;
}

/** `/proc/PID/stat`; null when the process is gone (or unreadable). */
export function readStat(proc: ProcReader, pid: number): ProcStat | null {
  let text: string;
  try {
    text = proc.readFile(`/proc/${pid}/stat`);
  } catch {
    return null;
  }
  // The command name (field 2) is in parentheses and may hold spaces and parentheses itself.
  const close = text.lastIndexOf(')');
  if (close < 0) return null;
  const f = text.slice(close + 2).split(' ');
  // f[0] is field 3 (state): ppid is field 4, utime 14, stime 15, num_threads 20.
  const ppid = Number(f[1]);
  const utime = Number(f[11]);
  const stime = Number(f[12]);
  const threads = Number(f[17]);
  if (![ppid, utime, stime, threads].every(Number.isFinite)) return null;
  return { pid, ppid, cpuTicks: utime + stime, threads };
}

/** Resident memory in bytes (`VmRSS` of /proc/PID/status); null when gone. Kernel threads have none: 0. */
export function readRssBytes(proc: ProcReader, pid: number): number | null {
  let text: string;
  try {
    text = proc.readFile(`/proc/${pid}/status`);
  } catch {
    return null;
  }
  const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(text);
  return m === null ? 0 : Number(m[1]) * 1024;
}

/** Open file descriptors (entries of /proc/PID/fd); null when gone or not ours to read. */
export function readFdCount(proc: ProcReader, pid: number): number | null {
  try {
    return proc.readdir(`/proc/${pid}/fd`).length;
  } catch {
    return null;
  }
}

/** Every process id. */
export function listPids(proc: ProcReader): number[] {
  return proc.readdir('/proc').filter((n) => /^\d+$/.test(n)).map(Number);
}

/** The command line with arguments joined by spaces (`node server.js --port 80`); null when gone. */
export function readCmdline(proc: ProcReader, pid: number): string | null {
  try {
    return proc.readFile(`/proc/${pid}/cmdline`).replace(/\0+$/, '').replace(/\0/g, ' ');
  } catch {
    return null;
  }
}

/**
 * `pids` and all their descendants, each once. Uses each thread's `children` file when the kernel
 * has it, else one scan of every process's parent.
 */
export function withDescendants(proc: ProcReader, pids: readonly number[]): number[] {
  const seen = new Set<number>();
  const queue = [...pids];
  let parents: Map<number, number[]> | null = null;
  while (queue.length > 0) {
    const pid = queue.shift()!;
    if (seen.has(pid)) continue;
    seen.add(pid);
    let kids: number[] | null = childrenOf(proc, pid);
    if (kids === null) {
      parents ??= parentMap(proc);
      kids = parents.get(pid) ?? [];
    }
    queue.push(...kids);
  }
  return [...seen];
}

function childrenOf(proc: ProcReader, pid: number): number[] | null {
  let tasks: string[];
  try {
    tasks = proc.readdir(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  const out: number[] = [];
  for (const tid of tasks) {
    let text: string;
    try {
      text = proc.readFile(`/proc/${pid}/task/${tid}/children`);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' && tid === String(pid)) return null; // no CONFIG_PROC_CHILDREN
      continue;
    }
    for (const p of text.trim().split(/\s+/)) if (p !== '') out.push(Number(p));
  }
  return out;
}

function parentMap(proc: ProcReader): Map<number, number[]> {
  const map = new Map<number, number[]>();
  for (const pid of listPids(proc)) {
    const s = readStat(proc, pid);
    if (s === null) continue;
    const list = map.get(s.ppid);
    if (list === undefined) map.set(s.ppid, [pid]);
    else list.push(pid);
  }
  return map;
}

/** This process and its ancestors: never a match for a command-line monitor (their command lines quote the text). */
export function selfAndAncestors(proc: ProcReader, self: number): Set<number> {
  const out = new Set<number>();
  let pid = self;
  while (pid > 1 && !out.has(pid)) {
    out.add(pid);
    const s = readStat(proc, pid);
    if (s === null) break;
    pid = s.ppid;
  }
  return out;
}
