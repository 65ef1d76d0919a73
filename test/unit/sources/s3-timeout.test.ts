import { createServer, type Server, type Socket } from "node:net";
import { HeadObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { UpstreamCalls } from "../../../src/sources/calls.js";
import { createS3Client } from "../../../src/sources/s3/client.js";
import { S3Transport } from "../../../src/sources/s3/transport.js";

// An S3 that accepts connections and never answers.
let server: Server;
const sockets = new Set<Socket>();
beforeAll(async () => {
  server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => server.close(resolve));
});

describe("the S3 client's timeout", () => {
  it("fails a call S3 does not answer within s3.timeoutMs as an S3Error TIMEOUT", async () => {
    const { port } = server.address() as { port: number };
    const client = createS3Client({
      endpoint: `http://127.0.0.1:${port}`,
      region: "us-east-1",
      forcePathStyle: true,
      timeoutMs: 200,
      credentials: { accessKeyId: "key", secretAccessKey: "secret" },
    });
    const calls = new UpstreamCalls();
    const started = performance.now();
    try {
      const s3 = new S3Transport(client, calls);
      await expect(
        s3.write(new HeadObjectCommand({ Bucket: "b", Key: "k" })),
      ).rejects.toMatchObject({ kind: "TIMEOUT", message: "S3 timed out" });
    } finally {
      client.destroy();
    }
    // Two attempts (the SDK retries a timeout once), each cut off after 200 ms.
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(calls.total).toBe(1);
  }, 10_000);
});
