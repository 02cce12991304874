/**
 * `vars:` — constants used as `${name}`, substituted when the scenario loads. Values may use
 * environment variables (`base: "${API_BASE}"`). The reserved key `secret:` lists the vars whose
 * values are redacted from every output.
 */
import { asList, asMap, asString, bad, describe, fieldOf, IDENTIFIER, indexOf, isNull } from './read.js';
import type { Ctx } from './read.js';
import { compileText } from './read-template.js';
import type { Secrets } from './read-template.js';
import { suggestion } from './did-you-mean.js';
import { BUILTINS, loadTimeScope } from './template.js';
import type { YNode } from './yaml-source.js';

export function readVars(ctx: Ctx, node: YNode | undefined, env: Readonly<Record<string, string | undefined>>, secrets: Secrets): Map<string, string> {
  const vars = new Map<string, string>();
  if (node === undefined || isNull(node)) return vars;
  const map = asMap(ctx, node, 'vars', null, '{ tenant: acme, secret: [password] }');
  if (map === null) return vars;
  const scope = loadTimeScope(env);
  let secretList: { node: YNode; field: string } | null = null;
  for (const e of map.entries) {
    const f = fieldOf('vars', e.key);
    if (e.key === 'secret') {
      secretList = { node: e.value, field: f };
      continue;
    }
    if (!IDENTIFIER.test(e.key) || e.key === 'env' || (BUILTINS as readonly string[]).includes(e.key)) {
      bad(ctx, e.keyLoc, f, `\`${e.key}\` cannot name a var: use letters, digits and _, and not env or a built-in (${BUILTINS.join(', ')})`);
      continue;
    }
    if (e.value.kind !== 'scalar' || e.value.value === null) {
      bad(ctx, e.value, f, `a var is text or a number, got ${describe(e.value)}`);
      continue;
    }
    const t = compileText(ctx, e.value.text, e.value, f, scope, secrets);
    if (typeof t === 'string') vars.set(e.key, t);
  }
  if (secretList !== null) {
    const items = asList(ctx, secretList.node, secretList.field, '[password, apiKey]');
    items?.forEach((item, i) => {
      const f = indexOf(secretList.field, i);
      const name = asString(ctx, item, f);
      if (name === null) return;
      const value = vars.get(name);
      if (value !== undefined) secrets.add(value);
      else if (!map.entries.some((x) => x.key === name)) {
        bad(ctx, item, f, `no var named \`${name}\`${suggestion(name, vars.keys())} (secret: lists names of vars)`);
      }
    });
  }
  return vars;
}
