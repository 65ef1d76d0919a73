import { MlflowError } from "../sources/mlflow/errors.js";

export interface ModelKey {
  project: string;
  name: string;
}

/** A version by its number. */
export interface VersionNumberKey {
  project: string;
  model: string;
  number: number;
}

export interface RunKey {
  project: string;
  runId: string;
}

export interface LoggedModelKey {
  project: string;
  modelId: string;
}

export const modelKeyId = (key: ModelKey): string => `${key.project}\u0000${key.name}`;

export const versionNumberKeyId = (key: VersionNumberKey): string =>
  `${key.project}\u0000${key.model}\u0000${key.number}`;

/** For loaders whose answer is "none": MLflow's RESOURCE_DOES_NOT_EXIST becomes null. */
export function nullIfNotFound(error: unknown): null {
  if (error instanceof MlflowError && error.kind === "NOT_FOUND") return null;
  throw error;
}

/**
 * Above this many models of one project in one batch, one paged search over the whole
 * project is fewer calls than one call per model (MLflow has no batch get and no
 * `name IN (…)`, docs/mlflow-rest.md §2.6).
 */
export const CALLS_BEFORE_LISTING = 4;
