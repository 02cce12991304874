/**
 * `cicada k8s plan.yaml --workers N [--image IMG] [--bus URL] [--name NAME]`: prints the Kubernetes
 * manifests (YAML, to stdout) that run N workers of the plan as an Indexed Job, with the commands to
 * apply them and drive the run from here. Bad input: exit 2, nothing printed to stdout.
 */
import meow from 'meow';
import { stringify } from 'yaml';
import { ScenarioError } from '../scenario/errors.js';
import { loadScenarioFile } from '../scenario/load.js';
import { planHash } from '../run/bus/plan.js';
import { checkBusUrl } from './bus-flags.js';
import { k8sManifests, k8sName } from './k8s-manifests.js';
import { EXIT, type Output } from './output.js';
import { readPlanBundle } from './plan-bundle.js';
import { version } from './version.js';

export const help = `
  Usage
    $ cicada k8s <scenario.yaml> --workers N [--image IMG] [--bus URL] [--name NAME] > cicada.yaml

  Prints Kubernetes manifests for a distributed run: a ConfigMap with the plan (the scenario, the
  data files it names, its script and the local files that imports), a NATS Deployment and Service (unless --bus names a bus you run), and
  an Indexed Job of N pods running 'cicada worker'. Apply them, then drive the run from your
  terminal through the bus (the printed header says how).

  Options
    --workers N      Worker pods (the Job's parallelism and completions)
    --image IMG      The cicada image the pods run (default cicada-load:<version>; build it
                     with the repository's Dockerfile and push it where the cluster pulls from)
    --bus URL        Use this NATS server (nats://host:4222) instead of deploying one
    --name NAME      Prefix of the objects' names (default cicada-<scenario name>)
`;

export function k8sCommand(argv: readonly string[], out: Output): number {
  const cli = meow(help, {
    description: false,
    importMeta: import.meta,
    argv: [...argv],
    version,
    allowUnknownFlags: false,
    flags: {
      workers: { type: 'string' },
      image: { type: 'string' },
      bus: { type: 'string' },
      name: { type: 'string' },
    },
  });
  const problems: string[] = [];
  const file = cli.input[0];
  if (file === undefined) problems.push('a scenario file is required: cicada k8s scenarios/smoke.yaml --workers 4');
  if (cli.input.length > 1) problems.push(`unexpected argument "${cli.input[1]!}": k8s takes one scenario file`);
  const workers = cli.flags.workers;
  if (workers === undefined) problems.push('--workers: required, the number of worker pods (--workers 4)');
  else if (!/^[1-9]\d{0,3}$/.test(workers)) problems.push(`--workers: must be a whole number from 1 to 9999, got "${workers}"`);
  if (cli.flags.bus !== undefined) problems.push(...checkBusUrl(cli.flags.bus));
  if (cli.flags.image === '') problems.push('--image: needs an image name, like --image registry.example.com/cicada:0.1.0');
  if (cli.flags.name !== undefined && !/^[a-z0-9]([-a-z0-9]{0,38}[a-z0-9])?$/.test(cli.flags.name)) {
    problems.push(`--name: must be a DNS label of at most 40 characters (lower case, digits, "-"), got "${cli.flags.name}"`);
  }
  if (file !== undefined && /^https?:\/\//i.test(file)) problems.push(`${file}: k8s needs a scenario file (a URL run has no plan to mount)`);
  if (problems.length > 0) {
    for (const p of problems) out.error(p);
    return EXIT.badInput;
  }
  let bundle;
  let scenarioName;
  try {
    const scenario = loadScenarioFile(file!, {});
    scenarioName = scenario.name;
    bundle = readPlanBundle(scenario, null);
  } catch (err) {
    if (err instanceof ScenarioError) {
      out.error(err.message);
      return EXIT.badInput;
    }
    throw err;
  }
  if ('problem' in bundle) {
    out.error(bundle.problem);
    return EXIT.badInput;
  }
  if (bundle.kind !== 'file') return EXIT.badInput;
  const name = cli.flags.name ?? k8sName(scenarioName);
  const image = cli.flags.image ?? `cicada-load:${version}`;
  const count = Number(workers);
  const docs = k8sManifests({ name, bundle, workers: count, image, bus: cli.flags.bus ?? null, version });
  const connect =
    cli.flags.bus === undefined
      ? [`#   kubectl port-forward svc/${name}-nats 4222:4222 &`, `#   cicada run ${file!} --workers ${count} --bus nats://127.0.0.1:4222`]
      : [`#   cicada run ${file!} --workers ${count} --bus ${cli.flags.bus}`];
  const header = [
    `# cicada ${version} k8s: plan "${scenarioName}" (${planHash(bundle)}), ${count} workers, image ${image}`,
    '#   docker build -t IMAGE . && docker push IMAGE     # from a cicada checkout, once per version',
    '#   kubectl apply -f THIS_FILE',
    ...connect,
    '#   kubectl delete -f THIS_FILE                      # afterwards',
  ].join('\n');
  out.print(`${header}\n${docs.map((d) => stringify(d, { lineWidth: 0, aliasDuplicateObjects: false })).join('---\n')}`);
  return EXIT.ok;
}
