import "reflect-metadata";
import { type GraphQLSchema, lexicographicSortSchema, printSchema } from "graphql";
import { buildSchema, type PubSub } from "type-graphql";
import { authChecker } from "./auth-checker.js";
import { ArtifactResolver } from "./artifact/artifact.resolver.js";
import { AuditRecordResolver } from "./audit/audit-record.resolver.js";
import { RegistryEventResolver } from "./event/registry-event.resolver.js";
import { MLModelResolver } from "./mlmodel/mlmodel.resolver.js";
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

export function buildGraphSchema(): Promise<GraphQLSchema> {
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

/** The SDL committed as schema/schema.graphql: sorted, so it diffs cleanly. */
export async function printGraphSchema(): Promise<string> {
  return `${printSchema(lexicographicSortSchema(await buildGraphSchema()))}\n`;
}
