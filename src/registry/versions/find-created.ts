import type { ModelVersion } from "../../sources/mlflow/types.js";
import { IDEMPOTENCY_TAG } from "../idempotency.js";
import type { RegistryContext } from "../context.js";

export interface Created {
  model: string;
  number: number;
}

/**
 * The oldest version of the model that matches, read afresh (this request's reads of the
 * model are dropped first): what an attempt whose outcome was unknown may have registered.
 */
async function findVersion(
  ctx: RegistryContext,
  project: string,
  model: string,
  matches: (version: ModelVersion) => boolean,
): Promise<Created | null> {
  ctx.forget(project, model);
  const versions = await ctx.loaders.versionsOfModel.load({ project, name: model });
  const found = versions.filter(matches).sort((a, b) => a.number - b.number)[0];
  return found ? { model, number: found.number } : null;
}

/** The version a keyed create tagged with its marker (idempotency.ts). */
export const findTaggedVersion = (
  ctx: RegistryContext,
  project: string,
  model: string,
  marker: string,
) =>
  findVersion(ctx, project, model, (v) =>
    v.tags.some((t) => t.key === IDEMPOTENCY_TAG && t.value === marker),
  );

/** The version registered from a source only the gateway writes (an upload's own prefix). */
export const findVersionFrom = (
  ctx: RegistryContext,
  project: string,
  model: string,
  source: string,
) => findVersion(ctx, project, model, (v) => v.source === source);

/** Takes the idempotency marker off a version once its record holds it. */
export const untagVersion = (ctx: RegistryContext, project: string, created: Created) =>
  ctx.writer(project).deleteVersionTag(created.model, created.number, IDEMPOTENCY_TAG);
