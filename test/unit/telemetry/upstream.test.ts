import { describe, expect, it } from "@jest/globals";
import { trace } from "@opentelemetry/api";
import { parseSamples, total } from "../../support/prometheus.js";
import { GatewayMetrics } from "../../../src/telemetry/metrics.js";
import { tracingOn } from "../../../src/telemetry/tracing.js";
import { upstreamObserver } from "../../../src/telemetry/upstream.js";

const info = { kind: "mlflow", project: "fraud", endpoint: "registered-models/search" } as const;

describe("the upstream observer", () => {
  it("with tracing off, makes no span and adds no header", async () => {
    expect(tracingOn()).toBe(false);
    const observer = upstreamObserver(undefined, () => "none");
    const seen = await observer.call(info, async (headers) => ({
      headers: { ...headers },
      span: trace.getActiveSpan(),
    }));
    expect(seen).toEqual({ headers: {}, span: undefined });
  });

  it("counts and times each call, and a failed one by its code", async () => {
    const metrics = new GatewayMetrics();
    const observer = upstreamObserver(metrics, () => "none");
    await observer.call(info, async () => "ok");
    const failure = Object.assign(new Error("refused"), { kind: "UNAVAILABLE" });
    await expect(
      observer.call(info, async () => {
        throw failure;
      }),
    ).rejects.toBe(failure);
    observer.saved("mlflow", "fraud", "shared");
    const samples = parseSamples((await metrics.scrape()).body);
    expect(total(samples, "registry_graph_upstream_requests_total", info)).toBe(2);
    expect(total(samples, "registry_graph_upstream_request_duration_seconds_count", info)).toBe(2);
    expect(
      total(samples, "registry_graph_upstream_errors_total", { ...info, code: "UNAVAILABLE" }),
    ).toBe(1);
    expect(total(samples, "registry_graph_upstream_errors_total")).toBe(1);
    expect(
      total(samples, "registry_graph_upstream_reads_saved_total", {
        kind: "mlflow",
        project: "fraud",
        source: "shared",
      }),
    ).toBe(1);
  });
});
