import { CALLS_BEFORE_LISTING } from "../../loaders/index.js";
import type { RegisteredModel } from "../../sources/mlflow/types.js";
import type { RegistryContext } from "../context.js";
import { loadedModel, type ModelEntity } from "../entities.js";
import { prefetchAliasRuns, prefetchForModels } from "../read-ahead/models.js";
import type { ModelReads } from "../read-ahead/reads.js";
import { matchesTag, type TagCondition } from "../tags.js";

/** Conditions on models; all given must hold (the graph's ModelFilter input). */
export interface ModelConditions {
  /** Part of the name, any case. */
  nameContains?: string | null;
  tag?: TagCondition | null;
  /** Models that have this alias. */
  hasAlias?: string | null;
}

function matches(model: RegisteredModel, filter: ModelConditions | null | undefined): boolean {
  if (!filter) return true;
  const { nameContains, tag, hasAlias } = filter;
  if (nameContains && !model.name.toLowerCase().includes(nameContains.toLowerCase())) return false;
  if (tag && !matchesTag(model.tags, tag)) return false;
  if (hasAlias && !model.aliases.some((a) => a.alias === hasAlias)) return false;
  return true;
}

/**
 * A project's models that match. They come from one paged listing (names, tags and aliases
 * included), so filters are applied here, the same for every project, and a keyset cursor
 * holds across projects.
 */
export async function listModels(
  ctx: RegistryContext,
  project: string,
  filter: ModelConditions | null | undefined,
): Promise<ModelEntity[]> {
  const models = await ctx.loaders.modelsOfProject.load(project);
  return models
    .filter((m) => ctx.access.canRead(project, m.name) && matches(m, filter))
    .map(loadedModel);
}

/**
 * Starts, for a page of models over these projects, what the query reads below them. Only an
 * unfiltered page of many: its models' versions come from each project's listing anyway.
 */
export function readAheadForModelPage(
  ctx: RegistryContext,
  projects: readonly string[],
  reads: ModelReads,
  page: { size: number; filtered: boolean },
): void {
  if (page.filtered || page.size <= CALLS_BEFORE_LISTING) return;
  for (const project of projects) {
    prefetchForModels(ctx, project, reads);
    prefetchAliasRuns(ctx, project, reads, page.size);
  }
}
