import { parseS3Uri } from "../../sources/s3/uri.js";
import { badUserInput } from "../common/errors.js";
import { step } from "../common/step-error.js";
import type { GraphContext } from "../context.js";
import { type Registration, registerVersion } from "../version/register.js";
import { projectRoot, saveSession, type UploadSession } from "./session.js";

/**
 * A completed upload becomes a version: its files are copied server-side out of the staging
 * prefix (which expires) to `<root>/versions/<model>/<uploadId>`, checked for an MLmodel and
 * registered. If any step fails, the copy is removed and nothing is registered.
 */
export async function registerUpload(
  ctx: GraphContext,
  session: UploadSession,
  registration: Omit<Registration, "source">,
): Promise<{ model: string; number: number }> {
  const root = projectRoot(ctx, session.project);
  const staging = parseS3Uri(session.staging)!;
  const dest = {
    bucket: root.bucket,
    prefix: [root.prefix, "versions", session.model, session.uploadId].filter(Boolean).join("/"),
  };
  const source = `s3://${dest.bucket}/${dest.prefix}`;
  await step("createVersion", "copy", () => ctx.loaders.staging.copyPrefix(staging, dest));
  let created: { model: string; number: number };
  try {
    await step("createVersion", "check", async () => {
      if (!(await ctx.loaders.staging.head(dest, "MLmodel"))) {
        throw badUserInput(
          `upload "${session.uploadId}" has no MLmodel file, so it is not a model`,
        );
      }
    });
    created = await registerVersion(ctx, "createVersion", { ...registration, source });
  } catch (error) {
    await ctx.loaders.staging.deletePrefix(dest).catch(() => undefined);
    throw error;
  }
  await ctx.loaders.staging.deletePrefix(staging).catch(() => undefined); // it would expire anyway
  await saveSession(ctx, { ...session, status: "REGISTERED", version: created.number });
  return created;
}
