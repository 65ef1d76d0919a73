import { randomBytes } from "node:crypto";
import type { S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { startExtraProject } from "../support/extra-project.js";
import { startTestGateway, type TestGateway } from "../support/gateway.js";
import { stackS3 } from "../support/s3.js";
import { stackConfig } from "../support/stack.js";
import { mlmodel, objectsLeft, sha256, stagingPrefix, uploadClient } from "../support/uploads.js";

// Uploads as an unfriendly client sends them, to a server of this file's own ("abuse").
const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
let extra: Awaited<ReturnType<typeof startExtraProject>>;
let gateway: TestGateway;
let s3: S3Client;
let client: ReturnType<typeof uploadClient>;

beforeAll(async () => {
  extra = await startExtraProject("abuse");
  extra.project.artifacts = {
    destination: "s3://mlflow/abuse",
    root: "s3://mlflow/abuse/registry-graph",
  };
  const stack = await stackConfig();
  gateway = await startTestGateway({
    ...stack,
    projects: [extra.project],
    uploads: { ...stack.uploads, multipartThresholdBytes: 8 * MiB, partSizeBytes: 8 * MiB },
  });
  s3 = stackS3();
  client = uploadClient(gateway, "abuse");
  await gateway.query(
    `mutation { createModel(input: { project: "abuse", name: "uploaded" }) { name } }`,
  );
}, 120_000);

afterAll(async () => {
  await gateway?.stop();
  await extra?.server.stop();
  s3?.destroy();
});

const codeOf = (r: { errors?: { extensions?: Record<string, unknown> }[] }) =>
  r.errors?.[0]?.extensions?.code;

describe("uploads that cannot be abused", () => {
  const register = (uploadId: string) =>
    gateway.query<{ createVersion: { number: number; source: string } }>(
      `mutation ($id: String!) { createVersion(input: {
        project: "abuse", model: "uploaded", uploadId: $id }) { number source } }`,
      { id: uploadId },
    );

  /** An upload of an MLmodel and one data file, sent and completed. */
  async function completed(data: Uint8Array) {
    const { data: startData } = await client.start([
      { path: "MLmodel", size: mlmodel.length, sha256: sha256(mlmodel) },
      { path: "data.bin", size: data.length, sha256: sha256(data) },
    ]);
    const started = startData!.startUpload;
    const done = await client.complete(
      started.uploadId,
      await client.send(started, { MLmodel: mlmodel, "data.bin": data }),
    );
    expect(done.data!.completeUpload.status).toBe("COMPLETED");
    return started;
  }

  async function downloaded(version: number, path: string): Promise<Buffer> {
    const { data } = await gateway.query<{
      model: { version: { artifact: { downloadUrl: string } } };
    }>(
      `query ($n: Int!, $path: String!) { model(project: "abuse", name: "uploaded") {
        version(number: $n) { artifact(path: $path) { downloadUrl } } } }`,
      { n: version, path },
    );
    return Buffer.from(await (await fetch(data!.model.version.artifact.downloadUrl)).arrayBuffer());
  }

  it("refuses 800,000 part URLs, and a total over the cap, before staging anything", async () => {
    // What it would write is the mutation's cost: 800,000 part URLs are refused before it runs.
    const huge = Array.from({ length: 1000 }, (_, i) => ({
      path: `shard-${i}`,
      size: 50 * 1024 ** 3,
    }));
    const costly = await client.start(huge);
    expect(codeOf(costly)).toBe("QUERY_TOO_COMPLEX");
    expect(costly.errors![0]!.extensions!.cost).toBeGreaterThan(800_000);
    expect(costly.extensions!.upstreamCalls!.total).toBe(0);
    const total = Array.from({ length: 3 }, (_, i) => ({ path: `shard-${i}`, size: 40 * GiB }));
    const bytes = await client.start(total);
    expect(codeOf(bytes)).toBe("BAD_USER_INPUT");
    expect(bytes.errors![0]!.extensions).toMatchObject({ limit: 100 * GiB });
    // These two ran and were refused by the registry: their only S3 calls are their audit
    // records (two create-only PUTs each, docs/audit.md); nothing is staged.
    expect(bytes.extensions!.upstreamCalls!.byUpstream).toEqual({ "s3:audit": 2 });
    // 20 GiB in this gateway's 8 MiB parts is 2,560 URLs, over the 2,000 one upload gets.
    const parts = await client.start([{ path: "weights.bin", size: 20 * GiB }]);
    expect(parts.errors![0]!.message).toBe(
      "an upload gets at most 2000 part URLs, these files need 2560",
    );
    expect(parts.extensions!.upstreamCalls!.byUpstream).toEqual({ "s3:audit": 2 });
  });

  it("signs each upload URL for its declared length", async () => {
    const { data } = await client.start([
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
    expect(await objectsLeft(s3, stagingPrefix(started))).toBe(0);
  });
});
