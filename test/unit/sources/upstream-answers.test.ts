import { gzipSync } from "node:zlib";
import { afterEach, describe, expect, it } from "@jest/globals";
import type { ProjectConfig } from "../../../src/config/schema.js";
import { UpstreamCalls } from "../../../src/sources/calls.js";
import { MlflowClient } from "../../../src/sources/mlflow/client.js";
import { MlflowError } from "../../../src/sources/mlflow/errors.js";
import { MlflowTransport } from "../../../src/sources/mlflow/transport.js";
import { fakeHttp } from "../../support/fake-http.js";

// What a broken or hostile MLflow server can answer, and what the gateway makes of it: an
// upstream error for that project every time, never an empty list, a made-up model or a loop.

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

const KiB = 1024;

function client(url: string, mlflow: Partial<ProjectConfig["mlflow"]> = {}) {
  const transport = new MlflowTransport({
    name: "p",
    mlflow: {
      url,
      auth: { type: "none" },
      timeoutMs: 5000,
      concurrency: 4,
      maxResponseBytes: 64 * KiB,
      maxPages: 100,
      ...mlflow,
    },
  });
  cleanups.push(() => transport.close());
  return new MlflowClient(transport, new UpstreamCalls());
}

async function fake(handler: Parameters<typeof fakeHttp>[0]) {
  const server = await fakeHttp(handler);
  cleanups.push(server.close);
  return server;
}

async function upstreamError(promise: Promise<unknown>): Promise<MlflowError> {
  const error = await promise.then(
    () => new Error("expected the call to fail"),
    (e: unknown) => e,
  );
  if (!(error instanceof MlflowError)) throw error;
  expect(error).toMatchObject({ project: "p", kind: "UPSTREAM" });
  return error;
}

/** Resolves when the fake's request (the gateway's call) has been closed by the gateway. */
const closed = (req: { once(event: "close", listener: () => void): unknown }) =>
  new Promise<void>((resolve) => req.once("close", resolve));

describe("an MLflow answer over mlflow.maxResponseBytes", () => {
  it("is cut off as it streams, without waiting for the rest", async () => {
    const server = await fake((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write('{"registered_models": [');
      // An answer that never ends: only cutting it off can finish the call.
      const chunk = `${'{"name": "m"},'.repeat(1000)}`;
      const timer = setInterval(() => res.write(chunk), 5);
      res.once("close", () => clearInterval(timer));
    });
    const started = Date.now();

    const error = await upstreamError(client(server.url).listRegisteredModels());

    expect(error.message).toBe(
      `MLflow of project "p" sent an answer over ${64 * KiB} bytes (mlflow.maxResponseBytes)`,
    );
    expect(Date.now() - started).toBeLessThan(2000);
    await closed(server.requests[0]!);
  });

  it("is refused at once when its Content-Length says so", async () => {
    const server = await fake((_req, res) => {
      // Headers only; the body never comes. Waiting for it would take the 5 s timeout.
      res.writeHead(200, { "content-type": "application/json", "content-length": 10 * 1024 * KiB });
      res.flushHeaders();
    });
    const started = Date.now();

    await upstreamError(client(server.url).getRegisteredModel("m"));

    expect(Date.now() - started).toBeLessThan(1000);
  });

  it("counts the bytes after decompression, so a gzip bomb is cut off too", async () => {
    const bomb = gzipSync(
      Buffer.from(`{"registered_models": [], "pad": "${" ".repeat(8 * 1024 * KiB)}"}`),
    );
    expect(bomb.length).toBeLessThan(64 * KiB);
    const server = await fake((_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" });
      res.end(bomb);
    });

    const error = await upstreamError(client(server.url).listRegisteredModels());

    expect(error.message).toMatch(/over 65536 bytes/);
  });

  it("is read in full when it fits", async () => {
    const models = Array.from({ length: 100 }, (_, i) => ({ name: `m${i}` }));
    const server = await fake((_req, res) =>
      res.end(JSON.stringify({ registered_models: models })),
    );

    expect(await client(server.url).listRegisteredModels()).toHaveLength(100);
  });
});

describe("paging that would not end", () => {
  it("stops at a page token the server sent before", async () => {
    const server = await fake((req, res) => {
      const token = new URL(req.url!, "http://x").searchParams.get("page_token");
      // A token cycle: none -> a -> b -> a ...
      const next = token === "a" ? "b" : "a";
      res.end(
        JSON.stringify({ registered_models: [{ name: `m-${token}` }], next_page_token: next }),
      );
    });

    const error = await upstreamError(client(server.url).listRegisteredModels());

    expect(error.message).toBe(
      'MLflow of project "p" paged without end: a page token it had sent before',
    );
    expect(server.requests).toHaveLength(3);
  });

  it("stops after mlflow.maxPages pages of fresh tokens", async () => {
    const server = await fake((req, res) => {
      const token = Number(new URL(req.url!, "http://x").searchParams.get("page_token") ?? 0);
      res.end(JSON.stringify({ model_versions: [], next_page_token: String(token + 1) }));
    });

    const error = await upstreamError(client(server.url, { maxPages: 5 }).searchModelVersions());

    expect(error.message).toMatch(/more than 5 pages \(mlflow\.maxPages\)/);
    expect(server.requests).toHaveLength(5);
  });
});

describe("an answer that is not MLflow's JSON", () => {
  const bodies: [string, string][] = [
    ["an empty 200", ""],
    ["HTML from a proxy", "<html><body>Welcome</body></html>"],
    ["a bare array", "[]"],
    ["null", "null"],
    ["a string", '"ok"'],
  ];

  it.each(bodies)("is an upstream error, not an empty list: %s", async (_what, body) => {
    const server = await fake((_req, res) => res.end(body));

    await upstreamError(client(server.url).listRegisteredModels());
  });

  it("is an upstream error, not a made-up model, when a get has no object", async () => {
    const server = await fake((_req, res) => res.end("{}"));
    const mlflow = client(server.url);

    const model = await upstreamError(mlflow.getRegisteredModel("ghost"));
    const version = await upstreamError(mlflow.getModelVersion("ghost", 1));

    expect(model.message).toMatch(/without the registered_model/);
    expect(version.message).toMatch(/without the model_version/);
  });
});

describe("a server's account of its own failure", () => {
  it("stays out of the message, which a client sees, and in the detail, which the log gets", async () => {
    const server = await fake((_req, res) => {
      res.writeHead(500, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          error_code: "INTERNAL_ERROR",
          message: "(sqlite3.OperationalError) database is locked [SQL: SELECT * FROM secrets]",
        }),
      );
    });

    const error = await client(server.url)
      .getRegisteredModel("m")
      .catch((e: unknown) => e as MlflowError);

    expect(error).toMatchObject({
      kind: "UNAVAILABLE",
      status: 500,
      message: 'MLflow of project "p" answered HTTP 500',
      detail: expect.stringContaining("database is locked") as unknown,
    });
  });
});
