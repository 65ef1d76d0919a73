import { afterEach, describe, expect, it } from "@jest/globals";
import type { ServerResponse } from "node:http";
import { parseConfig } from "../../../src/config/load.js";
import { Admission } from "../../../src/server/admission.js";
import { startGateway } from "../../../src/server/gateway.js";
import { createLogger } from "../../../src/server/logger.js";
import { fakeHttp } from "../../support/fake-http.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

const tick = () => new Promise((resolve) => setImmediate(resolve));

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe("Admission", () => {
  it("runs up to its limit, queues up to its bound, then has no room", async () => {
    const admission = new Admission(1, 1);
    const first = deferred();
    const started: string[] = [];

    const a = admission.run(async () => (started.push("a"), first.promise));
    await tick();
    expect(admission.hasRoom).toBe(true); // one running, the queue empty
    const b = admission.run(async () => started.push("b"));
    await tick();
    expect(started).toEqual(["a"]);
    expect(admission.hasRoom).toBe(false); // one running, one waiting

    first.resolve();
    await Promise.all([a, b]);
    expect(started).toEqual(["a", "b"]);
    expect(admission.hasRoom).toBe(true);
  });
});

describe("a gateway at capacity", () => {
  it("answers 503 SERVICE_UNAVAILABLE with Retry-After, and serves again after", async () => {
    const held: ServerResponse[] = [];
    const fake = await fakeHttp((_req, res) => held.push(res));
    cleanups.push(fake.close);
    const config = parseConfig(
      JSON.stringify({
        server: { host: "127.0.0.1", port: 0, maxConcurrentRequests: 1, maxQueuedRequests: 0 },
        projects: [{ name: "p", mlflow: { url: fake.url, timeoutMs: 5000 } }],
        auth: { anonymous: [{ project: "*", role: "admin" }] },
        // The fake holds every call: a change probe's would hold MLflow slots of their own.
        events: { enabled: false },
      }),
      {},
    );
    const gateway = await startGateway(config, createLogger("silent"));
    cleanups.push(() => gateway.stop());
    const query = (name: string) =>
      fetch(`${gateway.url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: `{ model(project: "p", name: "${name}") { name } }` }),
      });

    const first = query("a");
    while (held.length === 0) await tick(); // the first request is executing, upstream
    const refused = await query("b");

    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).toBe("1");
    const body = (await refused.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors[0]!.extensions.code).toBe("SERVICE_UNAVAILABLE");
    expect(fake.requests).toHaveLength(1); // the refused request reached no upstream

    held[0]!.end(JSON.stringify({ registered_model: { name: "a" } }));
    expect((await first).status).toBe(200);
    const again = query("c");
    while (held.length === 1) await tick();
    held[1]!.end(JSON.stringify({ registered_model: { name: "c" } }));
    expect(await (await again).json()).toEqual({ data: { model: { name: "c" } } });
  });
});
