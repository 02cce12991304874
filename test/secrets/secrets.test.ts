/**
 * Secrets never leave the process. End to end: the built CLI runs a scenario that sends an API key
 * from the environment, a secret var, a literal secret header and a login token captured as secret
 * to a server that echoes all of them back (in bodies, headers and cookies) while failing in every
 * way a failure could quote them; then every file in the working directory and the CLI's output are
 * searched for each secret, plain and URL-encoded.
 *
 * At the source: the session's snapshots — what the TUI, the console and every file read — are
 * redacted, including failure keys and exception messages/tracebacks that quote a secret (as an
 * engine error would), and tokens captured at run time.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Secrets } from '../../src/run/secrets.js';
import { Session } from '../../src/run/session.js';
import { resultsFiles } from '../../src/cli/results-files.js';
import { formatFinalSummary, formatStatsTable } from '../../src/report/console.js';
import { exceptionsCsv, failuresCsv, statsCsv } from '../../src/report/csv.js';
import { parseScenario } from '../../src/scenario/load.js';
import { runCli, workdir } from '../cli/cli.js';
import { SocketTracker, closeServer, listen } from '../support/listen.js';

const API_KEY = 'sk-live-SECRET123';
const TOKEN = 'tok-SECRET-456789';
const COOKIE = 'cookie-SECRET-789';
const TENANT = 'ten-SECRET-1357';
const LITERAL = 'lit-SECRET-2468';
const SECRETS = [API_KEY, TOKEN, COOKIE, TENANT, LITERAL];

/** A target that hands out a token and a cookie, then echoes every request header back in failing responses. */
async function echoServer(): Promise<{ url: string; seen: string[]; close(): Promise<void> }> {
  /** Each request as received: URL, headers and body. */
  const seen: string[] = [];
  const echo = (req: IncomingMessage, res: ServerResponse, status: number): void => {
    const body = JSON.stringify({ url: req.url, headers: req.headers, note: `your key is ${String(req.headers['x-api-key'])}` });
    res.writeHead(status, {
      'content-type': 'application/json',
      'x-echo-auth': String(req.headers.authorization ?? ''),
      'www-authenticate': `Bearer realm="${String(req.headers['x-api-key'])}"`,
    });
    res.end(body);
  };
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push(JSON.stringify({ url: req.url, headers: req.headers, body }));
      if (req.url === '/login') {
        res.writeHead(200, { 'content-type': 'application/json', 'set-cookie': `session=${COOKIE}; Path=/` });
        res.end(JSON.stringify({ token: TOKEN }));
      } else if (req.url!.startsWith('/api/data')) echo(req, res, 500);
      else if (req.url === '/api/me') echo(req, res, 401);
      else echo(req, res, 200);
    });
  });
  const sockets = new SocketTracker(server);
  const port = await listen(server);
  return { url: `http://127.0.0.1:${port}`, seen, close: () => closeServer(server, sockets) };
}

const scenarioText = (host: string): string => `name: secrets
host: ${host}
users: 3
spawnRate: 100
secretHeaders: [x-session-token]
vars:
  tenant: ${TENANT}
  secret: [tenant]
defaults:
  headers:
    x-api-key: "\${API_KEY}"
    x-session-token: ${LITERAL}
userClasses:
  - name: U
    wait: { constant: 20ms }
    onStart:
      - post: /login
        json: { user: "u\${userId}", password: "\${API_KEY}" }
        capture: { token: { json: $.token, secret: true } }
    headers:
      authorization: "Bearer \${token}"
    tasks:
      - get: /api/data?tenant=\${tenant}&key=\${API_KEY}
      - get: /api/me
        check: { status: 200 }
      - get: /api/echo
        check:
          body: { contains: "\${API_KEY}-not-there" }
      - get: /api/echo
        name: echo header
        check:
          header: { x-echo-auth: { equals: "Basic \${API_KEY}" } }
      - post: /api/items
        json: { token: "\${token}", key: "\${API_KEY}", tenant: "\${tenant}" }
        capture: { missing: { json: $.nope } }
`;

