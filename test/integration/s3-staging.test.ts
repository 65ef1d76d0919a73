import { createHash, randomBytes, randomUUID } from "node:crypto";
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import pLimit from "p-limit";
import { UpstreamCalls } from "../../src/sources/calls.js";
import { S3Error } from "../../src/sources/s3/errors.js";
import { S3Staging } from "../../src/sources/s3/staging.js";
import type { S3Location } from "../../src/sources/s3/uri.js";
import { stackS3 } from "../support/s3.js";
import { testStack } from "../support/stack.js";

const MiB = 1024 ** 2;
const run = randomUUID();
let s3: S3Client;
let bucket: string;

beforeAll(() => {
  s3 = stackS3();
  bucket = testStack().state.s3.bucket;
});
afterAll(() => s3.destroy());

/** A prefix no other test writes under. */
const fresh = (name: string): S3Location => ({
  bucket,
  prefix: `staging-test/${run}/${name}-${randomUUID().slice(0, 8)}`,
});

function staging(client = s3) {
  const calls = new UpstreamCalls();
  return { staging: new S3Staging(client, calls), calls };
}

const put = (key: string, body: string, contentType?: string) =>
  s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: key,
      Body: body,
      // Without it the SDK warns that an empty body is a stream of unknown length.
      ContentLength: Buffer.byteLength(body),
      ContentType: contentType,
    }),
  );

async function bytes(key: string): Promise<Buffer> {
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from(await object.Body!.transformToByteArray());
}

async function keysUnder(location: S3Location): Promise<string[]> {
  const page = await s3.send(
    new ListObjectsV2Command({ Bucket: location.bucket, Prefix: `${location.prefix}/` }),
  );
  return (page.Contents ?? []).map((object) => object.Key!).sort();
}

async function uploadsUnder(location: S3Location): Promise<string[]> {
  const page = await s3.send(
    new ListMultipartUploadsCommand({ Bucket: location.bucket, Prefix: `${location.prefix}/` }),
  );
  return (page.Uploads ?? []).map((upload) => upload.UploadId!);
}

const sha256 = (data: Uint8Array) => createHash("sha256").update(data).digest("hex");
const md5 = (data: Uint8Array | string) => createHash("md5").update(data).digest("hex");

