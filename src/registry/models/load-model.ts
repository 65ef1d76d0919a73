import type { RegisteredModel } from "../../sources/mlflow/types.js";
import type { RegistryContext } from "../context.js";
import { notFound } from "../errors.js";
import { requireModelVisible } from "../projects.js";

/** The model, or NOT_FOUND naming it. */
export async function loadModel(
  ctx: RegistryContext,
  project: string,
  name: string,
): Promise<RegisteredModel> {
  requireModelVisible(ctx, project, name);
  const model = await ctx.loaders.model.load({ project, name });
  if (!model) {
    throw notFound(`project "${project}" has no model "${name}"`, { project, model: name });
  }
  return model;
}
