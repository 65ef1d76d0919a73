import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { SpanKind } from "@opentelemetry/api";
import { tracing } from "@opentelemetry/sdk-node";
import { print } from "graphql";
import { type Gateway, startGateway } from "../../src/server/gateway.js";
import { createLogger } from "../../src/server/logger.js";
import { startTracing } from "../../src/telemetry/tracing-sdk.js";
import { DashboardDocument } from "../generated/graphql.js";
import { slowProxy } from "../support/slow-proxy.js";
import { stackConfig } from "../support/stack.js";

// The gateway with tracing on, its spans kept in memory, over the real fraud and churn MLflow
// servers; fraud's behind a proxy that records the headers of every call that reaches it.

const exporter = new tracing.InMemorySpanExporter();
let stopTracing: () => Promise<void>;
let proxy: Awaited<ReturnType<typeof slowProxy>>;
let gateway: Gateway;

const TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
const CALLER_SPAN = "00f067aa0ba902b7";

interface Answer {
  requestId: string | null;
  body: {
    errors?: unknown[];
    extensions: { upstreamCalls: { byUpstream: Record<string, number> } };
  };
}

async function post(query: string, variables: object, headers: Record<string, string> = {}) {
  const response = await fetch(`${gateway.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return {
    requestId: response.headers.get("x-request-id"),
    body: (await response.json()) as Answer["body"],
  };
}

/** The spans of one trace, once the request's span has ended (after its response). */
async function traceOf(traceId: string) {
  for (let i = 0; i < 50; i++) {
    const spans = exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);
    if (spans.some((s) => s.kind === SpanKind.SERVER)) return spans;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`no server span in trace ${traceId}`);
}

beforeAll(async () => {
  ({ stop: stopTracing } = startTracing({
    serviceName: "registry-graph-test",
    spanProcessors: [new tracing.SimpleSpanProcessor(exporter)],
  }));
  const config = await stackConfig();
  const fraud = config.projects.find((p) => p.name === "fraud")!;
  const churn = config.projects.find((p) => p.name === "churn")!;
  proxy = await slowProxy(fraud.mlflow.url);
  config.projects = [{ ...fraud, mlflow: { ...fraud.mlflow, url: proxy.url } }, churn];
  gateway = await startGateway(config, createLogger("silent"));
}, 120_000);

afterAll(async () => {
  await gateway?.stop();
  await proxy?.close();
  await stopTracing?.();
});

describe("traces", () => {
  it("give the dashboard query one span, and each MLflow call a child span with its project and endpoint", async () => {
    const answer = await post(
      print(DashboardDocument),
      { projects: ["fraud", "churn"] },
      { traceparent: `00-${TRACE_ID}-${CALLER_SPAN}-01` },
    );
    expect(answer.body.errors).toBeUndefined();
    expect(answer.requestId).toBe(TRACE_ID);
    const spans = await traceOf(TRACE_ID);
    const servers = spans.filter((s) => s.kind === SpanKind.SERVER);
    expect(servers).toHaveLength(1);
    const request = servers[0]!;
    // The caller's trace continues: same trace id, parented on the caller's span.
    expect(request.parentSpanContext?.spanId).toBe(CALLER_SPAN);
    expect(request.name).toBe("query Dashboard");
    expect(request.attributes).toMatchObject({
      "graphql.operation.name": "Dashboard",
      "graphql.operation.type": "query",
      "http.response.status_code": 200,
      "registry_graph.request_id": TRACE_ID,
    });
    const children = spans.filter((s) => s !== request);
    for (const child of children) {
      expect(child.kind).toBe(SpanKind.CLIENT);
      expect(child.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
      expect(child.name).toBe(`mlflow ${child.attributes["registry_graph.endpoint"] as string}`);
    }
    // One span per call the request counted, per project.
    const { byUpstream } = answer.body.extensions.upstreamCalls;
    for (const project of ["fraud", "churn"]) {
      const mine = children.filter((s) => s.attributes["registry_graph.project"] === project);
      expect(mine.length).toBe(byUpstream[`mlflow:${project}`]);
      expect(mine.map((s) => s.attributes["registry_graph.endpoint"])).toContain(
        "registered-models/search",
      );
    }
    // Every call that reached fraud's MLflow carried the trace, parented on its own span.
    const fraudSpans = new Set(
      children
        .filter((s) => s.attributes["registry_graph.project"] === "fraud")
        .map((s) => s.spanContext().spanId),
    );
    const sent = proxy.headers.map((h) => h.traceparent);
    expect(sent).toHaveLength(fraudSpans.size);
    for (const traceparent of sent) {
      const [, traceId, parent] = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/.exec(
        traceparent as string,
      )!;
      expect(traceId).toBe(TRACE_ID);
      expect(fraudSpans.has(parent!)).toBe(true);
    }
  });

  it("start a new trace for a request without a traceparent", async () => {
    const answer = await post("{ projects { name } }", {});
    const server = exporter
      .getFinishedSpans()
      .filter(
        (s) =>
          s.kind === SpanKind.SERVER &&
          s.attributes["registry_graph.request_id"] === answer.requestId,
      );
    expect(server).toHaveLength(1);
    expect(server[0]!.spanContext().traceId).not.toBe(TRACE_ID);
    expect(server[0]!.parentSpanContext).toBeUndefined();
  });

  it("give each S3 call a child span with its project and operation", async () => {
    const answer = await post(
      `{ model(project: "churn", name: "churn-classifier") { version(number: 3) { artifacts { path } } } }`,
      {},
      { traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" },
    );
    expect(answer.body.errors).toBeUndefined();
    const spans = await traceOf("0af7651916cd43dd8448eb211c80319c");
    const s3 = spans.filter((s) => s.attributes["registry_graph.upstream"] === "s3");
    expect(s3.length).toBe(answer.body.extensions.upstreamCalls.byUpstream.s3);
    expect(s3[0]!.attributes).toMatchObject({
      "registry_graph.project": "churn",
      "registry_graph.endpoint": "ListObjectsV2",
    });
  });
});
