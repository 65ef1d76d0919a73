import { afterEach, describe, expect, it } from "@jest/globals";
import type { ProjectConfig } from "../../../src/config/schema.js";
import { UpstreamCalls } from "../../../src/sources/calls.js";
import { MlflowClient } from "../../../src/sources/mlflow/client.js";
import { MlflowError } from "../../../src/sources/mlflow/errors.js";
import { MlflowTransport } from "../../../src/sources/mlflow/transport.js";
import type { SharedReadsOptions } from "../../../src/sources/shared-reads.js";
import { fakeHttp } from "../../support/fake-http.js";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

function project(url: string, mlflow: Partial<ProjectConfig["mlflow"]> = {}): ProjectConfig {
  return {
    name: "p",
    mlflow: {
      url,
      auth: { type: "none" },
      timeoutMs: 2000,
      concurrency: 4,
      maxResponseBytes: 16_777_216,
      maxPages: 100,
      ...mlflow,
    },
  };
}

function client(config: ProjectConfig, reads?: SharedReadsOptions) {
  const transport = new MlflowTransport(config, reads);
  cleanups.push(() => transport.close());
  const calls = new UpstreamCalls();
  return {
    client: new MlflowClient(transport, calls),
    calls,
    transport,
    /** The same transport as another GraphQL request sees it. */
    another: () => new MlflowClient(transport, new UpstreamCalls()),
  };
}

async function failure(promise: Promise<unknown>): Promise<MlflowError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof MlflowError) return error;
    throw error;
  }
  throw new Error("expected the call to fail");
}

