import type { ModelVersion, RegisteredModel, Tag } from "../../sources/mlflow/types.js";
import type { RegistryContext } from "../context.js";

// What a write's audit record shows as "from": the value before, read once through the
// request's loaders just before the write (the reread after it forgets this read).

/** The model as it is before a write; null when there is none (the write will say so). */
export const modelBefore = (
  ctx: RegistryContext,
  project: string,
  name: string,
): Promise<RegisteredModel | null> => ctx.loaders.model.load({ project, name });

/** The version as it is before a write; null when there is none. */
export const versionBefore = (
  ctx: RegistryContext,
  project: string,
  model: string,
  number: number,
): Promise<ModelVersion | null> => ctx.loaders.version.load({ project, model, number });

export const tagValue = (tags: readonly Tag[] | undefined, key: string): string | null =>
  tags?.find((t) => t.key === key)?.value ?? null;

/** The version an alias points at in the model as read; null when it points at none. */
export const aliasVersion = (model: RegisteredModel | null, alias: string): number | null =>
  model?.aliases.find((a) => a.alias === alias)?.version ?? null;
