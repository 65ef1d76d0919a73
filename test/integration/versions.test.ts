import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { startTestGateway, type TestGateway } from "../support/gateway.js";
import {
  mlflowGet,
  mlflowModels,
  mlflowVersions,
  stackConfig,
  stackProjects,
} from "../support/stack.js";

interface WireVersion {
  name: string;
  version: string;
  creation_timestamp: number;
  last_updated_timestamp: number;
  current_stage?: string;
  description?: string;
  source: string;
  run_id?: string;
  status: string;
  tags?: { key: string; value: string }[];
}

interface WireModel {
  name: string;
  aliases?: { alias: string; version: string }[];
}

interface GatewayVersion {
  id: string;
  number: number;
  status: string;
  stage: string | null;
  description: string | null;
  source: string;
  runId: string | null;
  createdAt: string;
  updatedAt: string;
  tags: { key: string; value: string }[];
  aliases: string[];
  run: {
    runId: string;
    name: string | null;
    status: string;
    experimentId: string;
    startTime: string | null;
    endTime: string | null;
    metrics: { key: string; value: number; step: number }[];
    params: { key: string; value: string }[];
    tags: { key: string; value: string }[];
  } | null;
}

const projectVersions = `query ($project: String!) {
  project(name: $project) {
    models(first: 20) {
      edges { node { name versions(first: 20) { totalCount edges { node {
        id number status stage description source runId createdAt updatedAt
        tags { key value } aliases
        run { runId name status experimentId startTime endTime
              metrics { key value step } params { key value } tags { key value } }
      } } } } }
    }
  }
}`;

let gateway: TestGateway;
beforeAll(async () => {
  gateway = await startTestGateway(await stackConfig());
});
afterAll(() => gateway.stop());

const byKey = <T extends { key: string }>(items: T[]) =>
  [...items].sort((a, b) => (a.key < b.key ? -1 : 1));

async function gatewayVersions(project: string): Promise<Map<string, GatewayVersion[]>> {
  const { data, errors } = await gateway.query<{
    project: {
      models: {
        edges: { node: { name: string; versions: { edges: { node: GatewayVersion }[] } } }[];
      };
    };
  }>(projectVersions, { project });
  expect(errors).toBeUndefined();
  return new Map(
    data!.project.models.edges.map(({ node }) => [
      node.name,
      node.versions.edges.map((e) => e.node),
    ]),
  );
}

describe("versions, field by field against MLflow's REST API", () => {
  it.each(stackProjects())("project %s", async (project) => {
    const versionsByModel = await gatewayVersions(project);
    const models = await mlflowModels<WireModel>(project);
    expect([...versionsByModel.keys()].sort()).toEqual(models.map((m) => m.name).sort());

    for (const model of models) {
      const truth = await mlflowVersions<WireVersion>(project, model.name);
      const versions = versionsByModel.get(model.name)!;
      // Newest first; soft-deleted numbers are simply absent.
      expect(versions.map((v) => v.number)).toEqual(
        truth.map((v) => Number(v.version)).sort((a, b) => b - a),
      );
      for (const version of versions) {
        const wire = truth.find((v) => Number(v.version) === version.number)!;
        expect(version).toMatchObject({
          status: wire.status,
          stage: wire.current_stage === "None" ? null : (wire.current_stage ?? null),
          description: wire.description || null,
          source: wire.source,
          runId: wire.run_id || null,
        });
        expect(Date.parse(version.createdAt)).toBe(wire.creation_timestamp);
        expect(Date.parse(version.updatedAt)).toBe(wire.last_updated_timestamp);
        expect(byKey(version.tags)).toEqual(byKey(wire.tags ?? []));
        // model-versions/search leaves aliases empty: the gateway takes them from the model.
        const aliases = (model.aliases ?? []).filter((a) => Number(a.version) === version.number);
        expect(version.aliases).toEqual(aliases.map((a) => a.alias).sort());
        await expectRunMatches(project, version, wire);
      }
    }
  });
});

