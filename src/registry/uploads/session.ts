import type { S3Location } from "../../sources/s3/uri.js";
import { parseS3Uri } from "../../sources/s3/uri.js";
import { requireProjectFiles } from "../artifacts/storage.js";
import { badUserInput, notFound } from "../errors.js";
import { requireRole } from "../projects.js";
import type { RegistryContext } from "../context.js";

export type UploadStatus = "STARTED" | "COMPLETED" | "REGISTERED";

export interface UploadFile {
  path: string;
  size: number;
  sha256: string | null;
  /** S3's multipart upload id, for files sent in parts. */
  multipartId: string | null;
  partCount: number;
  /** Bytes per part (the last may be shorter); the whole size for a single PUT. */
  partSize: number;
}

/** What an upload is, kept in S3 (state.uri) so that any replica can complete it. */
export interface UploadSession {
  uploadId: string;
  project: string;
  model: string;
  /**
   * s3://… of the upload's folder, `<artifacts.root>/uploads/<uploadId>`: clients PUT under
   * `staged/`, completeUpload verifies the copy it makes under `verified/`, which no URL reaches.
   */
  staging: string;
  files: UploadFile[];
  createdAt: string;
  expiresAt: string;
  status: UploadStatus;
  /** The version it became, once registered. */
  version?: number;
}

const sessionPath = (uploadId: string) => `uploads/${uploadId}.json`;

const below = (location: S3Location, name: string): S3Location => ({
  bucket: location.bucket,
  prefix: [location.prefix, name].filter(Boolean).join("/"),
});

/** The upload's folder: everything it staged or verified, removed as a whole. */
export const folderOf = (session: UploadSession): S3Location => parseS3Uri(session.staging)!;

/** Where clients PUT the files (presigned URLs): theirs to write until the URLs expire. */
export const stagedOf = (session: UploadSession): S3Location => below(folderOf(session), "staged");

/** The copy completeUpload verified, written only by the gateway: what a version is made from. */
export const verifiedOf = (session: UploadSession): S3Location =>
  below(folderOf(session), "verified");

export function requireState(ctx: RegistryContext) {
  const state = ctx.state;
  if (!state) throw badUserInput("uploads need the gateway's `state.uri` to be configured");
  return state;
}

/**
 * The S3 prefix the gateway writes a project's uploads and promoted versions under; refused
 * where it would reach into the gateway's own state.
 */
export function projectRoot(ctx: RegistryContext, project: string): S3Location {
  const root = ctx.projectConfig(project).artifacts?.root;
  const location = root ? parseS3Uri(root) : null;
  if (!location) {
    throw badUserInput(`project "${project}" has no artifacts.root to write files to`, { project });
  }
  requireProjectFiles(ctx, project, location, `the artifacts.root of project "${project}"`);
  return location;
}

export async function loadSession(ctx: RegistryContext, uploadId: string): Promise<UploadSession> {
  const session = /^[0-9a-f-]{36}$/.test(uploadId)
    ? await requireState(ctx).get<UploadSession>(sessionPath(uploadId))
    : null;
  const missing = () => notFound(`no upload "${uploadId}" (it may have been aborted or expired)`);
  // Another project's upload is as absent as a missing one; a readable one needs writer.
  if (!session || !ctx.access.canRead(session.project, session.model)) throw missing();
  requireRole(ctx, session.project, session.model, "writer");
  return session;
}

export async function saveSession(ctx: RegistryContext, session: UploadSession): Promise<void> {
  await requireState(ctx).put(sessionPath(session.uploadId), session);
}

export async function deleteSession(ctx: RegistryContext, uploadId: string): Promise<void> {
  await requireState(ctx).delete(sessionPath(uploadId));
}
