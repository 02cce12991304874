/**
 * Choosing what runs, as Locust users do from the command line: `tags:` on tasks and classes with
 * -T/--tags and -E/--exclude-tags (Locust's filter_tasks_by_tags rules), user classes by name; and
 * `${ENV}` as a whole numeric, duration or rate value (`users: ${USERS}`).
 */
import { describe, expect, it } from 'vitest';
import { parseScenario, ScenarioError } from '../../src/scenario/index.js';
import { selectScenario } from '../../src/scenario/select.js';

const TAGGED = `name: tagged
host: http://127.0.0.1:1
userClasses:
  - name: Reader
    tags: [read]
    tasks:
      - get: /items
        tags: smoke
      - get: /search
  - name: Writer
    tasks:
      - post: /items
        tags: [write, smoke]
      - name: checkout
        tags: [write, slow]
        flow:
          - get: /cart
      - get: /health
`;

function problemsOf(text: string, env: Record<string, string> = {}): string[] {
  try {
    parseScenario(text, 't.yaml', { env });
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    return (e as Error).message.split('\n');
  }
  throw new Error('loaded without problems');
}

/** Class → its task names, after the selection. */
function plan(sel: Parameters<typeof selectScenario>[1]): Record<string, string[]> {
  const r = selectScenario(parseScenario(TAGGED, 't.yaml', { env: {} }), sel);
  expect(r.problems).toEqual([]);
  return Object.fromEntries(r.scenario.userClasses.map((c) => [c.name, c.tasks.map((t) => t.name)]));
}

describe('tags', () => {
  it('are read from tasks, flows and classes (one tag or a list)', () => {
    const s = parseScenario(TAGGED, 't.yaml', { env: {} });
    expect(s.userClasses[0]!.tags).toEqual(['read']);
    expect(s.userClasses[0]!.tasks.map((t) => t.tags)).toEqual([['smoke'], []]);
    expect(s.userClasses[1]!.tasks.map((t) => t.tags)).toEqual([['write', 'smoke'], ['write', 'slow'], []]);
  });

  it('without -T or -E everything runs', () => {
    expect(plan({})).toEqual({ Reader: ['/items', '/search'], Writer: ['/items', 'checkout', '/health'] });
  });

  it('-T keeps tasks with a matching tag of their own or of their class; untagged tasks are left out', () => {
    expect(plan({ tags: ['smoke'] })).toEqual({ Reader: ['/items'], Writer: ['/items'] });
    expect(plan({ tags: ['read'] })).toEqual({ Reader: ['/items', '/search'] });
  });

  it('-E leaves out tasks with any excluded tag (a class tag counts); a class left empty is not run, with a warning', () => {
    expect(plan({ excludeTags: ['write'] })).toEqual({ Writer: ['/health'], Reader: ['/items', '/search'] });
    const r = selectScenario(parseScenario(TAGGED, 't.yaml', { env: {} }), { excludeTags: ['read'] });
    expect(r.warnings).toEqual(['user class Reader has no tasks left after the tag filter; it is not run']);
    expect(r.scenario.userClasses.map((c) => c.name)).toEqual(['Writer']);
  });

  it('-T and -E together: included, then not excluded', () => {
    expect(plan({ tags: ['write'], excludeTags: ['slow'] })).toEqual({ Writer: ['/items'] });
  });

  it('a tag no task has, or a selection that leaves nothing, is a problem naming the option', () => {
    const s = parseScenario(TAGGED, 't.yaml', { env: {} });
    expect(selectScenario(s, { tags: ['smok'] }).problems).toEqual(['--tags: no task or class is tagged "smok"; did you mean smoke? (tags: read, slow, smoke, write)']);
    expect(selectScenario(s, { excludeTags: ['nope'], excludeTagsLabel: 'CICADA_EXCLUDE_TAGS' }).problems[0]).toMatch(/^CICADA_EXCLUDE_TAGS: no task or class is tagged "nope"/);
    expect(selectScenario(s, { tags: ['slow'], excludeTags: ['write'] }).problems).toEqual(['--tags: no task is left to run']);
  });

  it('bad tags are located problems', () => {
    const text = TAGGED.replace('tags: smoke', 'tags: "two words"').replace('tags: [read]', 'tags: { a: 1 }');
    expect(problemsOf(text)).toEqual([
      't.yaml:5:11: userClasses[0].tags: must be text, got a mapping',
      't.yaml:8:15: userClasses[0].tasks[0].tags: a tag is one word without spaces or commas, got "two words"',
    ]);
  });
});

describe('user classes by name', () => {
  it('runs only the classes named, and names an unknown one with a suggestion', () => {
    expect(plan({ classes: ['Writer'] })).toEqual({ Writer: ['/items', 'checkout', '/health'] });
    const r = selectScenario(parseScenario(TAGGED, 't.yaml', { env: {} }), { classes: ['Writer', 'Reder'] });
    expect(r.problems).toEqual(['Reder: no user class of that name; did you mean Reader? (classes: Reader, Writer; after the scenario, the command line names user classes)']);
  });
});

describe('${ENV} in numeric fields', () => {
  const text = `host: http://127.0.0.1:1
users: \${USERS}
spawnRate: \${env.RATE}
runTime: \${RUN_TIME}
stopTimeout: \${STOP}
userClasses:
  - name: U
    weight: \${W}
    tasks: [ { get: /a } ]
`;

  it('reads a whole ${VAR} value as YAML would read the plain text', () => {
    const s = parseScenario(text, 't.yaml', { env: { USERS: '25', RATE: '2.5', RUN_TIME: '1m30s', STOP: '0', W: '3' } });
    expect(s.users).toBe(25);
    expect(s.spawnRate).toBe(2.5);
    expect(s.runTimeMs).toBe(90_000);
    expect(s.stopTimeoutMs).toBe(0);
    expect(s.userClasses[0]!.weight).toBe(3);
  });

  it('an unset variable or a bad value is a problem at the value, naming the variable', () => {
    expect(problemsOf(text, { USERS: 'many', RATE: '0', STOP: '0', W: '1' })).toEqual([
      't.yaml:2:8: users: must be a whole number >= 1, got "many" (from ${USERS})',
      't.yaml:3:12: spawnRate: must be a number > 0, got 0 (from ${RATE})',
      't.yaml:4:10: runTime: ${RUN_TIME} is not set in the environment',
    ]);
  });

  it('works in the open model and in profiles too', () => {
    const open = `host: http://127.0.0.1:1\nrate: \${RATE}\nmaxUsers: \${MAX}\nprofiles:\n  big: { rate: "\${BIG}" }\nuserClasses: [ { tasks: [ { get: /a } ] } ]\n`;
    const s = parseScenario(open, 't.yaml', { env: { RATE: '50/s', MAX: '10', BIG: '500' }, overrides: { profile: 'big' } });
    expect(s.load).toMatchObject({ kind: 'open', rate: 500, maxUsers: 10 });
  });
});
