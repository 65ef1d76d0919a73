import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginInlineTraceDisabled } from "@apollo/server/plugin/disabled";
import { startStandaloneServer } from "@apollo/server/standalone";
import { buildSubgraphSchema } from "@apollo/subgraph";
import { parse } from "graphql";
import { repoRoot } from "./launcher.js";

// @apollo/gateway and @apollo/composition are CommonJS with named exports Node's ESM loader
// cannot always see; required, as their own docs do.
const require = createRequire(import.meta.url);
const { composeServices } = require("@apollo/composition") as typeof import("@apollo/composition");
const { ApolloGateway, RemoteGraphQLDataSource } =
  require("@apollo/gateway") as typeof import("@apollo/gateway");

/**
 * A local supergraph, as a company would run one: registry-graph as the `models` subgraph
 * (server.federation), a `deployments` subgraph of another team that references our
 * entities by key, composed with @apollo/composition and served by @apollo/gateway. Used by
 * test/integration/supergraph.test.ts and the bench's entity_fetch.
 */

/** What the deployments service holds of a model version: its natural key, nothing of ours. */
export interface Deployment {
  name: string;
  environment: string;
  project: string;
  model: string;
  version: number;
}

/** Its SDL: our entities as stubs, keyed exactly as schema/subgraph.graphql keys them. */
export const DEPLOYMENTS_SDL = `
extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])

type Query {
  deployments: [Deployment!]!
}

"""
model and version are nullable, as the issue has them: a version the caller may not read is
null with its error, and the other deployments are still answered.
"""
type Deployment {
  name: String!
  environment: String!
  model: Model
  version: Version
}

type Project @key(fields: "name", resolvable: false) {
  name: String!
}

type Model @key(fields: "project { name } name", resolvable: false) {
  project: Project!
  name: String!
}

"""The deployments subgraph contributes Version.deployments."""
type Version @key(fields: "project { name } model { name } number") {
  project: Project!
  model: Model!
  number: Int!
  deployments: [Deployment!]!
}
`;

interface VersionKey {
  project: { name: string };
  model: { name: string };
  number: number;
}

const keyOf = (d: Deployment): VersionKey => ({
  project: { name: d.project },
  model: { name: d.model },
  number: d.version,
});

export interface Served {
  url: string;
  stop(): Promise<void>;
}

/** The deployments subgraph over a fixed list, on a free port of 127.0.0.1. */
export async function startDeploymentsSubgraph(deployments: Deployment[]): Promise<Served> {
  const resolvers = {
    Query: { deployments: () => deployments },
    Deployment: {
      model: (d: Deployment) => ({ project: { name: d.project }, name: d.model }),
      version: keyOf,
    },
    Version: {
      __resolveReference: (key: VersionKey) => key,
      deployments: (key: VersionKey) =>
        deployments.filter(
          (d) =>
            d.project === key.project.name &&
            d.model === key.model.name &&
            d.version === key.number,
        ),
    },
  };
  const server = new ApolloServer({
    schema: buildSubgraphSchema({ typeDefs: parse(DEPLOYMENTS_SDL), resolvers }),
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
  const { url } = await startStandaloneServer(server, { listen: { port: 0, host: "127.0.0.1" } });
  return { url, stop: () => server.stop() };
}

/**
 * The supergraph SDL of the two, or every composition error at once; `deploymentsSdl` lets a
 * test compose a deployments subgraph that does not fit ours.
 */
export async function composeSupergraph(
  modelsUrl: string,
  deploymentsUrl: string,
  deploymentsSdl = DEPLOYMENTS_SDL,
): Promise<string> {
  const models = await readFile(join(repoRoot(), "schema", "subgraph.graphql"), "utf8");
  const result = composeServices([
    { name: "models", url: modelsUrl, typeDefs: parse(models) },
    { name: "deployments", url: deploymentsUrl, typeDefs: parse(deploymentsSdl) },
  ]);
  if (result.errors) {
    throw new Error(`composition failed:\n${result.errors.map((e) => e.message).join("\n")}`);
  }
  return result.supergraphSdl;
}

/**
 * @apollo/gateway over the composed supergraph, on a free port. It forwards the caller's
 * Authorization to every subgraph, so registry-graph applies its own authentication, roles
 * and limits to what the router asks for the caller.
 */
export async function startSupergraphGateway(supergraphSdl: string): Promise<Served> {
  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ url }) =>
      new RemoteGraphQLDataSource<{ authorization?: string }>({
        url,
        willSendRequest({ request, context }) {
          if (context.authorization)
            request.http?.headers.set("authorization", context.authorization);
        },
      }),
  });
  const server = new ApolloServer({ gateway });
  const { url } = await startStandaloneServer(server, {
    listen: { port: 0, host: "127.0.0.1" },
    context: async ({ req }) => ({ authorization: req.headers.authorization }),
  });
  return { url, stop: () => server.stop() };
}
