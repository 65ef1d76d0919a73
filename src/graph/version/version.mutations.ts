import { Arg, Ctx, Mutation, Resolver } from "type-graphql";
import type { ModelVersion, RegisteredModel } from "../../sources/mlflow/types.js";
import { Deleted } from "../common/deleted.type.js";
import { cost } from "../common/cost.js";
import { badUserInput } from "../common/errors.js";
import { encodeId } from "../common/global-id.js";
import { markerTags, onceForKey } from "../common/idempotency.js";
import {
  checkAlias,
  checkDescription,
  checkModelName,
  checkStage,
  checkTag,
} from "../common/validate.js";
import type { GraphContext } from "../context.js";
import { loadModel } from "../model/load-model.js";
import { Model } from "../model/model.type.js";
import { requireProject } from "../project/project.lookup.js";
import { findRegistered, registerUpload } from "../upload/register-upload.js";
import { loadSession } from "../upload/session.js";
import { checkRunOfProject, checkSource, runIdOf } from "./check-source.js";
import { type Created, findTaggedVersion, untagVersion } from "./find-created.js";
import { loadVersion } from "./load-version.js";
import { registerVersion } from "./register.js";
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

function target(ctx: GraphContext, input: { project: string; model: string }) {
  return { project: requireProject(ctx, input.project), model: checkModelName(input.model) };
}

async function reread(
  ctx: GraphContext,
  project: string,
  model: string,
  version: number,
): Promise<ModelVersion> {
  ctx.loaders.invalidate(project, model);
  return loadVersion(ctx, project, model, version);
}

@Resolver(() => Version)
export class VersionMutations {
  @Mutation(() => Version, {
    description:
      "Registers a version from a source or a completed upload; with no runId it is registry-only.",
    complexity: cost.createVersion,
  })
  async createVersion(
    @Arg("input", () => CreateVersionInput) input: CreateVersionInput,
    @Ctx() ctx: GraphContext,
  ) {
    const { project, model } = target(ctx, input);
    const tags = (input.tags ?? []).map((t) => checkTag(t.key, t.value));
    const aliases = (input.aliases ?? []).map(checkAlias);
    const description = checkDescription(input.description);
    if ((input.source == null) === (input.uploadId == null)) {
      throw badUserInput("give exactly one of source and uploadId");
    }
    const runId = runIdOf(input.source, input.runId);
    const registration = { project, model, runId, description, tags, aliases };
    const scope = {
      mutation: "createVersion",
      project,
      key: input.idempotencyKey,
      input: { ...input, idempotencyKey: null },
    };
    const done = (created: Created) => reread(ctx, project, created.model, created.number);
    if (runId) await checkRunOfProject(ctx, project, runId);
    if (input.uploadId != null) {
      const session = await loadSession(ctx, input.uploadId);
      if (session.project !== project || session.model !== model) {
        throw badUserInput(
          `upload "${session.uploadId}" is for model "${session.model}" of project "${session.project}"`,
        );
      }
      if (session.status === "REGISTERED") return done({ model, number: session.version! });
      if (session.status !== "COMPLETED") {
        throw badUserInput(`upload "${session.uploadId}" is not completed yet`);
      }
      return onceForKey(ctx, scope, () => registerUpload(ctx, session, registration), done, {
        find: () => findRegistered(ctx, session),
      });
    }
    const source = await checkSource(ctx, project, input.source!);
    return onceForKey(
      ctx,
      scope,
      (marker) =>
        registerVersion(ctx, "createVersion", {
          ...registration,
          source,
          tags: [...tags, ...markerTags(marker)],
        }),
      done,
      {
        find: (marker) => findTaggedVersion(ctx, project, model, marker),
        untag: (created) => untagVersion(ctx, project, created),
      },
    );
  }

  @Mutation(() => Version, { complexity: cost.write })
  async updateVersion(
    @Arg("input", () => UpdateVersionInput) input: UpdateVersionInput,
    @Ctx() ctx: GraphContext,
  ) {
    const { project, model } = target(ctx, input);
    await ctx.loaders
      .writer(project)
      .updateVersion(model, input.version, checkDescription(input.description) ?? "");
    return reread(ctx, project, model, input.version);
  }

  @Mutation(() => Deleted, { complexity: cost.write })
  async deleteVersion(
    @Arg("input", () => DeleteVersionInput) input: DeleteVersionInput,
    @Ctx() ctx: GraphContext,
  ) {
    const { project, model } = target(ctx, input);
    await ctx.loaders.writer(project).deleteVersion(model, input.version);
    ctx.loaders.invalidate(project, model);
    return { id: encodeId("Version", project, model, input.version) };
  }

  @Mutation(() => Version, { complexity: cost.write })
  async setVersionTag(
    @Arg("input", () => SetVersionTagInput) input: SetVersionTagInput,
    @Ctx() ctx: GraphContext,
  ) {
    const { project, model } = target(ctx, input);
    const { key, value } = checkTag(input.key, input.value);
    await ctx.loaders.writer(project).setVersionTag(model, input.version, key, value);
    return reread(ctx, project, model, input.version);
  }

  @Mutation(() => Version, { complexity: cost.write })
  async deleteVersionTag(
    @Arg("input", () => DeleteVersionTagInput) input: DeleteVersionTagInput,
    @Ctx() ctx: GraphContext,
  ) {
    const { project, model } = target(ctx, input);
    await ctx.loaders
      .writer(project)
      .deleteVersionTag(model, input.version, checkTag(input.key, "").key);
    return reread(ctx, project, model, input.version);
  }

  @Mutation(() => Version, {
    description: "Points the alias at the version; returns that version.",
    complexity: cost.write,
  })
  async setAlias(
    @Arg("input", () => SetAliasInput) input: SetAliasInput,
    @Ctx() ctx: GraphContext,
  ) {
    const { project, model } = target(ctx, input);
    await ctx.loaders.writer(project).setAlias(model, checkAlias(input.alias), input.version);
    return reread(ctx, project, model, input.version);
  }

  @Mutation(() => Model, {
    description: "Removes the alias; returns the model.",
    complexity: cost.write,
  })
  async deleteAlias(
    @Arg("input", () => DeleteAliasInput) input: DeleteAliasInput,
    @Ctx() ctx: GraphContext,
  ): Promise<RegisteredModel> {
    const { project, model } = target(ctx, input);
    await ctx.loaders.writer(project).deleteAlias(model, checkAlias(input.alias));
    ctx.loaders.invalidate(project, model);
    return loadModel(ctx, project, model);
  }

  @Mutation(() => Version, {
    description: "Moves the version to a legacy stage.",
    complexity: cost.write,
  })
  async transitionStage(
    @Arg("input", () => TransitionStageInput) input: TransitionStageInput,
    @Ctx() ctx: GraphContext,
  ) {
    const { project, model } = target(ctx, input);
    const stage = checkStage(input.stage);
    await ctx.loaders
      .writer(project)
      .transitionStage(model, input.version, stage, input.archiveExisting);
    return reread(ctx, project, model, input.version);
  }
}
