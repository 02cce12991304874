/**
 * `monitors:` and `--monitor`: what each form reads and its defaults; every problem at its
 * file:line:col (or naming the flag), all at once; thresholds on monitors read in the series' unit.
 */
import { describe, expect, it } from 'vitest';
import { parseScenario, ScenarioError, scenarioFromUrl } from '../../src/scenario/index.js';
import { parseSelector } from '../../src/scenario/monitors.js';
import { parseMonitorValue } from '../../src/scenario/monitor-units.js';
import type { ScenarioOverrides } from '../../src/scenario/index.js';

const HEAD = 'host: http://127.0.0.1:8089\nuserClasses: [ { tasks: [ { get: /health } ] } ]\n';

function load(yaml: string, overrides: ScenarioOverrides = {}) {
  return parseScenario(HEAD + yaml, 'm.yaml', { env: {}, overrides });
}

function problems(yaml: string, overrides: ScenarioOverrides = {}): string[] {
  try {
    load(yaml, overrides);
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    return (e as Error).message.split('\n');
  }
  throw new Error('loaded without problems');
}

describe('monitors: in the scenario', () => {
  it('reads the three kinds with their defaults: units from the metric name, the host for a path, components', () => {
    const s = load(
      [
        'monitors:',
        '  cpu: { prometheus: /metrics, metric: process_cpu_seconds_total, pin: true }',
        "  busy: { prometheus: 'http://10.0.0.5:9100/metrics', metric: 'node_cpu_seconds_total{mode!=\"idle\", cpu=~\"0|1\"}', name: Node CPU }",
        '  rss: { prometheus: /metrics, metric: process_resident_memory_bytes, leak: true, warmup: 30s }',
        "  pool: { query: 'sum(pool_in_use) / sum(pool_size)', server: http://127.0.0.1:9090, unit: percent, scale: 100, every: 5s, component: Database }",
        '  api: { process: "node server.js", metric: rss, children: false }',
        '  api_cpu: { process: 4242 }',
        'thresholds: [ cpu.max < 70%, pool.avg < 80%, rss.final < 512MB, "api_cpu.peak <= 150" ]',
      ].join('\n'),
    );
    const m = Object.fromEntries((s.monitors ?? []).map((x) => [x.id, x]));
    expect(m.cpu).toMatchObject({ name: 'cpu', component: '127.0.0.1:8089', unit: 'percent', scale: 100, pin: true, everyMs: 1000, timeoutMs: 900, loc: { line: 4, col: 3 } });
    expect(m.cpu!.source).toEqual({ kind: 'scrape', url: 'http://127.0.0.1:8089/metrics', selector: { name: 'process_cpu_seconds_total', matchers: [], text: 'process_cpu_seconds_total' }, rate: null });
    expect(m.busy).toMatchObject({ name: 'Node CPU', component: '10.0.0.5:9100', unit: 'percent', scale: 100 });
    expect(m.busy!.source.kind === 'scrape' && m.busy!.source.selector.matchers).toEqual([
      { label: 'mode', op: '!=', value: 'idle' },
      { label: 'cpu', op: '=~', value: '0|1' },
    ]);
    expect(m.rss).toMatchObject({ unit: 'bytes', scale: 1, leak: true, warmupMs: 30_000 });
    expect(m.pool).toMatchObject({ unit: 'percent', scale: 100, everyMs: 5000, timeoutMs: 4900, component: 'Database', source: { kind: 'query', server: 'http://127.0.0.1:9090', query: 'sum(pool_in_use) / sum(pool_size)' } });
    expect(m.api).toMatchObject({ unit: 'bytes', component: 'node server.js', source: { kind: 'process', pid: null, match: 'node server.js', metric: 'rss', children: false } });
    expect(m.api_cpu).toMatchObject({ unit: 'percent', component: 'process 4242', source: { kind: 'process', pid: 4242, match: null, metric: 'cpu', children: true } });
    expect(s.thresholds.map((t) => [t.source, t.metric, t.monitor?.id, t.monitor?.stat, t.op, t.value])).toEqual([
      ['cpu.max < 70%', 'monitor', 'cpu', 'max', '<', 70],
      ['pool.avg < 80%', 'monitor', 'pool', 'avg', '<', 80],
      ['rss.final < 512MB', 'monitor', 'rss', 'last', '<', 512 * 1024 * 1024],
      ['api_cpu.peak <= 150', 'monitor', 'api_cpu', 'max', '<=', 150],
    ]);
  });

  it('reports every problem at its place, with "did you mean"', () => {
    expect(
      problems(
        [
          'monitors:',
          '  a: { promethus: /metrics, metric: up }',
          '  b: { prometheus: /metrics, query: up }',
          '  c: { prometheus: /metrics }',
          "  d: { prometheus: /metrics, metric: 'up{job=api}' }",
          '  e: { prometheus: ftp://x/metrics, metric: up }',
          '  f: { query: up }',
          '  g: { process: 12, metric: memory, rate: true }',
          '  h: { process: [1] }',
          '  i: { prometheus: /metrics, metric: up, every: 1500ms, timeout: 2s }',
          "  j: { prometheus: /metrics, metric: 'up{job=~\"(\"}' }",
          '  k.x: { prometheus: /metrics, metric: up }',
          '  l: { prometheus: /metrics, metric: up, scale: 0, pin: yes }',
          '  a2: { prometheus: /metrics, metric: up }',
          'thresholds: [ ll.max < 1 ]',
        ].join('\n'),
      ),
    ).toEqual([
      'm.yaml:4:6: monitors.a: needs what to read: `prometheus: URL` (with `metric:`), `query: PROMQL` (with `server: URL`) or `process: PID or "command line text"`',
      'm.yaml:4:8: monitors.a.promethus: unknown key `promethus`; did you mean `prometheus`?',
      'm.yaml:5:30: monitors.b.query: `prometheus` and `query` exclude each other: a monitor reads one thing',
      'm.yaml:6:6: monitors.c: a `prometheus:` monitor needs `metric:`, like `metric: process_cpu_seconds_total` or `metric: \'node_cpu_seconds_total{mode!="idle"}\'`',
      'm.yaml:7:38: monitors.d.metric: the value of `job` must be quoted, like job="value", in "up{job=api}"',
      'm.yaml:8:20: monitors.e.prometheus: must be an http(s):// URL, got "ftp://x/metrics"',
      'm.yaml:9:6: monitors.f: a `query:` monitor needs `server:`, the Prometheus server, like `server: http://127.0.0.1:9090`',
      'm.yaml:10:29: monitors.g.metric: a process monitor reads one of cpu, rss, threads, fds, got "memory"',
      'm.yaml:10:37: monitors.g.rate: `rate` only applies to a `prometheus:` monitor',
      'm.yaml:11:17: monitors.h.process: must be a process id (a number) or text found in the command line, got a list',
      'm.yaml:12:49: monitors.i.every: must be a whole number of seconds (samples line up with the 1-second statistics rows), got "1500ms"',
      'm.yaml:12:66: monitors.i.timeout: must be shorter than the sampling period (1s), got "2s"',
      'm.yaml:13:38: monitors.j.metric: bad regular expression for `job`: Invalid regular expression: /^(?:()$/: Unterminated group',
      'm.yaml:14:3: monitors["k.x"]: a monitor id is a letter or _ then letters, digits, _ or - (it is used in thresholds as `id.max`)',
      'm.yaml:15:49: monitors.l.scale: must not be 0',
      'm.yaml:15:57: monitors.l.pin: must be true or false, got "yes"',
      'm.yaml:17:15: thresholds[0]: no monitor is named `ll` (monitors: a2)',
    ]);
  });

  it('reads a threshold value in its monitor\'s unit, or says what it needs', () => {
    const yaml = (t: string): string => `monitors:\n  rss: { process: 1, metric: rss }\n  lag: { prometheus: /metrics, metric: lag_seconds }\nthresholds: [ "${t}" ]`;
    expect(problems(yaml('lag.median < 50ms'))[0]).toMatch(/^m\.yaml:6:15: thresholds\[0\]: unknown metric `lag\.median` \(metrics: .*; a monitor's: id\.avg, id\.max, id\.min, id\.last\)$/);
    expect(load(yaml('lag.max < 50ms')).thresholds[0]!.value).toBe(0.05);
    expect(load(yaml('rss.max < 1.5GB')).thresholds[0]!.value).toBe(1.5 * 1024 ** 3);
    expect(problems(yaml('rss.max < 70%'))).toEqual(['m.yaml:6:15: thresholds[0]: rss.max needs a size like 512MB or 1.5GB, got "70%"']);
  });
});

describe('--monitor', () => {
  it('reads each compact form; flag monitors are pinned and replace a file monitor of the same id', () => {
    const s = load('monitors:\n  cpu: { process: 1 }\n', {
      monitors: [
        'cpu=/metrics#process_cpu_seconds_total',
        'node=http://127.0.0.1:9100/metrics#node_load1',
        'q=query:http://127.0.0.1:9090#sum(rate(http_requests_total[1m]))',
        'p=pid:4242#threads',
        'c=cmd:node server.js#fds',
      ],
      thresholds: ['cpu.max < 90%'],
    });
    expect(s.monitors!.map((m) => [m.id, m.source.kind, m.unit, m.pin, m.component])).toEqual([
      ['cpu', 'scrape', 'percent', true, '127.0.0.1:8089'],
      ['node', 'scrape', '', true, '127.0.0.1:9100'],
      ['q', 'query', '', true, 'Prometheus 127.0.0.1:9090'],
      ['p', 'process', 'threads', true, 'process 4242'],
      ['c', 'process', 'fds', true, 'node server.js'],
    ]);
    expect(s.monitors![2]!.source).toMatchObject({ query: 'sum(rate(http_requests_total[1m]))' });
    expect(s.thresholds[0]).toMatchObject({ value: 90, monitor: { id: 'cpu', stat: 'max', unit: 'percent' } });
  });

  it('works with a quick URL run, and names the flag in its problems', () => {
    const s = scenarioFromUrl('http://127.0.0.1:8089/health', { env: {}, overrides: { monitors: ['m=/metrics#up'] } });
    expect(s.monitors![0]!.source).toMatchObject({ url: 'http://127.0.0.1:8089/metrics' });
    const bad = (value: string): string => problems('', { monitors: [value] })[0]!;
    expect(bad('nothing')).toMatch(/^--monitor: needs ID=WHAT \(in "nothing"\); the forms are ID=URL#METRIC/);
    expect(bad('a=http://x:9100/metrics')).toMatch(/^--monitor: a Prometheus exposition URL needs #METRIC after it/);
    expect(bad('a=pid:x')).toMatch(/^--monitor: pid: needs a process id, got "x"/);
    expect(bad('a=cmd:node#mem')).toMatch(/^--monitor: a process monitor reads one of cpu, rss, threads, fds, got "mem"/);
    expect(bad('a.b=pid:1')).toMatch(/^--monitor: the id "a.b" must be a letter/);
  });
});

describe('selectors and units', () => {
  it('parses Prometheus selectors strictly', () => {
    expect(parseSelector(`up{job="a\\"b", le='0.5',}`)).toEqual({ name: 'up', matchers: [{ label: 'job', op: '=', value: 'a"b' }, { label: 'le', op: '=', value: '0.5' }], text: `up{job="a\\"b", le='0.5',}` });
    expect(parseSelector('1up')).toMatch(/^a metric name starts with/);
    expect(parseSelector('up{job="a"} x')).toMatch(/^unexpected "x" after }/);
    expect(parseSelector('up{job="a"')).toMatch(/^expected , or } after the value of `job`/);
    expect(parseSelector('up{job<"a"}')).toMatch(/^expected =, !=, =~ or !~ after `job`/);
  });

  it('reads values per unit (stats/format fmtInUnit writes them)', () => {
    expect([parseMonitorValue('70%', 'percent'), parseMonitorValue('512MiB', 'bytes'), parseMonitorValue('2MB/s', 'bytes/s'), parseMonitorValue('1.5s', 'ms'), parseMonitorValue('12 conns', 'conns')]).toEqual([
      70, 512 * 1024 ** 2, 2 * 1024 ** 2, 1500, 12,
    ]);
    expect(parseMonitorValue('fast', 'seconds')).toBe('needs a time like 50ms or 1.5s, got "fast"');
  });
});
