import type { RegisteredModel } from "../../sources/mlflow/types.js";
import type { GraphContext } from "../context.js";
import { notFound } from "../common/errors.js";
import { requireProject } from "../project/project.lookup.js";

/** The model, or NOT_FOUND naming it. */
export async function loadModel(
  ctx: GraphContext,
  project: string,
  name: string,
): Promise<RegisteredModel> {
  requireProject(ctx, project);
  const model = await ctx.loaders.model.load({ project, name });
  if (!model) {
    throw notFound(`project "${project}" has no model "${name}"`, { project, model: name });
  }
  return model;
}
