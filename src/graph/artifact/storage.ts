import type { ModelVersion } from "../../sources/mlflow/types.js";
import { parseRunsUri, type Storage, storageOf } from "../../sources/storage/artifact-uri.js";
import type { GraphContext } from "../context.js";
import { fullVersion, type VersionRoot } from "../version/version-root.js";

const ignore = () => undefined;

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

/**
 * The version and where its files are. With prefetch on, `read` starts at once on the storage
 * the version had last time (storage-hints.ts), while the version loads: a repeated read of
 * its files then waits for the version's get and S3 at the same time, not one after the other.
 * The caller then reads the storage returned, which the loaders answer from that early read
 * when it is the same, as it is unless the version was registered again elsewhere.
 */
export async function locateVersion(
  ctx: GraphContext,
  root: VersionRoot,
  read: (storage: Storage) => Promise<unknown>,
): Promise<{ version: ModelVersion; storage: Storage | null }> {
  const hinted = ctx.prefetch ? ctx.storageHints.get(root) : undefined;
  if (hinted) read(hinted).catch(ignore);
  const version = await fullVersion(ctx, root);
  const storage = await storageOfVersion(ctx, version);
  ctx.storageHints.remember(version, storage);
  return { version, storage };
}
