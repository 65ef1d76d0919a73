import { createHash, randomBytes } from "node:crypto";
import {
  GetObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  type S3Client,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type { Config } from "../../src/config/schema.js";
import { startExtraProject } from "../support/extra-project.js";
import { startTestGateway, type TestGateway } from "../support/gateway.js";
import { stackS3 } from "../support/s3.js";
import { stackConfig } from "../support/stack.js";

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

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
const codeOf = (r: { errors?: { extensions?: Record<string, unknown> }[] }) =>
  r.errors?.[0]?.extensions?.code;

/** What is left under a prefix of the stack's bucket: objects and open multipart uploads. */
async function leftUnder(prefix: string): Promise<number> {
  const objects = await s3.send(new ListObjectsV2Command({ Bucket: "mlflow", Prefix: prefix }));
  const uploads = await s3.send(
    new ListMultipartUploadsCommand({ Bucket: "mlflow", Prefix: prefix }),
  );
  return (objects.KeyCount ?? 0) + (uploads.Uploads?.length ?? 0);
}

interface Started {
  uploadId: string;
  staging: string;
  files: {
    path: string;
    url: string | null;
    partSize: number | null;
    parts: { partNumber: number; url: string }[] | null;
  }[];
}

const mlmodel = Buffer.from(
  "flavors:\n  python_function:\n    loader_module: mlflow.pyfunc.model\nmlflow_version: 3.17.2\n",
);

async function start(files: { path: string; size: number; sha256?: string }[], model = "uploaded") {
  return gateway.query<{ startUpload: Started }>(
    `mutation ($input: StartUploadInput!) { startUpload(input: $input) {
      uploadId staging files { path url partSize parts { partNumber url } } } }`,
    { input: { project: "target", model, files } },
  );
}

/** Sends each file's bytes to its presigned URLs, as a client would; returns the part ETags. */
async function send(started: Started, bodies: Record<string, Uint8Array>, skipPart?: number) {
  const parts: { path: string; parts: { partNumber: number; etag: string }[] }[] = [];
  for (const file of started.files) {
    const body = bodies[file.path]!;
    if (file.url) {
      expect((await fetch(file.url, { method: "PUT", body })).status).toBe(200);
      continue;
    }
    const etags = [];
    for (const part of file.parts!) {
      if (part.partNumber === skipPart) continue;
      const chunk = body.subarray(
        (part.partNumber - 1) * file.partSize!,
        part.partNumber * file.partSize!,
      );
      const response = await fetch(part.url, { method: "PUT", body: chunk });
      expect(response.status).toBe(200);
      etags.push({ partNumber: part.partNumber, etag: response.headers.get("etag")! });
    }
    parts.push({ path: file.path, parts: etags });
  }
  return parts;
}

const complete = (uploadId: string, parts: object[]) =>
  gateway.query<{ completeUpload: { status: string } }>(
    `mutation ($input: CompleteUploadInput!) { completeUpload(input: $input) { status } }`,
    { input: { uploadId, parts } },
  );

const stagingPrefix = (started: Started) => started.staging.replace("s3://mlflow/", "") + "/";

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

describe("uploads that cannot be abused", () => {
  const register = (uploadId: string) =>
    gateway.query<{ createVersion: { number: number; source: string } }>(
      `mutation ($id: String!) { createVersion(input: {
        project: "target", model: "uploaded", uploadId: $id }) { number source } }`,
      { id: uploadId },
    );

  /** An upload of an MLmodel and one data file, sent and completed. */
  async function completed(data: Uint8Array) {
    const { data: startData } = await start([
      { path: "MLmodel", size: mlmodel.length, sha256: sha256(mlmodel) },
      { path: "data.bin", size: data.length, sha256: sha256(data) },
    ]);
    const started = startData!.startUpload;
    const done = await complete(
      started.uploadId,
      await send(started, { MLmodel: mlmodel, "data.bin": data }),
    );
    expect(done.data!.completeUpload.status).toBe("COMPLETED");
    return started;
  }

  async function downloaded(version: number, path: string): Promise<Buffer> {
    const { data } = await gateway.query<{
      model: { version: { artifact: { downloadUrl: string } } };
    }>(
      `query ($n: Int!, $path: String!) { model(project: "target", name: "uploaded") {
        version(number: $n) { artifact(path: $path) { downloadUrl } } } }`,
      { n: version, path },
    );
    return Buffer.from(await (await fetch(data!.model.version.artifact.downloadUrl)).arrayBuffer());
  }

  it("refuses 800,000 part URLs, and a total over the cap, before any S3 call", async () => {
    const huge = Array.from({ length: 1000 }, (_, i) => ({
      path: `shard-${i}`,
      size: 50 * 1024 ** 3,
    }));
    const bytes = await start(huge);
    expect(codeOf(bytes)).toBe("BAD_USER_INPUT");
    expect(bytes.errors![0]!.extensions).toMatchObject({ limit: 100 * 1024 ** 3 });
    expect(bytes.extensions!.upstreamCalls!.total).toBe(0);
    // 20 GiB in this gateway's 8 MiB parts is 2,560 URLs, over the 2,000 one upload gets.
    const parts = await start([{ path: "weights.bin", size: 20 * 1024 ** 3 }]);
    expect(parts.errors![0]!.message).toBe(
      "an upload gets at most 2000 part URLs, these files need 2560",
    );
    expect(parts.extensions!.upstreamCalls!.total).toBe(0);
  });

  it("signs each upload URL for its declared length", async () => {
    const { data } = await start([
      { path: "MLmodel", size: mlmodel.length },
      { path: "big.bin", size: 9 * MiB },
    ]);
    const started = data!.startUpload;
    const signed = [started.files[0]!.url!, ...started.files[1]!.parts!.map((p) => p.url)];
    for (const url of signed) {
      expect(new URL(url).searchParams.get("X-Amz-SignedHeaders")).toBe("content-length;host");
    }
    await gateway.query(
      `mutation ($id: ID!) { abortUpload(input: { uploadId: $id }) { uploadId } }`,
      {
        id: started.uploadId,
      },
    );
  });

  it("registers the bytes completeUpload verified, not bytes PUT to the staged URL after", async () => {
    const original = randomBytes(4096);
    const started = await completed(original);
    const swapped = randomBytes(original.length);
    const url = started.files.find((f) => f.path === "data.bin")!.url!;
    // The URL still works until it expires: S3 stores the swap in the staged prefix.
    expect((await fetch(url, { method: "PUT", body: swapped })).status).toBe(200);

    const { data, errors } = await register(started.uploadId);
    expect(errors).toBeUndefined();
    const registered = await downloaded(data!.createVersion.number, "data.bin");
    expect(registered.equals(original)).toBe(true);
    expect(registered.equals(swapped)).toBe(false);
  });

  it("registers once when createVersion of one upload runs five times at once", async () => {
    const body = randomBytes(6 * MiB);
    const started = await completed(body);
    const before = await extra.versionCount("uploaded");
    const answers = await Promise.all(Array.from({ length: 5 }, () => register(started.uploadId)));

    const numbers = answers.filter((a) => !a.errors).map((a) => a.data!.createVersion.number);
    expect(numbers.length).toBeGreaterThan(0);
    expect(new Set(numbers).size).toBe(1);
    for (const lost of answers.filter((a) => a.errors)) {
      expect(codeOf(lost)).toBe("CONFLICT");
      expect(lost.errors![0]!.message).toMatch(/createVersion of upload ".+" is still running/);
    }
    expect(await extra.versionCount("uploaded")).toBe(before + 1);
    // The losers removed nothing: the version's files are whole, and a retry is that version.
    expect((await downloaded(numbers[0]!, "data.bin")).equals(body)).toBe(true);
    expect((await register(started.uploadId)).data!.createVersion.number).toBe(numbers[0]);
    expect(await leftUnder(stagingPrefix(started))).toBe(0);
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
