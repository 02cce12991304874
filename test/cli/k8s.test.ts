/**
 * `cicada k8s`: the manifests it prints are valid Kubernetes objects (checked offline against the
 * Kubernetes schemas by kubernetes-models, and strictly: no key that is not a field — see
 * test/support/k8s-strict.ts), the Job is Indexed with one pod per worker and no
 * retries, the ConfigMap mounted as the Job mounts it reproduces the plan the coordinator hashes,
 * and bad input prints nothing. The Dockerfile is checked as far as that means something here
 * (docker cannot run on this machine): its base, its steps and that every path it copies exists.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Deployment } from 'kubernetes-models/apps/v1';
import { Job } from 'kubernetes-models/batch/v1';
import { ConfigMap, Service } from 'kubernetes-models/v1';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { readPlanBundle } from '../../src/cli/plan-bundle.js';
import { planHash } from '../../src/run/bus/plan.js';
import { loadScenarioFile } from '../../src/scenario/load.js';
import { unknownFields } from '../support/k8s-strict.js';
import { runCli, workdir } from './cli.js';

const PLAN = `name: Shop Flow\nhost: http://127.0.0.1:9\nusers: 10\ndata:\n  people: { csv: data/users.csv, order: unique }\nuserClasses:\n  - name: U\n    tasks: [ { get: "/u/\${people.name}" } ]\n`;

function planDir(): string {
  const cwd = workdir({ 'plan.yaml': PLAN });
  mkdirSync(join(cwd, 'data'));
  writeFileSync(join(cwd, 'data', 'users.csv'), 'name\nann\nbob\n');
  return cwd;
}

type Manifest = { apiVersion: string; kind: string; metadata: { name: string }; [k: string]: unknown };

/**
 * Validates one object against its Kubernetes schema (kubernetes-models: types, required fields,
 * formats) and strictly (every key a field of its type, as `kubectl --validate=strict`); throws
 * naming the failing field.
 */
function validate(doc: Manifest): void {
  const unknown = unknownFields(doc);
  if (unknown.length > 0) throw new Error(`${doc.kind} ${doc.metadata.name}: unknown fields: ${unknown.join('; ')}`);
  const models: Record<string, new (data: never) => { validate(): void }> = {
    'v1/ConfigMap': ConfigMap,
    'v1/Service': Service,
    'apps/v1/Deployment': Deployment,
    'batch/v1/Job': Job,
  };
  const Model = models[`${doc.apiVersion}/${doc.kind}`];
  if (Model === undefined) throw new Error(`unexpected object ${doc.apiVersion} ${doc.kind}`);
  new Model(doc as never).validate();
}

function parse(stdout: string): Manifest[] {
  return parseAllDocuments(stdout).map((d) => d.toJS() as Manifest);
}

