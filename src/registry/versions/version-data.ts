import type { ModelVersion, RegisteredModel } from "../../sources/mlflow/types.js";
import type { RegistryContext } from "../context.js";
import { loadedModel, type ModelEntity, type VersionEntity } from "../entities.js";
import { loadModel } from "../models/load-model.js";
import { loadVersion } from "./load-version.js";

/** The version's recorded fields: at hand when loaded, else one batched get. */
export function versionData(ctx: RegistryContext, version: VersionEntity): Promise<ModelVersion> {
  return version.state === "loaded"
    ? Promise.resolve(version)
    : loadVersion(ctx, version.project, version.model, version.number);
}

function registeredOf(
  ctx: RegistryContext,
  version: VersionEntity,
): RegisteredModel | Promise<RegisteredModel> {
  return version.registered ?? loadModel(ctx, version.project, version.model);
}

/**
 * The version's model. From an entity that carries it, synchronously: a list of 600 champions
 * then resolves `model { name }` without 600 loader calls and their promises.
 */
export function modelOfVersion(
  ctx: RegistryContext,
  version: VersionEntity,
): ModelEntity | Promise<ModelEntity> {
  return version.registered
    ? loadedModel(version.registered)
    : loadModel(ctx, version.project, version.model).then(loadedModel);
}

/** The aliases pointing at the version, from its model's alias map, sorted. */
export async function aliasesOfVersion(
  ctx: RegistryContext,
  version: VersionEntity,
): Promise<string[]> {
  const model = await registeredOf(ctx, version);
  return model.aliases
    .filter((a) => a.version === version.number)
    .map((a) => a.alias)
    .sort();
}
