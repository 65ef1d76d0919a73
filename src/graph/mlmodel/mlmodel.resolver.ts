import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import { parsePythonVersion, parseRequirements } from "../../sources/mlmodel/parse.js";
import { readText } from "../artifact/browse.js";
import { cost } from "../common/cost.js";
import type { GraphContext } from "../context.js";
import { MLModel, type MLModelRoot } from "./mlmodel.type.js";

// Sibling files are small; this bound only guards against a pathological one.
const SIBLING_MAX_BYTES = 1_048_576;

@Resolver(() => MLModel)
export class MLModelResolver {
  @FieldResolver(() => [String], {
    nullable: true,
    description: "requirements.txt beside the MLmodel, one requirement a line; null without one.",
    complexity: cost.lookup,
  })
  async requirements(
    @Root() model: MLModelRoot,
    @Ctx() ctx: GraphContext,
  ): Promise<string[] | null> {
    const text = await readText(
      ctx,
      model.project,
      model.storage,
      "requirements.txt",
      SIBLING_MAX_BYTES,
    );
    return text === null ? null : parseRequirements(text);
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: "From python_env.yaml, else the python_function flavor's python_version.",
    complexity: cost.lookup,
  })
  async pythonVersion(
    @Root() model: MLModelRoot,
    @Ctx() ctx: GraphContext,
  ): Promise<string | null> {
    const text = await readText(
      ctx,
      model.project,
      model.storage,
      "python_env.yaml",
      SIBLING_MAX_BYTES,
    );
    const fromEnv = text === null ? null : parsePythonVersion(text);
    return fromEnv ?? model.flavors.find((f) => f.name === "python_function")?.version ?? null;
  }
}
