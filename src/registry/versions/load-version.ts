import type { ModelVersion } from "../../sources/mlflow/types.js";
import { notFound } from "../errors.js";
import type { RegistryContext } from "../context.js";
import { requireModelVisible } from "../projects.js";
import { loadedVersion, type VersionEntity } from "../entities.js";

/** The version, or NOT_FOUND naming it. */
export async function loadVersion(
  ctx: RegistryContext,
  project: string,
  model: string,
  number: number,
): Promise<ModelVersion> {
  requireModelVisible(ctx, project, model);
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

/** A loaded version entity, or NOT_FOUND naming it. */
export async function getVersion(
  ctx: RegistryContext,
  project: string,
  model: string,
  number: number,
): Promise<VersionEntity> {
  return loadedVersion(await loadVersion(ctx, project, model, number));
}
