/**
 * Reading a plan bundle from disk (the scenario and the data files it names) and writing a received
 * one into a folder for a worker to load. The bundle's format and hash live in `run/bus/plan.ts`.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import type { Scenario } from '../scenario/types.js';
import { scenarioFiles } from '../scenario/script.js';
import { safePlanPath, type PlanBundle, type PlanFile } from '../run/bus/plan.js';

/** The bundle of a loaded scenario, or a problem naming the file that cannot travel. */
export function readPlanBundle(scenario: Scenario, url: string | null): PlanBundle | { readonly problem: string } {
  if (scenario.file === null) {
    if (url === null) return { problem: 'this scenario has no file to send to workers' };
    return { kind: 'url', url };
  }
  const folder = dirname(scenario.file);
  const files: PlanFile[] = [];
  const add = (absolute: string): string | null => {
    const rel = relative(folder, absolute).split(sep).join('/');
    if (!safePlanPath(rel)) return `${absolute}: a file outside the scenario's folder (${folder}) cannot be sent to workers; move it beside the scenario`;
    if (files.some((f) => f.path === rel)) return null;
    files.push({ path: rel, base64: readFileSync(absolute).toString('base64') });
    return null;
  };
  const entry = basename(scenario.file);
  // The scenario, its data files, and its script with the local files it imports (once loaded).
  for (const file of scenarioFiles(scenario)) {
    const problem = add(resolve(file));
    if (problem !== null) return { problem };
  }
  return { kind: 'file', entry, files };
}

/** Writes a received bundle into a new temporary folder; returns the scenario file's path there. */
export function materializeBundle(bundle: Extract<PlanBundle, { kind: 'file' }>): string {
  const dir = mkdtempSync(join(tmpdir(), 'cicada-plan-'));
  for (const f of bundle.files) {
    if (!safePlanPath(f.path)) throw new Error(`plan file "${f.path}" is not a safe relative path`);
    const target = join(dir, ...f.path.split('/'));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, Buffer.from(f.base64, 'base64'));
  }
  return join(dir, bundle.entry);
}
