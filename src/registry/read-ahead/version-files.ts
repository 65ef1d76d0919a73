import {
  findArtifact,
  listArtifacts,
  MLMODEL_MAX_BYTES,
  readText,
  safePath,
} from "../artifacts/browse.js";
import { readAhead } from "../artifacts/storage.js";
import type { VersionRef } from "../artifacts/storage-hints.js";
import type { RegistryContext } from "../context.js";
import type { FileReads } from "./reads.js";

/**
 * Starts the file reads that `model(name) { version(number) { artifacts | artifact | mlmodel } }`
 * will make (readAhead) before the version's get: the version page and file tree of a version
 * seen before then wait for MLflow and S3 at once. A path safePath refuses starts nothing
 * (the reads are async, so it rejects, ignored): the field itself reports it.
 */
export function prefetchVersionFiles(
  ctx: RegistryContext,
  version: VersionRef,
  files: FileReads,
): void {
  const { project } = version;
  for (const { path, recursive } of files.listings) {
    readAhead(ctx, version, async (storage) =>
      listArtifacts(ctx, project, storage, safePath(path), recursive),
    );
  }
  for (const path of files.finds) {
    readAhead(ctx, version, async (storage) => findArtifact(ctx, project, storage, safePath(path)));
  }
  if (files.mlmodel) {
    readAhead(ctx, version, (storage) =>
      readText(ctx, project, storage, "MLmodel", MLMODEL_MAX_BYTES),
    );
  }
}
