/**
 * `cicada init [DIR]`: a commented starter scenario, the data file it reads and a script it calls, ready to run
 * against the bundled demo target (or `--host`), and named for editors' YAML language servers.
 * Never overwrites a file unless `--force`.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import meow from 'meow';
import { SCHEMA_ID } from '../scenario/schema.js';
import { normalizeHost } from '../scenario/urls.js';
import { consoleOutput, EXIT, type Output } from './output.js';
import { version } from './version.js';

export const help = `
  Usage
    $ cicada init [DIR] [--host URL] [--force]

  Writes a commented starter scenario (DIR/scenario.yaml), the data file it reads
  (DIR/data/users.csv) and a script with a task in code (DIR/tasks.ts) into DIR (default: the
  current folder), for the bundled demo target unless --host names yours. Existing files are
  left alone unless --force.

  Then
    $ cicada demo-target &              # the demo API on http://127.0.0.1:8089
    $ cicada run DIR/scenario.yaml
`;

export function starterScenario(host: string): string {
  return `# yaml-language-server: $schema=${SCHEMA_ID}
# A starter load test, written by \`cicada init\`. Run it:
#   cicada demo-target &                 # the bundled demo API, if you have no target yet
#   cicada run scenario.yaml             # the live terminal UI; add --headless for CI
# Every key is explained in the scenario reference (scenarios/README.md in the cicada-load package);
# your editor completes and checks keys through the schema named on the first line.
name: starter
host: ${host}                # the target; --host on the command line overrides it
users: 10                    # concurrent virtual users (-u)
spawnRate: 5                 # users started per second (-r)
runTime: 1m                  # stop after a minute (-t); remove to run until you press q

defaults:
  timeout: 10s               # a request slower than this fails as "timeout after 10s"

script: ./tasks.ts           # TypeScript (or JavaScript) for what YAML cannot say; call: names its functions

data:
  accounts: { csv: data/users.csv, order: unique }   # one row per user: \${accounts.user}, \${accounts.password}

userClasses:
  - name: Shopper
    wait: { between: [1s, 3s] }        # think time between tasks, like Locust's wait_time
    onStart:                            # once per user: log in and keep the token
      - post: /api/login
        json: { user: "\${accounts.user}", password: "\${accounts.password}" }
        capture: { token: { json: $.token, secret: true } }   # secret: redacted in every output
    headers: { authorization: "Bearer \${token}" }            # sent with every request below
    tasks:
      - get: /api/items                # a task; weight: how often it is picked (default 1)
        query: { page: "\${randomInt(1, 5)}" }
        weight: 3
        check: { status: 200, json: { $.items: exists } }
      - get: /api/items/\${randomInt(1, 100)}
        name: /api/items/[id]          # one statistics row for every id
        weight: 2
        check: { status: [200, 404] }   # 404 is expected here, so it is not a failure
      - call: browsePages              # a task in code: see tasks.ts
        weight: 1
      - name: search then look         # a flow: steps in order; it stops at the first failure
        flow:
          - get: /api/search
            query: { q: tea }
            capture: { firstId: "$.results[0].id" }
          - think: 500ms
          - get: /api/items/\${firstId}
            name: /api/items/[id]

thresholds:                  # pass/fail: any failed threshold makes the run exit 1
  - p95 < 500ms
  - error_rate < 5%
`;
}

export const STARTER_SCRIPT = `// Tasks in code, written by \`cicada init\`: each exported function can be named by \`call:\`
// in scenario.yaml (also \`before:\` / \`after:\` hooks on a YAML request). The types come from the
// cicada-load package (npm install --save-dev cicada-load for your editor); cicada runs the file as is.
import type { User } from 'cicada-load';

/** Pages through the catalog until a page is not full — a loop YAML cannot express. */
export async function browsePages(u: User): Promise<void> {
  const auth = { authorization: \`Bearer \${u.vars.token}\` }; // the token onStart captured in YAML
  for (let page = 1; page <= 3; page++) {
    const res = await u.get(\`/api/items?page=\${page}\`, { name: '/api/items?page=[n]', headers: auth, check: { status: 200 } });
    if (!res.ok) return; // already recorded as a failure; end the task
    const { items } = res.json<{ items: unknown[] }>();
    if (items.length < 20) return;
  }
}
`;

export const STARTER_USERS = `user,password
alice,wonderland
bob,builder
carol,singing
dave,diving
erin,running
`;

export async function initCommand(argv: readonly string[], out: Output = consoleOutput): Promise<number> {
  const cli = meow(help, {
    importMeta: import.meta,
    argv: [...argv],
    version,
    allowUnknownFlags: false,
    flags: { host: { type: 'string' }, force: { type: 'boolean', default: false } },
  });
  if (cli.input.length > 1) {
    out.error(`unexpected argument "${cli.input[1]}": init takes one folder`);
    return EXIT.badInput;
  }
  let host = 'http://127.0.0.1:8089';
  if (cli.flags.host !== undefined) {
    const h = normalizeHost(cli.flags.host);
    if ('error' in h) {
      out.error(`--host: ${h.error}`);
      return EXIT.badInput;
    }
    host = h.host;
  }
  const dir = cli.input[0] ?? '.';
  const files: [string, string][] = [
    [join(dir, 'scenario.yaml'), starterScenario(host)],
    [join(dir, 'data', 'users.csv'), STARTER_USERS],
    [join(dir, 'tasks.ts'), STARTER_SCRIPT],
  ];
  const existing = files.filter(([path]) => existsSync(path)).map(([path]) => path);
  if (existing.length > 0 && !cli.flags.force) {
    for (const path of existing) out.error(`${path}: already exists; init leaves it alone (--force overwrites)`);
    return EXIT.badInput;
  }
  try {
    for (const [path, text] of files) {
      mkdirSync(join(path, '..'), { recursive: true });
      writeFileSync(path, text);
    }
  } catch (err) {
    out.error(`cannot write the starter files in ${dir}: ${(err as Error).message}`);
    return EXIT.badInput;
  }
  const scenario = files[0]![0];
  out.info(`wrote ${files.map(([p]) => p).join(', ')}`);
  out.info(`next: cicada run ${scenario}${host === 'http://127.0.0.1:8089' ? '   (start the demo target first: cicada demo-target)' : ''}`);
  return EXIT.ok;
}
