import type { RegistryContext } from "../context.js";
import { loadedModel, type ModelEntity, modelKey } from "../entities.js";
import { requireModelVisible } from "../projects.js";
import { prefetchForModels } from "../read-ahead/models.js";
import type { ModelReads } from "../read-ahead/reads.js";
import { prefetchVersionFiles } from "../read-ahead/version-files.js";
import { loadModel } from "./load-model.js";

/** The number, when the query reads of the model only its key and one version by number. */
function onlyVersionByNumber(reads: ModelReads): number | null {
  if (reads.versionArgs.length === 0 || reads.beyondKey) return null;
  if (reads.versionArgs.some((args) => args.alias != null)) return null;
  const numbers = new Set(reads.versionArgs.map((args) => args.number));
  const [number] = numbers;
  return numbers.size === 1 && typeof number === "number" ? number : null;
}

/**
 * The model a `model(name)` field answers. When the query reads only its key and one
 * version by number, as a version's page or file tree does, that version's get stands in for
 * the model's: it proves the model exists, and the model is not loaded (one MLflow call where
 * two would queue on a busy server). A missing version then loads the model, to tell a
 * missing model from a missing version.
 */
export async function resolveModel(
  ctx: RegistryContext,
  project: string,
  name: string,
  reads: ModelReads,
): Promise<ModelEntity> {
  requireModelVisible(ctx, project, name);
  const number = onlyVersionByNumber(reads);
  if (number !== null) {
    prefetchVersionFiles(ctx, { project, model: name, number }, reads.files);
    if (await ctx.loaders.version.load({ project, model: name, number })) {
      return modelKey(project, name);
    }
    return loadedModel(await loadModel(ctx, project, name));
  }
  const model = loadModel(ctx, project, name);
  prefetchForModels(ctx, project, reads, [name]);
  return loadedModel(await model);
}