async function expectRunMatches(project: string, version: GatewayVersion, wire: WireVersion) {
  if (!wire.run_id) {
    // Registry-only, or an MLflow 3 logged model made outside any run (its source_run_id is empty).
    expect(version.run).toBeNull();
    return;
  }
  const { run } = await mlflowGet<{
    run: {
      info: {
        run_id: string;
        run_name?: string;
        status: string;
        experiment_id: string;
        start_time?: number;
        end_time?: number;
      };
      data: {
        metrics?: { key: string; value: number; step: number }[];
        params?: { key: string; value: string }[];
        tags?: { key: string; value: string }[];
      };
    };
  }>(project, `api/2.0/mlflow/runs/get?run_id=${wire.run_id}`);
  expect(version.run).toMatchObject({
    runId: run.info.run_id,
    name: run.info.run_name ?? null,
    status: run.info.status,
    experimentId: run.info.experiment_id,
  });
  expect(Date.parse(version.run!.startTime!)).toBe(run.info.start_time);
  expect(byKey(version.run!.params)).toEqual(byKey(run.data.params ?? []));
  expect(byKey(version.run!.tags)).toEqual(byKey(run.data.tags ?? []));
  expect(byKey(version.run!.metrics)).toEqual(
    byKey((run.data.metrics ?? []).map(({ key, value, step }) => ({ key, value, step }))),
  );
}

describe("the shapes of version sources", () => {
  it("reaches the run of an MLflow 3 models:/ version and has none for registry-only ones", async () => {
    const fraud = await gatewayVersions("fraud");
    const logged = [...fraud.values()].flat().filter((v) => v.source.startsWith("models:/m-"));
    expect(logged.length).toBeGreaterThan(0);
    for (const version of logged) expect(version.run?.runId).toBe(version.runId);

    const registryOnly = fraud.get("fraud-rules")!;
    expect(registryOnly.map((v) => v.number)).toEqual([3, 1]); // v2 was deleted
    for (const version of registryOnly) {
      expect(version.source).toMatch(/^s3:\/\//);
      expect(version.run).toBeNull();
    }
  });

  it("finds a version by number or alias, and refuses both or neither", async () => {
    const query = `query ($n: Int, $a: String) { model(project: "fraud", name: "fraud-detector") {
      version(number: $n, alias: $a) { number aliases } } }`;
    const byAlias = await gateway.query<{
      model: { version: { number: number; aliases: string[] } };
    }>(query, { a: "champion" });
    const truth = await mlflowGet<{ model_version: { version: string; aliases: string[] } }>(
      "fraud",
      "api/2.0/mlflow/registered-models/alias?name=fraud-detector&alias=champion",
    );
    expect(byAlias.data!.model.version.number).toBe(Number(truth.model_version.version));
    expect(byAlias.data!.model.version.aliases).toEqual([...truth.model_version.aliases].sort());

    const byNumber = await gateway.query<{ model: { version: { number: number } } }>(query, {
      n: 1,
    });
    expect(byNumber.data!.model.version.number).toBe(1);

    for (const variables of [{}, { n: 1, a: "champion" }]) {
      const bad = await gateway.query(query, variables);
      expect(bad.errors![0]!.extensions!.code).toBe("BAD_USER_INPUT");
    }
    const missing = await gateway.query(
      `{ model(project: "fraud", name: "fraud-rules") { version(number: 2) { number } } }`,
    );
    expect(missing.errors![0]).toMatchObject({
      message: 'model "fraud-rules" of project "fraud" has no version 2',
      extensions: { code: "NOT_FOUND", project: "fraud", model: "fraud-rules", version: 2 },
    });
    const noAlias = await gateway.query(query, { a: "nope" });
    expect(noAlias.errors![0]!.extensions!.code).toBe("NOT_FOUND");
  });

  it("gives latest versions per stage as MLflow's get-latest-versions does", async () => {
    for (const project of stackProjects()) {
      for (const model of await mlflowModels<WireModel>(project)) {
        const truth = await mlflowGet<{
          model_versions?: { version: string; current_stage: string }[];
        }>(
          project,
          `api/2.0/mlflow/registered-models/get-latest-versions?name=${encodeURIComponent(model.name)}&stages=Production`,
        );
        const { data } = await gateway.query<{
          model: { latestVersions: { number: number; stage: string }[] };
        }>(
          `query ($p: String!, $m: String!) { model(project: $p, name: $m) { latestVersions(stages: ["production"]) { number stage } } }`,
          { p: project, m: model.name },
        );
        expect(data!.model.latestVersions).toEqual(
          (truth.model_versions ?? []).map((v) => ({
            number: Number(v.version),
            stage: v.current_stage,
          })),
        );
      }
    }
  });
});
