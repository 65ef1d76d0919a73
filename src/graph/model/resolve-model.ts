import type { GraphQLResolveInfo } from "graphql";
import type { ModelKey } from "../../loaders/keys.js";
import type { RegisteredModel } from "../../sources/mlflow/types.js";
import { argumentsBelow, type Selection, selectionOf } from "../common/selection.js";
import type { GraphContext } from "../context.js";
import { prefetchVersionFiles } from "../artifact/prefetch-files.js";
import { prefetchForModels } from "../prefetch.js";
import { requireProject } from "../project/project.lookup.js";
import { loadModel } from "./load-model.js";

/**
 * A model as a resolver receives it: its data, or only its key when the query reads nothing
 * else of it (resolveModel). Only the key's fields and `version` ever see a key.
 */
export type ModelRoot = RegisteredModel | ModelKey;

/** Model fields its key answers. */
const KEY_FIELDS = new Set(["__typename", "id", "name", "project"]);

/** The number, when the query reads of the model only its key and one version by number. */
function onlyVersionByNumber(
  selection: Selection,
  asked: Record<string, unknown>[],
): number | null {
  if (!selection.version) return null;
  if (Object.keys(selection).some((f) => f !== "version" && !KEY_FIELDS.has(f))) return null;
  if (asked.some((args) => args.alias != null)) return null;
  const numbers = new Set(asked.map((args) => args.number));
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
  ctx: GraphContext,
  project: string,
  name: string,
  info: GraphQLResolveInfo,
): Promise<ModelRoot> {
  requireProject(ctx, project);
  const selection = selectionOf(info);
  const versionArgs = argumentsBelow(info, "version");
  const number = onlyVersionByNumber(selection, versionArgs);
  if (number !== null) {
    prefetchVersionFiles(ctx, { project, model: name, number }, info);
    if (await ctx.loaders.version.load({ project, model: name, number })) return { project, name };
    return loadModel(ctx, project, name);
  }
  const model = loadModel(ctx, project, name);
  prefetchForModels(ctx, project, selection, [name], versionArgs);
  return model;
}
