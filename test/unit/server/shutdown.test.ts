import { afterEach, describe, expect, it } from "@jest/globals";
import type { ServerResponse } from "node:http";
import { parseConfig } from "../../../src/config/load.js";
import { startGateway } from "../../../src/server/gateway.js";
import { createLogger } from "../../../src/server/logger.js";
import { fakeHttp } from "../../support/fake-http.js";

// The order of a shutdown, on cue: a fake MLflow holds a call so that a request is in flight.
// test/integration/replicas.test.ts shows the same behind a real load balancer.
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});
const tick = () => new Promise((resolve) => setImmediate(resolve));

async function gatewayOverHeldMlflow(shutdown: { drainDelayMs: number; gracePeriodMs: number }) {
  const held: ServerResponse[] = [];
  const fake = await fakeHttp((req, res) => {
    if (req.url?.endsWith("/version")) res.end("3.17.2");
    else held.push(res);
  });
  cleanups.push(fake.close);
  const config = parseConfig(
    JSON.stringify({
      server: { host: "127.0.0.1", port: 0, keepAliveTimeoutMs: 70_000, shutdown },
      projects: [{ name: "p", mlflow: { url: fake.url, timeoutMs: 5000 } }],
      auth: { anonymous: [{ project: "*", role: "admin" }] },
      // The fake holds calls to test the drain: a change probe's would be held too.
      events: { enabled: false },
    }),
    {},
  );
  const gateway = await startGateway(config, createLogger("silent"));
  const query = (name: string) =>
    fetch(`${gateway.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: `{ model(project: "p", name: "${name}") { name } }` }),
    });
  const answer = (i: number, name: string) =>
    held[i]!.end(JSON.stringify({ registered_model: { name } }));
  return { gateway, held, query, answer };
}

describe("a gateway told to stop with a drain delay", () => {
  it("fails /readyz at once, serves through the delay, then finishes what is in flight", async () => {
    const { gateway, held, query, answer } = await gatewayOverHeldMlflow({
      drainDelayMs: 300,
      gracePeriodMs: 10_000,
    });
    expect((await fetch(`${gateway.url}/readyz`)).status).toBe(200);
    const inFlight = query("before");
    while (held.length === 0) await tick();

    const stopping = gateway.stop({ drainDelayMs: 300 });
    let stopped = false;
    void stopping.then(() => (stopped = true));
    const readyz = await fetch(`${gateway.url}/readyz`);
    expect(readyz.status).toBe(503);
    expect(await readyz.json()).toEqual({ ready: false, draining: true });
    // A request arriving during the delay is still taken.
    const during = query("during");
    while (held.length === 1) await tick();
    answer(1, "during");
    expect(await (await during).json()).toEqual({ data: { model: { name: "during" } } });

    // After the delay the listener is closed; the held request keeps the gateway running.
    await new Promise((resolve) => setTimeout(resolve, 500));
    await expect(fetch(`${gateway.url}/healthz`)).rejects.toThrow();
    expect(stopped).toBe(false);
    answer(0, "before");
    expect(await (await inFlight).json()).toEqual({ data: { model: { name: "before" } } });
    await stopping;
  });

  it("closes what is still in flight after the grace period", async () => {
    const { gateway, held, query } = await gatewayOverHeldMlflow({
      drainDelayMs: 0,
      gracePeriodMs: 200,
    });
    const inFlight = query("never").then(
      (r) => r.status,
      () => "closed",
    );
    while (held.length === 0) await tick();
    const started = performance.now();
    await gateway.stop();
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
    expect(await inFlight).toBe("closed");
  });

  it("keeps idle connections as long as server.keepAliveTimeoutMs says", async () => {
    const { gateway } = await gatewayOverHeldMlflow({ drainDelayMs: 0, gracePeriodMs: 100 });
    cleanups.push(() => gateway.stop());
    expect(gateway.server.keepAliveTimeout).toBe(70_000);
    expect(gateway.server.headersTimeout).toBeGreaterThan(70_000);
  });
});
