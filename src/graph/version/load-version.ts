import type { ModelVersion } from "../../sources/mlflow/types.js";
import { notFound } from "../common/errors.js";
import type { GraphContext } from "../context.js";
import { requireProject } from "../project/project.lookup.js";

/** The version, or NOT_FOUND naming it. */
export async function loadVersion(
  ctx: GraphContext,
  project: string,
  model: string,
  number: number,
): Promise<ModelVersion> {
  requireProject(ctx, project);
  const version = await ctx.loaders.version.load({ project, model, number });
  if (!version) {
    throw notFound(`model "${model}" of project "${project}" has no version ${number}`, {
      project,
      model,
      version: number,
    });
  }
  return version;
}
