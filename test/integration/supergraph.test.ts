import { GetObjectCommand, ListObjectsV2Command, type S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { parse } from "yaml";
import type { Config } from "../../src/config/schema.js";
import { type Gateway, startGateway } from "../../src/server/gateway.js";
import { createLogger } from "../../src/server/logger.js";
import {
  composeSupergraph,
  type Deployment,
  DEPLOYMENTS_SDL,
  type Served,
  startDeploymentsSubgraph,
  startSupergraphGateway,
} from "../../stack/supergraph.js";
import { type GraphQLResponse } from "../support/gateway.js";
import { parseSamples, type Sample } from "../support/prometheus.js";
import { stackS3 } from "../support/s3.js";
import { mlflowGet, mlflowVersions, stackConfig } from "../support/stack.js";
import { testTokens } from "../support/tokens.js";

// registry-graph as the `models` subgraph of a real composed supergraph (stack/supergraph.ts):
// a deployments subgraph that knows our versions only by key, composed with @apollo/composition
// and served by @apollo/gateway, which forwards the caller's Authorization to us. Every value
// of ours is checked against MLflow's REST API and the files in S3, not against ourselves.

/**
 * Versions of the seed (stack/seed.py) a deployments service would run: champions and a
 * challenger (aliases), sklearn and pyfunc models (runs with metrics, MLmodel signatures), one
 * registry-only version (no run), in three projects.
 */
const DEPLOYED = [
  { project: "fraud", model: "fraud-detector", version: 2 },
  { project: "fraud", model: "fraud-detector", version: 3 },
  { project: "fraud", model: "transaction-scorer", version: 2 },
  { project: "fraud", model: "fraud-rules", version: 3 },
  { project: "churn", model: "churn-classifier", version: 3 },
  { project: "churn", model: "shared-embeddings", version: 2 },
  { project: "recsys", model: "ranker", version: 2 },
];
/**
 * Each in 16 environments: 112 deployments, so 112 representations in one `_entities` fetch
 * (@apollo/gateway does not deduplicate them), which is what makes the heavy query below too
 * costly under the default `maxCost` (25,000) while the checked ones fit.
 */
const ENVIRONMENTS = ["us-east", "us-west", "eu-west", "eu-central", "ap-south", "ap-east"]
  .concat(["sa-east", "af-south"])
  .flatMap((region) => [`production-${region}`, `staging-${region}`]);
const DEPLOYMENTS: Deployment[] = DEPLOYED.flatMap((v) =>
  ENVIRONMENTS.map((environment) => ({
    ...v,
    name: `${v.model}-v${v.version}-${environment}`,
    environment,
  })),
);
const keyOf = (d: { project: string; model: string; version: number }) =>
  `${d.project}/${d.model}/${d.version}`;

const { token, withTokens } = testTokens("supergraph", {
  all: [{ project: "*", role: "reader" }],
  fraud: [{ project: "fraud", role: "reader" }],
});

let config: Config;
let models: Gateway;
let deployments: Served;
let router: Served;
let s3: S3Client;

beforeAll(async () => {
  s3 = stackS3();
  config = withTokens(await stackConfig());
  config.server.federation = true;
  models = await startGateway(config, createLogger("silent"));
  deployments = await startDeploymentsSubgraph(DEPLOYMENTS);
  router = await startSupergraphGateway(
    await composeSupergraph(`${models.url}/graphql`, deployments.url),
  );
}, 60_000);

afterAll(async () => {
  // Every one stopped even if another fails to: a server left listening keeps jest running.
  await Promise.allSettled([router?.stop(), deployments?.stop()]);
  await models?.stop();
  s3?.destroy();
});

/** A query to the router, as a client of the supergraph sends it; `who: null` sends no token. */
async function ask<T>(query: string, who: string | null = "all"): Promise<GraphQLResponse<T>> {
  const response = await fetch(router.url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(who !== null && { authorization: `Bearer ${token(who)}` }),
    },
    body: JSON.stringify({ query }),
  });
  return { status: response.status, ...((await response.json()) as object) };
}

