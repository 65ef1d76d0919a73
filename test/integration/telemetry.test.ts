import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { print } from "graphql";
import type { Config } from "../../src/config/schema.js";
import { tokenDigest } from "../../src/server/auth/token-digest.js";
import { type Gateway, startGateway } from "../../src/server/gateway.js";
import { secretsOf } from "../../src/server/log-scrub.js";
import { createLogger } from "../../src/server/logger.js";
import { DashboardDocument } from "../generated/graphql.js";
import { parseSamples, type Sample, total } from "../support/prometheus.js";
import { stackConfig, stackProjects } from "../support/stack.js";

// A real gateway over the stack's MLflow servers and S3, with the metrics, the request log
// lines and the Grafana dashboard checked against what it served. Its config holds secrets
// (S3's, an MLflow bearer token) and its callers send a bearer token: none may reach a log line.

const TOKEN = "rg_telemetry-test-token-0123456789abcdefghijklmnopqrstu";
const MLFLOW_TOKEN = "mlflow-upstream-token-telemetry-0123456789";
const S3_SECRET = "telemetry-s3-secret-access-key-0123456789";
const DASHBOARD = print(DashboardDocument);

let gateway: Gateway;
const logText: string[] = [];
const logLines = () => logText.map((line) => JSON.parse(line) as Record<string, unknown>);

interface Answer {
  status: number;
  requestId: string | null;
  body: {
    data?: Record<string, unknown> | null;
    errors?: { extensions?: { code?: string } }[];
    extensions?: { upstreamCalls: { byUpstream: Record<string, number>; cached: number } };
  };
}

