/**
 * Where a monitor's numbers come from, one reading per sampling tick: a Prometheus exposition
 * (fetched once per tick per URL however many series read it), a Prometheus server's instant
 * query, or local processes via /proc. A reading is a value, "no value yet" (a counter's first
 * sample: a rate needs two), or a gap with its reason — never a made-up 0.
 */
import { Agent, request } from 'undici';
import type { LabelMatcher, MonitorSpec } from '../../scenario/monitor-types.js';
import { fmtBytes, fmtDuration } from '../../stats/format.js';
import { awakeTimeout } from './awake-timeout.js';
import { ExpositionError, isCounterSeries, parseExposition, type Exposition } from './exposition.js';
import { CLOCK_TICKS_PER_SEC, listPids, readCmdline, readFdCount, readRssBytes, readStat, selfAndAncestors, withDescendants, type ProcReader } from './proc.js';

export type Reading = { readonly value: number | null } | { readonly gap: string };

/** One round of sampling: every monitor due reads once; `id` lets monitors share a fetch. */
export interface Tick {
  readonly id: number;
}

export interface Sampler {
  sample(tick: Tick): Promise<Reading>;
}

/** Largest body read from an exporter or a Prometheus server. */
const MAX_BODY_BYTES = 32 * 1024 * 1024;
const SCRAPE_ACCEPT = 'text/plain;version=0.0.4;q=1,*/*;q=0.1';

/** HTTP for all monitors of a run: its own small pool, never the load's connections. */
export class MonitorHttp {
  private readonly agent = new Agent({ connections: 4, keepAliveTimeout: 10_000, connect: { timeout: 5_000 } });
  private readonly expositions = new Map<string, { tick: number; result: Promise<{ exposition: Exposition; atMs: number } | { error: string }> }>();

  /**
   * GET `url`: status and text, or throws with a short reason. `timeoutMs` bounds headers and body
   * together, counted while this process could read them (see awake-timeout.ts).
   */
  async get(url: string, timeoutMs: number, accept: string): Promise<{ status: number; text: string }> {
    const timeout = awakeTimeout(timeoutMs);
    const signal = timeout.signal;
    try {
      const res = await request(url, { dispatcher: this.agent, signal, headers: { accept }, headersTimeout: 0, bodyTimeout: 0 });
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of res.body) {
        size += (chunk as Buffer).length;
        if (size > MAX_BODY_BYTES) {
          res.body.destroy();
          throw new Error(`answer larger than ${fmtBytes(MAX_BODY_BYTES)}`);
        }
        chunks.push(chunk as Buffer);
      }
      return { status: res.statusCode, text: Buffer.concat(chunks).toString('utf8') };
    } catch (err) {
      if (signal.aborted) throw new Error(`no answer within ${fmtDuration(timeoutMs)}`);
      throw new Error(reasonOf(err));
    } finally {
      timeout.clear();
    }
  }

  /** The exposition at `url` for this tick: fetched and parsed once, shared by every series that reads it. */
  exposition(url: string, tick: Tick, timeoutMs: number): Promise<{ exposition: Exposition; atMs: number } | { error: string }> {
    const cached = this.expositions.get(url);
    if (cached !== undefined && cached.tick === tick.id) return cached.result;
    const result = this.get(url, timeoutMs, SCRAPE_ACCEPT).then(
      ({ status, text }) => {
        if (status !== 200) return { error: `HTTP ${status}` };
        try {
          return { exposition: parseExposition(text), atMs: performance.now() };
        } catch (err) {
          if (err instanceof ExpositionError) return { error: `not a Prometheus exposition (${err.message})` };
          throw err;
        }
      },
      (err: Error) => ({ error: err.message }),
    );
    this.expositions.set(url, { tick: tick.id, result });
    return result;
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}

function reasonOf(err: unknown): string {
  const e = err as { code?: string; message?: string; cause?: { code?: string } };
  const code = e.code ?? e.cause?.code;
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return 'connection reset';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `host not found (${code})`;
  if (code !== undefined && code !== '') return code;
  return (e.message ?? String(err)).split('\n')[0]!;
}

