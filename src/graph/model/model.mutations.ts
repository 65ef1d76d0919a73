import { Arg, Ctx, Mutation, Resolver } from "type-graphql";
import type { RegisteredModel } from "../../sources/mlflow/types.js";
import { Deleted } from "../common/deleted.type.js";
import { cost } from "../common/cost.js";
import { encodeId } from "../common/global-id.js";
import { IDEMPOTENCY_TAG, markerTags, onceForKey } from "../common/idempotency.js";
import { checkDescription, checkModelName, checkTag } from "../common/validate.js";
import type { GraphContext } from "../context.js";
import { requireProject } from "../project/project.lookup.js";
import { loadModel } from "./load-model.js";
import {
  CreateModelInput,
  DeleteModelInput,
  DeleteModelTagInput,
  SetModelTagInput,
  UpdateModelInput,
} from "./model-mutation.inputs.js";
import { Model } from "./model.type.js";

/** Writes, then forgets this request's reads of the model and answers by reading it again. */
async function afterWrite(
  ctx: GraphContext,
  project: string,
  name: string,
): Promise<RegisteredModel> {
  ctx.loaders.invalidate(project, name);
  return loadModel(ctx, project, name);
}

@Resolver(() => Model)
export class ModelMutations {
  @Mutation(() => Model, { complexity: cost.create })
  createModel(
    @Arg("input", () => CreateModelInput) input: CreateModelInput,
    @Ctx() ctx: GraphContext,
  ) {
    const project = requireProject(ctx, input.project);
    const name = checkModelName(input.name);
    const description = checkDescription(input.description);
    const tags = (input.tags ?? []).map((t) => checkTag(t.key, t.value));
    return onceForKey(
      ctx,
      {
        mutation: "createModel",
        project,
        key: input.idempotencyKey,
        input: { name, description, tags },
      },
      async (marker) => {
        await ctx.loaders
          .writer(project)
          .createModel(name, description, [...tags, ...markerTags(marker)]);
        return { name };
      },
      (created) => afterWrite(ctx, project, created.name),
      {
        async find(marker) {
          ctx.loaders.invalidate(project, name);
          const model = await ctx.loaders.model.load({ project, name });
          const ours = model?.tags.some((t) => t.key === IDEMPOTENCY_TAG && t.value === marker);
          return ours ? { name } : null;
        },
        untag: () => ctx.loaders.writer(project).deleteModelTag(name, IDEMPOTENCY_TAG),
      },
    );
  }

  @Mutation(() => Model, { complexity: cost.write })
  async updateModel(
    @Arg("input", () => UpdateModelInput) input: UpdateModelInput,
    @Ctx() ctx: GraphContext,
  ) {
    const project = requireProject(ctx, input.project);
    const description = checkDescription(input.description) ?? "";
    await ctx.loaders.writer(project).updateModel(checkModelName(input.name), description);
    return afterWrite(ctx, project, input.name);
  }

  @Mutation(() => Deleted, { complexity: cost.write })
  async deleteModel(
    @Arg("input", () => DeleteModelInput) input: DeleteModelInput,
    @Ctx() ctx: GraphContext,
  ) {
    const project = requireProject(ctx, input.project);
    await ctx.loaders.writer(project).deleteModel(checkModelName(input.name));
    ctx.loaders.invalidate(project, input.name);
    return { id: encodeId("Model", project, input.name) };
  }

  @Mutation(() => Model, { complexity: cost.write })
  async setModelTag(
    @Arg("input", () => SetModelTagInput) input: SetModelTagInput,
    @Ctx() ctx: GraphContext,
  ) {
    const project = requireProject(ctx, input.project);
    const { key, value } = checkTag(input.key, input.value);
    await ctx.loaders.writer(project).setModelTag(checkModelName(input.name), key, value);
    return afterWrite(ctx, project, input.name);
  }

  @Mutation(() => Model, { complexity: cost.write })
  async deleteModelTag(
    @Arg("input", () => DeleteModelTagInput) input: DeleteModelTagInput,
    @Ctx() ctx: GraphContext,
  ) {
    const project = requireProject(ctx, input.project);
    await ctx.loaders
      .writer(project)
      .deleteModelTag(checkModelName(input.name), checkTag(input.key, "").key);
    return afterWrite(ctx, project, input.name);
  }
}
