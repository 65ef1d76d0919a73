import { randomBytes } from "node:crypto";
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type { Config } from "../../src/config/schema.js";
import { startExtraProject } from "../support/extra-project.js";
import { startTestGateway, type TestGateway } from "../support/gateway.js";
import { stackS3 } from "../support/s3.js";
import { stackConfig } from "../support/stack.js";
import {
  mlmodel,
  objectsLeft,
  sha256,
  type Started,
  stagingPrefix,
  uploadClient,
} from "../support/uploads.js";

// Uploads and promotions land on a server of this file's own (project "target").
const MiB = 1024 * 1024;
const root = "s3://mlflow/target/registry-graph";
let extra: Awaited<ReturnType<typeof startExtraProject>>;
let config: Config;
let gateway: TestGateway;
let s3: S3Client;

beforeAll(async () => {
  extra = await startExtraProject("target");
  extra.project.artifacts = { destination: "s3://mlflow/target", root };
  const stack = await stackConfig();
  config = {
    ...stack,
    projects: [...stack.projects, extra.project],
    uploads: { ...stack.uploads, multipartThresholdBytes: 8 * MiB, partSizeBytes: 8 * MiB },
  };
  gateway = await startTestGateway(config);
  s3 = stackS3();
}, 120_000);

afterAll(async () => {
  await gateway?.stop();
  await extra?.server.stop();
  s3?.destroy();
});

const codeOf = (r: { errors?: { extensions?: Record<string, unknown> }[] }) =>
  r.errors?.[0]?.extensions?.code;
const client = () => uploadClient(gateway, "target");
const start = (files: { path: string; size: number; sha256?: string }[]) => client().start(files);
const send = (started: Started, bodies: Record<string, Uint8Array>, skipPart?: number) =>
  client().send(started, bodies, skipPart);
const complete = (uploadId: string, parts: object[]) => client().complete(uploadId, parts);
const leftUnder = (prefix: string) => objectsLeft(s3, prefix);

