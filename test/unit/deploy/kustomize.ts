import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { parse, parseAllDocuments } from "yaml";

/**
 * The part of kustomize that deploy/ uses, so the manifests can be rendered and checked
 * without kustomize installed: resources (files and directories), namespace, images,
 * configMapGenerator (create and replace, hashed names) and inline JSON 6902 patches.
 * Anything else in a kustomization is refused, never silently skipped;
 * kustomize.test.ts holds the output equal to `kubectl kustomize`'s where kubectl exists.
 */
export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

interface ConfigMapGenerator {
  name: string;
  behavior?: "create" | "replace" | "merge";
  files?: string[];
  options?: { labels?: Record<string, string> };
}

interface Kustomization {
  apiVersion?: string;
  kind?: string;
  namespace?: string;
  resources?: string[];
  images?: { name: string; newName?: string; newTag?: string }[];
  configMapGenerator?: ConfigMapGenerator[];
  patches?: { target: { kind?: string; name?: string }; patch: string }[];
}

const SUPPORTED_KEYS = new Set([
  "apiVersion",
  "kind",
  "namespace",
  "resources",
  "images",
  "configMapGenerator",
  "patches",
]);
const CLUSTER_SCOPED = new Set(["Namespace", "ClusterRole", "ClusterRoleBinding"]);

/** The manifests `kubectl kustomize dir` prints, as objects. */
export function renderKustomization(dir: string): Manifest[] {
  const generated = new Set<Manifest>();
  const manifests = build(dir, generated);
  nameGeneratedConfigMaps(manifests, generated);
  return manifests;
}

function build(dir: string, generated: Set<Manifest>): Manifest[] {
  const k = parse(readFileSync(join(dir, "kustomization.yaml"), "utf8")) as Kustomization;
  const unsupported = Object.keys(k).filter((key) => !SUPPORTED_KEYS.has(key));
  if (unsupported.length > 0) {
    throw new Error(`${dir}/kustomization.yaml: not rendered by this test: ${unsupported}`);
  }
  const manifests = (k.resources ?? []).flatMap((entry) => load(join(dir, entry), generated));
  for (const generator of k.configMapGenerator ?? []) {
    generateConfigMap(dir, generator, manifests, generated);
  }
  for (const { target, patch } of k.patches ?? []) {
    const operations = parse(patch) as unknown;
    if (!Array.isArray(operations)) {
      throw new Error(`${dir}: only JSON 6902 patches (a list of operations) are rendered`);
    }
    const targets = manifests.filter(
      (m) =>
        (!target.kind || m.kind === target.kind) &&
        (!target.name || m.metadata.name === target.name),
    );
    if (targets.length === 0) throw new Error(`${dir}: a patch matches nothing`);
    for (const m of targets) applyJsonPatch(m, operations as JsonPatchOperation[]);
  }
  if (k.namespace) {
    for (const m of manifests) {
      if (!CLUSTER_SCOPED.has(m.kind)) m.metadata.namespace = k.namespace;
    }
  }
  for (const image of k.images ?? []) {
    for (const container of manifests.flatMap(containersOf)) {
      container.image = retag(container.image, image);
    }
  }
  return manifests;
}

function load(path: string, generated: Set<Manifest>): Manifest[] {
  if (statSync(path).isDirectory()) return build(path, generated);
  return parseAllDocuments(readFileSync(path, "utf8"))
    .map((doc) => doc.toJS() as Manifest | null)
    .filter((m): m is Manifest => m !== null);
}

function generateConfigMap(
  dir: string,
  generator: ConfigMapGenerator,
  manifests: Manifest[],
  generated: Set<Manifest>,
): void {
  const data = Object.fromEntries(
    (generator.files ?? []).map((entry) => {
      const [key, file] = entry.includes("=") ? entry.split("=", 2) : [entry, entry];
      return [key!.split("/").at(-1)!, readFileSync(join(dir, file!), "utf8")];
    }),
  );
  const behavior = generator.behavior ?? "create";
  const existing = manifests.find(
    (m) => generated.has(m) && m.kind === "ConfigMap" && m.metadata.name === generator.name,
  );
  if (behavior === "create") {
    if (existing) throw new Error(`${dir}: ConfigMap ${generator.name} is generated twice`);
    const labels = generator.options?.labels;
    const configMap: Manifest = {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: generator.name, ...(labels ? { labels: { ...labels } } : {}) },
      data,
    };
    manifests.push(configMap);
    generated.add(configMap);
    return;
  }
  if (!existing) throw new Error(`${dir}: no ConfigMap ${generator.name} to ${behavior}`);
  existing.data = behavior === "replace" ? data : { ...(existing.data as object), ...data };
}