/** registry-graph's upstream calls so far, by `kind:project`, from its own /metrics. */
async function upstreamCalls(): Promise<Map<string, number>> {
  const samples: Sample[] = parseSamples(await (await fetch(`${models.url}/metrics`)).text());
  const calls = new Map<string, number>();
  for (const s of samples.filter((s) => s.name === "registry_graph_upstream_requests_total")) {
    const key = `${s.labels.kind}:${s.labels.project}`;
    calls.set(key, (calls.get(key) ?? 0) + s.value);
  }
  return calls;
}

/** The upstream calls registry-graph made while `run` ran, by `kind:project`. */
async function callsDuring(run: () => Promise<unknown>): Promise<Record<string, number>> {
  const before = await upstreamCalls();
  await run();
  const after = await upstreamCalls();
  return Object.fromEntries(
    [...after]
      .map(([key, n]) => [key, n - (before.get(key) ?? 0)] as const)
      .filter(([, n]) => n > 0),
  );
}

/** Where MLflow itself says a version's files are, as bucket and prefix. */
async function filesOf(project: string, model: string, version: number) {
  const { artifact_uri: uri } = await mlflowGet<{ artifact_uri: string }>(
    project,
    `api/2.0/mlflow/model-versions/get-download-uri?name=${encodeURIComponent(model)}&version=${version}`,
  );
  const destination = config.projects.find((p) => p.name === project)!.artifacts?.destination;
  const [, bucket, prefix] = /^s3:\/\/([^/]+)\/(.*)$/.exec(
    uri.replace(/^mlflow-artifacts:\//, `${destination}/`),
  )!;
  return { bucket: bucket!, prefix: prefix! };
}

interface Spec {
  type: string;
  name?: string;
  required?: boolean;
  "tensor-spec"?: { dtype: string; shape: number[] };
}

/** A signature's inputs or outputs as the MLmodel file writes them (a JSON list), in our shape. */
function schemaOf(json: string | undefined) {
  if (json === undefined) return null;
  const specs = JSON.parse(json) as Spec[];
  return {
    columns: specs
      .filter((s) => s.type !== "tensor")
      .map((s) => ({ name: s.name ?? null, type: s.type, required: s.required !== false })),
    tensors: specs
      .filter((s) => s.type === "tensor")
      .map((s) => ({ dtype: s["tensor-spec"]!.dtype, shape: s["tensor-spec"]!.shape })),
  };
}

interface Truth {
  description: string | null;
  aliases: string[];
  status: string;
  runId: string | null;
  metrics: { key: string; value: number }[];
  signature: { inputs: ReturnType<typeof schemaOf>; outputs: ReturnType<typeof schemaOf> } | null;
}

/** A deployed version as MLflow's REST API and its MLmodel file in S3 have it. */
async function truthOf(project: string, model: string, version: number): Promise<Truth> {
  const { model_version: mv } = await mlflowGet<{
    model_version: { status: string; run_id?: string; aliases?: string[] };
  }>(
    project,
    `api/2.0/mlflow/model-versions/get?name=${encodeURIComponent(model)}&version=${version}`,
  );
  const { registered_model: registered } = await mlflowGet<{
    registered_model: { description?: string };
  }>(project, `api/2.0/mlflow/registered-models/get?name=${encodeURIComponent(model)}`);
  const runId = mv.run_id || null;
  const run = runId
    ? await mlflowGet<{ run: { data: { metrics?: { key: string; value: number }[] } } }>(
        project,
        `api/2.0/mlflow/runs/get?run_id=${runId}`,
      )
    : null;
  const { bucket, prefix } = await filesOf(project, model, version);
  const file = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: `${prefix}/MLmodel` }));
  const mlmodel = parse(await file.Body!.transformToString()) as {
    signature?: { inputs?: string; outputs?: string };
  };
  return {
    description: registered.description ?? null,
    aliases: [...(mv.aliases ?? [])].sort(),
    status: mv.status,
    runId,
    metrics: (run?.run.data.metrics ?? [])
      .map(({ key, value }) => ({ key, value }))
      .sort((a, b) => a.key.localeCompare(b.key)),
    signature: mlmodel.signature
      ? { inputs: schemaOf(mlmodel.signature.inputs), outputs: schemaOf(mlmodel.signature.outputs) }
      : null,
  };
}

