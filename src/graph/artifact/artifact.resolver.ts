import { Arg, Ctx, FieldResolver, Int, Resolver, Root } from "type-graphql";
import { cost } from "../common/cost.js";
import { badUserInput } from "../common/errors.js";
import type { GraphContext } from "../context.js";
import { Artifact, type ArtifactRoot } from "./artifact.type.js";
import { readText } from "./browse.js";

function within(name: string, value: number | null | undefined, max: number): number {
  const chosen = value ?? max;
  if (!Number.isInteger(chosen) || chosen < 1 || chosen > max) {
    throw badUserInput(`${name} must be between 1 and ${max}, got ${chosen}`);
  }
  return chosen;
}

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
    @Root() artifact: ArtifactRoot,
    @Ctx() ctx: GraphContext,
    @Arg("expiresIn", () => Int, {
      nullable: true,
      description: "Seconds; the server's maximum by default.",
    })
    expiresIn?: number | null,
  ): Promise<string> | null {
    const seconds = within("expiresIn", expiresIn, ctx.artifactLimits.downloadUrlMaxExpirySeconds);
    if (artifact.isDir || artifact.storage.kind !== "s3") return null;
    return ctx.loaders.artifacts.presign(artifact.storage.location, artifact.path, seconds);
  }

  @FieldResolver(() => String, {
    nullable: true,
    description:
      "The file's text, whole; a file over maxBytes is a TOO_LARGE error. null for folders.",
    complexity: cost.text,
  })
  async text(
    @Root() artifact: ArtifactRoot,
    @Ctx() ctx: GraphContext,
    @Arg("maxBytes", () => Int, { nullable: true, description: "The server's maximum by default." })
    maxBytes?: number | null,
  ): Promise<string | null> {
    const limit = within("maxBytes", maxBytes, ctx.artifactLimits.textMaxBytes);
    if (artifact.isDir) return null;
    return readText(ctx, artifact.project, artifact.storage, artifact.path, limit);
  }
}
