import { badUserInput } from "../errors.js";
import { onceForKey } from "../idempotency.js";
import { step } from "../step-error.js";
import type { RegistryContext } from "../context.js";
import { discardUpload } from "./discard-upload.js";
import { type UploadView, viewUpload } from "./upload-view.js";
import { loadSession, saveSession, stagedOf, type UploadSession, verifiedOf } from "./session.js";

/** The ETags a client kept of one file's parts (the graph's CompletedFile). */
export interface CompletedFile {
  path: string;
  parts: { partNumber: number; etag: string }[];
}

/** Completes each multipart file from the ETags the client kept of its parts. */
async function completeParts(
  ctx: RegistryContext,
  session: UploadSession,
  given: Map<string, CompletedFile["parts"]>,
): Promise<void> {
  const staged = stagedOf(session);
  for (const file of session.files.filter((f) => f.multipartId)) {
    const parts = given.get(file.path) ?? [];
    if (parts.length !== file.partCount) {
      throw badUserInput(
        `"${file.path}" has ${file.partCount} parts, got ETags for ${parts.length}`,
      );
    }
    await ctx.staging
      .completeMultipart(staged, file.path, file.multipartId!, parts)
      .catch((error: unknown) => {
        // EntityTooSmall, InvalidPart, InvalidPartOrder: the parts sent were not the ones asked for.
        throw badUserInput(`S3 refused the parts of "${file.path}" (${(error as Error).message})`);
      });
  }
}

/**
 * Copies the staged files, server-side, to `verified/`, where no presigned URL reaches, and
 * checks that copy: every declared file there, its size, its SHA-256. A client that PUTs again
 * to a staged URL later changes nothing that is verified or registered; a PUT racing the copy
 * changes what is copied, and so what is checked.
 */
async function verifyCopy(ctx: RegistryContext, session: UploadSession): Promise<void> {
  const { staging } = ctx;
  const staged = stagedOf(session);
  const verified = verifiedOf(session);
  const present = new Set((await staging.list(staged)).map((object) => object.path));
  const missing = session.files.find((file) => !present.has(file.path));
  if (missing) throw badUserInput(`"${missing.path}" was never uploaded`);
  await staging.copyFiles(staged, verified, session.files);
  const sizes = new Map((await staging.list(verified)).map((o) => [o.path, o.size]));
  for (const file of session.files) {
    const size = sizes.get(file.path) ?? 0;
    if (size !== file.size) {
      throw badUserInput(`"${file.path}" is ${size} bytes, ${file.size} were declared`);
    }
    if (file.sha256 && (await staging.sha256(verified, file.path)) !== file.sha256) {
      throw badUserInput(`"${file.path}" does not have the declared SHA-256`);
    }
  }
}

/**
 * Completes and verifies an upload once: a concurrent completeUpload of the same upload is a
 * CONFLICT (it would otherwise remove what this one verified), a later one sees it COMPLETED.
 * If anything is missing or wrong, everything the upload staged is removed.
 */
export async function completeUpload(
  ctx: RegistryContext,
  session: UploadSession,
  parts: CompletedFile[],
): Promise<UploadSession> {
  const scope = {
    mutation: "completeUpload",
    project: session.project,
    key: session.uploadId,
    input: session.uploadId,
    label: `completeUpload of upload "${session.uploadId}"`,
  };
  const given = new Map(parts.map((f) => [f.path, f.parts]));
  return onceForKey(
    ctx,
    scope,
    async () => {
      try {
        await step("completeUpload", "complete", () => completeParts(ctx, session, given));
        await step("completeUpload", "verify", () => verifyCopy(ctx, session));
      } catch (error) {
        await discardUpload(ctx, session).catch(() => undefined);
        throw error;
      }
      // The staged objects are no longer needed; they would expire anyway.
      await ctx.staging.deletePrefix(stagedOf(session)).catch(() => undefined);
      const completed: UploadSession = {
        ...session,
        status: "COMPLETED",
        files: session.files.map((f) => ({ ...f, multipartId: null })),
      };
      await saveSession(ctx, completed);
      return session.uploadId;
    },
    (uploadId) => loadSession(ctx, uploadId),
  );
}

/** completeUpload by id: an upload already completed (or registered) is answered as it is. */
export async function completeUploadById(
  ctx: RegistryContext,
  uploadId: string,
  parts: CompletedFile[],
): Promise<UploadView> {
  const session = await loadSession(ctx, uploadId);
  ctx.audit.target({ project: session.project, model: session.model });
  const files = session.files.length;
  if (session.status !== "STARTED") {
    ctx.audit.result(`upload ${uploadId} was already ${session.status.toLowerCase()}`);
    return viewUpload(ctx, session);
  }
  ctx.audit.note({ field: "uploadStatus", from: session.status, to: "COMPLETED" });
  const completed = await completeUpload(ctx, session, parts);
  ctx.audit.result(`upload ${uploadId}, ${files} files verified`);
  return viewUpload(ctx, completed);
}
