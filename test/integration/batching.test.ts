import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type { ExtraMlflow } from "../../stack/launcher.js";
import { DashboardDocument } from "../generated/graphql.js";
import { startExtraProject } from "../support/extra-project.js";
import { startTestGateway, type TestGateway } from "../support/gateway.js";
import { stackConfig } from "../support/stack.js";

// Two projects alike but for size: 5 and 60 models, six versions each, every version from
// its own run, `champion` on version 4.
const servers: ExtraMlflow[] = [];
let gateway: TestGateway;

beforeAll(async () => {
  const small = await startExtraProject("small", { seedModels: 5 });
  const big = await startExtraProject("big", { seedModels: 60 });
  servers.push(small.server, big.server);
  const config = await stackConfig();
  config.projects.push(small.project, big.project);
  gateway = await startTestGateway(config);
}, 300_000);

afterAll(async () => {
  await gateway?.stop();
  await Promise.all(servers.map((s) => s.stop()));
});

async function dashboard(project: string) {
  const response = await gateway.query(DashboardDocument, { projects: [project] });
  expect(response.errors).toBeUndefined();
  return { data: response.data!, calls: response.extensions!.upstreamCalls! };
}

describe("the dashboard query", () => {
  it("costs the same upstream calls for 60 models as for 5", async () => {
    const small = await dashboard("small");
    const big = await dashboard("big");

    expect(small.data.models.totalCount).toBe(5);
    expect(big.data.models.totalCount).toBe(60);
    expect(big.calls.byUpstream).toEqual({ "mlflow:big": small.calls.byUpstream["mlflow:small"] });
    // models listing, every version of the project, experiment ids, runs by id.
    expect(small.calls.total).toBe(4);
  });

  it("answers every field it asked for, at every size", async () => {
    const { data } = await dashboard("big");
    for (const { node: model } of data.models.edges) {
      const champion = model.aliases.find((a) => a.alias === "champion")!;
      expect(champion.version.number).toBe(4);
      expect(champion.version.aliases).toEqual(["champion"]);
      expect(champion.version.run!.metrics.map((m) => m.key).sort()).toEqual(["r2", "rmse"]);
      const versions = model.versions.edges.map((e) => e.node);
      expect(versions.map((v) => v.number)).toEqual([6, 5, 4, 3, 2]);
      for (const version of versions) {
        expect(version.run!.params.map((p) => p.key).sort()).toEqual(["alpha", "depth"]);
      }
      // Each version has a run of its own.
      expect(new Set(versions.map((v) => v.run!.runId)).size).toBe(5);
    }
  });

  it("finds every champion from the model listing alone when only the key is asked", async () => {
    const champions = `query ($p: [String!]) { versions(projects: $p, filter: { alias: "champion" }, first: 500) {
      totalCount edges { node { number model { name } project { name } } } } }`;
    const { data, errors, extensions } = await gateway.query<{ versions: { totalCount: number } }>(
      champions,
      {
        p: ["big"],
      },
    );
    expect(errors).toBeUndefined();
    expect(data!.versions.totalCount).toBe(60);
    expect(extensions!.upstreamCalls!.byUpstream).toEqual({ "mlflow:big": 1 });
  });
});

describe("one version by number", () => {
  const query = (selection: string, model = "model-001") =>
    gateway.query<{ model: { version: { number: number; source: string } | null } | null }>(
      `query { model(project: "small", name: "${model}") { ${selection} } }`,
    );

  it("costs one get, and no model call, when the model's key is all else the query reads", async () => {
    const { data, errors, extensions } = await query(
      "id name project { name } version(number: 4) { number source }",
    );
    expect(errors).toBeUndefined();
    expect(data!.model!.version!.number).toBe(4);
    expect(data!.model!.version!.source).not.toBe("");
    expect(extensions!.upstreamCalls!.total).toBe(1);
  });

  it("tells a missing version from a missing model, loading the model only then", async () => {
    const noVersion = await query("version(number: 99) { number }");
    expect(noVersion.errors![0]!.extensions).toMatchObject({ code: "NOT_FOUND", version: 99 });
    expect(noVersion.data!.model!.version).toBeNull();
    expect(noVersion.extensions!.upstreamCalls!.total).toBe(2);

    const noModel = await query("version(number: 1) { number }", "no-such-model");
    expect(noModel.errors![0]!.extensions).toMatchObject({
      code: "NOT_FOUND",
      model: "no-such-model",
    });
    expect(noModel.errors![0]!.message).toContain('has no model "no-such-model"');
    expect(noModel.data!.model).toBeNull();
  });

  it("gets the version beside the model when the query reads more of the model", async () => {
    const { data, errors, extensions } = await query("description version(number: 4) { number }");
    expect(errors).toBeUndefined();
    expect(data!.model!.version!.number).toBe(4);
    expect(extensions!.upstreamCalls!.total).toBe(2);
  });

  it("reads it from the model's version list when the query lists them anyway", async () => {
    const { data, errors, extensions } = await query(
      'versions { totalCount } version(number: 4) { number } champion: version(alias: "champion") { number }',
    );
    expect(errors).toBeUndefined();
    expect(data!.model!.version!.number).toBe(4);
    // The model (for the alias) and its versions' search; neither version is a call of its own.
    expect(extensions!.upstreamCalls!.total).toBe(2);
  });
});
