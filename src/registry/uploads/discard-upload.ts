import type { RegistryContext } from "../context.js";
import { badUserInput } from "../errors.js";
import { deleteSession, folderOf, loadSession, stagedOf, type UploadSession } from "./session.js";

/** Removes everything an upload staged or verified: open multipart uploads, objects, record. */
export async function discardUpload(ctx: RegistryContext, session: UploadSession): Promise<number> {
  const staged = stagedOf(session);
  await Promise.all(
    session.files
      .filter((f) => f.multipartId)
      .map((f) => ctx.staging.abortMultipart(staged, f.path, f.multipartId!)),
  );
  const removed = await ctx.staging.deletePrefix(folderOf(session));
  await deleteSession(ctx, session.uploadId);
  return removed;
}

/** Aborts an upload that is not a version yet; answers how many staged objects went. */
export async function abortUpload(
  ctx: RegistryContext,
  uploadId: string,
): Promise<{ uploadId: string; removedObjects: number }> {
  const session = await loadSession(ctx, uploadId);
  ctx.audit.target({ project: session.project, model: session.model });
  if (session.status === "REGISTERED") {
    throw badUserInput(`upload "${uploadId}" is already version ${session.version}`);
  }
  ctx.audit.note({ field: "upload", from: uploadId, to: null });
  const removedObjects = await discardUpload(ctx, session);
  ctx.audit.result(
    `upload ${uploadId}, ${session.files.length} files, ${removedObjects} objects removed`,
  );
  return { uploadId: session.uploadId, removedObjects };
}