describe("uploads through presigned URLs", () => {
  it("stores the body of a presigned PUT, and head then sees its size", async () => {
    const { staging: store, calls } = staging();
    const location = fresh("put");
    const body = "a model card, uploaded straight to S3\n";

    const url = await store.presignPut(location, "README + notes.md", Buffer.byteLength(body), 60);
    expect(calls.total).toBe(0);
    const response = await fetch(url, { method: "PUT", body });
    expect(response.status).toBe(200);

    expect(await store.head(location, "README + notes.md")).toEqual({
      size: Buffer.byteLength(body),
      etag: md5(body),
    });
    expect(await store.head(location, "missing.md")).toBeNull();
    expect(calls.toJSON()).toEqual({ total: 2, byUpstream: { s3: 2 }, shared: 0, cached: 0 });
    expect((await bytes(`${location.prefix}/README + notes.md`)).toString()).toBe(body);
  });

  it("assembles a 20 MiB upload from three presigned parts, hashed as S3 stores it", async () => {
    const { staging: store } = staging();
    const location = fresh("multipart");
    const data = randomBytes(20 * MiB);
    const slices = [
      data.subarray(0, 8 * MiB),
      data.subarray(8 * MiB, 16 * MiB),
      data.subarray(16 * MiB),
    ];

    const uploadId = await store.createMultipart(location, "model.bin");
    const parts = await Promise.all(
      slices.map(async (slice, index) => {
        const part = { number: index + 1, size: slice.length };
        const url = await store.presignPart(location, "model.bin", uploadId, part, 60);
        const response = await fetch(url, { method: "PUT", body: slice });
        expect(response.status).toBe(200);
        return { partNumber: index + 1, etag: response.headers.get("etag")! };
      }),
    );
    expect(parts[0]!.etag).toBe(`"${md5(slices[0]!)}"`);
    // Out of order, one ETag unquoted: completeMultipart puts both right.
    parts.reverse();
    parts[0]!.etag = parts[0]!.etag.replace(/"/g, "");
    await store.completeMultipart(location, "model.bin", uploadId, parts);

    expect(await store.sha256(location, "model.bin")).toBe(sha256(data));
    expect((await store.head(location, "model.bin"))!.size).toBe(20 * MiB);
    expect(await store.listMultipartUploads(location)).toEqual([]);
  });

  it("forgets an aborted upload and its parts", async () => {
    const { staging: store } = staging();
    const location = fresh("abort");
    const uploadId = await store.createMultipart(location, "half.bin");
    const url = await store.presignPart(
      location,
      "half.bin",
      uploadId,
      { number: 1, size: MiB },
      60,
    );
    expect((await fetch(url, { method: "PUT", body: randomBytes(MiB) })).status).toBe(200);
    expect(await store.listMultipartUploads(location)).toEqual([
      { key: `${location.prefix}/half.bin`, uploadId },
    ]);

    await store.abortMultipart(location, "half.bin", uploadId);
    expect(await uploadsUnder(location)).toEqual([]);
    expect(await keysUnder(location)).toEqual([]);
    // Aborting twice is no error: a cleanup may run after the client's own abort.
    await store.abortMultipart(location, "half.bin", uploadId);
  });
});

describe("copyPrefix", () => {
  const big = randomBytes(20 * MiB);

  async function seed(location: S3Location): Promise<string[]> {
    await put(`${location.prefix}/MLmodel`, "flavors: {}\n", "text/yaml");
    await put(`${location.prefix}/data/train set+v2.json`, '{"rows": 3}', "application/json");
    await put(`${location.prefix}/data/empty.txt`, "");
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: `${location.prefix}/model.bin`,
        Body: big,
        ContentType: "application/octet-stream",
        Metadata: { origin: "staging-test" },
      }),
    );
    return ["MLmodel", "data/empty.txt", "data/train set+v2.json", "model.bin"];
  }

  it("copies every object byte for byte, a large one through UploadPartCopy", async () => {
    const { staging: store, calls } = staging();
    const from = fresh("copy-from");
    const to = fresh("copy-to");
    const paths = await seed(from);

    const written = await store.copyPrefix(from, to, {
      multipartAboveBytes: 5 * MiB,
      partBytes: 5 * MiB,
    });

    expect(written).toEqual(paths.map((path) => `${to.prefix}/${path}`).sort());
    expect(await keysUnder(to)).toEqual(written);
    for (const path of paths) {
      const [copied, original] = await Promise.all([
        bytes(`${to.prefix}/${path}`),
        bytes(`${from.prefix}/${path}`),
      ]);
      expect(copied.equals(original)).toBe(true);
    }
    const copiedBig = await s3.send(
      new HeadObjectCommand({ Bucket: bucket, Key: `${to.prefix}/model.bin` }),
    );
    // A multipart ETag ends in the number of parts: 20 MiB in 5 MiB parts.
    expect(copiedBig.ETag).toMatch(/-4"$/);
    expect(copiedBig.ContentType).toBe("application/octet-stream");
    expect(copiedBig.Metadata).toEqual({ origin: "staging-test" });
    const copiedJson = await s3.send(
      new HeadObjectCommand({ Bucket: bucket, Key: `${to.prefix}/data/train set+v2.json` }),
    );
    expect(copiedJson.ContentType).toBe("application/json");
    // One listing, three CopyObject; HEAD, create, four part copies and complete for model.bin.
    expect(calls.toJSON().byUpstream.s3).toBe(1 + 3 + 7);
  });

  it.each([
    ["a whole-object copy", "CopyObjectCommand", "MLmodel", "NoSuchKey"],
    // moto answers a part copy from a missing key with a bare 404.
    ["one part of a multipart copy", "UploadPartCopyCommand", "model.bin", "NotFound"],
  ])("removes what it had copied when %s fails", async (_, command, failing, name) => {
    const from = fresh("fail-from");
    const to = fresh("fail-to");
    const paths = await seed(from);
    // moto cannot make one object unreadable, so this client asks S3 for one copy it must
    // refuse: the source key is swapped for a missing one, once the other copies are done.
    const client = stackS3();
    let succeeded = 0;
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as { Key?: string; PartNumber?: number; CopySource?: string };
        const isTarget =
          context.commandName === command &&
          input.Key === `${to.prefix}/${failing}` &&
          (input.PartNumber === undefined || input.PartNumber === 3);
        if (isTarget) {
          await new Promise((resolve) => setTimeout(resolve, 500));
          input.CopySource = `${bucket}/${from.prefix}/no-such-object`;
        }
        const result = await next(args);
        if (context.commandName === "CopyObjectCommand") succeeded++;
        return result;
      },
      { step: "initialize", name: "failOneCopy" },
    );
    const { staging: store } = staging(client);
    try {
      const failure = store.copyPrefix(from, to, {
        multipartAboveBytes: 5 * MiB,
        partBytes: 5 * MiB,
      });
      await expect(failure).rejects.toThrow(S3Error);
      await expect(failure).rejects.toMatchObject({
        kind: "UNAVAILABLE",
        message: `S3 failed (${name})`,
      });
    } finally {
      client.destroy();
    }
    expect(succeeded).toBeGreaterThan(0);
    expect(await keysUnder(to)).toEqual([]);
    expect(await uploadsUnder(to)).toEqual([]);
    expect(await keysUnder(from)).toEqual(paths.map((path) => `${from.prefix}/${path}`).sort());
  });

  it("fails whole, naming S3's error, when the destination bucket does not exist", async () => {
    const { staging: store } = staging();
    const from = fresh("nobucket-from");
    await seed(from);
    const to = { bucket: `no-such-bucket-${run.slice(0, 8)}`, prefix: "promoted" };
    await expect(store.copyPrefix(from, to)).rejects.toMatchObject({
      message: "S3 failed (NoSuchBucket)",
    });
  });

  it("copyFiles copies the files named and nothing else under the prefix", async () => {
    const { staging: store, calls } = staging();
    const from = fresh("files-from");
    const to = fresh("files-to");
    await seed(from);
    const written = await store.copyFiles(from, to, [
      { path: "MLmodel", size: 12 },
      { path: "data/train set+v2.json", size: 11 },
    ]);
    expect(written).toEqual([`${to.prefix}/MLmodel`, `${to.prefix}/data/train set+v2.json`]);
    expect(await keysUnder(to)).toEqual(written);
    expect((await bytes(`${to.prefix}/MLmodel`)).toString()).toBe("flavors: {}\n");
    // No listing: one CopyObject a file.
    expect(calls.toJSON().byUpstream.s3).toBe(2);
    await expect(store.copyFiles(from, to, [{ path: "absent", size: 1 }])).rejects.toMatchObject({
      message: "S3 failed (NoSuchKey)",
    });
    expect(await keysUnder(to)).toEqual(written);
  });

  it("refuses prefixes that overlap before any S3 call", async () => {
    const { staging: store, calls } = staging();
    const from = fresh("overlap");
    await expect(
      store.copyPrefix(from, { bucket, prefix: `${from.prefix}/promoted` }),
    ).rejects.toThrow(/overlap/);
    await expect(store.copyPrefix(from, from)).rejects.toThrow(/overlap/);
    await expect(store.copyFiles(from, from, [{ path: "a", size: 1 }])).rejects.toThrow(/overlap/);
    await expect(store.deletePrefix({ bucket, prefix: "" })).rejects.toThrow(/root/);
    expect(calls.total).toBe(0);
  });
});

describe("deletePrefix", () => {
  it("deletes every object under the prefix, a thousand a request, and nothing beside it", async () => {
    const { staging: store, calls } = staging();
    const location = fresh("delete");
    const sibling = `${location.prefix}-sibling/keep.txt`;
    const keys = Array.from(
      { length: 1001 },
      (_, i) => `${location.prefix}/shards/${String(i).padStart(4, "0")}`,
    );
    const limit = pLimit(50);
    await Promise.all([...keys, sibling].map((key) => limit(() => put(key, key))));

    expect(await store.deletePrefix(location)).toBe(1001);

    expect(await keysUnder(location)).toEqual([]);
    expect((await bytes(sibling)).toString()).toBe(sibling);
    // Two pages of listing, two DeleteObjects.
    expect(calls.toJSON().byUpstream.s3).toBe(4);
    expect(await store.deletePrefix(location)).toBe(0);
  });
});
