import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { parse } from "yaml";
import { CONFIG_ENV, parseConfig } from "../../../src/config/load.js";
import { Admission } from "../../../src/server/admission.js";
import { ReadinessProbe } from "../../../src/server/readiness.js";
import { createRouter } from "../../../src/server/routes.js";
import { type Manifest, renderKustomization } from "./kustomize.js";
import { schemaProblems, unknownFields } from "./schemas.js";

const root = new URL("../../../", import.meta.url);
const read = (file: string) => readFileSync(new URL(file, root), "utf8");
const KUSTOMIZATIONS = ["base", "overlays/example"] as const;
const rendered = Object.fromEntries(
  KUSTOMIZATIONS.map((dir) => [
    dir,
    renderKustomization(fileURLToPath(new URL(`deploy/${dir}`, root))),
  ]),
);
const secretExample = parse(read("deploy/overlays/example/secret.example.yaml")) as Manifest & {
  stringData: Record<string, string>;
};
const MiB = 1024 * 1024;

// The parts of the kinds these tests read; the schema tests hold the rest.
interface Selector {
  matchLabels?: Record<string, string>;
}
interface Probe {
  httpGet?: { path: string; port: string | number };
  periodSeconds?: number;
  timeoutSeconds?: number;
}
interface Container {
  image: string;
  ports: { name: string; containerPort: number }[];
  env?: { name: string; value?: string }[];
  envFrom?: { secretRef?: { name: string } }[];
  resources: Record<"requests" | "limits", { cpu: string; memory: string }>;
  securityContext: {
    allowPrivilegeEscalation?: boolean;
    readOnlyRootFilesystem?: boolean;
    runAsNonRoot?: boolean;
    privileged?: boolean;
    capabilities?: { drop?: string[]; add?: string[] };
    seccompProfile?: { type: string };
  };
  startupProbe?: Probe;
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  lifecycle?: { preStop?: { exec?: { command: string[] }; sleep?: { seconds: number } } };
  volumeMounts: { name: string; mountPath: string; readOnly?: boolean }[];
}
interface PodSpec {
  securityContext: {
    runAsNonRoot?: boolean;
    runAsUser?: number;
    seccompProfile?: { type: string };
  };
  hostNetwork?: boolean;
  hostPID?: boolean;
  terminationGracePeriodSeconds: number;
  topologySpreadConstraints?: {
    topologyKey: string;
    whenUnsatisfiable: string;
    labelSelector: Selector;
  }[];
  containers: Container[];
  volumes: { name: string; configMap?: { name: string } }[];
}
interface NetworkPolicyPort {
  port?: string | number;
  protocol?: string;
}

function only(manifests: Manifest[], kind: string): Manifest & { spec: Record<string, unknown> } {
  const found = manifests.filter((m) => m.kind === kind);
  expect(found).toHaveLength(1);
  return found[0] as Manifest & { spec: Record<string, unknown> };
}

function selects(selector: Selector | undefined, labels: Record<string, string>): boolean {
  const wanted = Object.entries(selector?.matchLabels ?? {});
  return wanted.length > 0 && wanted.every(([key, value]) => labels[key] === value);
}

/** `${VAR}`s of a config, as the gateway interpolates them: in values, not comments. */
function variablesOf(tree: unknown, found = new Set<string>()): Set<string> {
  if (typeof tree === "string") {
    for (const m of tree.matchAll(/\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)(:-[^}]*)?\}/g)) {
      if (m[1] && m[2] === undefined) found.add(m[1]);
    }
  } else if (tree !== null && typeof tree === "object") {
    for (const value of Object.values(tree)) variablesOf(value, found);
  }
  return found;
}

/** Kubernetes quantities as deploy/ writes them: 768Mi, 1Gi, 500m, 2. */
function quantity(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(m|Ki|Mi|Gi)?$/.exec(text);
  if (!m) throw new Error(`quantity ${text}: not a form this test reads`);
  const unit = { m: 1e-3, Ki: 1024, Mi: MiB, Gi: 1024 * MiB }[m[2] ?? ""] ?? 1;
  return Number(m[1]) * unit;
}

function heapLimitMiB(nodeOptions: string | undefined): number {
  const m = /--max-old-space-size=(\d+)/.exec(nodeOptions ?? "");
  if (!m) throw new Error(`no --max-old-space-size in "${nodeOptions}"`);
  return Number(m[1]);
}

