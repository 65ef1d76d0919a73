import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { type DocumentNode, print } from "graphql";
import type { Config } from "../../src/config/schema.js";
import { type Gateway, startGateway } from "../../src/server/gateway.js";
import { createLogger } from "../../src/server/logger.js";

export interface GraphQLResponse<TData> {
  status: number;
  data?: TData | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
  extensions?: {
    upstreamCalls?: {
      total: number;
      byUpstream: Record<string, number>;
      shared: number;
      cached: number;
    };
  };
}

export interface TestGateway extends Gateway {
  query<TData = Record<string, unknown>, TVars = Record<string, unknown>>(
    document: string | DocumentNode | TypedDocumentNode<TData, TVars>,
    variables?: TVars,
  ): Promise<GraphQLResponse<TData>>;
}

/** A real gateway on a free port, queried over HTTP as a client would. */
export async function startTestGateway(config: Config): Promise<TestGateway> {
  const gateway = await startGateway(config, createLogger(process.env.LOG_LEVEL ?? "silent"));
  return {
    ...gateway,
    async query(document, variables) {
      const query = typeof document === "string" ? document : print(document);
      const response = await fetch(`${gateway.url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, ...((await response.json()) as object) };
    },
  };
}