async function truths(): Promise<Map<string, Truth>> {
  const all = await Promise.all(
    DEPLOYED.map(async (v) => [keyOf(v), await truthOf(v.project, v.model, v.version)] as const),
  );
  return new Map(all);
}

describe("composition", () => {
  it("composes the committed subgraph SDL with the deployments subgraph, joining both graphs", async () => {
    const sdl = await composeSupergraph(`${models.url}/graphql`, deployments.url);
    expect(sdl).toContain(`MODELS @join__graph(name: "models", url: "${models.url}/graphql")`);
    expect(sdl).toContain(
      `DEPLOYMENTS @join__graph(name: "deployments", url: "${deployments.url}")`,
    );
    const version = /\ntype Version\b[\s\S]*?\n}/.exec(sdl)![0];
    for (const graph of ["MODELS", "DEPLOYMENTS"]) {
      expect(version).toContain(
        `@join__type(graph: ${graph}, key: "project { name } model { name } number")`,
      );
    }
    expect(version).toContain("\n  aliases: [String!]! @join__field(graph: MODELS)");
    expect(version).toContain("\n  deployments: [Deployment!]! @join__field(graph: DEPLOYMENTS)");
  });

  it("fails when the deployments subgraph keys Version by scalars where ours has objects", async () => {
    const wrong = DEPLOYMENTS_SDL.replace(
      'type Version @key(fields: "project { name } model { name } number") {\n  project: Project!\n  model: Model!',
      'type Version @key(fields: "project model number") {\n  project: String!\n  model: String!',
    );
    expect(wrong).not.toBe(DEPLOYMENTS_SDL);
    await expect(
      composeSupergraph(`${models.url}/graphql`, deployments.url, wrong),
    ).rejects.toThrow(/Type of field "Version\.project" is incompatible across subgraphs/);
  });
});

interface Deployed {
  name: string;
  environment: string;
  model: { name: string; project?: { name: string }; description?: string | null } | null;
  version: {
    number: number;
    status?: string;
    aliases?: string[];
    run?: { runId: string; metrics: { key: string; value: number }[] } | null;
    mlmodel?: { signature: Truth["signature"] } | null;
  } | null;
}

const SCHEMA = "{ columns { name type required } tensors { dtype shape } }";
const VERSION = `number aliases run { runId metrics { key value } }
  mlmodel { signature { inputs ${SCHEMA} outputs ${SCHEMA} } }`;

describe("a query that starts in deployments", () => {
  it("reads each deployment's version's aliases, run metrics and signature from us, as MLflow and S3 have them", async () => {
    let answer!: GraphQLResponse<{ deployments: Deployed[] }>;
    const calls = await callsDuring(async () => {
      answer = await ask(
        `{ deployments { name environment model { name project { name } } version { ${VERSION} } } }`,
      );
    });
    expect(answer.errors).toBeUndefined();
    const truth = await truths();
    expect(answer.data!.deployments).toHaveLength(DEPLOYMENTS.length);
    answer.data!.deployments.forEach((deployed, i) => {
      const d = DEPLOYMENTS[i]!;
      const t = truth.get(keyOf(d))!;
      expect(deployed).toEqual({
        name: d.name,
        environment: d.environment,
        model: { name: d.model, project: { name: d.project } },
        version: {
          number: d.version,
          aliases: t.aliases,
          run: t.runId ? { runId: t.runId, metrics: t.metrics } : null,
          mlmodel: { signature: t.signature },
        },
      });
    });
    // What the checks above cover, so that the seed cannot quietly make them vacuous.
    const covered = [...truth.entries()];
    expect(covered.some(([, t]) => t.aliases.length > 0)).toBe(true);
    expect(covered.some(([, t]) => t.runId === null)).toBe(true);
    const full = covered.filter(([, t]) => t.metrics.length > 0 && t.signature?.inputs);
    expect(new Set(full.map(([key]) => key.split("/")[0])).size).toBeGreaterThanOrEqual(2);

    // The router's one `_entities` fetch of 112 representations (7 versions) costs MLflow and
    // S3 what the 7 versions asked of us directly cost: batched, never a call per deployment.
    const direct = await callsDuring(async () => {
      const response = await fetch(`${models.url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token("all")}` },
        body: JSON.stringify({
          query: `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Version { ${VERSION} } } }`,
          variables: {
            r: DEPLOYED.map((v) => ({
              __typename: "Version",
              project: { name: v.project },
              model: { name: v.model },
              number: v.version,
            })),
          },
        }),
      });
      expect(((await response.json()) as GraphQLResponse<unknown>).errors).toBeUndefined();
    });
    expect(calls).toEqual(direct);
  });
});

