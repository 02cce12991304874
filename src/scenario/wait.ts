/**
 * `wait:` (between a user's tasks) and `think:` (inside a flow): none, a constant pause, a random
 * pause between two durations, Locust's constant pacing, or Locust's constant throughput.
 */
import { asDuration, asList, asMap, asNumber, bad, describe, fieldOf, indexOf } from './read.js';
import type { Ctx } from './read.js';
import type { WaitSpec } from './types.js';
import type { YNode } from './yaml-source.js';

export const WAIT_KEYS = ['between', 'constant', 'pacing', 'throughput'];
const WAIT_HINT = 'none, a duration, { between: [1s, 3s] }, { constant: 1s }, { pacing: 2s } or { throughput: 0.5 }';

export function readWait(ctx: Ctx, node: YNode, field: string): WaitSpec | null {
  if (node.kind === 'scalar') {
    if (node.value === 'none') return { kind: 'none' };
    if (typeof node.value === 'string' || typeof node.value === 'number') {
      const ms = asDuration(ctx, node, field, { allowZero: true });
      return ms === null ? null : ms === 0 ? { kind: 'none' } : { kind: 'constant', ms };
    }
    bad(ctx, node, field, `must be ${WAIT_HINT}, got ${describe(node)}`);
    return null;
  }
  const map = asMap(ctx, node, field, WAIT_KEYS, '{ between: [1s, 3s] }');
  if (map === null) return null;
  const known = map.entries.filter((x) => WAIT_KEYS.includes(x.key));
  if (known.length !== 1) {
    // With only unknown keys, the unknown-key problem already says what is expected.
    if (known.length > 1) bad(ctx, node, field, `use one of ${WAIT_KEYS.join(', ')}, not ${known.map((x) => x.key).join(' and ')}`);
    else if (map.entries.length === 0) bad(ctx, node, field, `must be ${WAIT_HINT}`);
    return null;
  }
  const e = known[0]!;
  const f = fieldOf(field, e.key);
  switch (e.key) {
    case 'constant': {
      const ms = asDuration(ctx, e.value, f, { allowZero: true });
      return ms === null ? null : { kind: 'constant', ms };
    }
    case 'pacing': {
      const ms = asDuration(ctx, e.value, f);
      return ms === null ? null : { kind: 'pacing', ms };
    }
    case 'throughput': {
      const perSec = asNumber(ctx, e.value, f, { min: 0, exclusive: true });
      return perSec === null ? null : { kind: 'throughput', perSec };
    }
    case 'between': {
      const items = asList(ctx, e.value, f, '[1s, 3s]');
      if (items === null) return null;
      if (items.length !== 2) {
        bad(ctx, e.value, f, `must be two durations [min, max] like [1s, 3s], got ${items.length} value${items.length === 1 ? '' : 's'}`);
        return null;
      }
      const minMs = asDuration(ctx, items[0]!, indexOf(f, 0), { allowZero: true });
      const maxMs = asDuration(ctx, items[1]!, indexOf(f, 1), { allowZero: true });
      if (minMs === null || maxMs === null) return null;
      if (minMs > maxMs) {
        bad(ctx, e.value, f, `the minimum (${describe(items[0]!)}) is longer than the maximum (${describe(items[1]!)})`);
        return null;
      }
      return { kind: 'between', minMs, maxMs };
    }
    default:
      return null;
  }
}