/**
 * kustomize's name suffix: sha256 of the ConfigMap's kind, data and name as Go's json.Marshal
 * writes them (sorted keys, HTML characters escaped), its first ten hex digits with vowels
 * and look-alikes replaced. kustomize 5 looks the name up by a path it never finds, so the
 * name hashed is always "".
 */
export function configMapHash(data: Record<string, string>): string {
  const sorted = Object.fromEntries(Object.entries(data).sort(([a], [b]) => (a < b ? -1 : 1)));
  const json = JSON.stringify({ data: sorted, kind: "ConfigMap", name: "" }).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
  const hex = createHash("sha256").update(json).digest("hex").slice(0, 10);
  const swap: Record<string, string> = { "0": "g", "1": "h", "3": "k", a: "m", e: "t" };
  return hex.replace(/[013ae]/g, (c) => swap[c]!);
}

function nameGeneratedConfigMaps(manifests: Manifest[], generated: Set<Manifest>): void {
  const renamed = new Map<string, string>();
  for (const configMap of generated) {
    const hashed = `${configMap.metadata.name}-${configMapHash(configMap.data as Record<string, string>)}`;
    renamed.set(configMap.metadata.name, hashed);
    configMap.metadata.name = hashed;
  }
  const rename = (ref: { name?: string } | undefined) => {
    if (ref?.name && renamed.has(ref.name)) ref.name = renamed.get(ref.name)!;
  };
  for (const spec of manifests.map(podSpecOf)) {
    for (const volume of spec?.volumes ?? []) rename(volume.configMap);
    for (const container of containersOfSpec(spec)) {
      for (const source of container.envFrom ?? []) rename(source.configMapRef);
      for (const variable of container.env ?? []) rename(variable.valueFrom?.configMapKeyRef);
    }
  }
}

interface Container {
  image: string;
  envFrom?: { configMapRef?: { name?: string } }[];
  env?: { valueFrom?: { configMapKeyRef?: { name?: string } } }[];
}
interface PodSpec {
  containers?: Container[];
  initContainers?: Container[];
  volumes?: { configMap?: { name?: string } }[];
}

function podSpecOf(m: Manifest): PodSpec | undefined {
  const spec = m.spec as { template?: { spec?: PodSpec } } | undefined;
  return spec?.template?.spec;
}

function containersOfSpec(spec: PodSpec | undefined): Container[] {
  return [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])];
}

function containersOf(m: Manifest): Container[] {
  return containersOfSpec(podSpecOf(m));
}

function retag(image: string, rule: { name: string; newName?: string; newTag?: string }): string {
  const match = /^(.*?)(?::([^:/@]+))?(@.*)?$/.exec(image)!;
  if (match[1] !== rule.name) return image;
  const tag = rule.newTag ?? match[2];
  return `${rule.newName ?? rule.name}${tag ? `:${tag}` : ""}${match[3] ?? ""}`;
}

interface JsonPatchOperation {
  op: "add" | "replace" | "remove";
  path: string;
  value?: unknown;
}

/** RFC 6902's add, replace and remove on a JSON pointer (RFC 6901). */
function applyJsonPatch(target: object, operations: JsonPatchOperation[]): void {
  for (const { op, path, value } of operations) {
    const keys = path
      .split("/")
      .slice(1)
      .map((k) => k.replaceAll("~1", "/").replaceAll("~0", "~"));
    const last = keys.pop()!;
    let parent = target as Record<string, unknown>;
    for (const key of keys) {
      if (parent[key] === undefined) throw new Error(`patch path ${path}: no ${key}`);
      parent = parent[key] as Record<string, unknown>;
    }
    if (op !== "add" && !(last in parent)) throw new Error(`patch path ${path}: nothing to ${op}`);
    if (op === "remove") {
      if (Array.isArray(parent)) parent.splice(Number(last), 1);
      else delete parent[last];
    } else if (op === "add" && Array.isArray(parent)) {
      parent.splice(last === "-" ? parent.length : Number(last), 0, value);
    } else if (op === "add" || op === "replace") {
      parent[last] = value;
    } else {
      throw new Error(`patch path ${path}: op ${op as string} is not rendered`);
    }
  }
}
