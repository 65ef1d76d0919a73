import { randomUUID } from "node:crypto";
import type { RegistryContext } from "../context.js";
import { onceForKey } from "../idempotency.js";
import { requireRole } from "../projects.js";
import { checkModelName } from "../validate.js";
import { type DeclaredFile, planUpload } from "./plan-upload.js";
import {
  loadSession,
  projectRoot,
  requireState,
  saveSession,
  stagedOf,
  type UploadFile,
  type UploadSession,
} from "./session.js";
import { type UploadView, viewUpload } from "./upload-view.js";

export interface NewUpload {
  project: string;
  model: string;
  files: DeclaredFile[];
  idempotencyKey?: string | null;
}

/**
 * Opens an upload: presigned PUT URLs (or part URLs above the multipart threshold), each for
 * the declared length, under a staging prefix; the bytes go straight to S3. Everything is
 * checked before S3 is asked for anything.
 */
export async function startUpload(ctx: RegistryContext, input: NewUpload): Promise<UploadView> {
  const model = checkModelName(input.model);
  const project = requireRole(ctx, input.project, model, "writer");
  const files = planUpload(ctx.uploadLimits, input.files);
  const root = projectRoot(ctx, project);
  requireState(ctx);
  const inputFiles = files.map(({ path, size, sha256 }) => ({ path, size, sha256 }));
  const view = await onceForKey(
    ctx,
    {
      mutation: "startUpload",
      project,
      key: input.idempotencyKey,
      input: { model, files: inputFiles },
    },
    async () => {
      const uploadId = randomUUID();
      const now = Date.now();
      const session: UploadSession = {
        uploadId,
        project,
        model,
        staging: `s3://${root.bucket}/${[root.prefix, "uploads", uploadId].filter(Boolean).join("/")}`,
        files: [],
        createdAt: new Date(now).toISOString(),
        expiresAt: new Date(now + ctx.uploadLimits.urlExpirySeconds * 1000).toISOString(),
        status: "STARTED",
      };
      const staged = stagedOf(session);
      const sessionFiles: UploadFile[] = [];
      for (const { multipart, ...file } of files) {
        const multipartId = multipart ? await ctx.staging.createMultipart(staged, file.path) : null;
        sessionFiles.push({ ...file, multipartId });
      }
      ctx.audit.note({ field: "upload", from: null, to: uploadId });
      await saveSession(ctx, { ...session, files: sessionFiles });
      return uploadId;
    },
    async (uploadId) => viewUpload(ctx, await loadSession(ctx, uploadId)),
  );
  // The answer's URLs are the caller's to use: the record keeps the upload's id and size only.
  ctx.audit.result(`upload ${view.uploadId}, ${view.files.length} files`);
  return view;
}
