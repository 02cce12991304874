/**
 * The Kubernetes objects `cicada k8s` prints, as plain objects: a ConfigMap holding the plan bundle,
 * a NATS Deployment and Service (unless the run uses an existing bus), and an Indexed Job whose pods
 * run `cicada worker` — pod i takes share i of N from `JOB_COMPLETION_INDEX`. Pure: no files, no
 * cluster; `test/cli/k8s.test.ts` validates the output against the Kubernetes schemas.
 */
import type { PlanBundle } from '../run/bus/plan.js';

export interface K8sOptions {
  /** DNS-1123 label used as the prefix of every object's name. */
  readonly name: string;
  readonly bundle: Extract<PlanBundle, { kind: 'file' }>;
  readonly workers: number;
  readonly image: string;
  /** An existing bus (`nats://host:4222`), or null to deploy one. */
  readonly bus: string | null;
  readonly version: string;
}

/** The NATS image deployed when no `--bus` is given. */
export const NATS_IMAGE = 'nats:2.10-alpine';
export const PLAN_MOUNT = '/plan';

/** A scenario name as a DNS-1123 label (lower case, digits, `-`; at most 40 characters, so suffixes fit). */
export function k8sName(scenarioName: string): string {
  const slug = scenarioName
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 33)
    .replace(/-+$/, '');
  return `cicada-${slug === '' ? 'run' : slug}`;
}

/** ConfigMap keys allow `[-._a-zA-Z0-9]`; paths go back into place through the volume's items. */
function configKey(index: number, path: string): string {
  return `f${index}-${path.replace(/[^-._a-zA-Z0-9]/g, '_')}`.slice(0, 253);
}

export function k8sManifests(o: K8sOptions): Record<string, unknown>[] {
  const labels = (component: string): Record<string, string> => ({
    'app.kubernetes.io/name': 'cicada',
    'app.kubernetes.io/instance': o.name,
    'app.kubernetes.io/component': component,
    'app.kubernetes.io/version': o.version,
  });
  const busUrl = o.bus ?? `nats://${o.name}-nats:4222`;
  const data: Record<string, string> = {};
  const binaryData: Record<string, string> = {};
  const items = o.bundle.files.map((f, i) => {
    const key = configKey(i, f.path);
    const bytes = Buffer.from(f.base64, 'base64');
    const text = bytes.toString('utf8');
    if (Buffer.from(text, 'utf8').equals(bytes)) data[key] = text;
    else binaryData[key] = f.base64;
    return { key, path: f.path };
  });
  const configMap = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: `${o.name}-plan`, labels: labels('plan') },
    data,
    ...(Object.keys(binaryData).length > 0 ? { binaryData } : {}),
  };
  const job = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: `${o.name}-workers`, labels: labels('worker') },
    spec: {
      completionMode: 'Indexed',
      completions: o.workers,
      parallelism: o.workers,
      // A worker that fails is not replaced: a new pod would replay its share of the profile.
      backoffLimit: 0,
      ttlSecondsAfterFinished: 3600,
      template: {
        metadata: { labels: labels('worker') },
        spec: {
          restartPolicy: 'Never',
          containers: [
            {
              name: 'worker',
              image: o.image,
              // The index comes from JOB_COMPLETION_INDEX, which Kubernetes sets in an Indexed Job.
              args: ['worker', '--bus', busUrl, '--plan', `${PLAN_MOUNT}/${o.bundle.entry}`, '--count', String(o.workers)],
              resources: { requests: { cpu: '1', memory: '256Mi' }, limits: { memory: '1Gi' } },
              volumeMounts: [{ name: 'plan', mountPath: PLAN_MOUNT, readOnly: true }],
            },
          ],
          volumes: [{ name: 'plan', configMap: { name: `${o.name}-plan`, items } }],
        },
      },
    },
  };
  if (o.bus !== null) return [configMap, job];
  const natsLabels = labels('nats');
  const selector = { 'app.kubernetes.io/instance': o.name, 'app.kubernetes.io/component': 'nats' };
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: `${o.name}-nats`, labels: natsLabels },
    spec: {
      replicas: 1,
      selector: { matchLabels: selector },
      template: {
        metadata: { labels: natsLabels },
        spec: {
          containers: [
            {
              name: 'nats',
              image: NATS_IMAGE,
              args: ['--port', '4222', '--http_port', '8222'],
              ports: [
                { name: 'client', containerPort: 4222 },
                { name: 'monitor', containerPort: 8222 },
              ],
              readinessProbe: { httpGet: { path: '/healthz', port: 8222 }, periodSeconds: 2 },
              resources: { requests: { cpu: '100m', memory: '64Mi' } },
            },
          ],
        },
      },
    },
  };
  const service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: `${o.name}-nats`, labels: natsLabels },
    spec: { selector, ports: [{ name: 'client', port: 4222, targetPort: 4222 }] },
  };
  return [configMap, deployment, service, job];
}