async function post(
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` },
): Promise<Answer> {
  const response = await fetch(`${gateway.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as Answer["body"];
  return { status: response.status, requestId: response.headers.get("x-request-id"), body };
}

async function scrape(base = gateway.url): Promise<Sample[]> {
  const response = await fetch(`${base}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
  return parseSamples(await response.text());
}

/** Lets the response's `close` write its log line and metrics before they are read. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

async function telemetryConfig(): Promise<Config> {
  const config = await stackConfig();
  config.s3.credentials = { accessKeyId: "AKIATELEMETRYTEST", secretAccessKey: S3_SECRET };
  config.projects = config.projects.map((p) => ({
    ...p,
    mlflow: { ...p.mlflow, auth: { type: "bearer", token: MLFLOW_TOKEN } },
  }));
  // A project whose MLflow refuses every connection: its calls are upstream errors.
  const [first] = config.projects;
  config.projects.push({
    ...first!,
    name: "down",
    mlflow: { ...first!.mlflow, url: "http://127.0.0.1:1", timeoutMs: 2000 },
    artifacts: undefined,
  });
  config.mlflowReads.cacheTtlMs = 60_000;
  config.auth = {
    anonymous: [],
    tokens: [
      { subject: "ci-bot", sha256: tokenDigest(TOKEN), grants: [{ project: "*", role: "admin" }] },
    ],
  };
  return config;
}

beforeAll(async () => {
  const config = await telemetryConfig();
  const logger = createLogger(
    "debug",
    { write: (line: string) => void logText.push(line) },
    secretsOf(config),
  );
  gateway = await startGateway(config, logger);
}, 120_000);

afterAll(async () => {
  await gateway?.stop();
});

describe("/metrics after dashboard queries", () => {
  it("counts each project's upstream calls as the request counted them", async () => {
    const projects = stackProjects();
    const before = await scrape();
    const answer = await post(DASHBOARD, { projects });
    expect(answer.status).toBe(200);
    expect(answer.body.errors).toBeUndefined();
    await settle();
    const after = await scrape();
    const delta = (name: string, where: Record<string, string>) =>
      total(after, name, where) - total(before, name, where);
    const { byUpstream } = answer.body.extensions!.upstreamCalls;
    expect(Object.keys(byUpstream).length).toBeGreaterThan(0);
    for (const project of projects) {
      const counted = byUpstream[`mlflow:${project}`] ?? 0;
      expect(counted).toBeGreaterThan(0);
      expect(delta("registry_graph_upstream_requests_total", { kind: "mlflow", project })).toBe(
        counted,
      );
      expect(
        delta("registry_graph_upstream_request_duration_seconds_count", {
          kind: "mlflow",
          project,
        }),
      ).toBe(counted);
    }
    expect(delta("registry_graph_upstream_requests_total", { kind: "s3" })).toBe(
      byUpstream.s3 ?? 0,
    );
    expect(delta("registry_graph_requests_total", { operation: "Dashboard", outcome: "ok" })).toBe(
      1,
    );
    expect(delta("registry_graph_request_duration_seconds_count", { operation: "Dashboard" })).toBe(
      1,
    );
    // Endpoints are MLflow's REST methods, never a model's name.
    const endpoints = after
      .filter((s) => s.name === "registry_graph_upstream_requests_total")
      .map((s) => s.labels.endpoint);
    expect(endpoints).toContain("registered-models/search");
    expect(endpoints.every((e) => /^[A-Za-z0-9/-]+$/.test(e!))).toBe(true);
  });

  it("counts the cache's answers as saved reads, not as calls", async () => {
    const projects = stackProjects();
    await post(DASHBOARD, { projects });
    const before = await scrape();
    const again = await post(DASHBOARD, { projects });
    await settle();
    const after = await scrape();
    const { cached, byUpstream } = again.body.extensions!.upstreamCalls;
    expect(cached).toBeGreaterThan(0);
    const saved =
      total(after, "registry_graph_upstream_reads_saved_total", { source: "cached" }) -
      total(before, "registry_graph_upstream_reads_saved_total", { source: "cached" });
    expect(saved).toBe(cached);
    const sent =
      total(after, "registry_graph_upstream_requests_total", { kind: "mlflow" }) -
      total(before, "registry_graph_upstream_requests_total", { kind: "mlflow" });
    const counted = Object.entries(byUpstream)
      .filter(([upstream]) => upstream.startsWith("mlflow:"))
      .reduce((sum, [, n]) => sum + n, 0);
    expect(sent).toBe(counted);
  });

  it("counts a project's failed calls by code, and the request as partial", async () => {
    const answer = await post(DASHBOARD, { projects: [...stackProjects(), "down"] });
    expect(answer.body.errors?.[0]?.extensions?.code).toBe("UPSTREAM_UNAVAILABLE");
    await settle();
    const samples = await scrape();
    expect(
      total(samples, "registry_graph_upstream_errors_total", { project: "down", kind: "mlflow" }),
    ).toBeGreaterThan(0);
    expect(
      samples.find((s) => s.name === "registry_graph_upstream_errors_total")?.labels.code,
    ).toBe("UNAVAILABLE");
    expect(
      total(samples, "registry_graph_requests_total", {
        operation: "Dashboard",
        outcome: "partial",
      }),
    ).toBeGreaterThan(0);
  });

  it("has the admission gauges and Node's process metrics", async () => {
    const names = new Set((await scrape()).map((s) => s.name));
    for (const name of [
      "registry_graph_requests_executing",
      "registry_graph_requests_queued",
      "registry_graph_admission_rejected_total",
      "process_cpu_seconds_total",
      "process_resident_memory_bytes",
      "nodejs_eventloop_lag_p99_seconds",
      "nodejs_heap_size_used_bytes",
    ]) {
      expect(names).toContain(name);
    }
  });
});

describe("operation labels under hostile names", () => {
  it("stay within metrics.maxOperationNames however many names clients send", async () => {
    const config = await telemetryConfig();
    config.metrics.maxOperationNames = 5;
    const capped = await startGateway(config, createLogger("silent"));
    try {
      const names = [
        ...Array.from({ length: 300 }, (_, i) => `Op${i}`),
        `Q${"x".repeat(200)}`,
        "Dashbörd",
      ];
      for (let i = 0; i < names.length; i += 20) {
        await Promise.all(
          names.slice(i, i + 20).map((name) =>
            fetch(`${capped.url}/graphql`, {
              method: "POST",
              headers: { "content-type": "application/json", authorization: `Bearer ${TOKEN}` },
              body: JSON.stringify({ query: `query ${name} { projects { name } }` }),
            }).then((r) => r.arrayBuffer()),
          ),
        );
      }
      await settle();
      const samples = await scrape(capped.url);
      const operations = new Set(
        samples
          .filter((s) => s.name === "registry_graph_requests_total")
          .map((s) => s.labels.operation),
      );
      expect(total(samples, "registry_graph_requests_total")).toBe(names.length);
      // Five names of their own, "other" for the rest; the unicode one is refused at parsing.
      expect(operations.size).toBeLessThanOrEqual(5 + 3);
      expect(operations).toContain("other");
      expect([...operations].every((o) => o!.length <= 64)).toBe(true);
    } finally {
      await capped.stop();
    }
  });
});

describe("the Grafana dashboard", () => {
  it("queries only metrics that /metrics serves", async () => {
    await post(DASHBOARD, { projects: stackProjects() });
    await settle();
    const served = new Set((await scrape()).map((s) => s.name));
    const dashboard = JSON.parse(
      readFileSync(new URL("../../deploy/grafana/registry-graph.json", import.meta.url), "utf8"),
    ) as { panels: { targets?: { expr: string }[] }[] };
    const queried = new Set<string>();
    for (const panel of dashboard.panels) {
      for (const target of panel.targets ?? []) {
        for (const [name] of target.expr.matchAll(/\b(?:registry_graph|process|nodejs)_\w+/g)) {
          queried.add(name);
        }
      }
    }
    expect(queried.size).toBeGreaterThan(10);
    expect([...queried].filter((name) => !served.has(name))).toEqual([]);
  });
});

describe("the request log", () => {
  it("has one line per request: its id, caller, operation, duration, calls and error codes", async () => {
    const answer = await fetch(`${gateway.url}/graphql`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        authorization: `Bearer ${TOKEN}`,
        "x-request-id": "telemetry-log-1",
      },
      body: JSON.stringify({ query: DASHBOARD, variables: { projects: stackProjects() } }),
    });
    const body = (await answer.json()) as Answer["body"];
    await settle();
    const lines = logLines().filter(
      (l) => l.msg === "request" && l.requestId === "telemetry-log-1",
    );
    expect(lines).toEqual([
      expect.objectContaining({
        caller: "ci-bot",
        operation: "Dashboard",
        operationType: "query",
        status: 200,
        outcome: "ok",
        durationMs: expect.any(Number),
        upstreamCalls: body.extensions!.upstreamCalls,
        errorCodes: [],
      }),
    ]);
  });

  it("takes the trace id of a traceparent as the request id", async () => {
    const traceId = "0af7651916cd43dd8448eb211c80319c";
    const answer = await post(
      "{ projects { name } }",
      {},
      {
        authorization: `Bearer ${TOKEN}`,
        traceparent: `00-${traceId}-b7ad6b7169203331-01`,
      },
    );
    expect(answer.requestId).toBe(traceId);
    await settle();
    expect(logLines().filter((l) => l.msg === "request" && l.requestId === traceId)).toHaveLength(
      1,
    );
  });

  it("names the code of a refused request", async () => {
    const refused = await post(
      "{ projects { name } }",
      {},
      { authorization: "Bearer rg_wrong-token-0123456789abcdef" },
    );
    expect(refused.status).toBe(401);
    await settle();
    const line = logLines().find((l) => l.msg === "request" && l.requestId === refused.requestId);
    expect(line).toMatchObject({ status: 401, outcome: "error", errorCodes: ["HTTP_401"] });
  });

  it("never holds the caller's token, presigned URLs or the config's secrets", async () => {
    const links = await post(`{ model(project: "churn", name: "churn-classifier") {
      version(number: 3) { artifacts { downloadUrl(expiresIn: 60) } } } }`);
    const urls = (
      links.body.data as { model: { version: { artifacts: { downloadUrl: string | null }[] } } }
    ).model.version.artifacts
      .map((a) => a.downloadUrl)
      .filter((u): u is string => u !== null);
    expect(urls.length).toBeGreaterThan(0);
    const signatures = urls.map((u) => new URL(u).searchParams.get("X-Amz-Signature")!);
    expect(signatures.every((s) => s.length >= 32)).toBe(true);
    // A failing upstream, an unknown model, a malformed request: the paths that log most.
    await post(DASHBOARD, { projects: ["down"] });
    await post(`{ model(project: "churn", name: "no-such-model-${TOKEN}") { name } }`);
    await post(
      "{ not valid graphql",
      {},
      { authorization: `Bearer ${TOKEN}`, "x-request-id": TOKEN },
    );
    await settle();
    const all = logText.join("");
    expect(logLines().filter((l) => l.msg === "request").length).toBeGreaterThan(8);
    for (const secret of [TOKEN, MLFLOW_TOKEN, S3_SECRET, ...urls, ...signatures]) {
      expect(all).not.toContain(secret);
    }
  });
});

describe("metrics on a port of their own", () => {
  it("are served there and not on the main port; metrics off serves none", async () => {
    const config = await telemetryConfig();
    config.metrics.port = 0;
    config.metrics.host = "127.0.0.1";
    const separate = await startGateway(config, createLogger("silent"));
    try {
      expect(separate.metricsUrl).toBeDefined();
      await post("{ projects { name } }");
      const own = await scrape(separate.metricsUrl);
      expect(own.some((s) => s.name === "process_cpu_seconds_total")).toBe(true);
      expect((await fetch(`${separate.url}/metrics`)).status).toBe(404);
      expect((await fetch(`${separate.metricsUrl}/graphql`)).status).toBe(404);
    } finally {
      await separate.stop();
    }
    const off = await telemetryConfig();
    off.metrics.enabled = false;
    const none = await startGateway(off, createLogger("silent"));
    try {
      expect(none.metricsUrl).toBeUndefined();
      expect((await fetch(`${none.url}/metrics`)).status).toBe(404);
    } finally {
      await none.stop();
    }
  });
});
