import { fileURLToPath } from "node:url";
import ts from "typescript";
import type { Manifest } from "./kustomize.js";

/** kubernetes-models' module and interface of each kind deploy/ holds, by `apiVersion kind`. */
const MODELS: Record<string, [module: string, name: string]> = {
  "v1 Namespace": ["kubernetes-models/v1/Namespace", "INamespace"],
  "v1 ServiceAccount": ["kubernetes-models/v1/ServiceAccount", "IServiceAccount"],
  "v1 ConfigMap": ["kubernetes-models/v1/ConfigMap", "IConfigMap"],
  "v1 Secret": ["kubernetes-models/v1/Secret", "ISecret"],
  "v1 Service": ["kubernetes-models/v1/Service", "IService"],
  "apps/v1 Deployment": ["kubernetes-models/apps/v1/Deployment", "IDeployment"],
  "autoscaling/v2 HorizontalPodAutoscaler": [
    "kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler",
    "IHorizontalPodAutoscaler",
  ],
  "policy/v1 PodDisruptionBudget": [
    "kubernetes-models/policy/v1/PodDisruptionBudget",
    "IPodDisruptionBudget",
  ],
  "networking.k8s.io/v1 NetworkPolicy": [
    "kubernetes-models/networking.k8s.io/v1/NetworkPolicy",
    "INetworkPolicy",
  ],
};

function modelOf(m: Manifest): [module: string, name: string] {
  const found = MODELS[`${m.apiVersion} ${m.kind}`];
  if (!found) throw new Error(`no kubernetes-models class listed for ${m.apiVersion} ${m.kind}`);
  return found;
}

/**
 * Kubernetes' schema of the manifest's kind, through its kubernetes-models class: types and
 * required fields. Returns the problems, none when it is valid.
 */
export async function schemaProblems(m: Manifest): Promise<string[]> {
  const [module, name] = modelOf(m);
  const classes = (await import(module)) as Record<string, new (data: unknown) => Validated>;
  try {
    new classes[name.slice(1)]!(m).validate();
    return [];
  } catch (error) {
    return [`${m.kind} ${m.metadata.name}: ${(error as Error).message}`];
  }
}

interface Validated {
  validate(): void;
}

/**
 * Fields no Kubernetes schema has (a misspelt `readOnlyRootFileSystem`), which the models'
 * JSON-schema validation lets through: each manifest is type-checked as an object literal of
 * its kind's interface, and TypeScript refuses properties a literal's type does not declare.
 */
export function unknownFields(manifests: Manifest[]): string[] {
  const file = fileURLToPath(new URL("./manifests.generated.ts", import.meta.url));
  const source = manifests
    .map((m, i) => {
      const [module, name] = modelOf(m);
      return `import type { ${name} as T${i} } from "${module}";\nexport const m${i}: T${i} = ${JSON.stringify(m)};`;
    })
    .join("\n");
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    types: [],
    lib: ["lib.es2022.d.ts"], // no DOM: only the manifests and the models are checked
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, version, ...rest) =>
    name === file
      ? ts.createSourceFile(name, source, version)
      : getSourceFile(name, version, ...rest);
  const readFile = host.readFile.bind(host);
  host.readFile = (name) => (name === file ? source : readFile(name));
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => name === file || fileExists(name);
  const program = ts.createProgram([file], options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file && d.start !== undefined ? manifestAt(manifests, source, d.start) : "";
    return `${where}${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
  });
}

function manifestAt(manifests: Manifest[], source: string, offset: number): string {
  const index = source.slice(0, offset).split("\nexport const m").length - 2;
  const m = manifests[index];
  return m ? `${m.kind} ${m.metadata.name}: ` : "";
}
