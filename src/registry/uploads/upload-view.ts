import type { RegistryContext } from "../context.js";
import { partLength } from "./plan-upload.js";
import { stagedOf, type UploadFile, type UploadSession } from "./session.js";

/** Where to send one file: one PUT URL, or one URL per part. */
export interface UploadTarget {
  path: string;
  size: number;
  url: string | null;
  partSize: number | null;
  parts: { partNumber: number; url: string }[] | null;
}

/** An upload as its client sees it (the graph's Upload type). */
export interface UploadView {
  uploadId: string;
  project: string;
  model: string;
  status: UploadSession["status"];
  staging: string;
  expiresAt: Date;
  files: UploadTarget[];
  version: number | null;
}

/** A file's presigned URLs: one PUT, or one per part, each signed for its exact length. */
async function targetOf(
  ctx: RegistryContext,
  session: UploadSession,
  file: UploadFile,
): Promise<UploadTarget> {
  const { urlExpirySeconds } = ctx.uploadLimits;
  const staged = stagedOf(session);
  const target = { path: file.path, size: file.size, url: null, parts: null };
  if (session.status !== "STARTED") return { ...target, partSize: null };
  if (!file.multipartId) {
    const url = await ctx.staging.presignPut(staged, file.path, file.size, urlExpirySeconds);
    return { ...target, url, partSize: null };
  }
  const parts = await Promise.all(
    Array.from({ length: file.partCount }, async (_, i) => {
      const part = { number: i + 1, size: partLength(file, i + 1) };
      const url = await ctx.staging.presignPart(
        staged,
        file.path,
        file.multipartId!,
        part,
        urlExpirySeconds,
      );
      return { partNumber: part.number, url };
    }),
  );
  return { ...target, parts, partSize: file.partSize };
}

/** The session as the client sees it, with fresh presigned URLs while it is open. */
export async function viewUpload(
  ctx: RegistryContext,
  session: UploadSession,
): Promise<UploadView> {
  return {
    uploadId: session.uploadId,
    project: session.project,
    model: session.model,
    status: session.status,
    staging: session.staging,
    expiresAt: new Date(session.expiresAt),
    files: await Promise.all(session.files.map((file) => targetOf(ctx, session, file))),
    version: session.version ?? null,
  };
}
