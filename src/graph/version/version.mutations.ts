import { Authorized, Arg, Ctx, Mutation, Resolver } from "type-graphql";
import type { Role } from "../../registry/access/caller.js";
import type { ModelEntity, VersionEntity } from "../../registry/entities.js";
import { cost } from "../common/cost.js";
import { Deleted } from "../common/deleted.type.js";
import { encodeId } from "../common/global-id.js";
import type { GraphContext } from "../context.js";
import { Model } from "../model/model.type.js";
import { PromoteVersionInput } from "./promote.inputs.js";
import {
  CreateVersionInput,
  DeleteAliasInput,
  DeleteVersionInput,
  DeleteVersionTagInput,
  SetAliasInput,
  SetVersionTagInput,
  TransitionStageInput,
  UpdateVersionInput,
} from "./version-mutation.inputs.js";
import { Version } from "./version.type.js";

/** The Mutation fields that write versions and aliases; the registry checks and writes. */
@Resolver(() => Version)
export class VersionMutations {
  @Authorized<Role>("writer")
  @Mutation(() => Version, {
    description:
      "Registers a version from a source or a completed upload; with no runId it is registry-only.",
    complexity: cost.createVersion,
  })
  createVersion(
    @Arg("input", () => CreateVersionInput) input: CreateVersionInput,
    @Ctx() ctx: GraphContext,
  ): Promise<VersionEntity> {
    return ctx.registry.versions.create(input);
  }

  @Authorized<Role>("writer")
  @Mutation(() => Version, { complexity: cost.write })
  updateVersion(
    @Arg("input", () => UpdateVersionInput) input: UpdateVersionInput,
    @Ctx() ctx: GraphContext,
  ): Promise<VersionEntity> {
    return ctx.registry.versions.update(input);
  }

  @Authorized<Role>("admin")
  @Mutation(() => Deleted, { complexity: cost.write })
  async deleteVersion(
    @Arg("input", () => DeleteVersionInput) input: DeleteVersionInput,
    @Ctx() ctx: GraphContext,
  ): Promise<Deleted> {
    const { project, model, version } = await ctx.registry.versions.delete(input);
    return { id: encodeId("Version", project, model, version) };
  }

  @Authorized<Role>("writer")
  @Mutation(() => Version, { complexity: cost.write })
  setVersionTag(
    @Arg("input", () => SetVersionTagInput) input: SetVersionTagInput,
    @Ctx() ctx: GraphContext,
  ): Promise<VersionEntity> {
    return ctx.registry.versions.setTag(input);
  }

  @Authorized<Role>("writer")
  @Mutation(() => Version, { complexity: cost.write })
  deleteVersionTag(
    @Arg("input", () => DeleteVersionTagInput) input: DeleteVersionTagInput,
    @Ctx() ctx: GraphContext,
  ): Promise<VersionEntity> {
    return ctx.registry.versions.deleteTag(input);
  }

  @Authorized<Role>("writer")
  @Mutation(() => Version, {
    description: "Points the alias at the version; returns that version.",
    complexity: cost.write,
  })
  setAlias(
    @Arg("input", () => SetAliasInput) input: SetAliasInput,
    @Ctx() ctx: GraphContext,
  ): Promise<VersionEntity> {
    return ctx.registry.versions.setAlias(input);
  }

  @Authorized<Role>("writer")
  @Mutation(() => Model, {
    description: "Removes the alias; returns the model.",
    complexity: cost.write,
  })
  deleteAlias(
    @Arg("input", () => DeleteAliasInput) input: DeleteAliasInput,
    @Ctx() ctx: GraphContext,
  ): Promise<ModelEntity> {
    return ctx.registry.versions.deleteAlias(input);
  }

  @Authorized<Role>("writer")
  @Mutation(() => Version, {
    description: "Moves the version to a legacy stage.",
    complexity: cost.write,
  })
  transitionStage(
    @Arg("input", () => TransitionStageInput) input: TransitionStageInput,
    @Ctx() ctx: GraphContext,
  ): Promise<VersionEntity> {
    return ctx.registry.versions.transitionStage(input);
  }

  @Authorized<Role>("writer")
  @Mutation(() => Version, {
    description:
      "Copies a version's files server-side in S3 into the target project's root and registers " +
      "them there, with tags recording its origin; works across MLflow servers. Nothing is left " +
      "half-made: a failed step removes the copy (and a model it created), unless MLflow may " +
      "have registered it (a timeout): then a retry with the same idempotencyKey returns it.",
    complexity: cost.promoteVersion,
  })
  promoteVersion(
    @Arg("input", () => PromoteVersionInput) input: PromoteVersionInput,
    @Ctx() ctx: GraphContext,
  ): Promise<VersionEntity> {
    return ctx.registry.versions.promote(input);
  }
}
