import type { ModelVersion, RegisteredModel } from "../sources/mlflow/types.js";

/**
 * A model as the graph holds it: only its key, where that is all a query reads of it (a
 * version's page asks `model(name) { version(number) }`), or loaded. The state says which;
 * only the key's fields and `version` ever see a key.
 */
export type ModelEntity =
  { state: "key"; project: string; name: string } | ({ state: "loaded" } & RegisteredModel);

/**
 * A version as the graph holds it: only its key where that is all the parent knew (an alias
 * map), or loaded. Fields beyond the key load it then, batched, and only if the query asks:
 * `aliases { version { number } }` costs no version search. `registered` is the model, when the
 * parent had it, so `model { name }` of 600 champions needs no loader call.
 */
export type VersionEntity =
  | { state: "key"; project: string; model: string; number: number; registered?: RegisteredModel }
  | ({ state: "loaded"; registered?: RegisteredModel } & ModelVersion);

export const modelKey = (project: string, name: string): ModelEntity => ({
  state: "key",
  project,
  name,
});

export const loadedModel = (model: RegisteredModel): ModelEntity & RegisteredModel => ({
  ...model,
  state: "loaded",
});

export const versionKey = (
  project: string,
  model: string,
  number: number,
  registered?: RegisteredModel,
): VersionEntity => ({ state: "key", project, model, number, registered });

export const loadedVersion = (version: ModelVersion): VersionEntity & ModelVersion => ({
  ...version,
  state: "loaded",
});
