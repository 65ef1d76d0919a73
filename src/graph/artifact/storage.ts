import type { ModelVersion } from "../../sources/mlflow/types.js";
import { parseRunsUri, type Storage, storageOf } from "../../sources/storage/artifact-uri.js";
import type { GraphContext } from "../context.js";

/**
 * Where a version's files are, for every kind of source: `s3://` as is, `mlflow-artifacts:/`
 * through the project's destination, `runs:/` inside the run's artifacts, and `models:/m-…`
 * at the logged model's artifact location (MLFLOW.md §3.3). null when none of these applies.
 */
export async function storageOfVersion(
  ctx: GraphContext,
  version: ModelVersion,
): Promise<Storage | null> {
  const { project } = version;
  let uri: string | null = version.source;
  if (version.loggedModelId) {
    const logged = await ctx.loaders.loggedModel.load({ project, modelId: version.loggedModelId });
    uri = logged?.artifactUri ?? null;
  } else {
    const runs = parseRunsUri(version.source);
    if (runs) {
      const run = await ctx.loaders.run.load({ project, runId: runs.runId });
      uri = run?.artifactUri ? [run.artifactUri, runs.path].filter(Boolean).join("/") : null;
    }
  }
  return uri ? storageOf(uri, ctx.artifactDestinations.get(project)) : null;
}
