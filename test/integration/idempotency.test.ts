import { createHash } from "node:crypto";
import { ListObjectsV2Command, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { startExtraProject } from "../support/extra-project.js";
import { startTestGateway, type TestGateway } from "../support/gateway.js";
import { stackS3 } from "../support/s3.js";
import { slowProxy } from "../support/slow-proxy.js";
import { stackConfig } from "../support/stack.js";

// A real MLflow whose answers to chosen writes arrive after the gateway's timeout: the write
// is committed, the gateway only knows that it timed out. Its retry must find it, not redo it.
const TIMEOUT_MS = 1500;
const LATE_MS = 3000;
const root = "s3://mlflow/retries/registry-graph";
let extra: Awaited<ReturnType<typeof startExtraProject>>;
let proxy: Awaited<ReturnType<typeof slowProxy>>;
let gateway: TestGateway;
let s3: S3Client;

const mlmodel =
  "flavors:\n  python_function:\n    loader_module: mlflow.pyfunc.model\nmlflow_version: 3.17.2\n";
const codeOf = (r: { errors?: { extensions?: Record<string, unknown> }[] }) =>
  r.errors?.[0]?.extensions?.code;
const settled = () => new Promise((resolve) => setTimeout(resolve, LATE_MS));

beforeAll(async () => {
  extra = await startExtraProject("retries");
  proxy = await slowProxy(extra.server.url);
  const config = await stackConfig();
  const project = {
    ...extra.project,
    mlflow: { ...extra.project.mlflow, url: proxy.url, timeoutMs: TIMEOUT_MS },
    artifacts: { destination: "s3://mlflow/retries", root },
  };
  gateway = await startTestGateway({ ...config, projects: [project] });
  s3 = stackS3();
  await s3.send(
    new PutObjectCommand({ Bucket: "mlflow", Key: "retries/imports/m/MLmodel", Body: mlmodel }),
  );
  const created = await gateway.query(
    `mutation { createModel(input: { project: "retries", name: "timed" }) { name } }`,
  );
  expect(created.errors).toBeUndefined();
}, 120_000);

afterAll(async () => {
  await gateway?.stop();
  await proxy?.close();
  await extra?.server.stop();
  s3?.destroy();
});

/** The version's tags as MLflow holds them. */
async function tagsOf(model: string, version: number): Promise<string[]> {
  const { model_version } = await extra.get<{ model_version: { tags?: { key: string }[] } }>(
    `model-versions/get?name=${model}&version=${version}`,
  );
  return (model_version.tags ?? []).map((t) => t.key);
}

describe("a create whose answer MLflow sent after the gateway's timeout", () => {
  it("createVersion: the retry returns the version MLflow committed, and registers no second", async () => {
    const mutation = `mutation { createVersion(input: { project: "retries", model: "timed",
      source: "${root.replace("/registry-graph", "")}/imports/m", idempotencyKey: "deploy-1" }) { number } }`;
    proxy.holdNextAnswer(/model-versions\/create/, LATE_MS);
    const first = await gateway.query<{ createVersion: { number: number } }>(mutation);
    expect(codeOf(first)).toBe("UPSTREAM_TIMEOUT");
    expect(first.errors![0]!.extensions!.step).toBe("register");
    await settled();
    expect(await extra.versionCount("timed")).toBe(1); // MLflow did commit it

    const retry = await gateway.query<{ createVersion: { number: number } }>(mutation);
    expect(retry.errors).toBeUndefined();
    expect(retry.data!.createVersion.number).toBe(1);
    expect(await extra.versionCount("timed")).toBe(1);
    // The marker that found it is gone again; the record answers from now on.
    expect(await tagsOf("timed", 1)).not.toContain("registry-graph.idempotency");
    const again = await gateway.query<{ createVersion: { number: number } }>(mutation);
    expect(again.data!.createVersion.number).toBe(1);
  });

  it("createModel: the retry returns the model instead of ALREADY_EXISTS", async () => {
    const mutation = `mutation { createModel(input: { project: "retries", name: "late-model",
      idempotencyKey: "model-1" }) { name tags { key } } }`;
    proxy.holdNextAnswer(/registered-models\/create/, LATE_MS);
    expect(codeOf(await gateway.query(mutation))).toBe("UPSTREAM_TIMEOUT");
    await settled();
    const retry = await gateway.query<{ createModel: { name: string; tags: object[] } }>(mutation);
    expect(retry.errors).toBeUndefined();
    expect(retry.data!.createModel).toEqual({ name: "late-model", tags: [] });
  });

  it("createVersion of an upload: the files stay, and the retry returns that version", async () => {
    const started = await gateway.query<{
      startUpload: { uploadId: string; files: { url: string }[] };
    }>(
      `mutation ($sha: String!, $size: SafeInt!) { startUpload(input: { project: "retries", model: "timed",
        files: [{ path: "MLmodel", size: $size, sha256: $sha }] }) { uploadId files { url } } }`,
      { size: mlmodel.length, sha: createHash("sha256").update(mlmodel).digest("hex") },
    );
    const { uploadId, files } = started.data!.startUpload;
    expect((await fetch(files[0]!.url, { method: "PUT", body: mlmodel })).status).toBe(200);
    const completed = await gateway.query(
      `mutation ($id: ID!) { completeUpload(input: { uploadId: $id }) { status } }`,
      { id: uploadId },
    );
    expect(completed.errors).toBeUndefined();
    const register = `mutation ($id: String!) { createVersion(input: { project: "retries",
      model: "timed", uploadId: $id }) { number source artifacts { path } } }`;
    const before = await extra.versionCount("timed");

    proxy.holdNextAnswer(/model-versions\/create/, LATE_MS);
    const first = await gateway.query(register, { id: uploadId });
    expect(codeOf(first)).toBe("UPSTREAM_TIMEOUT");
    await settled();
    const kept = await s3.send(
      new ListObjectsV2Command({
        Bucket: "mlflow",
        Prefix: `retries/registry-graph/versions/timed/${uploadId}/`,
      }),
    );
    expect(kept.KeyCount).toBe(1); // what MLflow's version points at was not removed

    const retry = await gateway.query<{
      createVersion: { number: number; source: string; artifacts: { path: string }[] };
    }>(register, { id: uploadId });
    expect(retry.errors).toBeUndefined();
    expect(retry.data!.createVersion).toEqual({
      number: before + 1,
      source: `${root}/versions/timed/${uploadId}`,
      artifacts: [{ path: "MLmodel" }],
    });
    expect(await extra.versionCount("timed")).toBe(before + 1);
  });
});
