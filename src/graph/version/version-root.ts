import type { ModelVersion, RegisteredModel } from "../../sources/mlflow/types.js";
import type { GraphContext } from "../context.js";
import { loadModel } from "../model/load-model.js";
import { loadVersion } from "./load-version.js";

export interface VersionKey {
  project: string;
  model: string;
  number: number;
  /** The model itself, when the parent had it (an alias map comes with its model). */
  registered?: RegisteredModel;
}

/**
 * A version as a resolver receives it: its full data, or only its key where that is all the
 * parent knew (an alias map). Fields beyond the key load the data then, batched, and only if
 * the query asks for them: `aliases { version { number } }` costs no version search.
 */
export type VersionRoot = ModelVersion | VersionKey;

export function fullVersion(ctx: GraphContext, root: VersionRoot): Promise<ModelVersion> {
  return "source" in root
    ? Promise.resolve(root)
    : loadVersion(ctx, root.project, root.model, root.number);
}

/**
 * The version's model. From a key that carries it, synchronously: a list of 600 champions
 * then resolves `model { name }` without 600 loader calls and their promises.
 */
export function modelOf(
  ctx: GraphContext,
  root: VersionRoot,
): RegisteredModel | Promise<RegisteredModel> {
  return ("registered" in root && root.registered) || loadModel(ctx, root.project, root.model);
}
