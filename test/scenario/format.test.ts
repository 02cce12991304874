/**
 * The scenario format, feature by feature: defaults, inheritance, variables, bodies, checks,
 * captures, flows, classes, data, and YAML conveniences (anchors, merge keys).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseScenario, ScenarioError } from '../../src/scenario/index.js';
import type { LoadOptions, RequestStep, Scenario, Step } from '../../src/scenario/index.js';

/** A file path inside test/scenario/, so relative data paths resolve to test/scenario/bad/data. */
const FILE = join(import.meta.dirname, 'bad', 'inline.yaml');
const HOST = 'host: http://127.0.0.1:8089\n';

function parse(yaml: string, options: LoadOptions = {}): Scenario {
  return parseScenario(yaml, FILE, { env: {}, ...options });
}
function problems(yaml: string, options: LoadOptions = {}): string[] {
  try {
    parse(yaml, options);
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    return (e as ScenarioError).problems.map((p) => `${p.line}:${p.col} ${p.field}: ${p.message}`);
  }
  throw new Error('no problems');
}
function req(step: Step | undefined): RequestStep {
  if (step?.kind !== 'request') throw new Error('not a request');
  return step;
}
/** The first request of the first task of the first class. */
function first(s: Scenario): RequestStep {
  return req(s.userClasses[0]!.tasks[0]!.steps[0]);
}
const oneTask = (task: string, extra = ''): string => `${HOST}${extra}userClasses:\n  - tasks:\n      - ${task.replace(/\n/g, '\n        ')}\n`;

describe('defaults', () => {
  it("fill in Locust's defaults and ours", () => {
    const s = parse(oneTask('get: /health'));
    expect(s.name).toBe('inline');
    expect(s.file).toBe(FILE);
    expect([s.users, s.spawnRate, s.runTimeMs, s.stopTimeoutMs]).toEqual([1, 1, null, 0]);
    expect(s.load).toEqual({ kind: 'closed', stages: null });
    const c = s.userClasses[0]!;
    expect([c.name, c.weight, c.fixedCount, c.host, c.wait]).toEqual(['User', 1, null, null, { kind: 'none' }]);
    expect(first(s)).toMatchObject({ method: 'GET', url: '/health', name: '/health', timeoutMs: 60_000, maxRedirects: 5, body: null, checks: [], captures: [], needsBody: false });
    expect(first(s).loc).toEqual({ file: FILE, line: 4, col: 9 });
    expect(s.secretHeaders).toEqual(['authorization', 'cookie', 'set-cookie', 'x-api-key', 'proxy-authorization']);
  });

  it('the host keeps a base path and loses the trailing slash', () => {
    expect(parse(oneTask('get: /x').replace(HOST, 'host: https://api.example.test/v2/\n')).host).toBe('https://api.example.test/v2');
  });

  it('timeouts take hours; redirects can be turned off', () => {
    const s = parse(oneTask('get: /llm\ntimeout: 1h30m\nredirects: 0', 'defaults: { timeout: 10m, redirects: 2 }\n'));
    expect([first(s).timeoutMs, first(s).maxRedirects]).toEqual([5_400_000, 0]);
    const d = parse(oneTask('get: /x', 'defaults: { timeout: 10m, redirects: 2 }\n'));
    expect([first(d).timeoutMs, first(d).maxRedirects]).toEqual([600_000, 2]);
  });
});

describe('headers', () => {
  it('scenario defaults, then class headers, then the request; names lower-cased', () => {
    const s = parse(
      `${HOST}defaults: { headers: { X-Team: core, Accept: "*/*" } }\nuserClasses:\n  - headers: { accept: application/json, X-Class: c }\n    tasks:\n      - get: /x\n        headers: { X-Team: web }\n`,
    );
    expect(first(s).headers).toEqual([['x-team', 'web'], ['accept', 'application/json'], ['x-class', 'c']]);
  });

  it('secretHeaders adds to the always-redacted names', () => {
    expect(parse(oneTask('get: /x', 'secretHeaders: [X-Session]\n')).secretHeaders).toContain('x-session');
  });
});

