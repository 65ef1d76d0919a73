import "reflect-metadata";
import { type GraphQLSchema, lexicographicSortSchema, printSchema } from "graphql";
import { buildSchema } from "type-graphql";
import { ModelResolver } from "./model/model.resolver.js";
import { ProjectModelsResolver } from "./model/project-models.resolver.js";
import { ProjectResolver } from "./project/project.resolver.js";
import { ModelAliasesResolver } from "./version/model-aliases.resolver.js";
import { VersionResolver } from "./version/version.resolver.js";

export function buildGraphSchema(): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers: [
      ProjectResolver,
      ProjectModelsResolver,
      ModelResolver,
      ModelAliasesResolver,
      VersionResolver,
    ],
    validate: false,
  });
}

/** The SDL committed as schema/schema.graphql: sorted, so it diffs cleanly. */
export async function printGraphSchema(): Promise<string> {
  return `${printSchema(lexicographicSortSchema(await buildGraphSchema()))}\n`;
}
