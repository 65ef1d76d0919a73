import DataLoader from "dataloader";
import { versionFilter } from "../sources/mlflow/filter.js";
import type { ModelVersion } from "../sources/mlflow/types.js";
import {
  CALLS_BEFORE_LISTING,
  type ModelKey,
  modelKeyId,
  nullIfNotFound,
  type VersionNumberKey,
  versionNumberKeyId,
} from "./keys.js";
import type { ListedProjects } from "./listed-projects.js";
import type { MlflowClients } from "./mlflow-clients.js";
import { perProject, settleEach } from "./settle.js";

export interface VersionSearchKey {
  project: string;
  /** An MLflow filter from `versionFilter` (sources/mlflow/filter.ts). */
  filter: string;
}

const newestFirst = (a: ModelVersion, b: ModelVersion) => b.number - a.number;

export function createVersionLoaders(mlflow: MlflowClients, listed: ListedProjects) {
  /** Every version of every model of a project: one search, followed to its last page. */
  const versionsOfProject = perProject<ModelVersion[]>((project) =>
    mlflow(project).searchModelVersions(),
  );

  /** Projects whose whole version listing this request has started; models read from it. */
  const listedProjects = listed.versions;

  const versionSearch = new DataLoader<VersionSearchKey, ModelVersion[], string>(
    (keys) => settleEach(keys, (key) => mlflow(key.project).searchModelVersions(key.filter)),
    { cacheKeyFn: (key) => `${key.project}\u0000${key.filter}` },
  );

  /** The models whose version lists this request has asked for, by `modelKeyId`. */
  const askedModels = new Map<string, Promise<ModelVersion[]>>();

  /**
   * The versions of a model, newest first. A few models are searched one by one
   * (`name = '…'`); more, in one project and one batch, by one search over the project.
   */
  const versionsOfModel = new DataLoader<ModelKey, ModelVersion[], string>(
    async (keys) => {
      const found = new Map<string, ModelVersion[] | Error>();
      await Promise.all(
        [...Map.groupBy(keys, (k) => k.project)].map(async ([project, projectKeys]) => {
          const filters = projectKeys.map((k) => versionFilter({ name: k.name }));
          const listing =
            listedProjects.has(project) ||
            projectKeys.length > CALLS_BEFORE_LISTING ||
            filters.includes(null);
          if (listing) {
            const all = await versionsOfProject.load(project).catch((e: Error) => e);
            const byName = all instanceof Error ? null : Map.groupBy(all, (v) => v.model);
            for (const key of projectKeys) {
              found.set(modelKeyId(key), byName ? (byName.get(key.name) ?? []) : (all as Error));
            }
            return;
          }
          // Matched again here: a filter may let through more than it says (versionFilter).
          const results = await settleEach(projectKeys, async (key, i) =>
            (await versionSearch.load({ project, filter: filters[i]! })).filter(
              (v) => v.model === key.name,
            ),
          );
          projectKeys.forEach((key, i) => found.set(modelKeyId(key), results[i]!));
        }),
      );
      return keys.map((key) => {
        const versions = found.get(modelKeyId(key))!;
        return versions instanceof Error ? versions : [...versions].sort(newestFirst);
      });
    },
    { cacheKeyFn: modelKeyId, cacheMap: askedModels },
  );

  /**
   * One version by number, or null when there is none. From its model's version list when
   * this request reads that list anyway, or when the batch asks for several versions of the
   * model or for more models than a few calls; otherwise one `model-versions/get`, a small
   * answer where the model's search would list every version.
   */
  const version = new DataLoader<VersionNumberKey, ModelVersion | null, string>(
    async (keys) => {
      const modelOf = (key: VersionNumberKey) => ({ project: key.project, name: key.model });
      const listed = new Set<string>();
      for (const [project, projectKeys] of Map.groupBy(keys, (k) => k.project)) {
        const byModel = Map.groupBy(projectKeys, (k) => modelKeyId(modelOf(k)));
        const manyModels = listedProjects.has(project) || byModel.size > CALLS_BEFORE_LISTING;
        for (const [model, modelKeys] of byModel) {
          if (manyModels || modelKeys.length > 1 || askedModels.has(model)) listed.add(model);
        }
      }
      return settleEach(keys, async (key) => {
        if (!listed.has(modelKeyId(modelOf(key)))) {
          return mlflow(key.project).getModelVersion(key.model, key.number).catch(nullIfNotFound);
        }
        const all = await versionsOfModel.load(modelOf(key));
        return all.find((v) => v.number === key.number) ?? null;
      });
    },
    { cacheKeyFn: versionNumberKeyId },
  );

  return {
    versionsOfProject,
    versionSearch,
    versionsOfModel,
    version,
  };
}
