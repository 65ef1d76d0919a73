import type { Storage } from "../../sources/storage/artifact-uri.js";
import { normalizeArtifactPath } from "../../sources/storage/artifact-path.js";
import { badUserInput, ErrorCode, userError } from "../errors.js";
import type { RegistryContext } from "../context.js";

/** An entry of a version's files, and where it lives, to read or presign it later. */
export interface ArtifactEntry {
  project: string;
  storage: Storage;
  path: string;
  isDir: boolean;
  size: number | null;
  lastModified: Date | null;
  etag: string | null;
}

// MLmodel files are a few KiB; one ranged GET of this much reads any real one whole.
export const MLMODEL_MAX_BYTES = 1_048_576;

/** A client's path, normalized, or BAD_USER_INPUT before anything is asked of S3. */
export function safePath(path: string): string {
  const normalized = normalizeArtifactPath(path);
  if (normalized === null) {
    throw badUserInput(`path "${path}" leaves the version's files or is not a plain relative path`);
  }
  return normalized;
}

const join = (...parts: string[]) => parts.filter((p) => p !== "").join("/");

/** The entries under `path` (already safe), one level or all of them. */
export async function listArtifacts(
  ctx: RegistryContext,
  project: string,
  storage: Storage,
  path: string,
  recursive: boolean,
): Promise<ArtifactEntry[]> {
  if (storage.kind === "s3") {
    const entries = await ctx.loaders.artifacts.listing.load({
      location: storage.location,
      path,
      recursive,
    });
    return entries.map((e) => ({ ...e, project, storage, path: join(path, e.path) }));
  }
  // MLflow's proxy lists one level at a time, with no paging: walk folders when recursive.
  const level = await ctx.loaders.artifacts.proxiedListing.load({
    project,
    path: join(storage.path, path),
  });
  const entries: ArtifactEntry[] = level.map((e) => ({
    project,
    storage,
    path: join(path, e.name),
    isDir: e.isDir,
    size: e.isDir ? null : e.size,
    lastModified: null,
    etag: null,
  }));
  if (!recursive) return entries;
  const nested = await Promise.all(
    entries.filter((e) => e.isDir).map((e) => listArtifacts(ctx, project, storage, e.path, true)),
  );
  return [...entries, ...nested.flat()].sort((a, b) => (a.path < b.path ? -1 : 1));
}

/** One entry by its path (already safe), from its folder's listing; null when absent. */
export async function findArtifact(
  ctx: RegistryContext,
  project: string,
  storage: Storage,
  path: string,
): Promise<ArtifactEntry | null> {
  const parent = path.split("/").slice(0, -1).join("/");
  const siblings = await listArtifacts(ctx, project, storage, parent, false);
  return siblings.find((e) => e.path === path) ?? null;
}

export const tooLarge = (path: string, size: number, maxBytes: number) =>
  userError(
    ErrorCode.TOO_LARGE,
    `"${path}" is ${size} bytes, more than the ${maxBytes} allowed here`,
    {
      size,
      maxBytes,
    },
  );

/**
 * A file's text, whole, or null when it does not exist. S3 is read with one ranged GET that
 * also tells the full size; a file larger than `maxBytes` is an error, never a cut answer.
 */
export async function readText(
  ctx: RegistryContext,
  project: string,
  storage: Storage,
  path: string,
  maxBytes: number,
): Promise<string | null> {
  if (storage.kind === "s3") {
    const object = await ctx.loaders.artifacts.objectStart.load({
      location: storage.location,
      path,
      maxBytes,
    });
    if (!object) return null;
    if (object.size > maxBytes) throw tooLarge(path, object.size, maxBytes);
    return object.body.toString("utf8");
  }
  const entry = await findArtifact(ctx, project, storage, path);
  if (!entry || entry.isDir) return null;
  if ((entry.size ?? 0) > maxBytes) throw tooLarge(path, entry.size ?? 0, maxBytes);
  return ctx.loaders.artifacts.proxiedText.load({ project, path: join(storage.path, path) });
}