describe('variables', () => {
  it('substitute environment variables at load and remember them as secrets', () => {
    const s = parse(oneTask('get: /x?k=${KEY}&e=${env.EXTRA}&p=${PORT}'), { env: { KEY: 'sk-live-123', EXTRA: 'more-secret', PORT: '80' } });
    expect(first(s).url).toBe('/x?k=sk-live-123&e=more-secret&p=80');
    expect(first(s).name).toBe('/x?k=${KEY}&e=${env.EXTRA}&p=${PORT}');
    expect(s.secretValues).toEqual(['sk-live-123', 'more-secret']);
  });

  it('an environment variable in the host is not a secret', () => {
    const s = parse(oneTask('get: /x').replace(HOST, 'host: "${TARGET}"\n'), { env: { TARGET: 'http://10.0.0.5:8000' } });
    expect(s.host).toBe('http://10.0.0.5:8000');
    expect(s.secretValues).toEqual([]);
  });

  it('vars are constants (they may read the environment); secret vars are redacted', () => {
    const s = parse(oneTask('get: /t/${tenant}/${region}', 'vars: { tenant: acme, region: "${REGION}", port: 8080, secret: [tenant] }\n'), { env: { REGION: 'eu-west' } });
    expect(first(s).url).toBe('/t/acme/eu-west');
    expect(s.secretValues).toEqual(['eu-west', 'acme']);
  });

  it('built-ins, randomInt, data columns and captures stay for run time; $${ is a literal', () => {
    const s = parse(
      `${HOST}data: { words: { rows: [ { w: a } ] } }\nuserClasses:\n  - onStart:\n      - post: /login\n        capture: { token: $.t }\n    tasks:\n      - get: "/x/\${userId}/\${iteration}/\${uuid}/\${timestamp}/\${timestampMs}/\${isoTime}/\${randomInt(-5, 5)}/\${words.w}/\${token}/$\${literal}"\n`,
    );
    expect(first(s).url).toEqual({
      parts: [
        '/x/', { kind: 'builtin', name: 'userId' }, '/', { kind: 'builtin', name: 'iteration' }, '/', { kind: 'builtin', name: 'uuid' },
        '/', { kind: 'builtin', name: 'timestamp' }, '/', { kind: 'builtin', name: 'timestampMs' }, '/', { kind: 'builtin', name: 'isoTime' },
        '/', { kind: 'randomInt', min: -5, max: 5 }, '/', { kind: 'data', source: 'words', column: 'w' }, '/', { kind: 'capture', name: 'token' }, '/${literal}',
      ],
      source: '/x/${userId}/${iteration}/${uuid}/${timestamp}/${timestampMs}/${isoTime}/${randomInt(-5, 5)}/${words.w}/${token}/$${literal}',
    });
  });

  it('a capture made in any task of the class is a run-time variable in the others', () => {
    const s = parse(`${HOST}userClasses:\n  - tasks:\n      - get: /a/\${later}\n      - get: /b\n        capture: { later: { header: x-id } }\n`);
    expect(first(s).url).toEqual({ parts: ['/a/', { kind: 'capture', name: 'later' }], source: '/a/${later}' });
  });

  it('each bad reference is reported at its own column', () => {
    expect(problems(oneTask('get: "/x/${A}/${B}"'))).toEqual([
      '4:18 userClasses[0].tasks[0].get: undefined variable ${A}: set it in the environment or define it under vars',
      '4:23 userClasses[0].tasks[0].get: undefined variable ${B}: set it in the environment or define it under vars',
    ]);
    expect(problems(oneTask('get: /x/${oops'))).toEqual(['4:17 userClasses[0].tasks[0].get: unclosed `${`: a reference ends with `}` (write `$${` for a literal `${`)']);
    expect(problems(oneTask('get: /x/${randomInt(1)}'))[0]).toContain('randomInt takes two whole numbers');
    expect(problems(oneTask('get: /x/${a b}'))[0]).toContain('invalid reference ${a b}');
  });
});

