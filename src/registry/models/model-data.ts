import type { RegisteredModel } from "../../sources/mlflow/types.js";
import type { RegistryContext } from "../context.js";
import { loadedModel, type ModelEntity } from "../entities.js";
import { notFound } from "../errors.js";
import { loadModel } from "./load-model.js";

/** The model's recorded fields: at hand when loaded, else one batched get. */
export function modelData(
  ctx: RegistryContext,
  model: ModelEntity,
): RegisteredModel | Promise<RegisteredModel> {
  return model.state === "loaded" ? model : loadModel(ctx, model.project, model.name);
}

/** A loaded model entity, or NOT_FOUND naming it. */
export async function getModel(
  ctx: RegistryContext,
  project: string,
  name: string,
): Promise<ModelEntity> {
  return loadedModel(await loadModel(ctx, project, name));
}

/** The version number an alias of the model points to, or NOT_FOUND naming the alias. */
export async function aliasTarget(
  ctx: RegistryContext,
  entity: ModelEntity,
  alias: string,
): Promise<number> {
  const model = await modelData(ctx, entity);
  const target = model.aliases.find((a) => a.alias === alias);
  if (!target) {
    throw notFound(`model "${model.name}" of project "${model.project}" has no alias "${alias}"`, {
      project: model.project,
      model: model.name,
      alias,
    });
  }
  return target.version;
}