/** A sampler for `spec`. */
export function samplerFor(spec: MonitorSpec, http: MonitorHttp, proc: ProcReader): Sampler {
  switch (spec.source.kind) {
    case 'scrape':
      return new ScrapeSampler(spec, spec.source, http);
    case 'query':
      return new QuerySampler(spec, spec.source, http);
    case 'process':
      return new ProcessSampler(spec, spec.source, proc);
  }
}

class ScrapeSampler implements Sampler {
  private prev: Map<string, number> | null = null;
  private prevAtMs = 0;
  private readonly regexes: (RegExp | null)[];

  constructor(
    private readonly spec: MonitorSpec,
    private readonly source: Extract<MonitorSpec['source'], { kind: 'scrape' }>,
    private readonly http: MonitorHttp,
  ) {
    this.regexes = source.selector.matchers.map((m) => (m.op === '=~' || m.op === '!~' ? new RegExp(`^(?:${m.value})$`) : null));
  }

  async sample(tick: Tick): Promise<Reading> {
    const got = await this.http.exposition(this.source.url, tick, this.spec.timeoutMs);
    if ('error' in got) return { gap: got.error };
    const { exposition, atMs } = got;
    const sel = this.source.selector;
    const counter = this.source.rate ?? isCounterSeries(exposition, sel.name);
    const current = new Map<string, number>();
    for (const s of exposition.samples) {
      if (s.name !== sel.name || !this.matches(s.labels)) continue;
      if (Number.isNaN(s.value)) continue;
      const key = s.labels.map(([k, v]) => `${k}=${v}`).join('\0');
      current.set(key, (current.get(key) ?? 0) + s.value);
    }
    if (current.size === 0) return { gap: `no series ${sel.text} in the exposition` };
    if (!counter) {
      let sum = 0;
      for (const v of current.values()) sum += v;
      return { value: sum * this.spec.scale };
    }
    const prev = this.prev;
    const dtSec = (atMs - this.prevAtMs) / 1000;
    this.prev = current;
    this.prevAtMs = atMs;
    if (prev === null || dtSec <= 0) return { value: null };
    let delta = 0;
    for (const [key, v] of current) {
      const before = prev.get(key);
      if (before === undefined) continue; // a new series: its rate starts at the next sample
      delta += v >= before ? v - before : v; // a reset: it counted up from 0 since
    }
    return { value: (delta / dtSec) * this.spec.scale };
  }

  private matches(labels: readonly (readonly [string, string])[]): boolean {
    const matchers = this.source.selector.matchers;
    for (let i = 0; i < matchers.length; i++) {
      const m: LabelMatcher = matchers[i]!;
      const value = labels.find(([k]) => k === m.label)?.[1] ?? '';
      const re = this.regexes[i];
      const ok = m.op === '=' ? value === m.value : m.op === '!=' ? value !== m.value : m.op === '=~' ? re!.test(value) : !re!.test(value);
      if (!ok) return false;
    }
    return true;
  }
}

class QuerySampler implements Sampler {
  private readonly url: string;

  constructor(
    private readonly spec: MonitorSpec,
    source: Extract<MonitorSpec['source'], { kind: 'query' }>,
    private readonly http: MonitorHttp,
  ) {
    this.url = `${source.server.replace(/\/+$/, '')}/api/v1/query?query=${encodeURIComponent(source.query)}`;
  }

  async sample(): Promise<Reading> {
    let status: number;
    let text: string;
    try {
      ({ status, text } = await this.http.get(this.url, this.spec.timeoutMs, 'application/json'));
    } catch (err) {
      return { gap: (err as Error).message };
    }
    let doc: { status?: unknown; error?: unknown; data?: { resultType?: unknown; result?: unknown } };
    try {
      doc = JSON.parse(text) as typeof doc;
    } catch {
      return { gap: status !== 200 ? `HTTP ${status}` : 'the answer is not JSON (is this a Prometheus server?)' };
    }
    if (doc.status !== 'success') return { gap: `query failed: ${typeof doc.error === 'string' ? doc.error : `HTTP ${status}`}` };
    const data = doc.data ?? {};
    const valueOf = (pair: unknown): number | null => (Array.isArray(pair) && typeof pair[1] === 'string' ? Number(pair[1]) : null);
    let sum: number | null = null;
    if (data.resultType === 'scalar') sum = valueOf(data.result);
    else if (data.resultType === 'vector' && Array.isArray(data.result)) {
      for (const r of data.result as { value?: unknown }[]) {
        const v = valueOf(r.value);
        if (v !== null && !Number.isNaN(v)) sum = (sum ?? 0) + v;
      }
      if (data.result.length === 0) return { gap: 'the query returned no series' };
    } else return { gap: `the query returned a ${String(data.resultType)}, not a number or an instant vector` };
    if (sum === null || Number.isNaN(sum)) return { gap: 'the query returned NaN' };
    return { value: sum * this.spec.scale };
  }
}

