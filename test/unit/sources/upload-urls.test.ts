import { S3Client } from "@aws-sdk/client-s3";
import { afterAll, describe, expect, it, jest } from "@jest/globals";
import { presignPart, presignPut } from "../../../src/sources/s3/upload-urls.js";

const client = new S3Client({
  endpoint: "http://127.0.0.1:9",
  region: "us-east-1",
  forcePathStyle: true,
  credentials: { accessKeyId: "key", secretAccessKey: "secret" },
});
const location = { bucket: "mlflow", prefix: "p/uploads/u/staged" };
afterAll(() => client.destroy());

const query = (url: string) => new URL(url).searchParams;

describe("presigned upload URLs", () => {
  it("sign the declared Content-Length, so S3 refuses a body of another length", async () => {
    // One signing time for every URL: the signature then differs only by what it covers.
    jest.useFakeTimers({ now: new Date("2026-12-01T07:00:00Z"), doNotFake: ["nextTick"] });
    try {
      const url = await presignPut(client, location, "model.pkl", 1024, 60);
      expect(query(url).get("X-Amz-SignedHeaders")).toBe("content-length;host");
      // S3 recomputes the signature over the request's own Content-Length header: a 5 GiB
      // body would need the signature of this one, which only the gateway's key can make.
      const same = await presignPut(client, location, "model.pkl", 1024, 60);
      const larger = await presignPut(client, location, "model.pkl", 5 * 1024 ** 3, 60);
      expect(query(same).get("X-Amz-Signature")).toBe(query(url).get("X-Amz-Signature"));
      expect(query(larger).get("X-Amz-Signature")).not.toBe(query(url).get("X-Amz-Signature"));

      const target = { location, path: "weights.bin", uploadId: "upload-1" };
      const part = await presignPart(client, target, { number: 2, size: 8 * 1024 ** 2 }, 60);
      expect(query(part).get("X-Amz-SignedHeaders")).toBe("content-length;host");
      expect(query(part).get("partNumber")).toBe("2");
      const shorter = await presignPart(client, target, { number: 2, size: 1 }, 60);
      expect(query(shorter).get("X-Amz-Signature")).not.toBe(query(part).get("X-Amz-Signature"));
    } finally {
      jest.useRealTimers();
    }
  });

  it("carry no checksum of an empty body", async () => {
    const url = await presignPut(client, location, "MLmodel", 10, 60);
    expect([...query(url).keys()].filter((k) => /checksum/i.test(k))).toEqual([]);
  });
});
