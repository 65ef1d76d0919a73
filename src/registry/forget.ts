import type { ListedProjects, Loaders } from "../loaders/index.js";

/**
 * Drops this request's cached reads of a model (or of all of a project's models) after a
 * write, so the answer that follows reads MLflow again.
 */
export function forgetReads(
  loaders: Loaders,
  listed: ListedProjects,
  project: string,
  model?: string,
): void {
  listed.models.delete(project);
  loaders.modelsOfProject.clear(project);
  listed.versions.delete(project);
  loaders.versionsOfProject.clear(project);
  loaders.versionSearch.clearAll();
  // Whole: one model's version keys cannot be picked out of it without a scan.
  loaders.version.clearAll();
  if (model !== undefined) {
    loaders.model.clear({ project, name: model });
    loaders.versionsOfModel.clear({ project, name: model });
  } else {
    loaders.model.clearAll();
    loaders.versionsOfModel.clearAll();
  }
}
