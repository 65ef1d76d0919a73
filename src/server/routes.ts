import type { IncomingMessage, ServerResponse } from "node:http";
import type { ApolloServer } from "@apollo/server";
import type { RequestContext } from "./context.js";
import {
  EXAMPLE_QUERY,
  GRAPHIQL_ASSET_PREFIX,
  graphiqlPage,
  readGraphiqlAsset,
} from "./graphiql.js";
import type { Admission } from "./admission.js";
import { handleGraphQL } from "./http-graphql.js";
import { checkReadiness } from "./readiness.js";
import type { Upstreams } from "../sources/upstreams.js";

export interface RouteDeps {
  apollo: ApolloServer<RequestContext>;
  upstreams: Upstreams;
  context: () => Promise<RequestContext>;
  maxBodyBytes: number;
  admission: Admission;
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

/** The gateway's HTTP surface: /graphql (GraphiQL on a browser GET), /healthz, /readyz. */
export function createRouter(deps: RouteDeps) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (url.pathname === "/graphql") {
      if (wantsGraphiql(req, url)) {
        res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
        res.end(graphiqlPage(EXAMPLE_QUERY));
        return;
      }
      return handleGraphQL(deps.apollo, deps.context, req, res, deps.maxBodyBytes, deps.admission);
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      return sendJson(res, 405, { error: "method not allowed" });
    }
    if (url.pathname === "/healthz") return sendJson(res, 200, { status: "ok" });
    if (url.pathname === "/readyz") {
      const readiness = await checkReadiness(deps.upstreams);
      return sendJson(res, readiness.ready ? 200 : 503, readiness);
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
