import type { GraphQLResolveInfo } from "graphql";
import { DateTimeResolver } from "graphql-scalars";
import {
  Authorized,
  Arg,
  Args,
  Ctx,
  FieldResolver,
  ID,
  Info,
  Query,
  Resolver,
  Root,
} from "type-graphql";
import type { Role } from "../../registry/access/caller.js";
import type { ArtifactEntry } from "../../registry/artifacts/browse.js";
import type { MLModelEntry } from "../../registry/artifacts/version-files.js";
import type { VersionSignatureDiff } from "../../registry/signatures/version-signature-diff.js";
import type { ModelEntity, VersionEntity } from "../../registry/entities.js";
import type { ModelVersion, Run as RunData } from "../../sources/mlflow/types.js";
import { Artifact } from "../artifact/artifact.type.js";
import type { Page } from "../common/connection.js";
import { cost } from "../common/cost.js";
import { encodeId } from "../common/global-id.js";
import { sortAndPage } from "../common/paginate.js";
import { fromEachProject } from "../common/settle-projects.js";
import { Tag } from "../common/tag.type.js";
import type { GraphContext } from "../context.js";
import { MLModel } from "../mlmodel/mlmodel.type.js";
import { SignatureDiff } from "../mlmodel/signature-diff.type.js";
import { Model } from "../model/model.type.js";
import { Project, type ProjectRoot } from "../project/project.type.js";
import { Run } from "../run/run.type.js";
import { VersionConnection } from "./version-connection.type.js";
import { VersionRefInput } from "./version-mutation.inputs.js";
import { VersionStatus } from "./version-status.enum.js";
import { Version } from "./version.type.js";
import { VersionsArgs } from "./versions.args.js";

/** The version's recorded fields, loaded (batched) when only its key is at hand. */
const data = (ctx: GraphContext, version: VersionEntity): Promise<ModelVersion> =>
  ctx.registry.versions.data(version);

@Resolver(() => Version)
export class VersionResolver {
  @Authorized<Role>("reader")
  @Query(() => VersionConnection, {
    description:
      "Versions across projects (e.g. every version aliased `champion`), sorted by model name, project, then newest first.",
    complexity: cost.pageOverProjects,
  })
  async versions(
    @Args(() => VersionsArgs) args: VersionsArgs,
    @Ctx() ctx: GraphContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<Page<VersionEntity>> {
    const { registry } = ctx;
    registry.versions.validateFilter(args.filter);
    const projects = args.projects?.map(registry.projects.require) ?? registry.projects.names;
    const versions = await fromEachProject(ctx, [...new Set(projects)], info, (project) =>
      registry.versions.find(project, args.filter),
    );
    return sortAndPage(versions, (v) => [v.model, v.project, -v.number], args, ctx.limits);
  }

  @FieldResolver(() => ID)
  id(@Root() version: VersionEntity): string {
    return encodeId("Version", version.project, version.model, version.number);
  }

  @FieldResolver(() => Model)
  model(
    @Root() version: VersionEntity,
    @Ctx() ctx: GraphContext,
  ): ModelEntity | Promise<ModelEntity> {
    return ctx.registry.versions.model(version);
  }

  @FieldResolver(() => Project)
  project(@Root() version: VersionEntity): ProjectRoot {
    return { name: version.project };
  }

  @FieldResolver(() => [String], {
    description:
      "Aliases pointing here, from the model's alias map (MLflow's version search leaves them out).",
  })
  aliases(@Root() version: VersionEntity, @Ctx() ctx: GraphContext): Promise<string[]> {
    return ctx.registry.versions.aliases(version);
  }

  @FieldResolver(() => VersionStatus)
  async status(@Root() version: VersionEntity, @Ctx() ctx: GraphContext): Promise<VersionStatus> {
    return (await data(ctx, version)).status as VersionStatus;
  }

  @FieldResolver(() => String, { nullable: true })
  async statusMessage(@Root() v: VersionEntity, @Ctx() ctx: GraphContext): Promise<string | null> {
    return (await data(ctx, v)).statusMessage;
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: "Legacy stage (Staging, Production, Archived); null for MLflow's None.",
  })
  async stage(@Root() version: VersionEntity, @Ctx() ctx: GraphContext): Promise<string | null> {
    return (await data(ctx, version)).stage;
  }

