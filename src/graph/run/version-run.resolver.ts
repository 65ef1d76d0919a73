import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import type { Run as RunData } from "../../sources/mlflow/types.js";
import type { GraphContext } from "../context.js";
import { fullVersion, type VersionRoot } from "../version/version-root.js";
import { Version } from "../version/version.type.js";
import { runOfVersion } from "./load-run.js";
import { Run } from "./run.type.js";

@Resolver(() => Version)
export class VersionRunResolver {
  @FieldResolver(() => Run, { nullable: true, description: "null for registry-only versions." })
  async run(@Root() version: VersionRoot, @Ctx() ctx: GraphContext): Promise<RunData | null> {
    return runOfVersion(ctx, await fullVersion(ctx, version));
  }
}
