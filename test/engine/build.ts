/**
 * Builds typed `Scenario` objects in code for engine tests, so the engine is tested on its own,
 * independent of the YAML loader (which has its own tests).
 */
import type { Check, Capture, RequestStep, Scenario, Step, Task, Template, UserClass, WaitSpec } from '../../src/scenario/types.js';

const loc = { file: 'test', line: 1, col: 1 };

export function request(method: string, url: Template, extra: Partial<RequestStep> = {}): RequestStep {
  return {
    kind: 'request',
    method,
    url,
    name: extra.name ?? (typeof url === 'string' ? url : url.source),
    headers: [],
    query: [],
    body: null,
    timeoutMs: 10_000,
    maxRedirects: 5,
    checks: [],
    captures: [],
    needsBody: false,
    loc,
    ...extra,
  };
}

export function task(steps: Step | Step[], weight = 1, name?: string): Task {
  const list = Array.isArray(steps) ? steps : [steps];
  return { name: name ?? (list[0]?.kind === 'request' ? list[0].name : 'flow'), weight, steps: list, loc };
}

export function userClass(name: string, tasks: Task[], extra: Partial<UserClass> = {}): UserClass {
  return { name, weight: 1, fixedCount: null, host: null, wait: { kind: 'none' }, onStart: [], onStop: [], tasks, loc, ...extra };
}

export function scenario(host: string, classes: UserClass[], extra: Partial<Scenario> = {}): Scenario {
  return {
    name: 'test',
    file: null,
    host,
    users: 1,
    spawnRate: 1000,
    runTimeMs: null,
    stopTimeoutMs: 0,
    load: { kind: 'closed', stages: null },
    userClasses: classes,
    data: [],
    thresholds: [],
    profile: null,
    profiles: [],
    secretValues: [],
    secretHeaders: [],
    ...extra,
  };
}

export const statusCheck = (code: number): Check => ({ kind: 'status', ranges: [[code, code]], label: String(code), loc });
export const jsonCapture = (name: string, path: string): Capture => ({
  name,
  from: 'json',
  path: { source: path, segments: path.replace(/^\$\.?/, '').split('.').filter(Boolean) },
  secret: false,
  loc,
});
export const wait = (ms: number): WaitSpec => ({ kind: 'constant', ms });
export const tpl = (source: string, parts: (string | { kind: 'capture'; name: string })[]) => ({ source, parts });
