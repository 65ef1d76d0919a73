import DataLoader from "dataloader";
import type { UpstreamCalls } from "../sources/calls.js";
import { MlflowClient } from "../sources/mlflow/client.js";
import type { RegisteredModel, ServerStatus } from "../sources/mlflow/types.js";
import type { Upstreams } from "../sources/upstreams.js";
import { MlflowError } from "../sources/mlflow/errors.js";
import { groupBy, settleEach } from "./settle.js";

export interface ModelKey {
  project: string;
  name: string;
}

const modelKeyId = (key: ModelKey): string => `${key.project}\u0000${key.name}`;

/**
 * Above this many names asked of one project in one batch, one paged listing of every model
 * is fewer calls than one `registered-models/get` per name (MLflow has no batch get and no
 * `name IN (…)`, MLFLOW.md §2.6).
 */
const GETS_BEFORE_LISTING = 4;

function nullIfNotFound(error: unknown): null {
  if (error instanceof MlflowError && error.kind === "NOT_FOUND") return null;
  throw error;
}

/** Every DataLoader of one GraphQL request; created per request, so nothing leaks between users. */
export function createLoaders(upstreams: Upstreams, calls: UpstreamCalls) {
  const clients = new Map<string, MlflowClient>();
  const mlflow = (project: string): MlflowClient => {
    let client = clients.get(project);
    if (!client) {
      client = new MlflowClient(upstreams.mlflow(project), calls);
      clients.set(project, client);
    }
    return client;
  };

  const status = new DataLoader<string, ServerStatus>((projects) =>
    settleEach(projects, (project) => mlflow(project).status()),
  );

  /** All registered models of a project, by name. */
  const modelsOfProject = new DataLoader<string, RegisteredModel[]>((projects) =>
    settleEach(projects, (project) => mlflow(project).listRegisteredModels()),
  );

  const model = new DataLoader<ModelKey, RegisteredModel | null, string>(
    async (keys) => {
      const namesByProject = groupBy(keys, (k) => k.project);
      const found = new Map<string, RegisteredModel | null | Error>();
      await Promise.all(
        [...namesByProject].map(async ([project, projectKeys]) => {
          if (projectKeys.length > GETS_BEFORE_LISTING) {
            const all = await modelsOfProject.load(project).catch((e: Error) => e);
            for (const key of projectKeys) {
              found.set(
                modelKeyId(key),
                all instanceof Error ? all : (all.find((m) => m.name === key.name) ?? null),
              );
            }
            return;
          }
          const results = await settleEach(projectKeys, (key) =>
            mlflow(project).getRegisteredModel(key.name).catch(nullIfNotFound),
          );
          projectKeys.forEach((key, i) => found.set(modelKeyId(key), results[i]!));
        }),
      );
      return keys.map((key) => found.get(modelKeyId(key))!);
    },
    { cacheKeyFn: modelKeyId },
  );

  return { status, modelsOfProject, model };
}

export type Loaders = ReturnType<typeof createLoaders>;
