import DataLoader from "dataloader";
import type { RegisteredModel } from "../sources/mlflow/types.js";
import { CALLS_BEFORE_LISTING, type ModelKey, modelKeyId, nullIfNotFound } from "./keys.js";
import type { ListedProjects } from "./listed-projects.js";
import type { MlflowClients } from "./mlflow-clients.js";
import { perProject, settleEach } from "./settle.js";

export function createModelLoaders(mlflow: MlflowClients, listed: ListedProjects) {
  /** Projects whose model listing this request has loaded (or is loading). */
  const listedProjects = listed.models;

  /** All registered models of a project (aliases and latest versions come with them). */
  const modelsOfProject = perProject<RegisteredModel[]>((project) => {
    listedProjects.add(project);
    return mlflow(project).listRegisteredModels();
  });

  /**
   * A model by name, or null when the project has none of that name: from the project's
   * listing when this request has it, or when the batch holds more models than a few gets.
   */
  const model = new DataLoader<ModelKey, RegisteredModel | null, string>(
    async (keys) => {
      const found = new Map<string, RegisteredModel | null | Error>();
      await Promise.all(
        [...Map.groupBy(keys, (k) => k.project)].map(async ([project, projectKeys]) => {
          if (listedProjects.has(project) || projectKeys.length > CALLS_BEFORE_LISTING) {
            const all = await modelsOfProject.load(project).catch((e: Error) => e);
            // One lookup per key, not a scan of the listing per key (a page of 600 models).
            const byName = all instanceof Error ? null : new Map(all.map((m) => [m.name, m]));
            for (const key of projectKeys) {
              found.set(modelKeyId(key), byName ? (byName.get(key.name) ?? null) : (all as Error));
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

  return { modelsOfProject, model };
}