describe("uploads straight to S3", () => {
  beforeAll(async () => {
    await gateway.query(
      `mutation { createModel(input: { project: "target", name: "uploaded" }) { name } }`,
    );
  });

  it("takes a 20 MiB file in presigned parts, registers it, and serves it back byte for byte", async () => {
    const big = randomBytes(20 * MiB);
    const { data, errors } = await start([
      { path: "MLmodel", size: mlmodel.length, sha256: sha256(mlmodel) },
      { path: "weights/model.bin", size: big.length, sha256: sha256(big) },
    ]);
    expect(errors).toBeUndefined();
    const started = data!.startUpload;
    const weights = started.files.find((f) => f.path === "weights/model.bin")!;
    expect(weights.url).toBeNull();
    expect(weights.parts!.map((p) => p.partNumber)).toEqual([1, 2, 3]);
    expect(weights.partSize).toBe(8 * MiB); // the configured part size: S3 wants 5 MiB or more

    const completed = await complete(
      started.uploadId,
      await send(started, { MLmodel: mlmodel, "weights/model.bin": big }),
    );
    expect(completed.errors).toBeUndefined();
    expect(completed.data!.completeUpload.status).toBe("COMPLETED");

    const createVersion = `mutation ($id: String!) { createVersion(input: {
      project: "target", model: "uploaded", uploadId: $id, idempotencyKey: "upload-1" }) {
      number source run { runId } artifact(path: "weights/model.bin") { size downloadUrl } } }`;
    const created = await gateway.query<{
      createVersion: {
        number: number;
        source: string;
        run: null;
        artifact: { size: number; downloadUrl: string };
      };
    }>(createVersion, { id: started.uploadId });
    expect(created.errors).toBeUndefined();
    const version = created.data!.createVersion;
    expect(version.source).toBe(`${root}/versions/uploaded/${started.uploadId}`);
    expect(version.run).toBeNull();
    const truth = await extra.get<{ model_version: { source: string } }>(
      `model-versions/get?name=uploaded&version=${version.number}`,
    );
    expect(truth.model_version.source).toBe(version.source);

    const downloaded = Buffer.from(await (await fetch(version.artifact.downloadUrl)).arrayBuffer());
    expect(downloaded.equals(big)).toBe(true);
    // The staging copy is gone; a retry with the same key is the same version, not a second.
    expect(await leftUnder(stagingPrefix(started))).toBe(0);
    const retried = await gateway.query<{ createVersion: { number: number } }>(createVersion, {
      id: started.uploadId,
    });
    expect(retried.data!.createVersion.number).toBe(version.number);
    expect(await extra.versionCount("uploaded")).toBe(1);
  });

  it.each([
    [
      "a missing part",
      "complete",
      (body: Uint8Array) => ({ declared: body.length, skipPart: 2, sent: body }),
    ],
    [
      "a size that differs",
      "verify",
      (body: Uint8Array) => ({ declared: body.length, sent: body.subarray(1) }),
    ],
    [
      "a checksum that differs",
      "verify",
      (body: Uint8Array) => ({ declared: body.length, sent: body, wrongHash: true }),
    ],
  ])(
    "refuses %s at %s, and leaves nothing staged or registered",
    async (_case, failedStep, shape) => {
      const body = randomBytes(9 * MiB);
      const { declared, sent, skipPart, wrongHash } = shape(body) as {
        declared: number;
        sent: Uint8Array;
        skipPart?: number;
        wrongHash?: boolean;
      };
      const small = randomBytes(1000);
      const { data } = await start([
        { path: "MLmodel", size: mlmodel.length },
        { path: "big.bin", size: declared },
        {
          path: "small.bin",
          size: small.length,
          sha256: wrongHash ? sha256(mlmodel) : sha256(small),
        },
      ]);
      const started = data!.startUpload;
      const before = await extra.versionCount("uploaded");
      const parts = await send(
        started,
        { MLmodel: mlmodel, "big.bin": sent, "small.bin": small },
        skipPart,
      );
      const response = await complete(started.uploadId, parts);
      expect(codeOf(response)).toBe("BAD_USER_INPUT");
      expect(response.errors![0]!.extensions!.step).toBe(failedStep);
      expect(response.errors![0]!.message).toMatch(
        new RegExp(`^completeUpload failed at ${failedStep}: `),
      );
      expect(await leftUnder(stagingPrefix(started))).toBe(0);
      expect(await extra.versionCount("uploaded")).toBe(before);
      const after = await gateway.query(
        `mutation ($id: String!) { createVersion(input: { project: "target", model: "uploaded", uploadId: $id }) { number } }`,
        { id: started.uploadId },
      );
      expect(codeOf(after)).toBe("NOT_FOUND");
    },
  );

  it("removes what an aborted upload staged", async () => {
    const { data } = await start([
      { path: "MLmodel", size: mlmodel.length },
      { path: "big.bin", size: 9 * MiB },
    ]);
    const started = data!.startUpload;
    await fetch(started.files[0]!.url!, { method: "PUT", body: mlmodel });
    const aborted = await gateway.query<{ abortUpload: { removedObjects: number } }>(
      `mutation ($id: ID!) { abortUpload(input: { uploadId: $id }) { removedObjects } }`,
      { id: started.uploadId },
    );
    expect(aborted.data!.abortUpload.removedObjects).toBe(1);
    expect(await leftUnder(stagingPrefix(started))).toBe(0);
  });

  it.each([
    ["a path that escapes the upload root", [{ path: "../x", size: 1 }]],
    ["an absolute path", [{ path: "/etc/passwd", size: 1 }]],
    ["a negative size", [{ path: "MLmodel", size: -1 }]],
    ["a size above the maximum", [{ path: "MLmodel", size: 60 * 1024 * MiB }]],
    [
      "the same path twice",
      [
        { path: "a", size: 1 },
        { path: "./a", size: 1 },
      ],
    ],
    ["no files", []],
    ["a malformed checksum", [{ path: "MLmodel", size: 1, sha256: "abc" }]],
  ])("refuses %s before staging anything", async (_case, files) => {
    const response = await start(files as { path: string; size: number }[]);
    expect(codeOf(response)).toBe("BAD_USER_INPUT");
    expect(await leftUnder("target/registry-graph/uploads/")).toBe(0);
  });
});