  @FieldResolver(() => String, { nullable: true })
  async description(@Root() v: VersionEntity, @Ctx() ctx: GraphContext): Promise<string | null> {
    return (await data(ctx, v)).description;
  }

  @FieldResolver(() => String, {
    description: "Where the version came from, as MLflow recorded it: runs:/, models:/, s3://, …",
  })
  async source(@Root() version: VersionEntity, @Ctx() ctx: GraphContext): Promise<string> {
    return (await data(ctx, version)).source;
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: "The MLflow run id MLflow recorded, if any.",
  })
  async runId(@Root() version: VersionEntity, @Ctx() ctx: GraphContext): Promise<string | null> {
    return (await data(ctx, version)).runId;
  }

  @FieldResolver(() => [Tag])
  async tags(@Root() version: VersionEntity, @Ctx() ctx: GraphContext): Promise<Tag[]> {
    return (await data(ctx, version)).tags;
  }

  @FieldResolver(() => DateTimeResolver)
  async createdAt(@Root() version: VersionEntity, @Ctx() ctx: GraphContext): Promise<Date> {
    return (await data(ctx, version)).createdAt;
  }

  @FieldResolver(() => DateTimeResolver)
  async updatedAt(@Root() version: VersionEntity, @Ctx() ctx: GraphContext): Promise<Date> {
    return (await data(ctx, version)).updatedAt;
  }

  @FieldResolver(() => Run, { nullable: true, description: "null for registry-only versions." })
  run(@Root() version: VersionEntity, @Ctx() ctx: GraphContext): Promise<RunData | null> {
    return ctx.registry.runs.ofVersion(version);
  }

  @FieldResolver(() => String, {
    nullable: true,
    description:
      "Where the files are: s3://bucket/prefix (mlflow-artifacts:/… where only MLflow can read them).",
  })
  storageUri(@Root() version: VersionEntity, @Ctx() ctx: GraphContext): Promise<string | null> {
    return ctx.registry.artifacts.storageUri(version);
  }

  @FieldResolver(() => [Artifact], {
    description: "The files and folders under path, sorted by path.",
    complexity: cost.artifacts,
  })
  artifacts(
    @Root() version: VersionEntity,
    @Ctx() ctx: GraphContext,
    @Arg("path", () => String, { defaultValue: "" }) path: string,
    @Arg("recursive", () => Boolean, { defaultValue: false }) recursive: boolean,
  ): Promise<ArtifactEntry[]> {
    return ctx.registry.artifacts.list(version, path, recursive);
  }

  @FieldResolver(() => Artifact, {
    nullable: true,
    description: "One file or folder; null when absent.",
    complexity: cost.lookup,
  })
  artifact(
    @Root() version: VersionEntity,
    @Ctx() ctx: GraphContext,
    @Arg("path", () => String) path: string,
  ): Promise<ArtifactEntry | null> {
    return ctx.registry.artifacts.find(version, path);
  }

  @FieldResolver(() => MLModel, {
    nullable: true,
    description: "The parsed MLmodel; null when the version has none.",
    complexity: cost.mlmodel,
  })
  mlmodel(@Root() version: VersionEntity, @Ctx() ctx: GraphContext): Promise<MLModelEntry | null> {
    return ctx.registry.artifacts.mlmodel(version);
  }

  @FieldResolver(() => SignatureDiff, {
    nullable: true,
    description:
      "This version's signature (the candidate) against another version's (the baseline, " +
      "any project the caller may read): what changed in inputs, outputs and params, and " +
      "whether this version accepts every input valid for the baseline (acceptsBaselineInputs). " +
      "A side without an MLmodel or signature answers comparable: false with a gap.",
    complexity: cost.signatureDiff,
  })
  signatureDiff(
    @Root() version: VersionEntity,
    @Ctx() ctx: GraphContext,
    @Arg("against", () => VersionRefInput) against: VersionRefInput,
  ): Promise<VersionSignatureDiff> {
    return ctx.registry.artifacts.signatureDiff(version, against);
  }
}
