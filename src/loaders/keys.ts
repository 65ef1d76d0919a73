export interface ModelKey {
  project: string;
  name: string;
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

/**
 * Above this many models of one project in one batch, one paged search over the whole
 * project is fewer calls than one call per model (MLflow has no batch get and no
 * `name IN (…)`, MLFLOW.md §2.6).
 */
export const CALLS_BEFORE_LISTING = 4;
