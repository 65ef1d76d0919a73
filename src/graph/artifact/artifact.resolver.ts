import { Arg, Ctx, FieldResolver, Int, Resolver, Root } from "type-graphql";
import type { ArtifactEntry } from "../../registry/artifacts/browse.js";
import { cost } from "../common/cost.js";
import type { GraphContext } from "../context.js";
import { Artifact } from "./artifact.type.js";

@Resolver(() => Artifact)
export class ArtifactResolver {
  @FieldResolver(() => String, {
    nullable: true,
    description:
      "A presigned GET of this file, made locally (no call to S3); null for folders and for " +
      "projects whose files only MLflow can read.",
    complexity: cost.local,
  })
  downloadUrl(
    @Root() artifact: ArtifactEntry,
    @Ctx() ctx: GraphContext,
    @Arg("expiresIn", () => Int, {
      nullable: true,
      description: "Seconds; the server's maximum by default.",
    })
    expiresIn?: number | null,
  ): Promise<string> | null {
    return ctx.registry.artifacts.downloadUrl(artifact, expiresIn);
  }

  @FieldResolver(() => String, {
    nullable: true,
    description:
      "The file's text, whole; a file over maxBytes is a TOO_LARGE error. null for folders.",
    complexity: cost.text,
  })
  text(
    @Root() artifact: ArtifactEntry,
    @Ctx() ctx: GraphContext,
    @Arg("maxBytes", () => Int, { nullable: true, description: "The server's maximum by default." })
    maxBytes?: number | null,
  ): Promise<string | null> {
    return ctx.registry.artifacts.text(artifact, maxBytes);
  }
}
