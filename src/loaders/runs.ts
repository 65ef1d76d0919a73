import DataLoader from "dataloader";
import type { LoggedModel, Run } from "../sources/mlflow/types.js";
import type { LoggedModelKey, RunKey } from "./keys.js";
import type { MlflowClients } from "./mlflow-clients.js";
import { perProject } from "./settle.js";

/**
 * Loads items of one project by id with one search over all of them. MLflow searches runs
 * and logged models only within experiments it is told, so the project's experiment ids are
 * loaded first (once per request).
 */
function byIdWithinExperiments<K extends { project: string }, V>(
  experimentIds: DataLoader<string, string[]>,
  idOf: (key: K) => string,
  search: (project: string, experiments: string[], ids: string[]) => Promise<V[]>,
  idOfValue: (value: V) => string,
) {
  return new DataLoader<K, V | null, string>(
    async (keys) => {
      const found = new Map<string, V | Error>();
      await Promise.all(
        [...Map.groupBy(keys, (k) => k.project)].map(async ([project, projectKeys]) => {
          try {
            const experiments = await experimentIds.load(project);
            const ids = [...new Set(projectKeys.map(idOf))];
            for (const value of await search(project, experiments, ids)) {
              found.set(`${project}\u0000${idOfValue(value)}`, value);
            }
          } catch (error) {
            for (const key of projectKeys)
              found.set(`${project}\u0000${idOf(key)}`, error as Error);
          }
        }),
      );
      return keys.map((key) => found.get(`${key.project}\u0000${idOf(key)}`) ?? null);
    },
    { cacheKeyFn: (key) => `${key.project}\u0000${idOf(key)}` },
  );
}

export function createRunLoaders(mlflow: MlflowClients) {
  const experimentIds = perProject<string[]>((project) => mlflow(project).listExperimentIds());

  const run = byIdWithinExperiments<RunKey, Run>(
    experimentIds,
    (key) => key.runId,
    (project, experiments, ids) => mlflow(project).searchRuns(experiments, ids),
    (r) => r.id,
  );

  const loggedModel = byIdWithinExperiments<LoggedModelKey, LoggedModel>(
    experimentIds,
    (key) => key.modelId,
    (project, experiments, ids) => mlflow(project).searchLoggedModels(experiments, ids),
    (m) => m.id,
  );

  return { experimentIds, run, loggedModel };
}