describe('bodies', () => {
  it('json without variables is serialized once, with its content type', () => {
    const b = first(parse(oneTask('post: /x\njson: { a: 1, b: [true, null, "s"] }'))).body;
    expect(b).toMatchObject({ kind: 'static', contentType: 'application/json' });
    expect(new TextDecoder().decode((b as { bytes: Uint8Array }).bytes)).toBe('{"a":1,"b":[true,null,"s"]}');
  });

  it('json with variables keeps its shape, templating only the strings that need it', () => {
    const b = first(parse(oneTask('post: /x\njson: { user: "u${userId}", n: 2, tags: [a] }'))).body;
    expect(b).toEqual({
      kind: 'json',
      value: {
        t: 'obj',
        v: [
          ['user', { t: 'tpl', v: { parts: ['u', { kind: 'builtin', name: 'userId' }], source: 'u${userId}' } }],
          ['n', { t: 'lit', v: 2 }],
          ['tags', { t: 'arr', v: [{ t: 'lit', v: 'a' }] }],
        ],
      },
    });
  });

  it('form fields are url-encoded; body text takes the content-type header', () => {
    const form = first(parse(oneTask('post: /x\nform: { q: "a b", n: 1 }'))).body as { kind: string; bytes: Uint8Array; contentType: string };
    expect([form.kind, form.contentType, new TextDecoder().decode(form.bytes)]).toEqual(['static', 'application/x-www-form-urlencoded', 'q=a+b&n=1']);
    expect(first(parse(oneTask('post: /x\nform: { id: "${userId}" }'))).body).toMatchObject({ kind: 'form', fields: [['id', { source: '${userId}' }]] });
    const text = first(parse(oneTask('post: /x\nheaders: { Content-Type: text/csv }\nbody: "${userId},x"'))).body;
    expect(text).toMatchObject({ kind: 'text', contentType: 'text/csv' });
  });

  it('query values keep their text as written; a list repeats the parameter', () => {
    expect(first(parse(oneTask('get: /x\nquery: { v: 1.10, tag: [a, b], on: true }'))).query).toEqual([['v', '1.10'], ['tag', 'a'], ['tag', 'b'], ['on', 'true']]);
  });
});

