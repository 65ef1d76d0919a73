import {
  parsePythonVersion,
  parseRequirements,
  parseMLModel,
} from "../../sources/mlmodel/parse.js";
import type { MLModel } from "../../sources/mlmodel/types.js";
import { type Storage, storageUri } from "../../sources/storage/artifact-uri.js";
import type { RegistryContext } from "../context.js";
import type { VersionEntity } from "../entities.js";
import { badUserInput, ErrorCode, userError } from "../errors.js";
import { versionData } from "../versions/version-data.js";
import {
  type ArtifactEntry,
  findArtifact,
  listArtifacts,
  MLMODEL_MAX_BYTES,
  readText,
  safePath,
} from "./browse.js";
import { locateVersion, storageOfVersion } from "./storage.js";

/** A version's parsed MLmodel, and where its siblings (requirements.txt, …) are. */
export interface MLModelEntry extends MLModel {
  project: string;
  storage: Storage;
}

// Sibling files are small; this bound only guards against a pathological one.
const SIBLING_MAX_BYTES = 1_048_576;

/** Where the version's files are, as a URI; null when no storage applies. */
export async function versionStorageUri(
  ctx: RegistryContext,
  version: VersionEntity,
): Promise<string | null> {
  const storage = await storageOfVersion(ctx, await versionData(ctx, version));
  return storage ? storageUri(storage) : null;
}

/** The version's files and folders under `path`, one level or all, sorted by path. */
export async function versionArtifacts(
  ctx: RegistryContext,
  version: VersionEntity,
  path: string,
  recursive: boolean,
): Promise<ArtifactEntry[]> {
  const safe = safePath(path);
  const list = (storage: Storage) => listArtifacts(ctx, version.project, storage, safe, recursive);
  const { storage } = await locateVersion(ctx, version, list);
  return storage ? list(storage) : [];
}

/** One file or folder of the version; null when absent. */
export async function versionArtifact(
  ctx: RegistryContext,
  version: VersionEntity,
  path: string,
): Promise<ArtifactEntry | null> {
  const safe = safePath(path);
  if (safe === "") throw badUserInput("path must name a file or folder under the version");
  const find = (storage: Storage) => findArtifact(ctx, version.project, storage, safe);
  const { storage } = await locateVersion(ctx, version, find);
  return storage ? find(storage) : null;
}

/** The version's parsed MLmodel; null when it has none. */
export async function versionMLModel(
  ctx: RegistryContext,
  entity: VersionEntity,
): Promise<MLModelEntry | null> {
  const read = (storage: Storage) =>
    readText(ctx, entity.project, storage, "MLmodel", MLMODEL_MAX_BYTES);
  const { version, storage } = await locateVersion(ctx, entity, read);
  if (!storage) return null;
  const text = await read(storage);
  if (text === null) return null;
  try {
    return { ...parseMLModel(text), project: version.project, storage };
  } catch (error) {
    throw userError(
      ErrorCode.UPSTREAM_ERROR,
      `the MLmodel of this version cannot be read: ${(error as Error).message}`,
    );
  }
}

/** requirements.txt beside the MLmodel, one requirement a line; null without one. */
export async function mlmodelRequirements(
  ctx: RegistryContext,
  mlmodel: MLModelEntry,
): Promise<string[] | null> {
  const text = await readText(
    ctx,
    mlmodel.project,
    mlmodel.storage,
    "requirements.txt",
    SIBLING_MAX_BYTES,
  );
  return text === null ? null : parseRequirements(text);
}

/** From python_env.yaml, else the python_function flavor's python_version. */
export async function mlmodelPythonVersion(
  ctx: RegistryContext,
  mlmodel: MLModelEntry,
): Promise<string | null> {
  const text = await readText(
    ctx,
    mlmodel.project,
    mlmodel.storage,
    "python_env.yaml",
    SIBLING_MAX_BYTES,
  );
  const fromEnv = text === null ? null : parsePythonVersion(text);
  return fromEnv ?? mlmodel.flavors.find((f) => f.name === "python_function")?.version ?? null;
}

function within(name: string, value: number | null | undefined, max: number): number {
  const chosen = value ?? max;
  if (!Number.isInteger(chosen) || chosen < 1 || chosen > max) {
    throw badUserInput(`${name} must be between 1 and ${max}, got ${chosen}`);
  }
  return chosen;
}

/**
 * A presigned GET of the file, made locally (no call to S3); null for folders and for files
 * only MLflow can read. `expiresIn` is checked even then: bad input is refused everywhere.
 */
export function downloadUrl(
  ctx: RegistryContext,
  artifact: ArtifactEntry,
  expiresIn: number | null | undefined,
): Promise<string> | null {
  const seconds = within("expiresIn", expiresIn, ctx.artifactLimits.downloadUrlMaxExpirySeconds);
  if (artifact.isDir || artifact.storage.kind !== "s3") return null;
  return ctx.presign(artifact.storage.location, artifact.path, seconds);
}

/** The file's text, whole; over maxBytes is TOO_LARGE. null for folders. */
export function artifactText(
  ctx: RegistryContext,
  artifact: ArtifactEntry,
  maxBytes: number | null | undefined,
): Promise<string | null> {
  const limit = within("maxBytes", maxBytes, ctx.artifactLimits.textMaxBytes);
  if (artifact.isDir) return Promise.resolve(null);
  return readText(ctx, artifact.project, artifact.storage, artifact.path, limit);
}
