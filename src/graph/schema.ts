import "reflect-metadata";
import { type GraphQLSchema, lexicographicSortSchema, printSchema } from "graphql";
import { buildSchema } from "type-graphql";
import { ArtifactResolver } from "./artifact/artifact.resolver.js";
import { VersionArtifactsResolver } from "./artifact/version-artifacts.resolver.js";
import { MLModelResolver } from "./mlmodel/mlmodel.resolver.js";
import { ModelMutations } from "./model/model.mutations.js";
import { VersionMutations } from "./version/version.mutations.js";
import { PromoteMutation } from "./version/promote.mutation.js";
import { UploadMutations } from "./upload/upload.mutations.js";
import { ModelResolver } from "./model/model.resolver.js";
import { ProjectModelsResolver } from "./model/project-models.resolver.js";
import { NodeResolver } from "./node/node.resolver.js";
import { ProjectResolver } from "./project/project.resolver.js";
import { RunResolver } from "./run/run.resolver.js";
import { VersionRunResolver } from "./run/version-run.resolver.js";
import { AliasVersionResolver, ModelAliasesResolver } from "./version/model-aliases.resolver.js";
import { ModelVersionsResolver } from "./version/model-versions.resolver.js";
import { VersionDataResolver } from "./version/version-data.resolver.js";
import { VersionResolver } from "./version/version.resolver.js";
import { VersionsResolver } from "./version/versions.resolver.js";

export function buildGraphSchema(): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers: [
      NodeResolver,
      ProjectResolver,
      ProjectModelsResolver,
      ModelResolver,
      ModelAliasesResolver,
      AliasVersionResolver,
      ModelVersionsResolver,
      VersionResolver,
      VersionDataResolver,
      VersionsResolver,
      VersionRunResolver,
      RunResolver,
      VersionArtifactsResolver,
      ArtifactResolver,
      MLModelResolver,
      ModelMutations,
      VersionMutations,
      UploadMutations,
      PromoteMutation,
    ],
    validate: false,
  });
}

/** The SDL committed as schema/schema.graphql: sorted, so it diffs cleanly. */
export async function printGraphSchema(): Promise<string> {
  return `${printSchema(lexicographicSortSchema(await buildGraphSchema()))}\n`;
}