describe("promoteVersion across MLflow servers", () => {
  const promote = (to: string) =>
    gateway.query<{
      promoteVersion: {
        number: number;
        source: string;
        aliases: string[];
        tags: { key: string; value: string }[];
        mlmodel: { flavors: { name: string }[] };
        model: { name: string; project: { name: string } };
      };
    }>(`mutation { promoteVersion(input: {
      from: { project: "fraud", model: "fraud-detector", version: 2 },
      to: { project: "${to}", model: "fraud-detector" }, alias: "champion" }) {
      number source aliases tags { key value } mlmodel { flavors { name } } model { name project { name } } } }`);

  it("copies the files into the target project and registers them there, with their origin", async () => {
    const { data, errors } = await promote("target");
    expect(errors).toBeUndefined();
    const version = data!.promoteVersion;
    expect(version.model).toEqual({ name: "fraud-detector", project: { name: "target" } });
    expect(version.aliases).toEqual(["champion"]);
    expect(version.source.startsWith(`${root}/promoted/fraud-detector/`)).toBe(true);
    expect(version.mlmodel.flavors.map((f) => f.name)).toContain("sklearn");
    const origin = Object.fromEntries(version.tags.map((t) => [t.key, t.value]));
    expect(origin).toMatchObject({
      "registry-graph.promoted_from.project": "fraud",
      "registry-graph.promoted_from.model": "fraud-detector",
      "registry-graph.promoted_from.version": "2",
    });
    // The copy is byte-identical to the files behind the source version.
    const sourcePrefix = origin["registry-graph.promoted_from.source"]!.replace("s3://mlflow/", "");
    const targetPrefix = version.source.replace("s3://mlflow/", "");
    const list = async (prefix: string) =>
      (
        (await s3.send(new ListObjectsV2Command({ Bucket: "mlflow", Prefix: `${prefix}/` })))
          .Contents ?? []
      ).map((o) => o.Key!.slice(prefix.length));
    const files = await list(sourcePrefix);
    expect(await list(targetPrefix)).toEqual(files);
    const read = async (key: string) =>
      Buffer.from(
        await (
          await s3.send(new GetObjectCommand({ Bucket: "mlflow", Key: key }))
        ).Body!.transformToByteArray(),
      );
    for (const file of files)
      expect((await read(targetPrefix + file)).equals(await read(sourcePrefix + file))).toBe(true);
    const truth = await extra.get<{ model_version: { source: string; aliases: string[] } }>(
      `model-versions/get?name=fraud-detector&version=${version.number}`,
    );
    expect(truth.model_version).toMatchObject({ source: version.source, aliases: ["champion"] });
  });

  it("promotes once for a retried idempotency key", async () => {
    const mutation = `mutation { promoteVersion(input: {
      from: { project: "fraud", model: "transaction-scorer", version: 1 },
      to: { project: "target", model: "scorer-copy" }, idempotencyKey: "promote-7" }) { number source } }`;
    const first = await gateway.query<{ promoteVersion: { number: number; source: string } }>(
      mutation,
    );
    const retry = await gateway.query<{ promoteVersion: { number: number; source: string } }>(
      mutation,
    );
    expect(first.errors).toBeUndefined();
    expect(retry.data!.promoteVersion).toEqual(first.data!.promoteVersion);
    expect(await extra.versionCount("scorer-copy")).toBe(1);
  });

  it("leaves no version, model or object behind when the copy fails", async () => {
    const broken = await startTestGateway({
      ...config,
      projects: config.projects.map((p) =>
        p.name === "target"
          ? { ...p, artifacts: { ...p.artifacts, root: "s3://no-such-bucket-rg/x" } }
          : p,
      ),
    });
    try {
      const response = await broken.query(`mutation { promoteVersion(input: {
        from: { project: "fraud", model: "fraud-detector", version: 1 },
        to: { project: "target", model: "never-made" } }) { number } }`);
      expect(response.errors![0]!.extensions!.step).toBe("copy");
      expect(response.errors![0]!.message).toMatch(/^promoteVersion failed at copy: /);
      const models = await extra.get<{ registered_models?: { name: string }[] }>(
        "registered-models/search",
      );
      expect((models.registered_models ?? []).map((m) => m.name)).not.toContain("never-made");
    } finally {
      await broken.stop();
    }
  });
});