function portOf(url: string): number {
  const { port, protocol } = new URL(url);
  return port ? Number(port) : protocol === "https:" ? 443 : 80;
}

/** The base's Deployment, renamed, with one change to its container: a manifest that must fail. */
function withContainer(name: string, change: (container: BrokenContainer) => void): Manifest {
  const copy = structuredClone(only(rendered.base!, "Deployment"));
  copy.metadata.name = name;
  const pod = (copy.spec as { template: { spec: { containers: BrokenContainer[] } } }).template;
  change(pod.spec.containers[0]!);
  return copy;
}
interface BrokenContainer {
  ports: { containerPort: unknown }[];
  securityContext: Record<string, unknown>;
}

/** What the checks of one kustomization read: its Deployment's pod, its config, its peers. */
function partsOf(dir: (typeof KUSTOMIZATIONS)[number]) {
  const manifests = rendered[dir]!;
  const deployment = only(manifests, "Deployment");
  const template = deployment.spec.template as {
    metadata: { labels: Record<string, string> };
    spec: PodSpec;
  };
  const pod = template.spec;
  if (pod.containers.length !== 1)
    throw new Error(`${dir}: the pod has one container, the gateway`);
  const container = pod.containers[0]!;
  const configFile = container.env?.find((e) => e.name === CONFIG_ENV)?.value ?? "";
  const mount = container.volumeMounts.find((v) => `${v.mountPath}/config.yaml` === configFile);
  const volume = pod.volumes.find((v) => v.name === mount?.name);
  const configMap = manifests.find(
    (m) => m.kind === "ConfigMap" && m.metadata.name === volume?.configMap?.name,
  ) as (Manifest & { data: Record<string, string> }) | undefined;
  const configText = configMap?.data["config.yaml"];
  if (configText === undefined) throw new Error(`${dir}: ${CONFIG_ENV} names no ConfigMap's file`);
  const variables = variablesOf(parse(configText));
  const dummies = Object.fromEntries([...variables].map((name) => [name, `dummy-${name}`]));
  return {
    manifests,
    deployment,
    podLabels: template.metadata.labels,
    pod,
    container,
    mount: mount!,
    configMap: configMap!,
    variables,
    /** The config as the gateway reads it: throws ConfigError listing every problem. */
    config: () => parseConfig(configText, dummies, `deploy/${dir}: config.yaml`),
    env: (name: string) => container.env?.find((e) => e.name === name)?.value,
  };
}

describe("deploy/", () => {
  it("holds only manifests valid against Kubernetes' schemas", async () => {
    const all = [...Object.values(rendered).flat(), secretExample];
    const problems = (await Promise.all(all.map(schemaProblems))).flat();
    expect(problems).toEqual([]);
    expect(all.map((m) => m.kind)).toEqual(expect.arrayContaining(["Deployment", "Secret"]));
    const portAsText = withContainer("port-as-text", (c) => (c.ports[0]!.containerPort = "4000"));
    expect(await schemaProblems(portAsText)).toEqual([
      expect.stringContaining("containerPort must be integer"),
    ]);
  });

  it("holds no field that Kubernetes' schemas do not define", () => {
    const misspelt = withContainer("misspelt", (c) => {
      c.securityContext.readOnlyRootFileSystem = true;
    });
    expect(unknownFields([...Object.values(rendered).flat(), secretExample, misspelt])).toEqual([
      expect.stringMatching(/^Deployment misspelt: .*'"readOnlyRootFileSystem"' does not exist/),
    ]);
  });

  it("commits the Secret's keys with placeholders only, and renders no Secret", () => {
    expect(new Set(Object.values(secretExample.stringData))).toEqual(new Set(["REPLACE_ME"]));
    for (const manifests of Object.values(rendered)) {
      expect(manifests.filter((m) => m.kind === "Secret")).toEqual([]);
    }
  });
});

