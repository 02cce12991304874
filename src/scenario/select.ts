/**
 * Choosing what of a scenario runs, as Locust does from its command line: user classes by name
 * (`cicada run plan.yaml Reader Writer`), tasks by tag (`-T/--tags`, `-E/--exclude-tags`).
 *
 * Tags follow Locust's `filter_tasks_by_tags`: with include tags, a task runs only when it (or its
 * class) has one of them, so an untagged task is left out; with exclude tags, a task with any of
 * them is left out. A class left without tasks is not run (a warning; Locust would fail at start).
 * Stricter than Locust: a class name or tag that the scenario does not have is a problem (a typo
 * would otherwise run everything, or nothing), and so is a selection that leaves nothing to run.
 * Pure.
 */
import { didYouMean } from './did-you-mean.js';
import type { Scenario, Task, UserClass } from './types.js';

export interface Selection {
  /** Class names; empty = every class. */
  readonly classes?: readonly string[];
  /** Include tags; undefined or empty = no include filter. */
  readonly tags?: readonly string[];
  readonly excludeTags?: readonly string[];
  /** Every task weight 1 (Locust's `--equal-weights`). */
  readonly equalWeights?: boolean;
  /** How messages name the tag options: `--tags`, `CICADA_TAGS`, ... */
  readonly tagsLabel?: string;
  readonly excludeTagsLabel?: string;
}

export interface Selected {
  readonly scenario: Scenario;
  /** `label: message` lines; when any, nothing should run. */
  readonly problems: readonly string[];
  readonly warnings: readonly string[];
}

export function selectScenario(scenario: Scenario, sel: Selection): Selected {
  const problems: string[] = [];
  const warnings: string[] = [];
  const names = scenario.userClasses.map((c) => c.name);
  const wanted = [...new Set(sel.classes ?? [])];
  for (const name of wanted) {
    if (names.includes(name)) continue;
    const guess = didYouMean(name, names);
    problems.push(`${name}: no user class of that name${guess === null ? '' : `; did you mean ${guess}?`} (classes: ${names.join(', ')}; after the scenario, the command line names user classes)`);
  }
  let classes = wanted.length === 0 ? scenario.userClasses : scenario.userClasses.filter((c) => wanted.includes(c.name));

  const include = new Set(sel.tags ?? []);
  const exclude = new Set(sel.excludeTags ?? []);
  const known = new Set(scenario.userClasses.flatMap((c) => [...(c.tags ?? []), ...c.tasks.flatMap((t) => t.tags ?? [])]));
  const checkKnown = (tags: Set<string>, label: string): void => {
    for (const tag of tags) {
      if (known.has(tag)) continue;
      const guess = didYouMean(tag, [...known]);
      const list = known.size === 0 ? 'the scenario has no tags: add `tags: [...]` to tasks or classes' : `tags: ${[...known].sort().join(', ')}`;
      problems.push(`${label}: no task or class is tagged ${JSON.stringify(tag)}${guess === null ? '' : `; did you mean ${guess}?`} (${list})`);
    }
  };
  checkKnown(include, sel.tagsLabel ?? '--tags');
  checkKnown(exclude, sel.excludeTagsLabel ?? '--exclude-tags');
  if (problems.length > 0) return { scenario, problems, warnings };

  if (include.size > 0 || exclude.size > 0) {
    const kept: UserClass[] = [];
    for (const c of classes) {
      const tasks = c.tasks.filter((t) => runs(c, t, include, exclude));
      if (tasks.length === 0) {
        warnings.push(`user class ${c.name} has no tasks left after the tag filter; it is not run`);
        continue;
      }
      kept.push(tasks.length === c.tasks.length ? c : { ...c, tasks });
    }
    classes = kept;
  }
  if (classes.length === 0) {
    problems.push(`${include.size > 0 ? (sel.tagsLabel ?? '--tags') : (sel.excludeTagsLabel ?? '--exclude-tags')}: no task is left to run`);
    return { scenario, problems, warnings };
  }
  if (sel.equalWeights === true) classes = classes.map((c) => ({ ...c, tasks: c.tasks.map((t) => ({ ...t, weight: 1 })) }));
  if (classes === scenario.userClasses) return { scenario, problems, warnings };
  return { scenario: { ...scenario, userClasses: classes }, problems, warnings };
}

function runs(c: UserClass, t: Task, include: ReadonlySet<string>, exclude: ReadonlySet<string>): boolean {
  const tags = [...(c.tags ?? []), ...(t.tags ?? [])];
  if (include.size > 0 && !tags.some((tag) => include.has(tag))) return false;
  if (exclude.size > 0 && tags.some((tag) => exclude.has(tag))) return false;
  return true;
}
