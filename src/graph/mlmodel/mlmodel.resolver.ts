import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import type { MLModelEntry } from "../../registry/artifacts/version-files.js";
import { cost } from "../common/cost.js";
import type { GraphContext } from "../context.js";
import { MLModel } from "./mlmodel.type.js";

@Resolver(() => MLModel)
export class MLModelResolver {
  @FieldResolver(() => [String], {
    nullable: true,
    description: "requirements.txt beside the MLmodel, one requirement a line; null without one.",
    complexity: cost.lookup,
  })
  requirements(@Root() mlmodel: MLModelEntry, @Ctx() ctx: GraphContext): Promise<string[] | null> {
    return ctx.registry.artifacts.requirements(mlmodel);
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: "From python_env.yaml, else the python_function flavor's python_version.",
    complexity: cost.lookup,
  })
  pythonVersion(@Root() mlmodel: MLModelEntry, @Ctx() ctx: GraphContext): Promise<string | null> {
    return ctx.registry.artifacts.pythonVersion(mlmodel);
  }
}