describe.each(KUSTOMIZATIONS)("deploy/%s", (dir) => {
  const parts = partsOf(dir);
  const { manifests, deployment, pod, container, podLabels } = parts;

  it("runs as the image's non-root user, read-only, without privileges or capabilities", () => {
    // The image runs as `node` (uid 1000 in Node's official images); the kubelet can check
    // only a numeric user.
    const finalStage = read("Dockerfile")
      .split(/^FROM /m)
      .at(-1)!;
    expect(finalStage).toMatch(/^node:\S+$/m);
    expect(finalStage).toMatch(/^USER node$/m);
    expect(pod.securityContext).toMatchObject({
      runAsNonRoot: true,
      runAsUser: 1000,
      seccompProfile: { type: "RuntimeDefault" },
    });
    expect(pod.hostNetwork ?? false).toBe(false);
    expect(pod.hostPID ?? false).toBe(false);
    expect(container.securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ["ALL"] },
    });
    expect(container.securityContext.privileged ?? false).toBe(false);
    expect(container.securityContext.capabilities?.add ?? []).toEqual([]);
  });

  it("serves on the port the config listens on, on an address the kubelet can reach", () => {
    const config = parts.config();
    const http = container.ports.find((p) => p.name === "http");
    expect(http?.containerPort).toBe(config.server.port);
    expect(["0.0.0.0", "::"]).toContain(config.server.host);
    for (const probe of [
      container.startupProbe,
      container.livenessProbe,
      container.readinessProbe,
    ]) {
      expect(probe?.httpGet?.port).toBe("http");
    }
    expect(container.livenessProbe?.httpGet?.path).toBe("/healthz");
    expect(container.readinessProbe?.httpGet?.path).toBe("/readyz");
  });

  it("reads config.yaml from a generated ConfigMap, read-only, that the gateway accepts", () => {
    const config = parts.config();
    expect(parts.mount.readOnly).toBe(true);
    expect(parts.configMap.metadata.name).toMatch(/^registry-graph-config-[a-z0-9]{10}$/);
    expect(config.projects.length).toBeGreaterThan(0);
    expect(config.state?.uri).toMatch(/^s3:\/\//);
  });

  it("takes every ${VAR} of the config from the Secret the example lists", () => {
    const fromSecret = (container.envFrom ?? []).map((source) => source.secretRef?.name);
    expect(fromSecret).toEqual([secretExample.metadata.name]);
    const supplied = new Set([
      ...Object.keys(secretExample.stringData),
      ...(container.env ?? []).map((e) => e.name),
    ]);
    expect([...parts.variables].filter((name) => !supplied.has(name))).toEqual([]);
    expect(parts.variables.size).toBeGreaterThan(0);
  });

  it("waits out the endpoint's removal and the server's drain before it is killed", () => {
    // After SIGTERM: serving while load balancers notice /readyz, then what in-flight
    // requests get before their sockets are closed.
    const { drainDelayMs, gracePeriodMs } = parts.config().server.shutdown;
    const drainSeconds = (drainDelayMs + gracePeriodMs) / 1000;
    expect(gracePeriodMs).toBeGreaterThan(0);
    const preStop = container.lifecycle?.preStop;
    const command = preStop?.exec?.command ?? [];
    const sleepSeconds =
      preStop?.sleep?.seconds ?? (command[0] === "sleep" ? Number(command[1]) : 0);
    expect(sleepSeconds).toBeGreaterThanOrEqual(5);
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(sleepSeconds + drainSeconds);
  });

  it("gives /readyz longer than the slowest upstream may take to answer it", () => {
    const config = parts.config();
    const slowest = Math.max(
      config.s3.timeoutMs,
      ...config.projects.map((p) => p.mlflow.timeoutMs),
    );
    expect(container.readinessProbe!.timeoutSeconds! * 1000).toBeGreaterThan(slowest);
  });

  it("keeps the memory limit above the heap limit, and requests within limits", () => {
    const { requests, limits } = container.resources;
    const heap = heapLimitMiB(
      parts.env("NODE_OPTIONS") ?? /NODE_OPTIONS=(\S+)/.exec(read("Dockerfile"))?.[1],
    );
    // Outside V8's old space: the young generation, code, sockets and buffers.
    expect(quantity(limits.memory)).toBeGreaterThanOrEqual((heap + 256) * MiB);
    expect(quantity(requests.memory)).toBeLessThanOrEqual(quantity(limits.memory));
    expect(quantity(requests.cpu)).toBeLessThanOrEqual(quantity(limits.cpu));
  });

  it("rolls out with no replica less, and leaves the count to the autoscaler", () => {
    expect(deployment.spec.strategy).toEqual({
      type: "RollingUpdate",
      rollingUpdate: { maxUnavailable: 0, maxSurge: 1 },
    });
    expect(deployment.spec.replicas).toBeUndefined();
    const hpa = only(manifests, "HorizontalPodAutoscaler").spec as {
      scaleTargetRef: { kind: string; name: string };
      minReplicas: number;
      metrics: { type: string; resource?: { name: string } }[];
    };
    expect(hpa.scaleTargetRef).toMatchObject({
      kind: "Deployment",
      name: deployment.metadata.name,
    });
    expect(hpa.minReplicas).toBeGreaterThanOrEqual(2);
    expect(hpa.metrics).toEqual([
      expect.objectContaining({
        type: "Resource",
        resource: expect.objectContaining({ name: "cpu" }),
      }),
    ]);
    // Utilisation is measured against the request: without one the HPA cannot scale.
    expect(quantity(container.resources.requests.cpu)).toBeGreaterThan(0);
  });

  it("keeps a replica through a disruption, and spreads replicas across nodes", () => {
    const pdb = only(manifests, "PodDisruptionBudget").spec as {
      minAvailable: number;
      selector: Selector;
    };
    expect(selects(pdb.selector, podLabels)).toBe(true);
    expect(pdb.minAvailable).toBe(1);
    const acrossNodes = pod.topologySpreadConstraints?.find(
      (c) => c.topologyKey === "kubernetes.io/hostname",
    );
    expect(acrossNodes?.whenUnsatisfiable).toBe("DoNotSchedule");
    expect(selects(acrossNodes?.labelSelector, podLabels)).toBe(true);
  });

  it("routes the Service's http port to the container's", () => {
    const service = only(manifests, "Service").spec as {
      type: string;
      selector: Record<string, string>;
      ports: { name: string; targetPort: string }[];
    };
    expect(service.type).toBe("ClusterIP");
    expect(selects({ matchLabels: service.selector }, podLabels)).toBe(true);
    expect(service.ports.map((p) => [p.name, p.targetPort])).toEqual([["http", "http"]]);
  });

  it("lets callers reach the http port, and the gateway reach DNS and every upstream it names", () => {
    const policy = only(manifests, "NetworkPolicy").spec as {
      podSelector: Selector;
      policyTypes: string[];
      ingress: { ports?: NetworkPolicyPort[] }[];
      egress: { ports?: NetworkPolicyPort[] }[];
    };
    expect(selects(policy.podSelector, podLabels)).toBe(true);
    expect(policy.policyTypes).toEqual(["Ingress", "Egress"]);
    const allows = (
      rules: { ports?: NetworkPolicyPort[] }[],
      port: string | number,
      protocol = "TCP",
    ) =>
      rules.some(
        (r) =>
          !r.ports || r.ports.some((p) => p.port === port && (p.protocol ?? "TCP") === protocol),
      );
    expect(allows(policy.ingress, "http")).toBe(true);
    expect(allows(policy.egress, 53, "UDP")).toBe(true);
    expect(allows(policy.egress, 53, "TCP")).toBe(true);
    const config = parts.config();
    const upstreams = [
      ...config.projects.map((p) => p.mlflow.url),
      config.s3.endpoint ?? "https://s3.amazonaws.com",
      ...(config.events.bus === "redis" ? [config.events.redis.url.replace(/^redis/, "http")] : []),
    ];
    expect(upstreams.filter((url) => !allows(policy.egress, portOf(url)))).toEqual([]);
  });
});