describe("a query that starts in models", () => {
  it("reads each version's deployments from the deployments subgraph", async () => {
    const answer = await ask<
      Record<string, { versions: { edges: { node: { number: number; deployments: object[] } }[] } }>
    >(`{
      fraud: model(project: "fraud", name: "fraud-detector") { ...deployed }
      churn: model(project: "churn", name: "churn-classifier") { ...deployed }
    }
    fragment deployed on Model {
      versions(first: 50) { edges { node { number deployments { name environment } } } }
    }`);
    expect(answer.errors).toBeUndefined();
    for (const [alias, project, model] of [
      ["fraud", "fraud", "fraud-detector"],
      ["churn", "churn", "churn-classifier"],
    ] as const) {
      const numbers = (await mlflowVersions<{ version: string }>(project, model))
        .map((v) => Number(v.version))
        .sort((a, b) => a - b);
      const nodes = answer.data![alias]!.versions.edges.map((e) => e.node);
      expect(nodes.map((n) => n.number).sort((a, b) => a - b)).toEqual(numbers);
      for (const node of nodes) {
        expect(node.deployments).toEqual(
          DEPLOYMENTS.filter(
            (d) => keyOf(d) === keyOf({ project, model, version: node.number }),
          ).map(({ name, environment }) => ({ name, environment })),
        );
      }
      expect(nodes.some((n) => n.deployments.length > 0)).toBe(true);
      expect(nodes.some((n) => n.deployments.length === 0)).toBe(true);
    }
  });
});