describe('cicada k8s', () => {
  it('prints a ConfigMap, a NATS Deployment and Service and an Indexed Job that the Kubernetes schemas accept', async () => {
    const cwd = planDir();
    const r = await runCli(['k8s', 'plan.yaml', '--workers', '8', '--image', 'registry.example.com/cicada:test'], { cwd });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const docs = parse(r.stdout);
    expect(docs.map((d) => `${d.kind} ${d.metadata.name}`)).toEqual([
      'ConfigMap cicada-shop-flow-plan',
      'Deployment cicada-shop-flow-nats',
      'Service cicada-shop-flow-nats',
      'Job cicada-shop-flow-workers',
    ]);
    for (const doc of docs) validate(doc);

    const job = docs[3] as unknown as { spec: { completionMode: string; completions: number; parallelism: number; backoffLimit: number; template: { spec: { restartPolicy: string; containers: { image: string; args: string[] }[] } } } };
    expect(job.spec).toMatchObject({ completionMode: 'Indexed', completions: 8, parallelism: 8, backoffLimit: 0 });
    expect(job.spec.template.spec.restartPolicy).toBe('Never');
    expect(job.spec.template.spec.containers[0]!.image).toBe('registry.example.com/cicada:test');
    expect(job.spec.template.spec.containers[0]!.args).toEqual(['worker', '--bus', 'nats://cicada-shop-flow-nats:4222', '--plan', '/plan/plan.yaml', '--count', '8']);
    // The header says how to drive the run and names the plan's hash.
    const bundle = readPlanBundle(loadScenarioFile(join(cwd, 'plan.yaml')), null);
    if ('problem' in bundle) throw new Error(bundle.problem);
    expect(r.stdout).toContain(`(${planHash(bundle)})`);
    expect(r.stdout).toContain('#   kubectl port-forward svc/cicada-shop-flow-nats 4222:4222 &');
    expect(r.stdout).toContain('#   cicada run plan.yaml --workers 8 --bus nats://127.0.0.1:4222');
  });

  it('the ConfigMap, mounted the way the Job mounts it, is the plan the coordinator hashes', async () => {
    const cwd = planDir();
    const r = await runCli(['k8s', 'plan.yaml', '--workers', '2'], { cwd });
    const docs = parse(r.stdout);
    const cm = docs[0] as unknown as { data: Record<string, string> };
    const job = docs[3] as unknown as { spec: { template: { spec: { volumes: { configMap: { name: string; items: { key: string; path: string }[] } }[]; containers: { volumeMounts: { mountPath: string }[] }[] } } } };
    const volume = job.spec.template.spec.volumes[0]!.configMap;
    expect(volume.name).toBe(docs[0]!.metadata.name);
    // What the kubelet does: each item's key, written at its path under the mount.
    const mount = mkdtempSync(join(tmpdir(), 'cicada-mount-'));
    for (const item of volume.items) {
      mkdirSync(dirname(join(mount, item.path)), { recursive: true });
      writeFileSync(join(mount, item.path), cm.data[item.key]!);
    }
    expect(job.spec.template.spec.containers[0]!.volumeMounts[0]!.mountPath).toBe('/plan');
    const mounted = readPlanBundle(loadScenarioFile(join(mount, 'plan.yaml')), null);
    const original = readPlanBundle(loadScenarioFile(join(cwd, 'plan.yaml')), null);
    if ('problem' in mounted || 'problem' in original) throw new Error('bundle problem');
    expect(planHash(mounted)).toBe(planHash(original));
    expect(readFileSync(join(mount, 'data', 'users.csv'), 'utf8')).toBe('name\nann\nbob\n');
  });

  it('with --bus uses that NATS and deploys none', async () => {
    const cwd = planDir();
    const r = await runCli(['k8s', 'plan.yaml', '--workers', '3', '--bus', 'nats://nats.infra:4222', '--name', 'checkout'], { cwd });
    expect(r.code).toBe(0);
    const docs = parse(r.stdout);
    expect(docs.map((d) => `${d.kind} ${d.metadata.name}`)).toEqual(['ConfigMap checkout-plan', 'Job checkout-workers']);
    for (const doc of docs) validate(doc);
    expect(JSON.stringify(docs[1])).toContain('"--bus","nats://nats.infra:4222"');
  });

  it('the schema check does reject a broken object', () => {
    expect(() => validate({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'x' }, spec: { completions: 'eight', template: { spec: { containers: [] } } } })).toThrow(/completions/);
  });

  it('the strict check rejects a misspelled key at any depth, naming every one by its path, and accepts any key in a map', async () => {
    const cwd = planDir();
    const r = await runCli(['k8s', 'plan.yaml', '--workers', '2'], { cwd });
    const job = parse(r.stdout)[3]! as Manifest & { spec: Record<string, unknown> & { template: { metadata?: { labels?: Record<string, string> }; spec: { containers: Record<string, unknown>[] } } } };
    expect(unknownFields(job)).toEqual([]);
    // kubernetes-models alone lets these through (the API server would drop them without a word).
    const broken = structuredClone({ ...job, metadata: { ...job.metadata, lables: { a: 'b' } } });
    broken.spec.paralelism = 2;
    broken.spec.template.spec.containers[0]!.imagee = 'x';
    broken.spec.template.metadata = { labels: { 'any-key.example.com/ok': 'yes' } };
    expect(() => new Job(broken as never).validate()).not.toThrow();
    expect(unknownFields(broken)).toEqual([
      'metadata.lables: not a field of ObjectMeta',
      'spec.template.spec.containers[0].imagee: not a field of Container',
      'spec.paralelism: not a field of JobSpec',
    ]);
    expect(() => validate(broken)).toThrow(/unknown fields: metadata\.lables/);
    expect(unknownFields({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ port: 4222, targetport: 4222 }] } })).toEqual([
      'spec.ports[0].targetport: not a field of ServicePort',
    ]);
  });

  it('bad input: every problem named, exit 2, nothing on stdout', async () => {
    const cwd = planDir();
    const r = await runCli(['k8s', 'plan.yaml', '--workers', '0', '--bus', 'http://x:1', '--name', 'Bad_Name'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('--workers: must be a whole number from 1 to 9999, got "0"');
    expect(r.stderr).toContain('--bus: must be a nats:// URL, got "http://x:1"');
    expect(r.stderr).toContain('--name: must be a DNS label');
    const missing = await runCli(['k8s', 'plan.yaml'], { cwd });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--workers: required');
    const outside = workdir({ 'elsewhere.csv': 'name\nx\n' });
    mkdirSync(join(outside, 'plans'));
    writeFileSync(join(outside, 'plans', 'p.yaml'), PLAN.replace('data/users.csv', '../elsewhere.csv'));
    const far = await runCli(['k8s', 'plans/p.yaml', '--workers', '2'], { cwd: outside });
    expect(far.code).toBe(2);
    expect(far.stdout).toBe('');
    expect(far.stderr).toMatch(/elsewhere\.csv: a file outside the scenario's folder .* cannot be sent to workers/);
  });
});

describe('Dockerfile', () => {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const text = readFileSync(join(root, 'Dockerfile'), 'utf8');
  const lines = text.split('\n').filter((l) => l.trim() !== '' && !l.trim().startsWith('#'));

  it('builds on node 20 with npm ci and the build script, and runs cicada', () => {
    expect(lines.filter((l) => l.startsWith('FROM ')).every((l) => /^FROM node:20[-\w.]*( AS \w+)?$/.test(l))).toBe(true);
    expect(lines).toContain('RUN npm ci --ignore-scripts');
    expect(lines.some((l) => l.startsWith('RUN npm run build'))).toBe(true);
    expect(lines.at(-2)).toBe('ENTRYPOINT ["cicada"]');
    // The symlink named cicada points at the package's bin.
    const bin = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { bin: { cicada: string } }).bin.cicada;
    expect(text).toContain(`ln -s /app/${bin} /usr/local/bin/cicada`);
  });

  it('copies only paths that exist in the repository', () => {
    const sources = lines
      .filter((l) => l.startsWith('COPY ') && !l.includes('--from='))
      .flatMap((l) => l.slice(5).trim().split(/\s+/).slice(0, -1));
    expect(sources).toEqual(['package.json', 'package-lock.json', 'tsconfig.json', 'src', 'scenarios']);
    for (const s of sources) expect(existsSync(join(root, s)), s).toBe(true);
  });
});
