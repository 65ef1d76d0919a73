import type { GraphQLResolveInfo } from "graphql";
import { argumentsBelow } from "../common/selection.js";
import type { GraphContext } from "../context.js";
import { findArtifact, listArtifacts, MLMODEL_MAX_BYTES, readText, safePath } from "./browse.js";
import { readAhead } from "./storage.js";
import type { VersionRef } from "./storage-hints.js";

/**
 * Starts the file reads that `model(name) { version(number) { artifacts | artifact | mlmodel } }`
 * will make (readAhead) before the version's get: the version page and file tree of a version
 * seen before then wait for MLflow and S3 at once. A path safePath refuses starts nothing
 * (the reads are async, so it rejects, ignored): the field itself reports it.
 */
export function prefetchVersionFiles(
  ctx: GraphContext,
  version: VersionRef,
  info: GraphQLResolveInfo,
): void {
  const { project } = version;
  for (const { path, recursive } of argumentsBelow(info, ["version", "artifacts"])) {
    readAhead(ctx, version, async (storage) =>
      listArtifacts(ctx, project, storage, safePath(path as string), recursive as boolean),
    );
  }
  for (const { path } of argumentsBelow(info, ["version", "artifact"])) {
    readAhead(ctx, version, async (storage) =>
      findArtifact(ctx, project, storage, safePath(path as string)),
    );
  }
  if (argumentsBelow(info, ["version", "mlmodel"]).length > 0) {
    readAhead(ctx, version, (storage) =>
      readText(ctx, project, storage, "MLmodel", MLMODEL_MAX_BYTES),
    );
  }
}
