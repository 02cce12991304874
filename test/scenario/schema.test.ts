/**
 * The published JSON Schema and the validator cannot drift: the schema is generated from the
 * validator's key lists (generation throws when one gains a key the schema does not describe),
 * the committed file equals the generated one, every shipped scenario passes it, and every file of
 * the bad corpus whose problem is one of shape (an unknown key, a wrong type) fails it — checked
 * with ajv, the validator editors' YAML language servers resemble.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { DEFAULTS_KEYS, TOP_KEYS } from '../../src/scenario/build.js';
import { CAPTURE_KEYS, CHECK_KEYS } from '../../src/scenario/checks.js';
import { SOURCE_KEYS } from '../../src/scenario/feeders.js';
import { CALL_KEYS } from '../../src/scenario/script-steps.js';
import { TLS_KEYS } from '../../src/scenario/network.js';
import { REQUEST_KEYS } from '../../src/scenario/request.js';
import { schemaJson, scenarioSchema } from '../../src/scenario/schema.js';
import { LOAD_KEYS, RATE_STAGE_KEYS, STAGE_KEYS } from '../../src/scenario/settings.js';
import { THRESHOLD_KEYS } from '../../src/scenario/threshold-list.js';
import { CALL_TASK_KEYS, CLASS_KEYS, FLOW_TASK_KEYS, REQUEST_TASK_KEYS } from '../../src/scenario/user-class.js';
import { WAIT_KEYS } from '../../src/scenario/wait.js';
import { BAD, corpusFiles, expectationsOf } from './corpus.js';

const SCENARIOS = fileURLToPath(new URL('../../scenarios/', import.meta.url));
const committed = readFileSync(join(SCENARIOS, 'cicada.schema.json'), 'utf8');
/** Every shipped scenario, as a path under scenarios/ (`smoke.yaml`, `scripted/feed.yaml`). */
const shipped = (): string[] => (readdirSync(SCENARIOS, { recursive: true }) as string[]).filter((f) => f.endsWith('.yaml')).sort();
const schema = scenarioSchema() as { properties: Record<string, unknown>; $defs: Record<string, any> };
const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
const validate = ajv.compile(JSON.parse(committed) as object);

describe('the scenario JSON Schema', () => {
  it('is what the generator makes from the validator (run `npm run schema` after changing keys)', () => {
    expect(committed).toBe(schemaJson());
  });

  it("describes exactly the keys the validator accepts, mapping by mapping", () => {
    const keys = (node: any): string[] => Object.keys(node.properties);
    const defs = schema.$defs;
    const pairs: [string, string[], readonly string[]][] = [
      ['top level', keys(schema), TOP_KEYS],
      ['defaults', keys(schema.properties.defaults), DEFAULTS_KEYS],
      ['user class', keys(defs.userClass), CLASS_KEYS],
      ['request', keys(defs.request), REQUEST_KEYS],
      ['request task', keys(defs.requestTask), [...REQUEST_KEYS, ...REQUEST_TASK_KEYS]],
      ['flow task', keys(defs.flowTask), FLOW_TASK_KEYS],
      ['call step', keys(defs.callStep), CALL_KEYS],
      ['call task', keys(defs.callTask), [...CALL_KEYS, ...CALL_TASK_KEYS]],
      ['check', keys(defs.request.properties.check), CHECK_KEYS],
      ['capture', keys(defs.request.properties.capture.additionalProperties.anyOf[1]), CAPTURE_KEYS],
      ['wait', keys(defs.wait.anyOf[2]), WAIT_KEYS],
      ['data source', keys((schema.properties.data as any).additionalProperties), SOURCE_KEYS],
      ['threshold', keys(defs.threshold.anyOf[1]), THRESHOLD_KEYS],
      ['profile', keys(defs.load), LOAD_KEYS],
      ['stage', keys(defs.load.properties.stages.items), STAGE_KEYS],
      ['rate stage', keys(defs.load.properties.rateStages.items), RATE_STAGE_KEYS],
      ['tls', keys(schema.properties.tls), TLS_KEYS],
    ];
    for (const [what, got, want] of pairs) expect(got, what).toEqual([...want]);
  });

  it('passes every shipped scenario', () => {
    const files = shipped();
    expect(files.length).toBeGreaterThanOrEqual(6);
    for (const f of files) {
      const ok = validate(parse(readFileSync(join(SCENARIOS, f), 'utf8')));
      expect(ok ? [] : validate.errors, f).toEqual([]);
    }
  });

  it('is named at the top of every shipped scenario for YAML language servers', () => {
    for (const f of shipped()) {
      const up = '../'.repeat(f.split('/').length - 1);
      expect(readFileSync(join(SCENARIOS, f), 'utf8').split('\n')[0], f).toBe(`# yaml-language-server: $schema=${up === '' ? './' : up}cicada.schema.json`);
    }
  });

  it('fails every file of the bad corpus whose problem is one of shape, and passes none of them by accident', () => {
    const SHAPE = /unknown key|must be a mapping|must be a list|must be text|must be true or false|must be a whole number|must be a number|needs at least one|missing: a scenario needs at least one user class/;
    let shapeFiles = 0;
    for (const name of corpusFiles()) {
      const expected = expectationsOf(name);
      if (!expected.some((e) => e.file === join(BAD, name) && SHAPE.test(e.fragment))) continue;
      let doc: unknown;
      try {
        doc = parse(readFileSync(join(BAD, name), 'utf8'));
      } catch {
        continue; // not YAML at all: the validator's own problem
      }
      shapeFiles++;
      expect(validate(doc), `${name} (expected: ${expected.map((e) => e.fragment).join('; ')})`).toBe(false);
    }
    expect(shapeFiles).toBeGreaterThanOrEqual(10);
  });
});