describe("the Deployment's probes", () => {
  const router = createRouter({
    apollo: undefined as never, // no probe reaches GraphQL
    context: () => Promise.reject(new Error("no GraphQL here")),
    webhook: () => Promise.reject(new Error("no webhook here")),
    maxBodyBytes: 1024,
    admission: new Admission(1, 0),
    requestTimeoutMs: 1000,
    readiness: new ReadinessProbe(async () => ({ ready: true, projects: [], s3: [] }), 0),
    readinessDetails: false,
    authenticate: () => Promise.reject(new Error("no GraphQL here")),
    finish: () => {},
  });
  const server = createServer((req, res) => void router(req, res));
  let base = "";
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const paths = new Set(
    Object.keys(rendered).flatMap((dir) => {
      const { container } = partsOf(dir as (typeof KUSTOMIZATIONS)[number]);
      return [container.startupProbe, container.livenessProbe, container.readinessProbe].map(
        (probe) => probe!.httpGet!.path,
      );
    }),
  );

  it.each([...paths])(
    "ask %s, which the gateway's router answers 200 while it serves",
    async (path) => {
      expect((await fetch(`${base}${path}`)).status).toBe(200);
    },
  );

  it("would see a path the router does not serve fail", async () => {
    expect((await fetch(`${base}/livez`)).status).toBe(404);
  });
});
