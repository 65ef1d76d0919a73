import DataLoader from "dataloader";
import { quoteValue } from "../sources/mlflow/filter.js";
import type { ModelVersion } from "../sources/mlflow/types.js";
import { CALLS_BEFORE_LISTING, type ModelKey, modelKeyId } from "./keys.js";
import type { MlflowClients } from "./mlflow-clients.js";
import { groupBy, settleEach } from "./settle.js";

export interface VersionSearchKey {
  project: string;
  /** An MLflow filter built from safely quoted parts (sources/mlflow/filter.ts). */
  filter: string;
}

const newestFirst = (a: ModelVersion, b: ModelVersion) => b.number - a.number;

export function createVersionLoaders(mlflow: MlflowClients) {
  /** Every version of every model of a project: one search, followed to its last page. */
  const versionsOfProject = new DataLoader<string, ModelVersion[]>((projects) =>
    settleEach(projects, (project) => mlflow(project).searchModelVersions()),
  );

  /** Projects whose whole version listing this request has started; models read from it. */
  const listedProjects = new Set<string>();

  const versionSearch = new DataLoader<VersionSearchKey, ModelVersion[], string>(
    (keys) => settleEach(keys, (key) => mlflow(key.project).searchModelVersions(key.filter)),
    { cacheKeyFn: (key) => `${key.project}\u0000${key.filter}` },
  );

  /**
   * The versions of a model, newest first. A few models are searched one by one
   * (`name = '…'`); more, in one project and one batch, by one search over the project.
   */
  const versionsOfModel = new DataLoader<ModelKey, ModelVersion[], string>(
    async (keys) => {
      const found = new Map<string, ModelVersion[] | Error>();
      await Promise.all(
        [...groupBy(keys, (k) => k.project)].map(async ([project, projectKeys]) => {
          const quoted = projectKeys.map((k) => quoteValue(k.name));
          const listing =
            listedProjects.has(project) ||
            projectKeys.length > CALLS_BEFORE_LISTING ||
            quoted.includes(null);
          if (listing) {
            const all = await versionsOfProject.load(project).catch((e: Error) => e);
            const byName = all instanceof Error ? null : groupBy(all, (v) => v.model);
            for (const key of projectKeys) {
              found.set(modelKeyId(key), byName ? (byName.get(key.name) ?? []) : (all as Error));
            }
            return;
          }
          const results = await settleEach(projectKeys, (key, i) =>
            versionSearch.load({ project, filter: `name = ${quoted[i]}` }),
          );
          projectKeys.forEach((key, i) => found.set(modelKeyId(key), results[i]!));
        }),
      );
      return keys.map((key) => {
        const versions = found.get(modelKeyId(key))!;
        return versions instanceof Error ? versions : [...versions].sort(newestFirst);
      });
    },
    { cacheKeyFn: modelKeyId },
  );

  /**
   * Starts the project's version listing ahead of need: the versions of its models will come
   * from it, whatever their number. Failures surface where a version is read.
   */
  function prefetchVersionsOfProject(project: string): void {
    listedProjects.add(project);
    versionsOfProject.load(project).catch(() => undefined);
  }

  function forgetVersionsOfProject(project: string): void {
    listedProjects.delete(project);
    versionsOfProject.clear(project);
  }

  return {
    versionsOfProject,
    versionSearch,
    versionsOfModel,
    prefetchVersionsOfProject,
    forgetVersionsOfProject,
  };
}