describe("identity and limits through the router", () => {
  // `description`, `status` and `aliases` make the router fetch the model and the version from
  // us: for their key fields alone it asks us nothing, the deployments subgraph has them.
  const OURS = `{ deployments { name model { name description } version { number status aliases } } }`;
  /**
   * A deployment whose entities we did not resolve: the router keeps the deployments subgraph's
   * stub of the model (its key) with our nullable field null, and nulls the version, whose
   * `status` and `aliases` are non-null. Nothing of ours is in it.
   */
  const nothingOfOurs = (d: Deployment) => ({
    name: d.name,
    model: { name: d.model, description: null },
    version: null,
  });

  it("forwards the caller's token: a fraud-only reader gets fraud's versions, and null with NOT_FOUND for the others, whose MLflow is never asked", async () => {
    let answer!: GraphQLResponse<{ deployments: Deployed[] }>;
    const calls = await callsDuring(async () => {
      answer = await ask(OURS, "fraud");
    });
    const truth = await truths();
    const hidden: number[] = [];
    answer.data!.deployments.forEach((deployed, i) => {
      const d = DEPLOYMENTS[i]!;
      if (d.project !== "fraud") {
        hidden.push(i);
        expect(deployed).toEqual(nothingOfOurs(d));
        return;
      }
      const t = truth.get(keyOf(d))!;
      expect(deployed).toEqual({
        name: d.name,
        model: { name: d.model, description: t.description },
        version: { number: d.version, status: t.status, aliases: t.aliases },
      });
    });
    expect(hidden.length).toBeGreaterThan(0);
    // Our own error for each entity, worded as for a project that does not exist.
    const errors = answer.errors!.map((e) => [
      e.path!.join("."),
      e.extensions!.code,
      e.message,
      e.extensions!.serviceName,
    ]);
    expect(errors.sort()).toEqual(
      hidden
        .flatMap((i) =>
          ["model", "version"].map((field) => [i, `deployments.${i}.${field}`] as const),
        )
        .map(([i, path]) => [
          path,
          "NOT_FOUND",
          `unknown project "${DEPLOYMENTS[i]!.project}"`,
          "models",
        ])
        .sort(),
    );
    expect(Object.keys(calls).filter((key) => key.startsWith("mlflow:"))).toEqual(["mlflow:fraud"]);
  });

  it("answers no token with FORBIDDEN for each fetch of ours, before any call", async () => {
    let answer!: GraphQLResponse<{ deployments: Deployed[] }>;
    const calls = await callsDuring(async () => {
      answer = await ask(OURS, null);
    });
    expect(answer.data!.deployments).toEqual(DEPLOYMENTS.map(nothingOfOurs));
    // One `_entities` fetch for the models, one for the versions; each refused whole.
    expect(answer.errors!.map((e) => [e.path!.join("."), e.extensions!.code]).sort()).toEqual([
      ["deployments.@.model._entities", "FORBIDDEN"],
      ["deployments.@.version._entities", "FORBIDDEN"],
    ]);
    expect(calls).toEqual({});
  });

  it("answers a token we do not know with our 401, which the router reports as UNAUTHENTICATED", async () => {
    let answer!: GraphQLResponse<{ deployments: Deployed[] }>;
    const calls = await callsDuring(async () => {
      answer = await ask(OURS, "nobody"); // a token of no caller the config knows
    });
    expect(answer.data!.deployments).toEqual(DEPLOYMENTS.map(nothingOfOurs));
    expect(answer.errors).toHaveLength(2);
    for (const error of answer.errors!) {
      // @apollo/gateway wraps a subgraph's non-2xx answer in an error of its own, ours inside.
      expect(error.extensions!.code).toBe("UNAUTHENTICATED");
      const ours = error.extensions!.response as { status: number; body: GraphQLResponse<null> };
      expect(ours.status).toBe(401);
      expect(ours.body.errors!.map((e) => e.extensions!.code)).toEqual(["UNAUTHENTICATED"]);
    }
    expect(calls).toEqual({});
  });

  it("refuses an _entities selection too costly for 112 representations before any call, and answers it for one version's 16", async () => {
    const files = `version { number artifacts(recursive: true) { path isDir } mlmodel { flavors { name } } }`;
    let refused!: GraphQLResponse<{ deployments: Deployed[] }>;
    const calls = await callsDuring(async () => {
      refused = await ask(`{ deployments { name ${files} } }`);
    });
    expect(refused.data!.deployments.map((d) => d.version)).toEqual(DEPLOYMENTS.map(() => null));
    // Our HTTP 400, wrapped by @apollo/gateway as an INTERNAL_SERVER_ERROR of its own.
    expect(refused.errors).toHaveLength(1);
    const [wrapped] = refused.errors!;
    expect(wrapped!.extensions!.code).toBe("INTERNAL_SERVER_ERROR");
    const ours = wrapped!.extensions!.response as { status: number; body: GraphQLResponse<null> };
    expect(ours.status).toBe(400);
    expect(ours.body.errors!.map((e) => e.extensions!.code)).toEqual(["QUERY_TOO_COMPLEX"]);
    const { cost, maxCost } = ours.body.errors![0]!.extensions as { cost: number; maxCost: number };
    expect(maxCost).toBe(config.server.limits.maxCost);
    expect(cost).toBeGreaterThan(maxCost);
    expect(calls).toEqual({});

    const answer = await ask<{
      model: { version: { deployments: { name: string; version: { artifacts: object[] } }[] } };
    }>(`{ model(project: "fraud", name: "fraud-detector") {
      version(number: 2) { deployments { name ${files} } } } }`);
    expect(answer.errors).toBeUndefined();
    const { bucket, prefix } = await filesOf("fraud", "fraud-detector", 2);
    const listed = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: `${prefix}/` }),
    );
    const inS3 = (listed.Contents ?? []).map((o) => o.Key!.slice(prefix.length + 1)).sort();
    const deployed = answer.data!.model.version.deployments;
    expect(deployed.map((d) => d.name)).toEqual(
      DEPLOYMENTS.filter((d) => keyOf(d) === "fraud/fraud-detector/2").map((d) => d.name),
    );
    for (const d of deployed) {
      const files = (d.version.artifacts as { path: string; isDir: boolean }[])
        .filter((a) => !a.isDir)
        .map((a) => a.path)
        .sort();
      expect(files).toEqual(inS3);
    }
  });
});
