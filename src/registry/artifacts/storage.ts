import type { ModelVersion } from "../../sources/mlflow/types.js";
import type { S3Location } from "../../sources/s3/uri.js";
import { parseRunsUri, type Storage, storageOf } from "../../sources/storage/artifact-uri.js";
import { outsideReason } from "../../sources/storage/project-files.js";
import { forbidden } from "../errors.js";
import type { RegistryContext } from "../context.js";
import type { VersionEntity } from "../entities.js";
import { versionData } from "../versions/version-data.js";
import type { VersionRef } from "./storage-hints.js";

const ignore = () => undefined;

/**
 * Where a version's files are, for every kind of source: `s3://` as is, `mlflow-artifacts:/`
 * through the project's destination, `runs:/` inside the run's artifacts, and `models:/m-…`
 * at the logged model's artifact location (docs/mlflow-rest.md §3.3). null when none of these applies.
 */
export async function storageOfVersion(
  ctx: RegistryContext,
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
 * FORBIDDEN, with the reason, unless the location is among the project's files (and not the
 * gateway's state): checked before any S3 call that lists, reads, presigns, copies or writes
 * there. A version MLflow records as pointing elsewhere (registered straight through its API)
 * keeps its source and storageUri, but its files are not the gateway's to serve.
 */
export function requireProjectFiles(
  ctx: RegistryContext,
  project: string,
  location: S3Location,
  what = "these files",
): void {
  const reason = outsideReason(ctx.fileScope(project), location);
  if (reason) throw forbidden(`no access to ${what}: ${reason}`, { project });
}

/** Files MLflow's own artifact proxy serves are that server's own; S3 ones are checked. */
export function requireVersionFiles(ctx: RegistryContext, version: ModelVersion, storage: Storage) {
  if (storage.kind !== "s3") return;
  const what = `the files of version ${version.number} of "${version.model}"`;
  requireProjectFiles(ctx, version.project, storage.location, what);
}

/**
 * With prefetch on, starts `read` on the storage the version had last time (storage-hints.ts),
 * its outcome ignored: the field reads again once the version is in, and the loaders answer it
 * from this read when the storage is the same, as it is unless the version was registered
 * again elsewhere.
 */
export function readAhead(
  ctx: RegistryContext,
  version: VersionRef,
  read: (storage: Storage) => Promise<unknown>,
): void {
  const hinted = ctx.prefetch ? ctx.storageHints.get(version) : undefined;
  if (hinted) read(hinted).catch(ignore);
}

/**
 * The version and where its files are, with `read` started ahead while the version loads: a
 * repeated read of its files then waits for the version's get and S3 at the same time, not
 * one after the other.
 */
export async function locateVersion(
  ctx: RegistryContext,
  root: VersionEntity,
  read: (storage: Storage) => Promise<unknown>,
): Promise<{ version: ModelVersion; storage: Storage | null }> {
  readAhead(ctx, root, read);
  const version = await versionData(ctx, root);
  const storage = await storageOfVersion(ctx, version);
  try {
    if (storage) requireVersionFiles(ctx, version, storage);
  } catch (error) {
    ctx.storageHints.remember(version, null);
    throw error;
  }
  // Only checked storage is remembered, so a read ahead never leaves the project's files.
  ctx.storageHints.remember(version, storage);
  return { version, storage };
}
