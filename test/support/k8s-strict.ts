/**
 * Strict Kubernetes manifests: every key of an object must be a field of its type. kubernetes-models'
 * validators (compiled from the Kubernetes OpenAPI schemas) check types, required fields and
 * formats but, like the API server without strict field validation, let unknown keys through — a
 * misspelled `paralelism:` is then silently dropped by the cluster. kubectl (`--validate=strict`)
 * refuses them; so does this check.
 *
 * The field lists come from the same package: kubernetes-models' TypeScript declarations,
 * generated from the same OpenAPI schemas as its validators. The TypeScript checker resolves each
 * object's type along its path (optional fields, arrays, maps such as `labels` with any key) and
 * every key the type does not have is named by its path: `spec.template.spec.containers[0].imagee`.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/** The kinds cicada prints, and the kubernetes-models module and interface of each. */
const KINDS: Readonly<Record<string, readonly [module: string, name: string]>> = {
  'v1/ConfigMap': ['kubernetes-models/v1', 'IConfigMap'],
  'v1/Service': ['kubernetes-models/v1', 'IService'],
  'apps/v1/Deployment': ['kubernetes-models/apps/v1', 'IDeployment'],
  'batch/v1/Job': ['kubernetes-models/batch/v1', 'IJob'],
};

interface Loaded {
  readonly checker: ts.TypeChecker;
  readonly types: ReadonlyMap<string, ts.Type>;
}

let loaded: Loaded | null = null;

/** A program of one virtual file that names each kind's interface; built once per test process. */
function load(): Loaded {
  if (loaded !== null) return loaded;
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const file = join(root, 'test', 'support', '__k8s-kinds__.ts');
  const kinds = Object.entries(KINDS);
  const text = kinds.map(([, [module, name]], i) => `import type { ${name} as T${i} } from '${module}';\nexport type K${i} = T${i};\n`).join('');
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const readFile = host.readFile.bind(host);
  host.getSourceFile = (name, language, ...rest) => (name === file ? ts.createSourceFile(name, text, language) : getSourceFile(name, language, ...rest));
  host.fileExists = (name) => name === file || fileExists(name);
  host.readFile = (name) => (name === file ? text : readFile(name));
  const program = ts.createProgram([file], options, host);
  const problems = ts.getPreEmitDiagnostics(program, program.getSourceFile(file));
  if (problems.length > 0) throw new Error(`k8s-strict: cannot load kubernetes-models' types: ${ts.flattenDiagnosticMessageText(problems[0]!.messageText, '\n')}`);
  const checker = program.getTypeChecker();
  const aliases = program.getSourceFile(file)!.statements.filter(ts.isTypeAliasDeclaration);
  const types = new Map(kinds.map(([kind], i) => [kind, checker.getTypeAtLocation(aliases[i]!.name)]));
  loaded = { checker, types };
  return loaded;
}

/**
 * The keys of `doc` (one manifest object) that are not fields of its kind, each as `path: why`;
 * empty when every key is known. Throws for a kind this check does not know.
 */
export function unknownFields(doc: { readonly apiVersion?: unknown; readonly kind?: unknown; readonly [key: string]: unknown }): string[] {
  const { checker, types } = load();
  const kind = `${String(doc.apiVersion)}/${String(doc.kind)}`;
  const type = types.get(kind);
  if (type === undefined) throw new Error(`k8s-strict: no type for ${kind}`);
  const out: string[] = [];
  walk(checker, doc, type, '', out);
  return out;
}

function walk(checker: ts.TypeChecker, value: unknown, declared: ts.Type, path: string, out: string[]): void {
  if (value === null || typeof value !== 'object') return;
  // Optional fields are `T | undefined`; a few fields are unions (int-or-string): keep the object part.
  let type = checker.getNonNullableType(declared);
  if (type.isUnion()) type = type.types.find((t) => (t.flags & ts.TypeFlags.Object) !== 0) ?? type;
  if (Array.isArray(value)) {
    const element = checker.getIndexInfoOfType(type, ts.IndexKind.Number)?.type;
    if (element === undefined) out.push(`${path}: a list where ${checker.typeToString(type)} is expected`);
    else value.forEach((v, i) => walk(checker, v, element, `${path}[${i}]`, out));
    return;
  }
  const map = checker.getIndexInfoOfType(type, ts.IndexKind.String)?.type;
  for (const [key, v] of Object.entries(value)) {
    const at = path === '' ? key : `${path}.${key}`;
    const field = checker.getPropertyOfType(type, key);
    if (field !== undefined) walk(checker, v, checker.getTypeOfSymbol(field), at, out);
    else if (map !== undefined) walk(checker, v, map, at, out);
    else out.push(`${at}: not a field of ${checker.typeToString(type).replace(/^I(?=[A-Z])/, '')}`);
  }
}
