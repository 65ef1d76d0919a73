import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import type { ModelVersion, Run as RunData } from "../../sources/mlflow/types.js";
import type { GraphContext } from "../context.js";
import { Version } from "../version/version.type.js";
import { runOfVersion } from "./load-run.js";
import { Run } from "./run.type.js";

@Resolver(() => Version)
export class VersionRunResolver {
  @FieldResolver(() => Run, { nullable: true, description: "null for registry-only versions." })
  run(@Root() version: ModelVersion, @Ctx() ctx: GraphContext): Promise<RunData | null> {
    return runOfVersion(ctx, version);
  }
}