class ProcessSampler implements Sampler {
  private prevTicks = new Map<number, number>();
  private prevAtMs = 0;
  private hasPrev = false;
  private readonly cmdlines = new Map<number, string>();
  private excluded: Set<number> | null = null;

  constructor(
    private readonly spec: MonitorSpec,
    private readonly source: Extract<MonitorSpec['source'], { kind: 'process' }>,
    private readonly proc: ProcReader,
  ) {}

  sample(): Promise<Reading> {
    try {
      return Promise.resolve(this.read());
    } catch (err) {
      return Promise.resolve({ gap: `cannot read /proc: ${(err as Error).message}` });
    }
  }

  private read(): Reading {
    const roots = this.roots();
    if (typeof roots === 'string') {
      this.hasPrev = false;
      return { gap: roots };
    }
    const pids = this.source.children ? withDescendants(this.proc, roots) : roots;
    const scale = this.spec.scale;
    switch (this.source.metric) {
      case 'cpu': {
        const now = performance.now();
        const ticks = new Map<number, number>();
        let delta = 0;
        for (const pid of pids) {
          const s = readStat(this.proc, pid);
          if (s === null) continue;
          ticks.set(pid, s.cpuTicks);
          const before = this.prevTicks.get(pid);
          if (before !== undefined && s.cpuTicks >= before) delta += s.cpuTicks - before;
        }
        const dtSec = (now - this.prevAtMs) / 1000;
        const first = !this.hasPrev;
        this.prevTicks = ticks;
        this.prevAtMs = now;
        this.hasPrev = true;
        if (first || dtSec <= 0) return { value: null };
        return { value: ((delta / CLOCK_TICKS_PER_SEC / dtSec) * 100) * scale };
      }
      case 'rss':
        return sum(pids.map((p) => readRssBytes(this.proc, p)), scale, 'its memory');
      case 'threads':
        return sum(pids.map((p) => readStat(this.proc, p)?.threads ?? null), scale, 'its threads');
      case 'fds':
        return sum(pids.map((p) => readFdCount(this.proc, p)), scale, `its open files (/proc/${roots[0]}/fd)`);
    }
  }

  /** The processes to read, or why there are none. */
  private roots(): number[] | string {
    const { pid, match } = this.source;
    if (pid !== null) return readStat(this.proc, pid) === null ? `process ${pid} is gone` : [pid];
    this.excluded ??= selfAndAncestors(this.proc, process.pid);
    const live = new Set(listPids(this.proc));
    for (const p of this.cmdlines.keys()) if (!live.has(p)) this.cmdlines.delete(p);
    const found: number[] = [];
    for (const p of live) {
      if (this.excluded.has(p)) continue;
      let cmd = this.cmdlines.get(p);
      if (cmd === undefined) {
        cmd = readCmdline(this.proc, p) ?? '';
        this.cmdlines.set(p, cmd);
      }
      if (cmd.includes(match!)) {
        // A pid may have been reused since its command line was cached: read it again.
        const fresh = readCmdline(this.proc, p) ?? '';
        this.cmdlines.set(p, fresh);
        if (fresh.includes(match!)) found.push(p);
      }
    }
    // A match inside another match (a shell and its node) counts once, with its descendants.
    return found.length > 0 ? found : `no process has ${JSON.stringify(match)} in its command line`;
  }
}

function sum(values: readonly (number | null)[], scale: number, what: string): Reading {
  let total = 0;
  let any = false;
  for (const v of values) {
    if (v === null) continue;
    total += v;
    any = true;
  }
  return any ? { value: total * scale } : { gap: `cannot read ${what}` };
}
