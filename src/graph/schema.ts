import "reflect-metadata";
import { type GraphQLSchema, lexicographicSortSchema, printSchema } from "graphql";
import { buildSchema, type PubSub } from "type-graphql";
import { authChecker } from "./auth-checker.js";
import { ArtifactResolver } from "./artifact/artifact.resolver.js";
import { AuditRecordResolver } from "./audit/audit-record.resolver.js";
import { RegistryEventResolver } from "./event/registry-event.resolver.js";
import { MLModelResolver } from "./mlmodel/mlmodel.resolver.js";
import { type SubgraphOptions, toSubgraph } from "./federation/subgraph-schema.js";
import { ModelMutations } from "./model/model.mutations.js";
import { ModelResolver } from "./model/model.resolver.js";
import { NodeResolver } from "./node/node.resolver.js";
import { ProjectResolver } from "./project/project.resolver.js";
import { RunResolver } from "./run/run.resolver.js";
import { UploadMutations } from "./upload/upload.mutations.js";
import { AliasResolver } from "./version/alias.resolver.js";
import { VersionMutations } from "./version/version.mutations.js";
import { VersionResolver } from "./version/version.resolver.js";

/**
 * type-graphql asks for a PubSub once there is a Subscription field; registryEvents has its own
 * `subscribe` (the registry's, over the event hub), so nothing is ever sent through this one.
 */
const noTopics: PubSub = {
  publish() {
    throw new Error("registry-graph publishes no type-graphql topics: events go through the hub");
  },
  subscribe() {
    throw new Error("registry-graph has no type-graphql topics: registryEvents subscribes itself");
  },
};

/** The standalone schema, as type-graphql builds it from the resolvers. */
function buildStandaloneSchema(): Promise<GraphQLSchema> {
  return buildSchema({
    // One resolver class per GraphQL type, and one per entity for its Mutation fields.
    resolvers: [
      NodeResolver,
      ProjectResolver,
      ModelResolver,
      AliasResolver,
      VersionResolver,
      RunResolver,
      ArtifactResolver,
      MLModelResolver,
      AuditRecordResolver,
      RegistryEventResolver,
      ModelMutations,
      VersionMutations,
      UploadMutations,
    ],
    authChecker,
    pubSub: noTopics,
    validate: false,
  });
}

/** The standalone SDL, as committed in schema/schema.graphql: sorted, so it diffs cleanly. */
const printStandalone = (schema: GraphQLSchema): string =>
  `${printSchema(lexicographicSortSchema(schema))}\n`;

/** The schema the gateway serves: standalone, or a Federation 2 subgraph (server.federation). */
export async function buildGraphSchema(
  options: { subgraph?: SubgraphOptions } = {},
): Promise<GraphQLSchema> {
  const standalone = await buildStandaloneSchema();
  if (!options.subgraph) return standalone;
  return toSubgraph(standalone, printStandalone(standalone), options.subgraph).schema;
}

/**
 * The SDL committed as schema/schema.graphql, or with `subgraph` as schema/subgraph.graphql:
 * what the subgraph's `_service { sdl }` answers, the input of a supergraph's composition.
 */
export async function printGraphSchema(options: { subgraph?: boolean } = {}): Promise<string> {
  if (!options.subgraph) return printStandalone(await buildStandaloneSchema());
  const standalone = await buildStandaloneSchema();
  const { sdl } = toSubgraph(standalone, printStandalone(standalone), { serveSdl: true });
  return `${sdl.trimEnd()}\n`;
}
