import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { type ExtraMlflow, startExtraMlflow } from "../../stack/launcher.js";
import type { Config } from "../../src/config/schema.js";
import { startTestGateway, type TestGateway } from "../support/gateway.js";
import { stackConfig, testStack } from "../support/stack.js";

// A server of its own for this file, so stopping it disturbs no other test.
const TIMEOUT_MS = 1500;
let flaky: ExtraMlflow;
let config: Config;
let gateway: TestGateway;

beforeAll(async () => {
  flaky = await startExtraMlflow(testStack(), "flaky");
  config = await stackConfig();
  config.server.readiness.details = true;
  config.projects.push({
    name: "flaky",
    mlflow: {
      url: flaky.url,
      auth: { type: "none" },
      timeoutMs: TIMEOUT_MS,
      concurrency: 4,
      maxResponseBytes: 16_777_216,
      maxPages: 100,
    },
  });
  gateway = await startTestGateway(config);
});

afterAll(async () => {
  await gateway?.stop();
  signal("SIGCONT");
  await flaky?.stop();
});

function signal(name: NodeJS.Signals): void {
  try {
    process.kill(-flaky.pid, name);
  } catch {
    // already gone
  }
}

const query = `{
  projects { name status { up error } }
  models(first: 500) { totalCount edges { node { name project { name } } } }
  versions(filter: { alias: "champion" }, first: 500) { edges { node { project { name } } } }
}`;

interface Answer {
  projects: { name: string; status: { up: boolean; error: string | null } }[];
  models: { totalCount: number; edges: { node: { name: string; project: { name: string } } }[] };
  versions: { edges: { node: { project: { name: string } } }[] };
}

const healthy = () => testStack().state.projects.map((p) => p.name);

function expectOthersAnswered(data: Answer | null | undefined): void {
  const up = Object.fromEntries(data!.projects.map((p) => [p.name, p.status.up]));
  expect(up).toEqual({ ...Object.fromEntries(healthy().map((n) => [n, true])), flaky: false });
  const listed = new Set(data!.models.edges.map((e) => e.node.project.name));
  expect([...listed].sort()).toEqual([...healthy()].sort());
  expect(data!.versions.edges.length).toBeGreaterThan(0);
}

// One error per failed project and field, typed, naming the project.
const failedAt = (code: string) =>
  ["models", "versions"].map((field) =>
    expect.objectContaining({ path: [field], extensions: { code, project: "flaky" } }),
  );

describe("one project's MLflow down", () => {
  it("is up before anything happens to it", async () => {
    const { data, errors } = await gateway.query<Answer>(query);
    expect(errors).toBeUndefined();
    expect(data!.projects.every((p) => p.status.up)).toBe(true);
  });

  it("costs only its own data when it hangs, and no longer than its timeout", async () => {
    signal("SIGSTOP");
    try {
      const started = Date.now();
      const { data, errors } = await gateway.query<Answer>(query);
      const elapsed = Date.now() - started;

      expectOthersAnswered(data);
      expect(data!.projects.find((p) => p.name === "flaky")!.status.error).toMatch(/timed out/);
      expect(errors).toEqual(failedAt("UPSTREAM_TIMEOUT"));
      expect(elapsed).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
      expect(elapsed).toBeLessThan(TIMEOUT_MS + 1000);
    } finally {
      signal("SIGCONT");
    }
  });

  it("costs only its own data when it is stopped, and readiness holds while others answer", async () => {
    signal("SIGKILL");
    const { data, errors } = await gateway.query<Answer>(query);

    expectOthersAnswered(data);
    expect(errors).toEqual(failedAt("UPSTREAM_UNAVAILABLE"));
    const ready = await fetch(`${gateway.url}/readyz`);
    expect(ready.status).toBe(200);
    const body = (await ready.json()) as { projects: { name: string; up: boolean }[] };
    expect(body.projects.find((p) => p.name === "flaky")).toMatchObject({ up: false });
  });

  it("makes the gateway unready only when no project answers", async () => {
    const alone = await startTestGateway({
      ...config,
      projects: config.projects.filter((p) => p.name === "flaky"),
    });
    try {
      const ready = await fetch(`${alone.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({
        ready: false,
        projects: [{ name: "flaky", up: false }],
      });
      const health = await fetch(`${alone.url}/healthz`);
      expect(health.status).toBe(200);
    } finally {
      await alone.stop();
    }
  });
});
