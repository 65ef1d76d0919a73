import { Authorized, Arg, Ctx, Mutation, Resolver } from "type-graphql";
import type { Role } from "../../registry/access/caller.js";
import type { ModelEntity } from "../../registry/entities.js";
import { cost } from "../common/cost.js";
import { Deleted } from "../common/deleted.type.js";
import { encodeId } from "../common/global-id.js";
import type { GraphContext } from "../context.js";
import {
  CreateModelInput,
  DeleteModelInput,
  DeleteModelTagInput,
  SetModelTagInput,
  UpdateModelInput,
} from "./model-mutation.inputs.js";
import { Model } from "./model.type.js";

/** The Mutation fields that write models; the registry checks and writes. */
@Resolver(() => Model)
export class ModelMutations {
  @Authorized<Role>("writer")
  @Mutation(() => Model, { complexity: cost.create })
  async createModel(
    @Arg("input", () => CreateModelInput) input: CreateModelInput,
    @Ctx() ctx: GraphContext,
  ): Promise<ModelEntity> {
    return ctx.registry.models.create(input);
  }

  @Authorized<Role>("writer")
  @Mutation(() => Model, { complexity: cost.write })
  async updateModel(
    @Arg("input", () => UpdateModelInput) input: UpdateModelInput,
    @Ctx() ctx: GraphContext,
  ): Promise<ModelEntity> {
    return ctx.registry.models.update(input);
  }

  @Authorized<Role>("admin")
  @Mutation(() => Deleted, { complexity: cost.write })
  async deleteModel(
    @Arg("input", () => DeleteModelInput) input: DeleteModelInput,
    @Ctx() ctx: GraphContext,
  ): Promise<Deleted> {
    const { project, name } = await ctx.registry.models.delete(input);
    return { id: encodeId("Model", project, name) };
  }

  @Authorized<Role>("writer")
  @Mutation(() => Model, { complexity: cost.write })
  async setModelTag(
    @Arg("input", () => SetModelTagInput) input: SetModelTagInput,
    @Ctx() ctx: GraphContext,
  ): Promise<ModelEntity> {
    return ctx.registry.models.setTag(input);
  }

  @Authorized<Role>("writer")
  @Mutation(() => Model, { complexity: cost.write })
  async deleteModelTag(
    @Arg("input", () => DeleteModelTagInput) input: DeleteModelTagInput,
    @Ctx() ctx: GraphContext,
  ): Promise<ModelEntity> {
    return ctx.registry.models.deleteTag(input);
  }
}
