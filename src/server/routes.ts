import type { IncomingMessage, ServerResponse } from "node:http";
import type { RequestContext } from "./context.js";
import {
  EXAMPLE_QUERY,
  GRAPHIQL_ASSET_PREFIX,
  graphiqlPage,
  readGraphiqlAsset,
} from "./graphiql.js";
import { type GraphQLRoute, handleGraphQL } from "./http-graphql.js";
import type { ReadinessProbe } from "./readiness.js";
import { requestIdOf, withRequestId } from "./request-id.js";

export interface RouteDeps extends GraphQLRoute<RequestContext> {
  readiness: ReadinessProbe;
  /** Whether /readyz lists each project and bucket, or says only ready or not. */
  readinessDetails: boolean;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
  res.end(JSON.stringify(body));
}

function wantsGraphiql(req: IncomingMessage, url: URL): boolean {
  return (
    req.method === "GET" &&
    !url.searchParams.has("query") &&
    (req.headers.accept ?? "").includes("text/html")
  );
}

/**
 * The gateway's HTTP surface: /graphql (GraphiQL on a browser GET), /healthz, /readyz. Every
 * response carries its request's id (`x-request-id`), the key to its lines in the log.
 */
export function createRouter(deps: RouteDeps) {
  const route = routeTo(deps);
  return (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const requestId = requestIdOf(req.headers["x-request-id"]);
    res.setHeader("x-request-id", requestId);
    return withRequestId(requestId, () => route(req, res));
  };
}

function routeTo(deps: RouteDeps) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (url.pathname === "/graphql") {
      if (wantsGraphiql(req, url)) {
        res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
        res.end(graphiqlPage(EXAMPLE_QUERY));
        return;
      }
      return handleGraphQL(deps, req, res);
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      return sendJson(res, 405, { error: "method not allowed" });
    }
    if (url.pathname === "/healthz") return sendJson(res, 200, { status: "ok" });
    if (url.pathname === "/readyz") {
      const readiness = await deps.readiness.check();
      const body = deps.readinessDetails
        ? readiness
        : { ready: readiness.ready, ...(readiness.draining && { draining: true }) };
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