describe('checks and captures', () => {
  it('status forms: a code, a list, a class, a range', () => {
    const status = (v: string): unknown => first(parse(oneTask(`get: /x\ncheck: { status: ${v} }`))).checks[0];
    expect(status('200')).toMatchObject({ kind: 'status', ranges: [[200, 200]], label: '200' });
    expect(status('[200, 201]')).toMatchObject({ ranges: [[200, 200], [201, 201]], label: '200 or 201' });
    expect(status('"2xx"')).toMatchObject({ ranges: [[200, 299]], label: '2xx' });
    expect(status('"200-299"')).toMatchObject({ ranges: [[200, 299]] });
    expect(status('[2xx, 404]')).toMatchObject({ ranges: [[200, 299], [404, 404]], label: '2xx or 404' });
  });

  it('json, body, header and latency checks; needsBody follows them', () => {
    const r = first(
      parse(oneTask('get: /x\ncheck:\n  json: { $.id: exists, $.gone: absent, $.kind: { equals: { a: [1] } } }\n  body: { contains: [ok, done] }\n  header: { x-a: exists, x-b: { equals: "1" }, content-type: { matches: "^application/json" } }\n  maxLatency: 1.5s')),
    );
    expect(r.checks.map((c) => c.kind)).toEqual(['json', 'json', 'json', 'bodyContains', 'bodyContains', 'header', 'header', 'header', 'maxLatency']);
    expect(r.checks[2]).toMatchObject({ op: 'equals', value: { a: [1] } });
    expect(r.checks[7]).toMatchObject({ name: 'content-type', op: 'matches' });
    expect((r.checks[7] as { regex: RegExp }).regex.test('application/json; charset=utf-8')).toBe(true);
    expect(r.checks[8]).toMatchObject({ kind: 'maxLatency', ms: 1500 });
    expect(r.needsBody).toBe(true);
    expect(first(parse(oneTask('get: /x\ncheck: { status: 200, header: { x: exists } }'))).needsBody).toBe(false);
  });

  it('captures: json (and its shorthand), header, regex with the first group by default', () => {
    const r = first(parse(oneTask('get: /x\ncapture:\n  a: $.token\n  b: { json: "$.items[*].id", secret: true }\n  c: { header: X-Request-Id }\n  d: { regex: "id=(\\\\d+)" }\n  e: { regex: "ok" }\n  f: { regex: "(a)(b)", group: 0 }')));
    expect(r.captures.map((c) => [c.name, c.from, c.secret])).toEqual([['a', 'json', false], ['b', 'json', true], ['c', 'header', false], ['d', 'regex', false], ['e', 'regex', false], ['f', 'regex', false]]);
    expect(r.captures[2]).toMatchObject({ header: 'x-request-id' });
    expect(r.captures.slice(3).map((c) => (c as { group: number }).group)).toEqual([1, 0, 0]);
    expect(r.needsBody).toBe(true);
    expect(first(parse(oneTask('get: /x\ncapture: { c: { header: x } }'))).needsBody).toBe(false);
  });

  it('a capture that also names a var is a problem', () => {
    expect(problems(oneTask('get: /x\ncapture: { tenant: $.t }', 'vars: { tenant: a }\n'))).toEqual([
      '6:20 userClasses[0].tasks[0].capture.tenant: `tenant` is already defined under vars; choose another name for the capture',
    ]);
  });
});

describe('tasks, flows and classes', () => {
  it('a flow is a sequence of requests and pauses; task names default sensibly', () => {
    const s = parse(`${HOST}userClasses:\n  - tasks:\n      - get: /one\n      - weight: 2\n        flow:\n          - get: /a\n          - think: { between: [1s, 2s] }\n          - post: /b\n            name: B\n`);
    const [one, flow] = s.userClasses[0]!.tasks;
    expect([one!.name, one!.weight, flow!.name, flow!.weight]).toEqual(['/one', 1, 'flow 2', 2]);
    expect(flow!.steps.map((x) => (x.kind === 'request' ? `${x.method} ${x.name}` : 'think'))).toEqual(['GET /a', 'think', 'POST B']);
    expect(flow!.steps[1]).toMatchObject({ kind: 'think', wait: { kind: 'between', minMs: 1000, maxMs: 2000 } });
  });

  it('wait forms', () => {
    const wait = (w: string): unknown => parse(`${HOST}userClasses:\n  - wait: ${w}\n    tasks: [ { get: /x } ]\n`).userClasses[0]!.wait;
    expect(wait('none')).toEqual({ kind: 'none' });
    expect(wait('2s')).toEqual({ kind: 'constant', ms: 2000 });
    expect(wait('{ constant: 500ms }')).toEqual({ kind: 'constant', ms: 500 });
    expect(wait('{ between: [0, 3s] }')).toEqual({ kind: 'between', minMs: 0, maxMs: 3000 });
    expect(wait('{ pacing: 10s }')).toEqual({ kind: 'pacing', ms: 10_000 });
    expect(wait('{ throughput: 0.5 }')).toEqual({ kind: 'throughput', perSec: 0.5 });
  });

  it('fixedCount classes, class hosts, and names', () => {
    const s = parse(`${HOST}userClasses:\n  - name: Admin\n    fixedCount: 2\n    host: http://admin.test:81/\n    tasks: [ { get: /x } ]\n  - tasks: [ { get: /y } ]\n`);
    expect(s.userClasses.map((c) => [c.name, c.weight, c.fixedCount, c.host])).toEqual([['Admin', 0, 2, 'http://admin.test:81'], ['User2', 1, null, null]]);
  });

  it('every class having a host makes the top-level host optional', () => {
    const s = parse(`userClasses:\n  - host: http://a.test\n    tasks: [ { get: /x } ]\n`);
    expect(s.host).toBe('http://a.test');
  });
});

