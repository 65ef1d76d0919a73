import type { S3Location } from "../../sources/s3/uri.js";
import { badUserInput } from "../errors.js";
import { onceForKey } from "../idempotency.js";
import { outcomeUnknown } from "../outcome.js";
import { step } from "../step-error.js";
import type { RegistryContext } from "../context.js";
import { type Created, findVersionFrom } from "../versions/find-created.js";
import { type Registration, registerVersion } from "../versions/register.js";
import { folderOf, projectRoot, saveSession, type UploadSession, verifiedOf } from "./session.js";

/** Where a registered upload's files live for good: `<root>/versions/<model>/<uploadId>`. */
function destinationOf(ctx: RegistryContext, session: UploadSession): S3Location {
  const root = projectRoot(ctx, session.project);
  return {
    bucket: root.bucket,
    prefix: [root.prefix, "versions", session.model, session.uploadId].filter(Boolean).join("/"),
  };
}

const uriOf = (location: S3Location) => `s3://${location.bucket}/${location.prefix}`;

/** The version an earlier attempt registered from this upload, if MLflow has one. */
export function findRegistered(
  ctx: RegistryContext,
  session: UploadSession,
): Promise<Created | null> {
  return findVersionFrom(ctx, session.project, session.model, uriOf(destinationOf(ctx, session)));
}

/** Records the upload as that version, and drops its staged and verified copies. */
async function settle(ctx: RegistryContext, session: UploadSession, created: Created) {
  await saveSession(ctx, { ...session, status: "REGISTERED", version: created.number });
  await ctx.staging.deletePrefix(folderOf(session)).catch(() => undefined); // would expire
  return created;
}

/** Copies the verified files out of the upload (which expires), checks them, registers them. */
async function copyAndRegister(
  ctx: RegistryContext,
  session: UploadSession,
  registration: Omit<Registration, "source">,
): Promise<Created> {
  const dest = destinationOf(ctx, session);
  await step("createVersion", "copy", () => ctx.staging.copyPrefix(verifiedOf(session), dest));
  try {
    await step("createVersion", "check", async () => {
      if (!(await ctx.staging.head(dest, "MLmodel"))) {
        throw badUserInput(
          `upload "${session.uploadId}" has no MLmodel file, so it is not a model`,
        );
      }
    });
    return await registerVersion(ctx, "createVersion", { ...registration, source: uriOf(dest) });
  } catch (error) {
    // After a timeout MLflow may hold a version of these files: they stay for the retry.
    if (!outcomeUnknown(error)) await ctx.staging.deletePrefix(dest).catch(() => undefined);
    throw error;
  }
}

/**
 * A completed upload becomes a version, once: the upload itself is the claim's key, so of two
 * concurrent createVersion calls one registers and the other is a CONFLICT that touches no file,
 * and a retry after a timeout finds the version by its source instead of registering another.
 * The files registered are those completeUpload verified (its `verified/` copy), never what a
 * client may have PUT to a staged URL since. If a step fails, nothing is registered and the
 * copy is removed.
 */
export function registerUpload(
  ctx: RegistryContext,
  session: UploadSession,
  registration: Omit<Registration, "source">,
): Promise<Created> {
  const scope = {
    mutation: "createVersion(uploadId)",
    project: session.project,
    key: session.uploadId,
    input: session.uploadId,
    label: `createVersion of upload "${session.uploadId}"`,
  };
  return onceForKey(
    ctx,
    scope,
    async () => settle(ctx, session, await copyAndRegister(ctx, session, registration)),
    async (created) => created,
    {
      async find() {
        const found = await findRegistered(ctx, session);
        return found ? settle(ctx, session, found) : null;
      },
    },
  );
}
