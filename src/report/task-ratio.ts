/**
 * Locust's `--show-task-ratio` and `--show-task-ratio-json`: the share of each user class (as the
 * users would be allocated at the scenario's user count) and of each task within its class
 * ("per class") and of all task runs ("total"). The JSON has Locust's shape:
 * `{ per_class: { Class: { ratio, tasks: { task: { ratio } } } }, total: {...} }`. Pure.
 */
import { allocateUsers } from '../engine/weights.js';
import type { Scenario } from '../scenario/types.js';

export interface RatioNode {
  readonly ratio: number;
  readonly tasks?: Record<string, RatioNode>;
}

export function taskRatio(s: Scenario, total: boolean): Record<string, RatioNode> {
  const counts = allocateUsers(s.users, s.userClasses);
  const users = counts.reduce((a, b) => a + b, 0) || 1;
  const out: Record<string, RatioNode> = {};
  s.userClasses.forEach((c, i) => {
    const classRatio = counts[i]! / users;
    const weights = c.tasks.reduce((a, t) => a + t.weight, 0) || 1;
    const tasks: Record<string, RatioNode> = {};
    for (const t of c.tasks) {
      const r = (t.weight / weights) * (total ? classRatio : 1);
      tasks[t.name] = { ratio: (tasks[t.name]?.ratio ?? 0) + r };
    }
    out[c.name] = { ratio: classRatio, tasks };
  });
  return out;
}

/** Locust's text: ` 70.0       Reader`, then the tasks indented. */
export function formatTaskRatio(s: Scenario): string {
  const lines: string[] = [];
  const print = (nodes: Record<string, RatioNode>, level: number): void => {
    const pad = '  '.repeat(level);
    for (const [name, node] of Object.entries(nodes)) {
      lines.push(` ${(pad + (node.ratio * 100).toFixed(1).padEnd(6)).padEnd(10)} ${(pad + name).padEnd(50)}`.trimEnd());
      if (node.tasks !== undefined) print(node.tasks, level + 1);
    }
  };
  lines.push('', ' Task ratio per User class', '-'.repeat(80));
  print(taskRatio(s, false), 0);
  lines.push('', ' Total task ratio', '-'.repeat(80));
  print(taskRatio(s, true), 0);
  return lines.join('\n');
}

export function taskRatioJson(s: Scenario): string {
  return JSON.stringify({ per_class: taskRatio(s, false), total: taskRatio(s, true) }, null, 4);
}