describe('data', () => {
  it('reads CSV files relative to the scenario file, and inline rows', () => {
    const s = parse(oneTask('get: /s?q=${t.term}&u=${acc.user}', 'data:\n  t: { csv: data/terms.csv, order: sequential }\n  acc: { rows: [ { user: a, pw: 1 }, { user: b, pw: 2 } ], order: unique }\n'));
    expect(s.data).toEqual([
      { name: 't', file: join(import.meta.dirname, 'bad', 'data', 'terms.csv'), order: 'sequential', columns: ['term'], rows: [['lantern'], ['kettle']] },
      { name: 'acc', file: null, order: 'unique', columns: ['user', 'pw'], rows: [['a', '1'], ['b', '2']] },
    ]);
  });

  it('inline rows must all have the same columns', () => {
    expect(problems(oneTask('get: /x', 'data:\n  acc: { rows: [ { user: a }, { pw: 2 } ] }\n'))).toEqual([
      '3:18 data.acc.rows[0]: row has no `pw` (every row needs the same columns: user, pw)',
      '3:31 data.acc.rows[1]: row has no `user` (every row needs the same columns: user, pw)',
    ]);
  });

  it('a data source may not share a name with a var', () => {
    expect(problems(oneTask('get: /x', 'vars: { t: a }\ndata:\n  t: { rows: [ { x: 1 } ] }\n'))).toEqual([
      '4:3 data.t: `t` is both a var and a data source; rename one',
    ]);
  });

  it('a scenario not loaded from a file cannot name CSV files', () => {
    try {
      parseScenario(oneTask('get: /x', 'data: { t: { csv: terms.csv } }\n'), '', { env: {} });
      expect.unreachable();
    } catch (e) {
      expect((e as Error).message).toContain('CSV files cannot be read here');
    }
  });
});

describe('YAML conveniences', () => {
  it('anchors, aliases and merge keys work, and problems inside them point at the anchor', () => {
    const s = parse(`${HOST}userClasses:\n  - tasks:\n      - &health { get: /health, timeout: 5s }\n      - <<: *health\n        name: again\n`);
    const [a, b] = s.userClasses[0]!.tasks;
    expect([req(a!.steps[0]).timeoutMs, req(b!.steps[0]).timeoutMs, b!.name, req(b!.steps[0]).url]).toEqual([5000, 5000, 'again', '/health']);
    expect(problems(`${HOST}userClasses:\n  - tasks:\n      - &bad { get: /x, timeout: soon }\n      - *bad\n`)).toEqual([
      '4:34 userClasses[0].tasks[0].timeout: must be a duration like 30s, 5m, 1h30m or 250ms (a bare number is seconds), got "soon"',
      '4:34 userClasses[0].tasks[1].timeout: must be a duration like 30s, 5m, 1h30m or 250ms (a bare number is seconds), got "soon"',
    ]);
  });

  it('a byte order mark is ignored and tabs inside values are fine', () => {
    expect(parse(`\uFEFF${oneTask('get: /x\nheaders: { x-a: "a\tb" }')}`).host).toBe('http://127.0.0.1:8089');
  });

  it('a string with a NUL character is not a scenario', () => {
    expect(problems(`${HOST}name: a\0b\n`)).toEqual(['2:8 : not a text file: a NUL character at offset 35; a scenario is UTF-8 YAML']);
  });
});