describe("MlflowClient", () => {
  it("follows next_page_token to the end and counts every page", async () => {
    const fake = await fakeHttp((req, res) => {
      const token = new URL(req.url!, "http://x").searchParams.get("page_token");
      const page = Number(token ?? 0);
      res.setHeader("content-type", "application/json");
      res.end(
        JSON.stringify({
          registered_models: [{ name: `m${page}`, creation_timestamp: 1 }],
          ...(page < 2 ? { next_page_token: String(page + 1) } : {}),
        }),
      );
    });
    cleanups.push(fake.close);
    const { client: mlflow, calls } = client(project(fake.url));

    const models = await mlflow.listRegisteredModels();

    expect(models.map((m) => m.name)).toEqual(["m0", "m1", "m2"]);
    expect(calls.toJSON()).toEqual({
      total: 3,
      byUpstream: { "mlflow:p": 3 },
      shared: 0,
      cached: 0,
    });
    expect(new URL(fake.requests[0]!.url!, "http://x").searchParams.get("max_results")).toBe(
      "1000",
    );
  });

  it("gives up on a server that never answers after its timeout, as TIMEOUT", async () => {
    const fake = await fakeHttp(() => {
      // never answers
    });
    cleanups.push(fake.close);
    const { client: mlflow } = client(project(fake.url, { timeoutMs: 300 }));

    const started = Date.now();
    const error = await failure(mlflow.getRegisteredModel("m"));

    expect(error.kind).toBe("TIMEOUT");
    expect(error.project).toBe("p");
    expect(Date.now() - started).toBeLessThan(2000);
    const status = await mlflow.status();
    expect(status).toMatchObject({ up: false, mlflowVersion: null });
    expect(status.error).toMatch(/timed out/);
  });

  it("maps MLflow's error codes, whatever the HTTP status says", async () => {
    const answers: [number, object | string][] = [
      [
        400,
        { error_code: "RESOURCE_ALREADY_EXISTS", message: "Registered Model (m) already exists." },
      ],
      [
        404,
        {
          error_code: "RESOURCE_DOES_NOT_EXIST",
          message: "Registered Model with name=m not found",
        },
      ],
      [500, "<html>Internal Server Error</html>"],
      [403, "Permission denied"],
    ];
    const fake = await fakeHttp((_req, res) => {
      const [status, body] = answers[fake.requests.length - 1]!;
      res.writeHead(status);
      res.end(typeof body === "string" ? body : JSON.stringify(body));
    });
    cleanups.push(fake.close);
    const { client: mlflow } = client(project(fake.url));

    const kinds = [];
    for (let i = 0; i < answers.length; i++) {
      const error = await failure(mlflow.getRegisteredModel("m"));
      kinds.push([error.kind, error.message]);
    }

    expect(kinds).toEqual([
      ["ALREADY_EXISTS", "Registered Model (m) already exists."],
      ["NOT_FOUND", "Registered Model with name=m not found"],
      ["UNAVAILABLE", 'MLflow of project "p" answered HTTP 500'],
      ["FORBIDDEN", 'MLflow of project "p" answered HTTP 403'],
    ]);
  });

  it("reports a refused connection as UNAVAILABLE without the server's address", async () => {
    const fake = await fakeHttp(() => undefined);
    await fake.close();
    const { client: mlflow } = client(project(fake.url.replace("http://", "http://user:pw@")));

    const error = await failure(mlflow.getRegisteredModel("m"));

    expect(error.kind).toBe("UNAVAILABLE");
    expect(error.message).not.toMatch(/127\.0\.0\.1|pw/);
  });

  it("sends the project's auth and workspace headers", async () => {
    const fake = await fakeHttp((_req, res) => res.end("3.17.2"));
    cleanups.push(fake.close);
    const { client: mlflow } = client(
      project(fake.url, {
        auth: { type: "basic", username: "u", password: "p" },
        workspace: "team-a",
      }),
    );

    expect(await mlflow.status()).toMatchObject({ up: true, mlflowVersion: "3.17.2" });
    expect(fake.requests[0]!.headers).toMatchObject({
      authorization: `Basic ${Buffer.from("u:p").toString("base64")}`,
      "x-mlflow-workspace": "team-a",
    });
  });

  describe("reads shared across requests", () => {
    const model = (name: string) => ({ registered_model: { name, creation_timestamp: 1 } });

    it("sends one call for identical reads of concurrent requests", async () => {
      const fake = await fakeHttp((_req, res) => res.end(JSON.stringify(model("m"))));
      cleanups.push(fake.close);
      const first = client(project(fake.url), { ...SHARE, cacheTtlMs: 0 });
      const second = first.another();

      const [a, b] = await Promise.all([
        first.client.getRegisteredModel("m"),
        second.getRegisteredModel("m"),
      ]);

      expect(a).toEqual(b);
      expect(a).not.toBe(b); // each request maps its own objects from the shared answer
      expect(fake.requests).toHaveLength(1);
    });

    it("asks MLflow again after a write through the gateway, even within the TTL", async () => {
      let description = "before";
      const fake = await fakeHttp((req, res) => {
        if (req.method === "PATCH") description = "after";
        res.end(JSON.stringify({ registered_model: { name: "m", description } }));
      });
      cleanups.push(fake.close);
      const { client: mlflow, calls, transport } = client(project(fake.url), SHARE);

      await mlflow.getRegisteredModel("m");
      expect((await mlflow.getRegisteredModel("m")).description).toBe("before");
      await transport.request(
        {
          method: "PATCH",
          path: "api/2.0/mlflow/registered-models/update",
          json: { name: "m", description: "after" },
          readOnly: false,
        },
        calls,
      );
      expect((await mlflow.getRegisteredModel("m")).description).toBe("after");

      expect(fake.requests.map((r) => r.method)).toEqual(["GET", "PATCH", "GET"]);
      expect(calls.toJSON()).toMatchObject({ total: 3, shared: 0, cached: 1 });
    });

    it("never answers a readiness probe from the cache", async () => {
      const fake = await fakeHttp((_req, res) => res.end("3.17.2"));
      cleanups.push(fake.close);
      const { client: mlflow } = client(project(fake.url), SHARE);

      await mlflow.status();
      await mlflow.status();

      expect(fake.requests).toHaveLength(2);
    });
  });
});

const SHARE: SharedReadsOptions = { shareInFlight: true, cacheTtlMs: 60_000, cacheMaxBytes: 1e6 };
