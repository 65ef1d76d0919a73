import type { ModelVersion } from "../../sources/mlflow/types.js";
import type { GraphContext } from "../context.js";
import { loadVersion } from "./load-version.js";

export interface VersionKey {
  project: string;
  model: string;
  number: number;
}

/**
 * A version as a resolver receives it: its full data, or only its key where that is all the
 * parent knew (an alias map). Fields beyond the key load the data then, batched, and only if
 * the query asks for them: `aliases { version { number } }` costs no version search.
 */
export type VersionRoot = ModelVersion | VersionKey;

export function fullVersion(ctx: GraphContext, root: VersionRoot): Promise<ModelVersion> {
  return "source" in root
    ? Promise.resolve(root)
    : loadVersion(ctx, root.project, root.model, root.number);
}
