import type { GraphContext } from "../context.js";
import { deleteSession, folderOf, stagedOf, type UploadSession } from "./session.js";

/** Removes everything an upload staged or verified: open multipart uploads, objects, record. */
export async function discardUpload(ctx: GraphContext, session: UploadSession): Promise<number> {
  const staged = stagedOf(session);
  await Promise.all(
    session.files
      .filter((f) => f.multipartId)
      .map((f) => ctx.loaders.staging.abortMultipart(staged, f.path, f.multipartId!)),
  );
  const removed = await ctx.loaders.staging.deletePrefix(folderOf(session));
  await deleteSession(ctx, session.uploadId);
  return removed;
}
