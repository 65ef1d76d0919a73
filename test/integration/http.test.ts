import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { EXAMPLE_QUERY } from "../../src/server/graphiql.js";
import { startTestGateway, type TestGateway } from "../support/gateway.js";
import { stackConfig, testStack } from "../support/stack.js";

let gateway: TestGateway;
beforeAll(async () => {
  const config = await stackConfig();
  config.server.readiness.details = true; // the per-project readiness test reads them
  gateway = await startTestGateway(config);
});
afterAll(() => gateway.stop());

describe("HTTP surface", () => {
  it("serves GraphiQL on a browser GET of /graphql, every file from the gateway itself", async () => {
    const page = await fetch(`${gateway.url}/graphql`, { headers: { accept: "text/html" } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("GraphiQL");

    const urls = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(urls).toHaveLength(4);
    for (const url of urls) {
      expect(url).toMatch(/^\/graphiql\//); // same origin: no CDN
      const asset = await fetch(`${gateway.url}${url}`);
      expect(asset.status).toBe(200);
      expect((await asset.arrayBuffer()).byteLength).toBeGreaterThan(1000);
    }
    expect((await fetch(`${gateway.url}/graphiql/../../package.json`)).status).toBe(404);
  });

  it("answers the example query GraphiQL opens with, with data from every project", async () => {
    const { data, errors } = await gateway.query<{
      models: { edges: { node: { project: { name: string } } }[] };
    }>(EXAMPLE_QUERY);
    expect(errors).toBeUndefined();
    const projects = new Set(data!.models.edges.map((e) => e.node.project.name));
    expect(projects).toEqual(new Set(testStack().state.projects.map((p) => p.name)));
  });

  it("still answers GraphQL over GET and POST on the same path", async () => {
    const get = await fetch(
      `${gateway.url}/graphql?query=${encodeURIComponent("{ projects { name } }")}`,
      {
        headers: { "apollo-require-preflight": "true" },
      },
    );
    expect(get.status).toBe(200);
    expect(((await get.json()) as { data: { projects: unknown[] } }).data.projects).toHaveLength(
      testStack().state.projects.length,
    );
  });

  it("reports liveness and per-project readiness", async () => {
    const health = await fetch(`${gateway.url}/healthz`);
    expect(await health.json()).toEqual({ status: "ok" });
    const ready = await fetch(`${gateway.url}/readyz`);
    expect(ready.status).toBe(200);
    const body = (await ready.json()) as {
      ready: boolean;
      projects: { up: boolean }[];
      s3: { up: boolean }[];
    };
    expect(body.ready).toBe(true);
    expect(body.projects.map((p) => p.up)).toEqual(testStack().state.projects.map(() => true));
    expect(body.s3.length).toBeGreaterThan(0);
    expect(body.s3.every((b) => b.up)).toBe(true);
  });

  it("refuses a body that is not JSON with a typed error", async () => {
    const response = await fetch(`${gateway.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{nope",
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      errors: [{ message: "request body is not valid JSON", extensions: { code: "BAD_REQUEST" } }],
    });
  });
});