/** Every file under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

function expectNoSecret(where: string, text: string): void {
  for (const secret of SECRETS) {
    expect(text.includes(secret), `${secret} in ${where}`).toBe(false);
    expect(text.includes(encodeURIComponent(secret)), `${secret} (URL-encoded) in ${where}`).toBe(false);
  }
}

let target: Awaited<ReturnType<typeof echoServer>> | null = null;
afterEach(async () => {
  await target?.close();
  target = null;
});

describe('secrets', () => {
  it('end to end: nothing in results, --csv/--json copies, stdout or stderr contains a secret', async () => {
    target = await echoServer();
    const cwd = workdir({ 's.yaml': scenarioText(target.url) });
    const r = await runCli(['run', 's.yaml', '--headless', '-t', '2s', '--csv', 'loc', '--json', 'out/summary.json', '--exit-code-on-error', '9'], {
      cwd,
      env: { API_KEY },
    });
    expect(r.code, r.stderr).toBe(9); // it ran, and requests failed
    // The secrets were really used: the server received each of them.
    const received = target.seen.join('\n');
    for (const secret of SECRETS) expect(received, secret).toContain(secret);
    // And the run failed in the ways that could quote them.
    for (const key of ['HTTP 500', 'check: status 200 expected, got 401', 'check: body does not contain', 'check: header x-echo-auth', 'capture: missing not found']) {
      expect(r.stdout).toContain(key);
    }
    expectNoSecret('stdout', r.stdout);
    expectNoSecret('stderr', r.stderr);
    const files = filesUnder(cwd).filter((f) => !f.endsWith('s.yaml'));
    expect(files.map((f) => f.slice(cwd.length + 1)).sort()).toEqual(
      expect.arrayContaining(['loc_exceptions.csv', 'loc_failures.csv', 'loc_stats.csv', 'loc_stats_history.csv', 'out/summary.json']),
    );
    expect(files.filter((f) => f.includes('/results/')).length).toBeGreaterThanOrEqual(5);
    for (const file of files) expectNoSecret(file.slice(cwd.length + 1), readFileSync(file, 'latin1'));
  });

  it('at the source: snapshots (what the TUI reads), tables and files are redacted, failure keys and exceptions included', async () => {
    target = await echoServer();
    const scenario = parseScenario(scenarioText(target.url), 's.yaml', { env: { API_KEY } });
    const secrets = new Secrets(scenario.secretValues, scenario.secretHeaders);
    const warnings: string[] = [];
    const session = new Session({
      scenario: { ...scenario, runTimeMs: 800 },
      results: resultsFiles({ baseDir: join(workdir(), 'results'), scenarioName: scenario.name, csvPrefix: null, jsonFile: null }),
      fullHistory: false,
      commandLine: 'cicada run s.yaml',
      version: 'test',
      secrets,
      onWarning: (m) => warnings.push(m),
    });
    session.start();
    // The engine hands results to the collector; an engine error (or a future failure key) that quotes
    // a value goes the same way. The token was captured at run time (it is known only as a capture).
    await new Promise((resolve) => setTimeout(resolve, 300));
    const row = session.collector.endpoint('GET', '/api/data?tenant=${tenant}&key=${API_KEY}');
    session.collector.request(row, 1000, 1000, 0, `error: upstream rejected x-api-key ${API_KEY} and token ${TOKEN}`);
    const thrown = new Error(`could not render body with ${TENANT} / ${LITERAL} / Bearer ${TOKEN}`);
    session.collector.exception(thrown, `U/${API_KEY}`);
    session.collector.exception(thrown, `U/${API_KEY}`);
    await session.runner.done;
    const final = await session.finish('run time reached', 0);

    const live = session.snapshot();
    expect(JSON.stringify(live)).toContain('upstream rejected x-api-key ***');
    expect(live.exceptions[0]!.count).toBe(2);
    for (const [where, text] of [
      ['snapshot', JSON.stringify(live)],
      ['final snapshot', JSON.stringify(final)],
      ['console table', formatStatsTable(live)],
      ['final summary', formatFinalSummary(final)],
      ['stats.csv', statsCsv(final)],
      ['failures.csv', failuresCsv(final)],
      ['exceptions.csv', exceptionsCsv(final)],
      ['warnings', warnings.join('\n')],
    ] as const) {
      expectNoSecret(where, text);
    }
    for (const file of filesUnder(session.results.dir)) expectNoSecret(file, readFileSync(file, 'latin1'));
  });
});

describe('which values are secret', () => {
  it('literal values of secret headers (and the credential after Bearer/Basic), env values, secret vars — not template text', () => {
    const scn = parseScenario(
      `name: s
host: http://127.0.0.1:1
secretHeaders: [X-Session-Token]
vars:
  tenant: ten-SECRET-1357
  region: eu-west-1
  secret: [tenant]
defaults:
  headers:
    x-api-key: lit-key-0001
    x-session-token: lit-session-0002
    x-trace: not-a-secret-0003
userClasses:
  - name: U
    onStart:
      - post: /login
        capture: { token: { json: $.token, secret: true } }
    tasks:
      - get: /a?k=\${API_KEY}&r=\${region}
        headers: { authorization: "Basic dXNlcjpwYXNz" }
      - get: /b
        headers: { authorization: "Bearer \${token}" }
`,
      's.yaml',
      { env: { API_KEY } },
    );
    expect([...scn.secretValues].sort()).toEqual([API_KEY, 'Basic dXNlcjpwYXNz', 'dXNlcjpwYXNz', 'lit-key-0001', 'lit-session-0002', TENANT].sort());
    expect(scn.secretHeaders).toContain('x-session-token');
  });
});
