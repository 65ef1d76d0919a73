import { describe, expect, it } from "@jest/globals";
import { requestFinisher } from "../../../src/server/finish-request.js";
import { createLogger } from "../../../src/server/logger.js";
import { RequestRecord } from "../../../src/server/request-record.js";
import { UpstreamCalls } from "../../../src/sources/calls.js";
import { GatewayMetrics } from "../../../src/telemetry/metrics.js";

function capture() {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger("info", {
    write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>),
  });
  return { logger, lines };
}

function request(operation: string | null, codes: string[] = [], hasData = true) {
  const record = new RequestRecord("r1");
  record.resolved = true;
  record.operation = operation;
  record.operationType = "query";
  record.hasData = hasData;
  for (const code of codes) record.errorCodes.add(code);
  return record;
}

/** The distinct label values `label` takes in the series of `metric` in a scrape. */
async function labelValues(metrics: GatewayMetrics, metric: string, label: string) {
  const text = (await metrics.scrape()).body;
  const values = new Set<string>();
  for (const line of text.split("\n")) {
    if (!line.startsWith(`${metric}{`)) continue;
    const value = new RegExp(`${label}="((?:[^"\\\\]|\\\\.)*)"`).exec(line)?.[1];
    if (value !== undefined) values.add(value);
  }
  return values;
}

describe("a finished request's metrics", () => {
  it("keep the operation label set bounded under 10,000 distinct hostile names", async () => {
    const metrics = new GatewayMetrics();
    const finish = requestFinisher(capture().logger, metrics, 50);
    for (let i = 0; i < 10_000; i++) finish(request(`Op${i}`), 200);
    for (const name of ["Ü".repeat(10), "x".repeat(5000), 'a"b', "Dashboard"]) {
      finish(request(name), 200);
    }
    const operations = await labelValues(metrics, "registry_graph_requests_total", "operation");
    expect(operations.size).toBeLessThanOrEqual(51);
    expect(operations).toContain("other");
    expect(operations).not.toContain("Dashboard"); // came after the cap
    expect([...operations].every((o) => o.length <= 64)).toBe(true);
    const histogram = await labelValues(
      metrics,
      "registry_graph_request_duration_seconds_count",
      "operation",
    );
    expect(histogram).toEqual(operations);
  });

  it("name the outcome: ok, partial, error, rejected", async () => {
    const metrics = new GatewayMetrics();
    const finish = requestFinisher(capture().logger, metrics, 10);
    finish(request("A"), 200);
    finish(request("A", ["UPSTREAM_ERROR"]), 200);
    finish(request("A", ["NOT_FOUND"], false), 200);
    const rejected = new RequestRecord("r2");
    rejected.rejected = true;
    finish(rejected, 503);
    const text = (await metrics.scrape()).body;
    for (const outcome of ["ok", "partial", "error"]) {
      expect(text).toContain(`registry_graph_requests_total{operation="A",outcome="${outcome}"} 1`);
    }
    expect(text).toContain(
      'registry_graph_requests_total{operation="unknown",outcome="rejected"} 1',
    );
    expect(text).toContain("registry_graph_admission_rejected_total 1");
  });
});

describe("a finished request's log line", () => {
  it("is one line with its id, caller, operation, duration, upstream calls and error codes", () => {
    const { logger, lines } = capture();
    const record = request("Dashboard", ["UPSTREAM_ERROR"]);
    record.caller = "ci-bot";
    record.calls = new UpstreamCalls();
    record.calls.record("mlflow:fraud");
    record.calls.record("s3");
    requestFinisher(logger, undefined, 10)(record, 200);
    expect(lines).toEqual([
      expect.objectContaining({
        msg: "request",
        requestId: "r1",
        caller: "ci-bot",
        operation: "Dashboard",
        operationType: "query",
        status: 200,
        outcome: "partial",
        durationMs: expect.any(Number),
        upstreamCalls: { total: 2, byUpstream: { "mlflow:fraud": 1, s3: 1 }, shared: 0, cached: 0 },
        errorCodes: ["UPSTREAM_ERROR"],
      }),
    ]);
  });

  it("names an HTTP refusal's status when no code was given", () => {
    const { logger, lines } = capture();
    requestFinisher(logger, undefined, 10)(new RequestRecord("r3"), 401);
    expect(lines[0]).toMatchObject({ outcome: "error", errorCodes: ["HTTP_401"] });
  });
});
