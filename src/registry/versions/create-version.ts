import type { RegistryContext } from "../context.js";
import type { VersionEntity } from "../entities.js";
import { badUserInput } from "../errors.js";
import { markerTags, onceForKey } from "../idempotency.js";
import { findRegistered, registerUpload } from "../uploads/register-upload.js";
import { loadSession } from "../uploads/session.js";
import { checkAlias, checkDescription, checkTag } from "../validate.js";
import { checkRunOfProject, checkSource, runIdOf } from "./check-source.js";
import { type Created, findTaggedVersion, untagVersion } from "./find-created.js";
import { registerVersion } from "./register.js";
import { rereadVersion, writeTarget } from "./version-writes.js";

export interface NewVersion {
  project: string;
  model: string;
  /** s3://… or runs:/…; or uploadId. */
  source?: string | null;
  uploadId?: string | null;
  runId?: string | null;
  description?: string | null;
  tags?: { key: string; value: string }[] | null;
  aliases?: string[] | null;
  idempotencyKey?: string | null;
}

/**
 * Registers a version from a source or a completed upload (with no run it is registry-only),
 * once per idempotency key. Every input is checked before anything is written.
 */
export async function createVersion(
  ctx: RegistryContext,
  input: NewVersion,
): Promise<VersionEntity> {
  const { project, model } = writeTarget(ctx, input);
  const tags = (input.tags ?? []).map((t) => checkTag(t.key, t.value));
  const aliases = (input.aliases ?? []).map(checkAlias);
  const description = checkDescription(input.description);
  if ((input.source == null) === (input.uploadId == null)) {
    throw badUserInput("give exactly one of source and uploadId");
  }
  const runId = runIdOf(input.source, input.runId);
  const registration = { project, model, runId, description, tags, aliases };
  const scope = {
    mutation: "createVersion",
    project,
    key: input.idempotencyKey,
    input: { ...input, idempotencyKey: null },
  };
  const done = (created: Created) => {
    const from = input.uploadId == null ? "" : ` from upload ${input.uploadId}`;
    ctx.audit.target({ version: created.number });
    ctx.audit.result(`version ${created.number}${from}`);
    return rereadVersion(ctx, project, created.model, created.number);
  };
  if (runId) await checkRunOfProject(ctx, project, runId);
  if (input.uploadId != null) {
    const session = await loadSession(ctx, input.uploadId);
    if (session.project !== project || session.model !== model) {
      throw badUserInput(
        `upload "${session.uploadId}" is for model "${session.model}" of project "${session.project}"`,
      );
    }
    if (session.status === "REGISTERED") return done({ model, number: session.version! });
    if (session.status !== "COMPLETED") {
      throw badUserInput(`upload "${session.uploadId}" is not completed yet`);
    }
    return onceForKey(ctx, scope, () => registerUpload(ctx, session, registration), done, {
      find: () => findRegistered(ctx, session),
    });
  }
  const source = await checkSource(ctx, project, input.source!);
  return onceForKey(
    ctx,
    scope,
    (marker) =>
      registerVersion(ctx, "createVersion", {
        ...registration,
        source,
        tags: [...tags, ...markerTags(marker)],
      }),
    done,
    {
      find: (marker) => findTaggedVersion(ctx, project, model, marker),
      untag: (created) => untagVersion(ctx, project, created),
    },
  );
}
