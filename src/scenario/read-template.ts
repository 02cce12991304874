/**
 * Reading a YAML value as a `${...}` template: compiles it in a scope, reports each bad reference
 * at its own column, and remembers environment values as secrets.
 */
import { bad, describe } from './read.js';
import type { Ctx } from './read.js';
import { compileTemplate } from './template.js';
import type { TemplateScope } from './template.js';
import type { Template } from './types.js';
import type { YNode } from './yaml-source.js';

/** Values that must be redacted from every output (see `Scenario.secretValues`). */
export class Secrets {
  private readonly set = new Set<string>();

  add(value: string): void {
    this.set.add(value);
  }

  /**
   * The values worth redacting: empty and very short values are left out, since hiding every `80`
   * or `1` in a report would garble it and protect nothing.
   */
  values(): string[] {
    return [...this.set].filter((v) => v.length >= MIN_SECRET_LENGTH);
  }
}

export const MIN_SECRET_LENGTH = 4;

export interface TemplateOptions {
  /** Environment values used here are not secrets (the host is shown everywhere anyway). */
  readonly notSecret?: boolean;
}

/** A scalar's text as a template (plain numbers and booleans read as written), or null with problems. */
export function readTemplate(ctx: Ctx, node: YNode, field: string, scope: TemplateScope, secrets: Secrets, opts: TemplateOptions = {}): Template | null {
  if (node.kind !== 'scalar' || node.value === null) {
    bad(ctx, node, field, `must be text, got ${describe(node)}`);
    return null;
  }
  return compileText(ctx, node.text, node, field, scope, secrets, opts);
}

/** `text` (read from `node`) as a template, or null with problems. */
export function compileText(ctx: Ctx, text: string, node: YNode, field: string, scope: TemplateScope, secrets: Secrets, opts: TemplateOptions = {}): Template | null {
  const r = compileTemplate(text, scope);
  for (const issue of r.issues) ctx.problems.at(ctx.source.locWithin(node, issue.ref), field, issue.message);
  if (opts.notSecret !== true) for (const v of r.envValues) secrets.add(v);
  return r.issues.length === 0 ? r.template : null;
}
