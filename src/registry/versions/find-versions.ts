import { versionFilter } from "../../sources/mlflow/filter.js";
import type { ModelVersion } from "../../sources/mlflow/types.js";
import type { RegistryContext } from "../context.js";
import { loadedVersion, type VersionEntity, versionKey } from "../entities.js";
import { matchesVersion, type VersionConditions } from "./version-filter.js";

/** Versions of one project that match the filter, in one or two upstream calls. */
export async function findVersions(
  ctx: RegistryContext,
  project: string,
  filter: VersionConditions | null | undefined,
): Promise<VersionEntity[]> {
  // Only the models this caller may see: the others' versions do not exist for them.
  const models = (await ctx.loaders.modelsOfProject.load(project)).filter((m) =>
    ctx.access.canRead(project, m.name),
  );
  if (filter?.alias && !filter.tag && !filter.runId && !filter.stage) {
    // The alias map alone names them: their other fields load only if the query asks.
    return models.flatMap((m) =>
      m.aliases
        .filter((a) => a.alias === filter.alias)
        .map((a) => versionKey(project, m.name, a.version, m)),
    );
  }
  const aliasesOf = new Map(models.map((m) => [m.name, m.aliases]));
  let candidates: ModelVersion[];
  if (filter?.alias) {
    // Only the versions the alias names: the alias map comes with the model listing.
    const named = models.filter((m) => m.aliases.some((a) => a.alias === filter.alias));
    candidates = (
      await Promise.all(
        named.map((m) => ctx.loaders.versionsOfModel.load({ project, name: m.name })),
      )
    ).flat();
  } else {
    // What MLflow can be told exactly (run id, tag) is pushed down; every condition is
    // matched here again, so one left out (alias, stage, anything unquotable) still holds.
    const pushed = filter
      ? versionFilter({ runId: filter.runId ?? undefined, tag: filter.tag ?? undefined })
      : null;
    candidates = pushed
      ? await ctx.loaders.versionSearch.load({ project, filter: pushed })
      : await ctx.loaders.versionsOfProject.load(project);
  }
  return candidates
    .filter(
      (v) =>
        ctx.access.canRead(project, v.model) &&
        matchesVersion(v, aliasesOf.get(v.model) ?? [], filter),
    )
    .map(loadedVersion);
}

/** A model's versions that match the filter, newest first. */
export async function versionsOfModel(
  ctx: RegistryContext,
  model: { project: string; name: string; aliases: readonly { alias: string; version: number }[] },
  filter: VersionConditions | null | undefined,
): Promise<VersionEntity[]> {
  const all = await ctx.loaders.versionsOfModel.load({ project: model.project, name: model.name });
  return all.filter((v) => matchesVersion(v, model.aliases, filter)).map(loadedVersion);
}
