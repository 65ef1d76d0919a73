import type { RegistryContext } from "../context.js";
import { runOfVersion } from "../runs/run-of-version.js";
import type { ModelReads } from "./reads.js";

const ignore = () => undefined;

/** Whether the model's version list is read: a version by number alone is one get. */
function needsVersionList(reads: ModelReads): boolean {
  if (reads.versionList || reads.aliasVersionData) return true;
  return reads.versionArgs.some((args) => typeof args.number !== "number");
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
 * `models` names the models when known (one model's page); otherwise the whole project's
 * version listing is started, which is what the version loader reads many models from anyway.
 */
export function prefetchForModels(
  ctx: RegistryContext,
  project: string,
  reads: ModelReads,
  models?: readonly string[],
): void {
  if (!ctx.prefetch) return;
  if (!models) {
    // Versions of many models, by number or not, come from the project's listing.
    if (reads.versionArgs.length > 0 || needsVersionList(reads)) {
      ctx.listed.versions.add(project);
      ctx.loaders.versionsOfProject.load(project).catch(ignore);
    }
  } else if (needsVersionList(reads)) {
    for (const name of models) ctx.loaders.versionsOfModel.load({ project, name }).catch(ignore);
  } else {
    for (const { number } of reads.versionArgs) {
      for (const name of models) {
        ctx.loaders.version.load({ project, model: name, number: number as number }).catch(ignore);
      }
    }
  }
  if (reads.runs) ctx.loaders.experimentIds.load(project).catch(ignore);
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
  ctx: RegistryContext,
  project: string,
  reads: ModelReads,
  pageSize: number,
): void {
  if (!ctx.prefetch || !reads.aliasRuns) return;
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
