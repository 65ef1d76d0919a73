import type { GraphQLResolveInfo } from "graphql";
import { argumentsBelow } from "../common/selection.js";
import type { GraphContext } from "../context.js";
import { findArtifact, listArtifacts, MLMODEL_MAX_BYTES, readText, safePath } from "./browse.js";
import type { VersionRef } from "./storage-hints.js";

const ignore = () => undefined;

/**
 * Starts the file reads that `model(name) { version(number) { artifacts | artifact | mlmodel } }`
 * will make, on the storage the version had last time (storage-hints.ts), before its get: the
 * version page and file tree of a version seen before then wait for MLflow and S3 at once.
 * The fields read again once the version is in; the loaders answer them from these reads when
 * the storage is the same. Bad arguments start nothing: the field itself reports them.
 */
export function prefetchVersionFiles(
  ctx: GraphContext,
  version: VersionRef,
  info: GraphQLResolveInfo,
): void {
  const storage = ctx.prefetch ? ctx.storageHints.get(version) : undefined;
  if (!storage) return;
  const { project } = version;
  const start = (read: () => Promise<unknown>) => {
    try {
      read().catch(ignore);
    } catch {
      // safePath refused the path
    }
  };
  for (const { path, recursive } of argumentsBelow(info, ["version", "artifacts"])) {
    start(() =>
      listArtifacts(ctx, project, storage, safePath(path as string), recursive as boolean),
    );
  }
  for (const { path } of argumentsBelow(info, ["version", "artifact"])) {
    start(() => findArtifact(ctx, project, storage, safePath(path as string)));
  }
  if (argumentsBelow(info, ["version", "mlmodel"]).length > 0) {
    start(() => readText(ctx, project, storage, "MLmodel", MLMODEL_MAX_BYTES));
  }
}
