import { Arg, Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import { parseMLModel } from "../../sources/mlmodel/parse.js";
import { type Storage, storageUri } from "../../sources/storage/artifact-uri.js";
import { cost } from "../common/cost.js";
import { badUserInput, userError, ErrorCode } from "../common/errors.js";
import type { GraphContext } from "../context.js";
import { MLModel, type MLModelRoot } from "../mlmodel/mlmodel.type.js";
import { fullVersion, type VersionRoot } from "../version/version-root.js";
import { Version } from "../version/version.type.js";
import { Artifact, type ArtifactRoot } from "./artifact.type.js";
import { findArtifact, listArtifacts, MLMODEL_MAX_BYTES, readText, safePath } from "./browse.js";
import { locateVersion, storageOfVersion } from "./storage.js";

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
    complexity: cost.artifacts,
  })
  async artifacts(
    @Root() root: VersionRoot,
    @Ctx() ctx: GraphContext,
    @Arg("path", () => String, { defaultValue: "" }) path: string,
    @Arg("recursive", () => Boolean, { defaultValue: false }) recursive: boolean,
  ): Promise<ArtifactRoot[]> {
    const safe = safePath(path);
    const list = (storage: Storage) => listArtifacts(ctx, root.project, storage, safe, recursive);
    const { storage } = await locateVersion(ctx, root, list);
    return storage ? list(storage) : [];
  }

  @FieldResolver(() => Artifact, {
    nullable: true,
    description: "One file or folder; null when absent.",
    complexity: cost.lookup,
  })
  async artifact(
    @Root() root: VersionRoot,
    @Ctx() ctx: GraphContext,
    @Arg("path", () => String) path: string,
  ): Promise<ArtifactRoot | null> {
    const safe = safePath(path);
    if (safe === "") throw badUserInput("path must name a file or folder under the version");
    const find = (storage: Storage) => findArtifact(ctx, root.project, storage, safe);
    const { storage } = await locateVersion(ctx, root, find);
    return storage ? find(storage) : null;
  }

  @FieldResolver(() => MLModel, {
    nullable: true,
    description: "The parsed MLmodel; null when the version has none.",
    complexity: cost.mlmodel,
  })
  async mlmodel(@Root() root: VersionRoot, @Ctx() ctx: GraphContext): Promise<MLModelRoot | null> {
    const read = (storage: Storage) =>
      readText(ctx, root.project, storage, "MLmodel", MLMODEL_MAX_BYTES);
    const { version, storage } = await locateVersion(ctx, root, read);
    if (!storage) return null;
    const text = await read(storage);
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
