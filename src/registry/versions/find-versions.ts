import { quoteKey, quoteValue } from "../../sources/mlflow/filter.js";
import type { ModelVersion } from "../../sources/mlflow/types.js";
import type { RegistryContext } from "../context.js";
import { loadedVersion, type VersionEntity, versionKey } from "../entities.js";
import { matchesVersion, type VersionConditions } from "./version-filter.js";

/**
 * The MLflow filter (the run id is safe: validateVersionFilter checked its shape) for the conditions MLflow can apply itself (tag, run id), each only when
 * it can be quoted exactly; the rest (alias, stage, anything unquotable) is applied here.
 */
function pushDown(filter: VersionConditions): string | null {
  const parts: string[] = [];
  if (filter.runId) parts.push(`run_id = '${filter.runId}'`);
  if (filter.tag) {
    const key = quoteKey(filter.tag.key);
    const value = filter.tag.value == null ? null : quoteValue(filter.tag.value);
    if (key && value) parts.push(`tags.${key} = ${value}`);
  }
  return parts.length > 0 ? parts.join(" AND ") : null;
}

/** Versions of one project that match the filter, in one or two upstream calls. */
export async function findVersions(
  ctx: RegistryContext,
  project: string,
  filter: VersionConditions | null | undefined,
): Promise<VersionEntity[]> {
  const models = await ctx.loaders.modelsOfProject.load(project);
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
    const pushed = filter ? pushDown(filter) : null;
    candidates = pushed
      ? await ctx.loaders.versionSearch.load({ project, filter: pushed })
      : await ctx.loaders.versionsOfProject.load(project);
  }
  return candidates
    .filter((v) => matchesVersion(v, aliasesOf.get(v.model) ?? [], filter))
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
