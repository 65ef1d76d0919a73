import type { IncomingMessage, ServerResponse } from "node:http";
import type { RequestContext } from "./context.js";
import {
  EXAMPLE_QUERY,
  GRAPHIQL_ASSET_PREFIX,
  graphiqlPage,
  readGraphiqlAsset,
} from "./graphiql.js";
import { type GraphQLRoute, handleGraphQL } from "./http-graphql.js";
import type { EventsStatus } from "../events/start-events.js";
import type { ReadinessProbe } from "./readiness.js";
import type { GatewayMetrics } from "../telemetry/metrics.js";
import { inServerSpan, tracingOn } from "../telemetry/tracing.js";
import { RequestRecord } from "./request-record.js";
import { requestIdOf, withRequestId } from "./request-id.js";
import { WEBHOOK_PREFIX } from "./webhook-route.js";

export interface RouteDeps extends GraphQLRoute<RequestContext> {
  readiness: ReadinessProbe;
  /** Whether /readyz lists each project and bucket, or says only ready or not. */
  readinessDetails: boolean;
  /** Served at /metrics here, unless on a port of their own (then undefined). */
  metrics?: GatewayMetrics;
  /** Writes a GraphQL request's log line, metrics and span once its response is done. */
  finish: (record: RequestRecord, status: number) => void;
  /** MLflow's webhook deliveries, at /webhooks/mlflow/<project> (webhook-route.ts). */
  webhook: (req: IncomingMessage, res: ServerResponse, path: string) => Promise<void>;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
  res.end(JSON.stringify(body));
}

/** A Prometheus scrape of `metrics`. */
export async function sendMetrics(res: ServerResponse, metrics: GatewayMetrics): Promise<void> {
  const { contentType, body } = await metrics.scrape();
  res.writeHead(200, { "content-type": contentType, "cache-control": "no-store" });
  res.end(body);
}

/** live: every project's cache kept fresh by events; ttl: none; partial: some. */
function cacheSummary(events: EventsStatus): "live" | "partial" | "ttl" {
  const live = events.projects.filter((p) => p.cache === "live").length;
  if (live === events.projects.length) return "live";
  return live === 0 ? "ttl" : "partial";
}

function wantsGraphiql(req: IncomingMessage, url: URL): boolean {
  return (
    req.method === "GET" &&
    !url.searchParams.has("query") &&
    (req.headers.accept ?? "").includes("text/html")
  );
}

/**
 * The gateway's HTTP surface: /graphql (GraphiQL on a browser GET), /healthz, /readyz,
 * /webhooks/mlflow/<project> (MLflow's webhooks), /metrics unless on its own port. Every
 * response carries its request's id (`x-request-id`), the key to its lines in the log.
 */
export function createRouter(deps: RouteDeps) {
  const route = routeTo(deps);
  return (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const requestId = requestIdOf(req.headers["x-request-id"], req.headers.traceparent);
    res.setHeader("x-request-id", requestId);
    return withRequestId(requestId, () => route(req, res, requestId));
  };
}

/**
 * A GraphQL request, recorded from arrival to the end of its response; in a span of its own
 * (continuing the caller's `traceparent`) when tracing is on.
 */
function observedGraphQL(
  deps: RouteDeps,
  req: IncomingMessage,
  res: ServerResponse,
  requestId: string,
): Promise<void> {
  const record = new RequestRecord(requestId);
  res.once("close", () => deps.finish(record, res.statusCode));
  if (!tracingOn()) return handleGraphQL(deps, req, res, record);
  return inServerSpan(`${req.method ?? "POST"} /graphql`, req.headers, (span) => {
    record.span = span;
    span.setAttributes({
      "http.request.method": req.method ?? "",
      "registry_graph.request_id": requestId,
    });
    return handleGraphQL(deps, req, res, record);
  });
}

function routeTo(deps: RouteDeps) {
  return async (req: IncomingMessage, res: ServerResponse, requestId: string): Promise<void> => {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (url.pathname === "/graphql") {
      if (wantsGraphiql(req, url)) {
        res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
        res.end(graphiqlPage(EXAMPLE_QUERY));
        return;
      }
      return observedGraphQL(deps, req, res, requestId);
    }
    if (url.pathname.startsWith(WEBHOOK_PREFIX)) return deps.webhook(req, res, url.pathname);
    if (req.method !== "GET" && req.method !== "HEAD") {
      return sendJson(res, 405, { error: "method not allowed" });
    }
    if (url.pathname === "/healthz") return sendJson(res, 200, { status: "ok" });
    if (url.pathname === "/metrics" && deps.metrics) return sendMetrics(res, deps.metrics);
    if (url.pathname === "/readyz") {
      const readiness = await deps.readiness.check();
      const body = deps.readinessDetails
        ? readiness
        : {
            ready: readiness.ready,
            ...(readiness.draining && { draining: true }),
            ...(readiness.events && { cache: cacheSummary(readiness.events) }),
          };
      return sendJson(res, readiness.ready ? 200 : 503, body);
    }
    if (url.pathname.startsWith(GRAPHIQL_ASSET_PREFIX)) {
      const asset = await readGraphiqlAsset(url.pathname.slice(GRAPHIQL_ASSET_PREFIX.length));
      if (asset) {
        res.writeHead(200, { "content-type": asset.type, "cache-control": "public, max-age=3600" });
        res.end(asset.body);
        return;
      }
    }
    if (url.pathname === "/") {
      res.writeHead(302, { location: "/graphql" });
      res.end();
      return;
    }
    sendJson(res, 404, { error: `no route ${url.pathname}` });
  };
}
