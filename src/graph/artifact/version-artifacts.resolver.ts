import { Arg, Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import { parseMLModel } from "../../sources/mlmodel/parse.js";
import { storageUri } from "../../sources/storage/artifact-uri.js";
import { badUserInput, userError, ErrorCode } from "../common/errors.js";
import type { GraphContext } from "../context.js";
import { MLModel, type MLModelRoot } from "../mlmodel/mlmodel.type.js";
import { fullVersion, type VersionRoot } from "../version/version-root.js";
import { Version } from "../version/version.type.js";
import { Artifact, type ArtifactRoot } from "./artifact.type.js";
import { findArtifact, listArtifacts, readText, safePath } from "./browse.js";
import { storageOfVersion } from "./storage.js";

// MLmodel files are a few KiB; one ranged GET of this much reads any real one whole.
const MLMODEL_MAX_BYTES = 1_048_576;

@Resolver(() => Version)
export class VersionArtifactsResolver {
  @FieldResolver(() => String, {
    nullable: true,
    description:
      "Where the files are: s3://bucket/prefix (mlflow-artifacts:/… where only MLflow can read them).",
  })
  async storageUri(@Root() root: VersionRoot, @Ctx() ctx: GraphContext): Promise<string | null> {
    const version = await fullVersion(ctx, root);
    const storage = await storageOfVersion(ctx, version);
    return storage ? storageUri(storage) : null;
  }

  @FieldResolver(() => [Artifact], {
    description: "The files and folders under path, sorted by path.",
  })
  async artifacts(
    @Root() root: VersionRoot,
    @Ctx() ctx: GraphContext,
    @Arg("path", () => String, { defaultValue: "" }) path: string,
    @Arg("recursive", () => Boolean, { defaultValue: false }) recursive: boolean,
  ): Promise<ArtifactRoot[]> {
    const safe = safePath(path);
    const version = await fullVersion(ctx, root);
    const storage = await storageOfVersion(ctx, version);
    return storage ? listArtifacts(ctx, version.project, storage, safe, recursive) : [];
  }

  @FieldResolver(() => Artifact, {
    nullable: true,
    description: "One file or folder; null when absent.",
  })
  async artifact(
    @Root() root: VersionRoot,
    @Ctx() ctx: GraphContext,
    @Arg("path", () => String) path: string,
  ): Promise<ArtifactRoot | null> {
    const safe = safePath(path);
    if (safe === "") throw badUserInput("path must name a file or folder under the version");
    const version = await fullVersion(ctx, root);
    const storage = await storageOfVersion(ctx, version);
    return storage ? findArtifact(ctx, version.project, storage, safe) : null;
  }

  @FieldResolver(() => MLModel, {
    nullable: true,
    description: "The parsed MLmodel; null when the version has none.",
  })
  async mlmodel(@Root() root: VersionRoot, @Ctx() ctx: GraphContext): Promise<MLModelRoot | null> {
    const version = await fullVersion(ctx, root);
    const storage = await storageOfVersion(ctx, version);
    if (!storage) return null;
    const text = await readText(ctx, version.project, storage, "MLmodel", MLMODEL_MAX_BYTES);
    if (text === null) return null;
    try {
      return { ...parseMLModel(text), project: version.project, storage };
    } catch (error) {
      throw userError(
        ErrorCode.UPSTREAM_ERROR,
        `the MLmodel of this version cannot be read: ${(error as Error).message}`,
      );
    }
  }
}
