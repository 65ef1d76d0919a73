import { PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { startExtraProject } from "../support/extra-project.js";
import { startTestGateway, type TestGateway } from "../support/gateway.js";
import { stackS3 } from "../support/s3.js";
import { stackConfig } from "../support/stack.js";

// Writes go to a server of this file's own, so no other test sees the registry change.
let extra: Awaited<ReturnType<typeof startExtraProject>>;
let gateway: TestGateway;
let s3: S3Client;
const root = "s3://mlflow/writes/registry-graph";

beforeAll(async () => {
  extra = await startExtraProject("writes");
  extra.project.artifacts = { destination: "s3://mlflow/writes", root };
  const config = await stackConfig();
  gateway = await startTestGateway({ ...config, projects: [extra.project] });
  s3 = stackS3();
  // A model's files, put where the project may register from, and one folder with no MLmodel.
  const put = (key: string, body: string) =>
    s3.send(new PutObjectCommand({ Bucket: "mlflow", Key: key, Body: body }));
  await put(
    "writes/registry-graph/imports/scorer/MLmodel",
    "flavors:\n  python_function:\n    loader_module: mlflow.pyfunc.model\nmlflow_version: 3.17.2\n",
  );
  await put("writes/registry-graph/imports/scorer/model.pkl", "bytes");
  await put("writes/registry-graph/imports/empty/notes.txt", "no model here");
}, 120_000);

afterAll(async () => {
  await gateway?.stop();
  await extra?.server.stop();
  s3?.destroy();
});

async function mlflowModelNames(): Promise<string[]> {
  const body = await extra.get<{ registered_models?: { name: string }[] }>(
    "registered-models/search?max_results=1000",
  );
  return (body.registered_models ?? []).map((m) => m.name).sort();
}

const codeOf = (response: { errors?: { extensions?: Record<string, unknown> }[] }) =>
  response.errors?.[0]?.extensions?.code;

describe("model mutations", () => {
  it("creates a model and returns it as MLflow now has it", async () => {
    const { data, errors } = await gateway.query<{
      createModel: { name: string; description: string; tags: object[] };
    }>(
      `mutation { createModel(input: { project: "writes", name: "scorer", description: "first",
         tags: [{ key: "team", value: "risk" }] }) { name description tags { key value } } }`,
    );
    expect(errors).toBeUndefined();
    const truth = await extra.get<{ registered_model: { description: string; tags: object[] } }>(
      "registered-models/get?name=scorer",
    );
    expect(data!.createModel).toEqual({
      name: "scorer",
      description: truth.registered_model.description,
      tags: truth.registered_model.tags,
    });
  });

  it("says ALREADY_EXISTS for a name that is taken", async () => {
    const again = await gateway.query(
      `mutation { createModel(input: { project: "writes", name: "scorer" }) { name } }`,
    );
    expect(codeOf(again)).toBe("ALREADY_EXISTS");
  });

  it("lets a later mutation of the same request see an earlier one", async () => {
    const { data, errors } = await gateway.query<{
      a: { tags: { key: string }[] };
      b: { tags: { key: string }[]; description: string };
    }>(
      `mutation {
        a: setModelTag(input: { project: "writes", name: "scorer", key: "stage", value: "beta" }) { tags { key } }
        b: updateModel(input: { project: "writes", name: "scorer", description: "second" }) { description tags { key } }
      }`,
    );
    expect(errors).toBeUndefined();
    expect(data!.b.description).toBe("second");
    expect(data!.b.tags.map((t) => t.key).sort()).toEqual(["stage", "team"]);
    const removed = await gateway.query<{ deleteModelTag: { tags: { key: string }[] } }>(
      `mutation { deleteModelTag(input: { project: "writes", name: "scorer", key: "stage" }) { tags { key } } }`,
    );
    expect(removed.data!.deleteModelTag.tags.map((t) => t.key)).toEqual(["team"]);
    const truth = await extra.get<{
      registered_model: { description: string; tags: { key: string }[] };
    }>("registered-models/get?name=scorer");
    expect(truth.registered_model.description).toBe("second");
    expect(truth.registered_model.tags.map((t) => t.key)).toEqual(["team"]);
  });

  it.each([
    ["a name with a slash", `name: "a/b"`],
    ["a name with a colon", `name: "a:b"`],
    ["a name over 256 characters", `name: "${"x".repeat(257)}"`],
    [
      "a tag value over 5000 characters",
      `name: "ok", tags: [{ key: "k", value: "${"v".repeat(5001)}" }]`,
    ],
    ["an empty tag key", `name: "ok", tags: [{ key: "", value: "v" }]`],
  ])("refuses %s and writes nothing", async (_case, fields) => {
    const before = await mlflowModelNames();
    const response = await gateway.query(
      `mutation { createModel(input: { project: "writes", ${fields} }) { name } }`,
    );
    expect(codeOf(response)).toBe("BAD_USER_INPUT");
    expect(await mlflowModelNames()).toEqual(before);
  });
});

describe("version mutations", () => {
  const create = (fields: string) =>
    gateway.query<{
      createVersion: {
        number: number;
        source: string;
        run: null;
        aliases: string[];
        tags: object[];
      };
    }>(
      `mutation { createVersion(input: { project: "writes", model: "scorer", ${fields} }) {
        number source run { runId } aliases tags { key value } } }`,
    );

  it("registers a version with no run from an allowed S3 prefix that holds an MLmodel", async () => {
    const { data, errors } = await create(
      `source: "${root}/imports/scorer", aliases: ["champion"], tags: [{ key: "origin", value: "import" }]`,
    );
    expect(errors).toBeUndefined();
    expect(data!.createVersion).toEqual({
      number: 1,
      source: `${root}/imports/scorer`,
      run: null,
      aliases: ["champion"],
      tags: [{ key: "origin", value: "import" }],
    });
    const truth = await extra.get<{
      model_version: { source: string; run_id: string; aliases: string[] };
    }>("model-versions/get?name=scorer&version=1");
    expect(truth.model_version).toMatchObject({
      source: `${root}/imports/scorer`,
      run_id: "",
      aliases: ["champion"],
    });
  });

  it.each([
    [
      "a bucket or prefix the project may not use",
      `source: "s3://mlflow/fraud/anything"`,
      /is outside the files of project "writes"/,
    ],
    [
      "a sibling prefix that only starts the same",
      `source: "s3://mlflow/writes-evil/imports/scorer"`,
      /outside/,
    ],
    ["a path that climbs out", `source: "${root}/imports/../../../fraud"`, /not a plain/],
    ["a folder with no MLmodel", `source: "${root}/imports/empty"`, /holds no MLmodel/],
    ["a scheme it cannot check", `source: "file:///etc"`, /must be an s3:\/\//],
    ["a reserved alias", `source: "${root}/imports/scorer", aliases: ["latest"]`, /reserved/],
    [
      "an alias with a space",
      `source: "${root}/imports/scorer", aliases: ["a b"]`,
      /letters, digits/,
    ],
    ["a malformed run id", `source: "${root}/imports/scorer", runId: "nope"`, /runId/],
  ])("refuses %s, with the reason, and registers nothing", async (_case, fields, reason) => {
    const before = await extra.versionCount("scorer");
    const response = await create(fields);
    expect(codeOf(response)).toBe("BAD_USER_INPUT");
    expect(response.errors![0]!.message).toMatch(reason);
    expect(await extra.versionCount("scorer")).toBe(before);
  });

  it("returns the first result for a retry with the same idempotency key", async () => {
    const fields = `source: "${root}/imports/scorer", idempotencyKey: "deploy-42"`;
    const first = await create(fields);
    const retry = await create(fields);
    expect(first.errors).toBeUndefined();
    expect(retry.data!.createVersion.number).toBe(first.data!.createVersion.number);
    expect(await extra.versionCount("scorer")).toBe(first.data!.createVersion.number);

    const reused = await create(
      `source: "${root}/imports/scorer", description: "other", idempotencyKey: "deploy-42"`,
    );
    expect(codeOf(reused)).toBe("BAD_USER_INPUT");
    expect(reused.errors![0]!.message).toMatch(/different input/);
  });

  it("sets and removes aliases, tags, descriptions and stages as MLflow then reports", async () => {
    const { data, errors } = await gateway.query<{
      alias: { number: number; aliases: string[] };
      tag: { tags: { key: string }[] };
      desc: { description: string };
      stage: { stage: string };
    }>(`mutation {
      alias: setAlias(input: { project: "writes", model: "scorer", version: 2, alias: "challenger" }) { number aliases }
      tag: setVersionTag(input: { project: "writes", model: "scorer", version: 2, key: "qa", value: "passed" }) { tags { key } }
      desc: updateVersion(input: { project: "writes", model: "scorer", version: 2, description: "retrained" }) { description }
      stage: transitionStage(input: { project: "writes", model: "scorer", version: 2, stage: "production", archiveExisting: true }) { stage }
    }`);
    expect(errors).toBeUndefined();
    expect(data).toEqual({
      alias: { number: 2, aliases: ["challenger"] },
      tag: { tags: [{ key: "qa" }] },
      desc: { description: "retrained" },
      stage: { stage: "Production" },
    });
    const truth = await extra.get<{
      model_version: { current_stage: string; description: string; aliases: string[] };
    }>("model-versions/get?name=scorer&version=2");
    expect(truth.model_version).toMatchObject({
      current_stage: "Production",
      description: "retrained",
      aliases: ["challenger"],
    });

    const cleared = await gateway.query<{
      deleteAlias: { aliases: { alias: string }[] };
      deleteVersionTag: { tags: object[] };
    }>(`mutation {
      deleteAlias(input: { project: "writes", model: "scorer", alias: "challenger" }) { aliases { alias } }
      deleteVersionTag(input: { project: "writes", model: "scorer", version: 2, key: "qa" }) { tags { key } }
    }`);
    expect(cleared.data!.deleteAlias.aliases.map((a) => a.alias)).toEqual(["champion"]);
    expect(cleared.data!.deleteVersionTag.tags).toEqual([]);
    const after = await extra.get<{ model_version: { aliases?: string[]; tags?: object[] } }>(
      "model-versions/get?name=scorer&version=2",
    );
    expect(after.model_version.aliases ?? []).toEqual([]);
    expect(after.model_version.tags ?? []).toEqual([]);

    const badStage = await gateway.query(
      `mutation { transitionStage(input: { project: "writes", model: "scorer", version: 2, stage: "Live" }) { stage } }`,
    );
    expect(codeOf(badStage)).toBe("BAD_USER_INPUT");
  });

  it("deletes versions and models, which are then NOT_FOUND", async () => {
    const gone = await gateway.query<{ deleteVersion: { id: string } }>(
      `mutation { deleteVersion(input: { project: "writes", model: "scorer", version: 2 }) { id } }`,
    );
    expect(gone.errors).toBeUndefined();
    const lookup = await gateway.query(`query ($id: ID!) { node(id: $id) { id } }`, {
      id: gone.data!.deleteVersion.id,
    });
    expect(codeOf(lookup)).toBe("NOT_FOUND");

    await gateway.query(
      `mutation { deleteModel(input: { project: "writes", name: "scorer" }) { id } }`,
    );
    expect(await mlflowModelNames()).not.toContain("scorer");
    const model = await gateway.query(`{ model(project: "writes", name: "scorer") { name } }`);
    expect(codeOf(model)).toBe("NOT_FOUND");
  });
});

describe("idempotent createModel", () => {
  it("creates once and answers a retry instead of ALREADY_EXISTS", async () => {
    const mutation = `mutation { createModel(input: { project: "writes", name: "once", idempotencyKey: "k1" }) { id } }`;
    const first = await gateway.query<{ createModel: { id: string } }>(mutation);
    const retry = await gateway.query<{ createModel: { id: string } }>(mutation);
    expect(first.errors).toBeUndefined();
    expect(retry.errors).toBeUndefined();
    expect(retry.data!.createModel.id).toBe(first.data!.createModel.id);
  });
});
