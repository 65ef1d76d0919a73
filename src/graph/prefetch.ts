import type { GraphContext } from "./context.js";
import { type Selection, selectsDeep } from "./common/selection.js";
import { runOfVersion } from "./run/load-run.js";

const ignore = () => undefined;

/** Version fields a version known only by its key (an alias's) answers without loading it. */
const KEY_FIELDS = new Set(["__typename", "id", "number", "project", "model", "aliases"]);

/** Whether the model's version list is read: a version by number alone is one get. */
function needsVersionList(model: Selection, versionArgs: Record<string, unknown>[]): boolean {
  if (model.versions || model.latestVersions) return true;
  if (versionArgs.some((args) => typeof args.number !== "number")) return true;
  const aliasVersion = model.aliases?.version ?? {};
  return Object.keys(aliasVersion).some((field) => !KEY_FIELDS.has(field));
}

/**
 * Starts what a selection of models will need next alongside the call that loads them, so
 * the dependent calls overlap instead of queueing behind each other: the models' versions,
 * and the experiment ids every run search needs. Without it a dashboard waits for the model
 * listing, then the version search, then the experiments, then the runs; with it, for the
 * listing, version search and experiments at once, then the runs, as a hand-written client
 * would. Only what the query selects is started; the one call it can add is the experiment
 * listing, when none of the versions read turns out to have a run.
 *
 * `models` names the models when known (one model's page), with the arguments of its
 * `version` fields; otherwise the whole project's version listing is started, which is what
 * the version loader reads many models from anyway.
 */
export function prefetchForModels(
  ctx: GraphContext,
  project: string,
  model: Selection,
  models?: readonly string[],
  versionArgs: Record<string, unknown>[] = [],
): void {
  if (!ctx.prefetch) return;
  if (!models) {
    // Versions of many models, by number or not, come from the project's listing.
    if (model.version || needsVersionList(model, []))
      ctx.loaders.prefetchVersionsOfProject(project);
  } else if (needsVersionList(model, versionArgs)) {
    for (const name of models) ctx.loaders.versionsOfModel.load({ project, name }).catch(ignore);
  } else {
    for (const { number } of versionArgs) {
      for (const name of models) {
        ctx.loaders.version.load({ project, model: name, number: number as number }).catch(ignore);
      }
    }
  }
  if (selectsDeep(model, "run")) ctx.loaders.experimentIds.load(project).catch(ignore);
}

/**
 * Starts the runs of a project's aliased versions (`aliases { version { run } }`) once that
 * project's models and versions are in, as a hand-written client does project by project.
 * Without it each project's run search waits for every project's listing (the page merges
 * them) and for the query to walk down to each `run`. A project with more models than the
 * page is left to that walk. One with fewer may still lose some to a page shared with other
 * projects; their runs come anyway, in the one search per project a full page makes.
 */
export function prefetchAliasRuns(
  ctx: GraphContext,
  project: string,
  model: Selection,
  pageSize: number,
): void {
  if (!ctx.prefetch || !model.aliases?.version?.run) return;
  const start = async () => {
    const models = await ctx.loaders.modelsOfProject.load(project);
    if (models.length > pageSize) return;
    const versions = await Promise.all(
      models.flatMap((m) =>
        m.aliases.map((a) =>
          ctx.loaders.version.load({ project, model: m.name, number: a.version }),
        ),
      ),
    );
    // In one loop, so the runs go out as one batch: one search, as the walk would make.
    for (const version of versions) if (version) runOfVersion(ctx, version).catch(ignore);
  };
  start().catch(ignore);
}
